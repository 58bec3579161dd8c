/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RgMessage: the recipients and the sender a message's header names, and the user's fixes
 * written into To, Cc and Bcc with every other byte left as it was. */
#include <string.h>

#include "rg-message.h"
#include "rg-test.h"

static RgMessage *
message_new(const char *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
	return rg_message_new(bytes);
}

static char *
message_text(RgMessage *m)
{
	gsize len;
	const char *data = g_bytes_get_data(rg_message_get_bytes(m), &len);
	return g_strndup(data, len);
}

static char *
joined_recipients(RgMessage *m)
{
	g_autoptr(GPtrArray) list = rg_message_get_recipients(m);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < list->len; i++)
		g_string_append_printf(
		    out, "%s[%s]", i > 0 ? " " : "", (char *)g_ptr_array_index(list, i));
	return g_string_free(out, FALSE);
}

START_TEST(test_message_recipients)
{
	g_autoptr(RgMessage) m = message_new(
	    "From: \"Me\" <Me@Example.ORG>\nto: a@b.org,\n\tC <c@d.org>\nSubject: To: x@y.org\n"
	    "Bcc: hidden@e.org\nCc:\n\nTo: body@f.org\n");
	g_autofree char *got = joined_recipients(m);
	g_autofree char *sender = rg_message_get_sender(m);

	/* unfolded, the empty Cc left out, nothing from the Subject or the body */
	ck_assert_str_eq(got, "[a@b.org,\tC <c@d.org>] [hidden@e.org]");
	ck_assert_str_eq(sender, "Me@example.org");
}
END_TEST

START_TEST(test_message_no_header)
{
	g_autoptr(RgMessage) none = message_new("just a body line\nTo: x@y.org\n");
	g_autoptr(RgMessage) empty = message_new("");
	g_autoptr(GPtrArray) a = rg_message_get_recipients(none);
	g_autoptr(GPtrArray) b = rg_message_get_recipients(empty);

	ck_assert_uint_eq(a->len, 0);
	ck_assert_uint_eq(b->len, 0);
	ck_assert_ptr_null(rg_message_get_sender(none));
}
END_TEST

static GHashTable *
army_fix(void)
{
	GHashTable *fixes = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(fixes, (gpointer) "gen.smith@army.ml", (gpointer) "gen.smith@army.mil");
	return fixes;
}

START_TEST(test_message_replace_keeps_the_rest)
{
	const char *in =
	    "Received: x\r\nFrom: me@example.org\r\nTo: \"Gen. Smith\" <gen.smith@army.ml>,\r\n"
	    " friend@example.net\r\nCc: =?UTF-8?Q?G=C3=A9n=C3=A9ral?= <gen.smith@ARMY.ML>\r\n"
	    "Subject: gen.smith@army.ml\r\n\r\nTo: gen.smith@army.ml\r\n\xff\r\n";
	g_autoptr(RgMessage) m = message_new(in);
	g_autoptr(GHashTable) fixes = army_fix();
	g_autofree char *out = NULL;

	ck_assert_uint_eq(rg_message_replace_recipients(m, fixes), 2);
	out = message_text(m);
	/* display names kept (re-encoded), the header's CRLF kept, Subject and body untouched */
	ck_assert_str_eq(
	    out,
	    "Received: x\r\nFrom: me@example.org\r\nTo: \"Gen. Smith\" <gen.smith@army.mil>, "
	    "friend@example.net\r\nCc: =?UTF-8?b?R8OpbsOpcmFs?= <gen.smith@army.mil>\r\n"
	    "Subject: gen.smith@army.ml\r\n\r\nTo: gen.smith@army.ml\r\n\xff\r\n");
	/* the fields are read again from the new bytes */
	{
		g_autofree char *got = joined_recipients(m);
		ck_assert_str_eq(got,
		                 "[\"Gen. Smith\" <gen.smith@army.mil>, friend@example.net] "
		                 "[=?UTF-8?b?R8OpbsOpcmFs?= <gen.smith@army.mil>]");
	}
}
END_TEST

START_TEST(test_message_replace_nothing)
{
	const char *in = "To: friend@example.net\nBcc: x@army.ml\n\nbody\n";
	g_autoptr(RgMessage) m = message_new(in);
	g_autoptr(GHashTable) fixes = army_fix();
	g_autofree char *out = NULL;

	ck_assert_uint_eq(rg_message_replace_recipients(m, fixes), 0);
	out = message_text(m);
	ck_assert_str_eq(out, in);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("message");
	TCase *tc = tcase_create("header");
	tcase_add_test(tc, test_message_recipients);
	tcase_add_test(tc, test_message_no_header);
	suite_add_tcase(s, tc);
	tc = tcase_create("replace");
	tcase_add_test(tc, test_message_replace_keeps_the_rest);
	tcase_add_test(tc, test_message_replace_nothing);
	suite_add_tcase(s, tc);
	return rg_test_run(s);
}
