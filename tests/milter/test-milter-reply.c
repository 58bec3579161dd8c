/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What rcptguard-milter hands the MTA: the reply text fits libmilter and SMTP (ASCII, one
 * line, '%' doubled, at most 980 bytes, cut at a word), envelope arguments lose their
 * brackets and source routes, the quarantine reason fits what Postfix keeps and the
 * X-Rcptguard header names no recipient. */
#include <string.h>

#include "rg-milter.h"
#include "rg-test.h"

static gboolean
is_one_ascii_line(const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
			return FALSE;
	}
	return TRUE;
}

/* the text as the MTA shows it: libmilter's doubling of '%' undone, as Postfix does */
static char *
undouble(const char *s)
{
	GString *out = g_string_new(NULL);
	for (const char *p = s; *p != '\0'; p++) {
		g_string_append_c(out, *p);
		if (*p == '%') {
			ck_assert_msg(p[1] == '%', "a single %% in %s", s);
			p++;
		}
	}
	return g_string_free(out, FALSE);
}

START_TEST(test_milter_reply_plain)
{
	g_autofree char *t = rg_milter_reply_text(
	    "gen.smith@army.ml: “.ml” is the country domain of Mali. Did you mean "
	    "gen.smith@army.mil?",
	    RG_MILTER_REPLY_MAX);

	ck_assert_str_eq(t,
	                 "gen.smith@army.ml: \".ml\" is the country domain of Mali. Did you "
	                 "mean gen.smith@army.mil?");
}
END_TEST

START_TEST(test_milter_reply_escapes_and_lines)
{
	g_autofree char *t =
	    rg_milter_reply_text("100% a%b@x.ml\r\nis wrong\tnow\x01!", RG_MILTER_REPLY_MAX);
	g_autofree char *shown = undouble(t);

	ck_assert_str_eq(t, "100%% a%%b@x.ml  is wrong now !");
	ck_assert_str_eq(shown, "100% a%b@x.ml  is wrong now !");
	ck_assert(is_one_ascii_line(t));
}
END_TEST

START_TEST(test_milter_reply_not_utf8)
{
	g_autofree char *t = rg_milter_reply_text("bad \xff\xfe bytes and Ünïcödé", 100);

	ck_assert(is_one_ascii_line(t));
	ck_assert(g_str_has_prefix(t, "bad "));
	ck_assert(g_str_has_suffix(t, " bytes and Unicode"));
}
END_TEST

/* every language's quotation marks become plain ones, and the letters follow the rules of
 * the reply's language: German umlauts keep their sound */
START_TEST(test_milter_reply_language)
{
	g_autofree char *de = NULL;
	g_autofree char *fr = NULL;

	rg_milter_set_reply_language("de");
	de = rg_milter_reply_text("„.ml“ ist die Länderdomain von Mali. Meinten Sie "
	                          "gen.smith@army.mil?",
	                          RG_MILTER_REPLY_MAX);
	ck_assert_str_eq(de,
	                 "\".ml\" ist die Laenderdomain von Mali. Meinten Sie gen.smith@army.mil?");
	rg_milter_set_reply_language("fr");
	fr = rg_milter_reply_text("«\u00a0.ml\u00a0» est à une lettre de ‹.mil›",
	                          RG_MILTER_REPLY_MAX);
	ck_assert(is_one_ascii_line(fr));
	ck_assert_str_eq(fr, "\" .ml \" est a une lettre de \".mil\"");
	rg_milter_set_reply_language(NULL);
}
END_TEST

/* at the limit and beyond, with escapes anywhere: never more than the limit, never a split
 * escape, cut at a space */
START_TEST(test_milter_reply_limit)
{
	for (guint n = 900; n < 2100; n += 7) {
		g_autoptr(GString) in = g_string_new(NULL);
		g_autofree char *t = NULL;
		g_autofree char *shown = NULL;
		while (in->len < n)
			g_string_append(in, in->len % 11 == 0 ? "50% " : "word ");
		t = rg_milter_reply_text(in->str, RG_MILTER_REPLY_MAX);
		ck_assert_uint_le(strlen(t), RG_MILTER_REPLY_MAX);
		ck_assert(is_one_ascii_line(t));
		shown = undouble(t);
		if (g_str_has_suffix(t, "...")) {
			/* what is left is the start of the text, up to a space */
			shown[strlen(shown) - 3] = '\0';
			ck_assert(g_str_has_prefix(in->str, shown));
			ck_assert(in->str[strlen(shown)] == ' ');
			ck_assert_uint_gt(strlen(t), RG_MILTER_REPLY_MAX - 20);
		} else {
			ck_assert_str_eq(shown, in->str);
		}
	}
	{
		/* exactly the limit is kept whole */
		g_autofree char *exact = g_strnfill(RG_MILTER_REPLY_MAX, 'x');
		g_autofree char *t = rg_milter_reply_text(exact, RG_MILTER_REPLY_MAX);
		ck_assert_str_eq(t, exact);
	}
}
END_TEST

START_TEST(test_milter_envelope_address)
{
	const char *rows[][2] = {
	    {"<gen.smith@army.ml>", "gen.smith@army.ml"},
	    {"gen.smith@army.ml", "gen.smith@army.ml"},
	    {" <a@b.org> ", "a@b.org"},
	    {"<@relay.example,@r2.example:user@host.example>", "user@host.example"},
	    {"<>", ""},
	    {"", ""},
	    {"<", "<"},
	    {"<\"john doe\"@example.org>", "\"john doe\"@example.org"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = rg_milter_envelope_address(rows[i][0]);
		ck_assert_str_eq(got, rows[i][1]);
	}
	{
		g_autofree char *got = rg_milter_envelope_address(NULL);
		ck_assert_str_eq(got, "");
	}
}
END_TEST

/* verdicts as the server gives them, from a server with a policy in a file */
static GPtrArray *
flagged_verdicts(const char *const *rcpts, const char *policy_text)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgServer) server = NULL;
	g_autofree char *dir = g_dir_make_tmp("rg-milter-XXXXXX", NULL);
	g_autofree char *policy = g_build_filename(dir, "policy.conf", NULL);
	GPtrArray *verdicts = g_ptr_array_new_with_free_func(g_object_unref);

	ck_assert(g_file_set_contents(policy, policy_text, -1, NULL));
	session = rg_session_new_for_environment(env);
	rg_session_set_policy_file(session, policy);
	ck_assert(rg_session_load_policy(session, NULL));
	server = rg_server_new(session);
	for (guint i = 0; rcpts[i] != NULL; i++) {
		const char *one[] = {rcpts[i], NULL};
		g_ptr_array_add(verdicts, rg_server_check(server, "alice", one));
	}
	rg_test_remove_tree(dir);
	return verdicts;
}

START_TEST(test_milter_tag_names_no_recipient)
{
	const char *rcpts[] = {"gen.smith@army.ml", "x@armmy.mil", "bcc.secret@army.ml", NULL};
	g_autoptr(GPtrArray) v = flagged_verdicts(
	    rcpts, "[policy]\nprotected-domains=army.mil\nserver-action-warn=tag\n");
	g_autofree char *value = rg_milter_tag_value(v);

	ck_assert_str_eq(value, "warn; reasons=tld-typo,lookalike; recipients=3");
	ck_assert_ptr_null(strstr(value, "@"));
}
END_TEST

START_TEST(test_milter_quarantine_reason)
{
	const char *one[] = {"gen.smith@army.ml", NULL};
	const char *many[] = {"a.very.long.local.part.indeed@army.ml",
	                      "another.long.local.part.here@army.ml",
	                      "and.a.third.one@army.ml",
	                      NULL};
	const char *policy = "[policy]\nprotected-domains=army.mil\nserver-action-warn=hold\n";
	g_autoptr(GPtrArray) v1 = flagged_verdicts(one, policy);
	g_autoptr(GPtrArray) v3 = flagged_verdicts(many, policy);
	g_autofree char *r1 = rg_milter_quarantine_reason(v1);
	g_autofree char *r3 = rg_milter_quarantine_reason(v3);

	ck_assert_str_eq(r1, "rcptguard: gen.smith@army.ml (tld-typo)");
	ck_assert_uint_le(strlen(r3), RG_MILTER_QUARANTINE_MAX);
	ck_assert(
	    g_str_has_prefix(r3, "rcptguard: a.very.long.local.part.indeed@army.ml (tld-typo), "));
	ck_assert(g_str_has_suffix(r3, "..."));
	ck_assert(is_one_ascii_line(r3));
}
END_TEST

static Suite *
milter_reply_suite(void)
{
	Suite *s = suite_create("milter-reply");
	TCase *tc = tcase_create("reply");
	tcase_add_test(tc, test_milter_reply_plain);
	tcase_add_test(tc, test_milter_reply_escapes_and_lines);
	tcase_add_test(tc, test_milter_reply_not_utf8);
	tcase_add_test(tc, test_milter_reply_language);
	tcase_add_test(tc, test_milter_reply_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("envelope");
	tcase_add_test(tc, test_milter_envelope_address);
	suite_add_tcase(s, tc);
	tc = tcase_create("message");
	tcase_add_test(tc, test_milter_tag_names_no_recipient);
	tcase_add_test(tc, test_milter_quarantine_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(milter_reply_suite());
}
