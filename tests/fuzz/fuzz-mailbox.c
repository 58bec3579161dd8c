/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* the mailbox readers: the input as an mbox file, read from the start and from an offset
 * taken from its first byte, and as one Maildir message file */
#include "fuzz.h"
#include "rg-address-private.h"
#include "rg-mailbox.h"

static gboolean
message_cb(const RgMailboxMessage *m, gpointer user_data)
{
	guint *n = user_data;
	const char *fields[] = {m->from, m->to, m->cc, m->bcc};

	/* what the importer does with each message */
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (fields[i] != NULL)
			g_ptr_array_unref(rg_address_list_parse_lenient(fields[i], -1, NULL));
	}
	(*n)++;
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *path = rg_fuzz_write("mbox", data, size);
	RgMailboxStamp stamp = {0};
	gint64 end = 0;
	guint truncated = 0, n = 0;

	if (rg_mailbox_read_mbox(path, 0, message_cb, &n, NULL, &end, &truncated, NULL)) {
		g_assert_cmpint(end, >=, 0);
		g_assert_cmpint(end, <=, (gint64)size);
	}
	if (size > 0 && data[0] < size) {
		rg_mailbox_read_mbox(path, data[0], message_cb, &n, NULL, &end, &truncated, NULL);
		g_assert_true(rg_mailbox_stamp(path, data[0], &stamp, NULL));
		g_assert_cmpint(stamp.size, ==, (gint64)size);
	}
	rg_mailbox_read_file(path, message_cb, &n, NULL);
	return 0;
}
