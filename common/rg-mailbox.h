/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: reading mailboxes (an mbox file, the message files of a Maildir) with GMime's
 * parser. Only the headers an import needs are handed out, as raw values; addresses are
 * parsed by rg-address.c. */

#include <gio/gio.h>

/* one message, as the mailbox holds it; every string is borrowed for the call only */
typedef struct {
	const char *message_id; /* nullable; without the angle brackets */
	const char *from;       /* nullable: the raw header values */
	const char *to;
	const char *cc;
	const char *bcc;
	gint64 date;   /* seconds since the epoch, 0 when there is none */
	gint64 offset; /* where the message starts in the file (mbox: its "From " line) */
} RgMailboxMessage;

/* Returns: FALSE to stop reading */
typedef gboolean (*RgMailboxFunc)(const RgMailboxMessage *message, gpointer user_data);

/* what the mbox at a path looks like, enough to tell whether it changed */
typedef struct {
	gint64 size;
	gint64 mtime_ns;
	guint64 tail; /* a hash of the bytes just before a given offset; 0 at offset 0 */
} RgMailboxStamp;

gboolean rg_mailbox_stamp(const char *path, gint64 offset, RgMailboxStamp *stamp, GError **error);

/* Reads the messages of the mbox at @path from @offset, which must be where a message
 * starts (0, or the end a previous read reached), to the end of the file. @out_end is how
 * far it read: the end of the file, or the start of a message cut off at the end (a
 * mailbox being written), which is then counted in @out_truncated and read the next time.
 * Returns: FALSE with %RG_ERROR_IO (cannot read), %RG_ERROR_INVALID_DATA (not an mbox) or
 * %G_IO_ERROR_CANCELLED */
gboolean rg_mailbox_read_mbox(const char *path,
                              gint64 offset,
                              RgMailboxFunc func,
                              gpointer user_data,
                              GCancellable *cancellable,
                              gint64 *out_end,
                              guint *out_truncated,
                              GError **error);

/* Reads the headers of the message file at @path (a Maildir file) and calls @func once.
 * Returns: FALSE with %RG_ERROR_NOT_FOUND (the file is gone: a Maildir file moves when its
 * flags change) or %RG_ERROR_IO */
gboolean
rg_mailbox_read_file(const char *path, RgMailboxFunc func, gpointer user_data, GError **error);
