/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A whole message as a sendmail wrapper gets it on standard input: the recipients and the
 * sender its header names, and its To, Cc and Bcc fields rewritten with the user's fixes.
 * Every byte the fixes do not touch is handed on unchanged, so the header block is split
 * into fields here, by their raw bytes, and only the address lists go through GMime
 * (rg-address.c). */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-message.h"

/* one header field: where its bytes are, continuation lines and line break included */
typedef struct {
	gsize start;
	gsize len;
	gsize name_len;
} RgField;

struct _RgMessage {
	GObject parent_instance;
	GBytes *data;
	GArray *fields; /* RgField, in order */
	gboolean crlf;  /* whether the header's first line ends with CRLF */
};

G_DEFINE_TYPE(RgMessage, rg_message, G_TYPE_OBJECT)

static void
rg_message_finalize(GObject *object)
{
	RgMessage *self = RG_MESSAGE(object);
	g_bytes_unref(self->data);
	g_array_unref(self->fields);
	G_OBJECT_CLASS(rg_message_parent_class)->finalize(object);
}

static void
rg_message_class_init(RgMessageClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_message_finalize;
}

static void
rg_message_init(RgMessage *self)
{
	self->fields = g_array_new(FALSE, FALSE, sizeof(RgField));
}

/* the end of the line starting at @pos: just past its LF, or @len */
static gsize
rg_message_line_end(const char *p, gsize len, gsize pos)
{
	const char *nl = memchr(p + pos, '\n', len - pos);
	return nl != NULL ? (gsize)(nl - p) + 1 : len;
}

/* a field name: printable ASCII but the colon (RFC 5322 §2.2) */
static gsize
rg_message_name_len(const char *p, gsize len)
{
	gsize i = 0;
	while (i < len && p[i] > 32 && p[i] < 127 && p[i] != ':')
		i++;
	return i < len && p[i] == ':' ? i : 0;
}

static void
rg_message_split(RgMessage *self)
{
	gsize len;
	const char *p = g_bytes_get_data(self->data, &len);
	gsize pos = 0;

	while (pos < len) {
		gsize end = rg_message_line_end(p, len, pos);
		gsize name_len;
		RgField field;

		if (p[pos] == '\n' || (p[pos] == '\r' && pos + 1 < len && p[pos + 1] == '\n'))
			break; /* the empty line before the body */
		if ((p[pos] == ' ' || p[pos] == '\t') && self->fields->len > 0) {
			RgField *last =
			    &g_array_index(self->fields, RgField, self->fields->len - 1);
			last->len = end - last->start;
			pos = end;
			continue;
		}
		name_len = rg_message_name_len(p + pos, end - pos);
		if (name_len == 0)
			break; /* not a header line: the body starts here (sendmail does the same)
			        */
		if (self->fields->len == 0)
			self->crlf = end >= 2 && p[end - 2] == '\r';
		field = (RgField){pos, end - pos, name_len};
		g_array_append_val(self->fields, field);
		pos = end;
	}
}

/**
 * rg_message_new:
 * @data: a whole message in Internet Message Format (RFC 5322), as a mail client hands it
 *   to sendmail: header fields, an empty line, the body; LF or CRLF line breaks
 *
 * Reads the header block. A message without one is all body; nothing about @data is an
 * error.
 *
 * Returns: (transfer full): the message
 */
RgMessage *
rg_message_new(GBytes *data)
{
	RgMessage *self;

	g_return_val_if_fail(data != NULL, NULL);
	self = g_object_new(RG_TYPE_MESSAGE, NULL);
	self->data = g_bytes_ref(data);
	rg_message_split(self);
	return self;
}

/**
 * rg_message_get_bytes:
 * @self: an #RgMessage
 *
 * Returns: (transfer none): the message as it is now: the bytes it was made from, with the
 *   fields rg_message_replace_recipients() rewrote
 */
GBytes *
rg_message_get_bytes(RgMessage *self)
{
	g_return_val_if_fail(RG_IS_MESSAGE(self), NULL);
	return self->data;
}

static gboolean
rg_message_field_is(RgMessage *self, const RgField *field, const char *name)
{
	const char *p = g_bytes_get_data(self->data, NULL);
	return field->name_len == strlen(name) &&
	       g_ascii_strncasecmp(p + field->start, name, field->name_len) == 0;
}

static gboolean
rg_message_field_is_recipient(RgMessage *self, const RgField *field)
{
	return rg_message_field_is(self, field, "To") || rg_message_field_is(self, field, "Cc") ||
	       rg_message_field_is(self, field, "Bcc");
}

/* the value of @field unfolded (RFC 5322 §2.2.3: line breaks removed, the white space
 * kept), without the final line break */
static char *
rg_message_field_value(RgMessage *self, const RgField *field)
{
	const char *p = g_bytes_get_data(self->data, NULL);
	GString *out = g_string_sized_new(field->len);

	for (gsize i = field->start + field->name_len + 1; i < field->start + field->len; i++) {
		if (p[i] != '\r' && p[i] != '\n')
			g_string_append_c(out, p[i]);
	}
	return g_string_free(out, FALSE);
}

/**
 * rg_message_get_recipients:
 * @self: an #RgMessage
 *
 * What `sendmail -t` sends to: the values of every To, Cc and Bcc field, unfolded, in the
 * order of the header, as address lists for rg_session_check(). RFC 2047 words are left as
 * they are; the address parser decodes them.
 *
 * Returns: (transfer full) (element-type utf8): the values, possibly none; a value is not
 *   necessarily valid UTF-8
 */
GPtrArray *
rg_message_get_recipients(RgMessage *self)
{
	GPtrArray *out;

	g_return_val_if_fail(RG_IS_MESSAGE(self), NULL);
	out = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	for (guint i = 0; i < self->fields->len; i++) {
		const RgField *field = &g_array_index(self->fields, RgField, i);
		g_autofree char *value = NULL;
		if (!rg_message_field_is_recipient(self, field))
			continue;
		value = rg_message_field_value(self, field);
		if (g_strstrip(value)[0] != '\0')
			g_ptr_array_add(out, g_steal_pointer(&value));
	}
	return out;
}

/**
 * rg_message_get_sender:
 * @self: an #RgMessage
 *
 * Returns: (transfer full) (nullable): the address of the first mailbox in the first From
 *   field, normalised, or %NULL when there is none that can be read
 */
char *
rg_message_get_sender(RgMessage *self)
{
	g_return_val_if_fail(RG_IS_MESSAGE(self), NULL);
	for (guint i = 0; i < self->fields->len; i++) {
		const RgField *field = &g_array_index(self->fields, RgField, i);
		g_autofree char *value = NULL;
		if (!rg_message_field_is(self, field, "From"))
			continue;
		value = rg_message_field_value(self, field);
		if (!g_utf8_validate(value, -1, NULL))
			return NULL;
		return rg_address_list_first_spec(value);
	}
	return NULL;
}

/**
 * rg_message_replace_recipients:
 * @self: an #RgMessage
 * @replacements: (element-type utf8 utf8): normalised addresses as rg_verdict_get_address()
 *   gives them, each to the address that replaces it, as rg_decision_get_replacements()
 *   gives them
 *
 * Applies the user's fixes to the header: in every To, Cc and Bcc field, each mailbox with
 * one of those addresses gets the new address and keeps its display name. A field that
 * changes is written anew (encoded and folded, with the header's line breaks); every other
 * byte of the message stays as it was.
 *
 * Returns: how many mailboxes were replaced
 */
guint
rg_message_replace_recipients(RgMessage *self, GHashTable *replacements)
{
	gsize len;
	const char *p;
	g_autoptr(GByteArray) out = NULL;
	g_autoptr(GArray) fields = NULL;
	gsize copied = 0;
	guint n = 0;

	g_return_val_if_fail(RG_IS_MESSAGE(self), 0);
	g_return_val_if_fail(replacements != NULL, 0);

	p = g_bytes_get_data(self->data, &len);
	out = g_byte_array_sized_new(len + 64);
	fields = g_array_new(FALSE, FALSE, sizeof(RgField));
	for (guint i = 0; i < self->fields->len; i++) {
		RgField field = g_array_index(self->fields, RgField, i);
		g_autofree char *name = NULL;
		g_autofree char *value = NULL;
		g_autofree char *written = NULL;
		const char *src;

		if (rg_message_field_is_recipient(self, &field)) {
			name = g_strndup(p + field.start, field.name_len);
			value = rg_message_field_value(self, &field);
			if (g_utf8_validate(value, -1, NULL))
				written = rg_address_header_replace(
				    name, value, replacements, self->crlf, &n);
		}
		/* what lies between fields (nothing, so far) and the field itself */
		g_byte_array_append(out, (const guint8 *)p + copied, field.start - copied);
		copied = field.start + field.len;
		src = written != NULL ? written : p + field.start;
		field.len = written != NULL ? strlen(written) : field.len;
		field.start = out->len;
		g_byte_array_append(out, (const guint8 *)src, field.len);
		g_array_append_val(fields, field);
	}
	if (n == 0)
		return 0;
	g_byte_array_append(out, (const guint8 *)p + copied, len - copied);
	g_bytes_unref(self->data);
	self->data = g_byte_array_free_to_bytes(g_steal_pointer(&out));
	g_array_unref(self->fields);
	self->fields = g_steal_pointer(&fields);
	return n;
}
