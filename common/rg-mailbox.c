/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mailboxes read with GMime's parser: an mbox file (mbox mode, from an offset on, so that a
 * later read starts where the last one ended) and single message files (a Maildir). GMime's
 * address lists stay in rg-address.c; this file only wraps its parser and hands out raw
 * header values, copied before the message is freed. Files are opened read-only and the
 * parser keeps the bodies in the file instead of copying them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg-error.h"
#include "rg-mailbox.h"

/* how many bytes before an offset say whether the file was rewritten up to there */
#define RG_MAILBOX_TAIL 256
/* how often a long read looks at its GCancellable */
#define RG_MAILBOX_CANCEL_EVERY 256

typedef GMimeParser RgMimeParser;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgMimeParser, g_object_unref)
typedef GMimeStream RgMimeStream;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgMimeStream, g_object_unref)
typedef GMimeMessage RgMimeMessage;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgMimeMessage, g_object_unref)

static void
rg_mailbox_init(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
}

static RgMimeStream *
rg_mailbox_open(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int saved = errno;
		g_set_error(error,
		            RG_ERROR,
		            saved == ENOENT ? RG_ERROR_NOT_FOUND : RG_ERROR_IO,
		            "cannot read %s: %s",
		            path,
		            g_strerror(saved));
		return NULL;
	}
	rg_mailbox_init();
	/* the stream owns the descriptor */
	return g_mime_stream_fs_new(fd);
}

/* the raw value of the first header @name, or NULL */
static const char *
rg_mailbox_header(GMimeHeaderList *headers, const char *name)
{
	GMimeHeader *h = g_mime_header_list_get_header(headers, name);
	return h != NULL ? g_mime_header_get_raw_value(h) : NULL;
}

static void
rg_mailbox_describe(GMimeMessage *msg, gint64 offset, RgMailboxMessage *out)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GDateTime *date = g_mime_message_get_date(msg);

	out->message_id = g_mime_message_get_message_id(msg);
	out->from = rg_mailbox_header(headers, "From");
	out->to = rg_mailbox_header(headers, "To");
	out->cc = rg_mailbox_header(headers, "Cc");
	out->bcc = rg_mailbox_header(headers, "Bcc");
	out->date = date != NULL ? g_date_time_to_unix(date) : 0;
	out->offset = offset;
}

/* FNV-1a over @len bytes */
static guint64
rg_mailbox_hash(const guchar *data, gsize len)
{
	guint64 h = G_GUINT64_CONSTANT(14695981039346656037);
	for (gsize i = 0; i < len; i++) {
		h ^= data[i];
		h *= G_GUINT64_CONSTANT(1099511628211);
	}
	return h;
}

gboolean
rg_mailbox_stamp(const char *path, gint64 offset, RgMailboxStamp *stamp, GError **error)
{
	guchar buf[RG_MAILBOX_TAIL];
	struct stat st;
	gint64 from = MAX(0, offset - RG_MAILBOX_TAIL);
	ssize_t n;
	int fd;

	memset(stamp, 0, sizeof *stamp);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		g_set_error(error,
		            RG_ERROR,
		            saved == ENOENT ? RG_ERROR_NOT_FOUND : RG_ERROR_IO,
		            "cannot read %s: %s",
		            path,
		            g_strerror(saved));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error, RG_ERROR, RG_ERROR_INVALID_DATA, "%s is not a file", path);
		return FALSE;
	}
	stamp->size = st.st_size;
	stamp->mtime_ns =
	    (gint64)st.st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st.st_mtim.tv_nsec;
	if (offset > 0 && offset <= st.st_size) {
		n = pread(fd, buf, (gsize)(offset - from), from);
		if (n == offset - from)
			stamp->tail = rg_mailbox_hash(buf, (gsize)n);
	}
	close(fd);
	return TRUE;
}

gboolean
rg_mailbox_read_mbox(const char *path,
                     gint64 offset,
                     RgMailboxFunc func,
                     gpointer user_data,
                     GCancellable *cancellable,
                     gint64 *out_end,
                     guint *out_truncated,
                     GError **error)
{
	g_autoptr(RgMimeStream) stream = NULL;
	g_autoptr(RgMimeParser) parser = NULL;
	gint64 end = offset;
	guint n = 0;

	*out_end = offset;
	*out_truncated = 0;
	stream = rg_mailbox_open(path, error);
	if (stream == NULL)
		return FALSE;
	if (offset > 0 && g_mime_stream_seek(stream, offset, GMIME_STREAM_SEEK_SET) != offset) {
		g_set_error(error, RG_ERROR, RG_ERROR_IO, "cannot read %s: cannot seek", path);
		return FALSE;
	}
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	/* the bodies stay in the file: only the headers are looked at */
	g_mime_parser_set_persist_stream(parser, TRUE);
	while (!g_mime_parser_eos(parser)) {
		g_autoptr(RgMimeMessage) msg = NULL;
		RgMailboxMessage m = {0};
		gint64 marker;

		if (++n % RG_MAILBOX_CANCEL_EVERY == 0 &&
		    g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		msg = g_mime_parser_construct_message(parser, NULL);
		marker = g_mime_parser_get_mbox_marker_offset(parser);
		if (msg == NULL) {
			/* no "From " line at all where a message should start */
			if (marker < 0 || marker < end) {
				if (end == offset && g_mime_parser_tell(parser) > offset) {
					g_set_error(
					    error,
					    RG_ERROR,
					    RG_ERROR_INVALID_DATA,
					    "%s is not an mbox mailbox: no \"From \" line at "
					    "%" G_GINT64_FORMAT,
					    path,
					    offset);
					return FALSE;
				}
				break;
			}
			/* a message whose headers are cut off: read it again next time */
			(*out_truncated)++;
			end = marker;
			break;
		}
		if (g_mime_parser_get_headers_end(parser) < 0) {
			/* headers that run to the end of the file are still being written */
			(*out_truncated)++;
			end = marker;
			break;
		}
		end = g_mime_parser_tell(parser);
		rg_mailbox_describe(msg, marker, &m);
		if (!func(&m, user_data)) {
			end = marker;
			break;
		}
	}
	*out_end = end;
	return TRUE;
}

gboolean
rg_mailbox_read_file(const char *path, RgMailboxFunc func, gpointer user_data, GError **error)
{
	g_autoptr(RgMimeStream) stream = rg_mailbox_open(path, error);
	g_autoptr(RgMimeParser) parser = NULL;
	g_autoptr(RgMimeMessage) msg = NULL;
	RgMailboxMessage m = {0};

	if (stream == NULL)
		return FALSE;
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(parser, TRUE);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL) {
		g_set_error(error, RG_ERROR, RG_ERROR_IO, "cannot read %s: not a message", path);
		return FALSE;
	}
	rg_mailbox_describe(msg, 0, &m);
	func(&m, user_data);
	return TRUE;
}
