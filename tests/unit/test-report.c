/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-glib/json-glib.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-address-private.h"
#include "rg-reasons.h"
#include "rg-report-private.h"
#include "rg-test.h"

START_TEST(test_report_json_members)
{
	g_autoptr(RgAddress) addr = rg_address_parse("Gen <gen.smith@аrmy.mil>", NULL);
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *json = NULL;
	JsonObject *o;
	JsonArray *reasons;

	rg_verdict_add_reason(
	    v, RG_REASON_FIRST_CONTACT, RG_LEVEL_NOTICE, 25, NULL, g_strdup("low"));
	rg_verdict_add_reason(
	    v, RG_REASON_CONFUSABLE, RG_LEVEL_BLOCK, 95, "army.mil", g_strdup("high \"q\""));
	rg_verdict_set_score(v, 95);
	rg_verdict_set_level(v, RG_LEVEL_BLOCK);
	rg_verdict_set_suggestion(v, "gen.smith@army.mil");
	json = rg_verdict_to_json(v);
	ck_assert_ptr_null(strchr(json, '\n'));
	ck_assert(json_parser_load_from_data(parser, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(parser));
	ck_assert_str_eq(json_object_get_string_member(o, "input"), "Gen <gen.smith@аrmy.mil>");
	ck_assert_str_eq(json_object_get_string_member(o, "address"), "gen.smith@аrmy.mil");
	ck_assert_str_eq(json_object_get_string_member(o, "domain"), "аrmy.mil");
	ck_assert_str_eq(json_object_get_string_member(o, "ascii"), "xn--rmy-5cd.mil");
	ck_assert_str_eq(json_object_get_string_member(o, "level"), "block");
	ck_assert_int_eq(json_object_get_int_member(o, "score"), 95);
	ck_assert_str_eq(json_object_get_string_member(o, "suggestion"), "gen.smith@army.mil");
	reasons = json_object_get_array_member(o, "reasons");
	ck_assert_uint_eq(json_array_get_length(reasons), 2);
	/* most serious first */
	ck_assert_str_eq(
	    json_object_get_string_member(json_array_get_object_element(reasons, 0), "code"),
	    "confusable");
	ck_assert_str_eq(
	    json_object_get_string_member(json_array_get_object_element(reasons, 0), "message"),
	    "high \"q\"");
	/* the title comes from the reason table */
	ck_assert_str_eq(
	    json_object_get_string_member(json_array_get_object_element(reasons, 0), "title"),
	    rg_reason_info(RG_REASON_CONFUSABLE)->title);
}
END_TEST

START_TEST(test_report_json_null_suggestion_no_ascii)
{
	g_autoptr(RgAddress) addr = rg_address_parse("a@example.org", NULL);
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *json = rg_verdict_to_json(v);
	JsonObject *o;

	ck_assert(json_parser_load_from_data(parser, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(parser));
	ck_assert(json_object_get_null_member(o, "suggestion"));
	ck_assert(!json_object_has_member(o, "ascii"));
	ck_assert_str_eq(json_object_get_string_member(o, "level"), "ok");
}
END_TEST

/* the format, to the byte: the members in order, no spaces, null for no suggestion */
START_TEST(test_report_json_exact)
{
	g_autoptr(RgAddress) addr = rg_address_parse("a@example.org", NULL);
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autofree char *plain = rg_verdict_to_json(v);
	g_autofree char *flagged = NULL;

	ck_assert_str_eq(plain,
	                 "{\"input\":\"a@example.org\",\"address\":\"a@example.org\",\"domain\":"
	                 "\"example.org\",\"level\":\"ok\",\"score\":0,\"reasons\":[],"
	                 "\"suggestion\":null}");
	rg_verdict_add_reason(v, RG_REASON_FIRST_CONTACT, RG_LEVEL_NOTICE, 25, NULL, g_strdup("m"));
	rg_verdict_set_score(v, 25);
	rg_verdict_set_level(v, RG_LEVEL_NOTICE);
	rg_verdict_set_suggestion(v, "b@example.org");
	rg_verdict_set_trust_warning(v, g_strdup("t"));
	flagged = rg_verdict_to_json(v);
	ck_assert_str_eq(
	    flagged,
	    "{\"input\":\"a@example.org\",\"address\":\"a@example.org\",\"domain\":\"example.org\","
	    "\"level\":\"notice\",\"score\":25,\"reasons\":[{\"code\":\"first-contact\",\"title\":"
	    "\"First message to this domain\",\"message\":\"m\",\"level\":\"notice\"}],"
	    "\"suggestion\":"
	    "\"b@example.org\",\"trust_warning\":\"t\"}");
}
END_TEST

/* every byte class, as a reason's message, the suggestion and the trust warning */
static char *
json_byte_classes(void)
{
	/* hidden ones (escaped), visible ones outside ASCII (kept), outside the BMP both */
	static const gunichar wide[] = {
	    0x80,   0x9F,    0xA0,    0xAD,    0xE9,    0x300,   0x115F,   0x200B,   0x200D,
	    0x2028, 0x2029,  0x202E,  0x2066,  0x3164,  0xFEFF,  0xFFA0,   0xFFFD,   0x4E2D,
	    0xFFFF, 0x10000, 0x1F600, 0xE0001, 0xE0041, 0xE007F, 0x10FFFD, 0x10FFFF,
	};
	GString *s = g_string_new(NULL);

	/* every ASCII byte but NUL: controls, the quote, the backslash, the slash, DEL */
	for (guint b = 1; b < 0x80; b++)
		g_string_append_c(s, (char)b);
	for (guint i = 0; i < G_N_ELEMENTS(wide); i++)
		g_string_append_unichar(s, wide[i]);
	g_string_append(s, "\\\"\\u0041\"\\");
	return g_string_free(s, FALSE);
}

START_TEST(test_report_json_round_trip)
{
	g_autoptr(RgAddress) addr = rg_address_parse("a@example.org", NULL);
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *text = json_byte_classes();
	g_autofree char *json = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *o;
	JsonObject *reason;

	rg_verdict_add_reason(
	    v, RG_REASON_HIDDEN_CHARACTER, RG_LEVEL_WARN, 70, NULL, g_strdup(text));
	rg_verdict_set_suggestion(v, text);
	rg_verdict_set_trust_warning(v, g_strdup(text));
	json = rg_verdict_to_json(v);
	/* what JSON and a terminal need escaped is: no control character and nothing hidden
	 * is left as it is */
	ck_assert(g_utf8_validate(json, -1, NULL));
	for (const char *p = json; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		ck_assert_msg(c >= 0x20 && c != 0x7F && !rg_address_char_is_hidden(c),
		              "U+%04X is not escaped in %s",
		              c,
		              json);
	}
	ck_assert_msg(json_parser_load_from_data(parser, json, -1, &error),
	              "%s: %s",
	              error != NULL ? error->message : "",
	              json);
	o = json_node_get_object(json_parser_get_root(parser));
	reason = json_array_get_object_element(json_object_get_array_member(o, "reasons"), 0);
	ck_assert_str_eq(json_object_get_string_member(reason, "message"), text);
	ck_assert_str_eq(json_object_get_string_member(o, "suggestion"), text);
	ck_assert_str_eq(json_object_get_string_member(o, "trust_warning"), text);
	/* a character outside the BMP that is hidden is a surrogate pair; a visible one stays */
	ck_assert_ptr_nonnull(strstr(json, "\\udb40\\udc01"));
	ck_assert_ptr_nonnull(strstr(json, "\xf0\x9f\x98\x80"));
	ck_assert_ptr_nonnull(strstr(json, "\\u001f"));
	ck_assert_ptr_nonnull(strstr(json, "\\u007f"));
	ck_assert_ptr_nonnull(strstr(json, "\\t\\n\\u000b\\f\\r"));
}
END_TEST

/* a byte that is not UTF-8 cannot be spelled in JSON: it is kept as it is, as json-glib's
 * generator kept it, and nothing around it is lost */
START_TEST(test_report_json_invalid_utf8_kept)
{
	g_autoptr(RgAddress) addr = rg_address_parse("a@example.org", NULL);
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autofree char *json = NULL;

	rg_verdict_add_reason(
	    v, RG_REASON_FIRST_CONTACT, RG_LEVEL_NOTICE, 25, NULL, g_strdup("a\xff\"\xc3z\x80"));
	json = rg_verdict_to_json(v);
	ck_assert_ptr_nonnull(strstr(json, "\"message\":\"a\xff\\\"\xc3z\x80\","));
}
END_TEST

START_TEST(test_report_levels)
{
	ck_assert_str_eq(rg_level_to_string(RG_LEVEL_OK), "ok");
	ck_assert_str_eq(rg_level_to_string(RG_LEVEL_NOTICE), "notice");
	ck_assert_str_eq(rg_level_to_string(RG_LEVEL_WARN), "warn");
	ck_assert_str_eq(rg_level_to_string(RG_LEVEL_BLOCK), "block");
	ck_assert_int_eq(rg_level_for_score(0), RG_LEVEL_OK);
	ck_assert_int_eq(rg_level_for_score(25), RG_LEVEL_NOTICE);
	ck_assert_int_eq(rg_level_for_score(50), RG_LEVEL_WARN);
	ck_assert_int_eq(rg_level_for_score(95), RG_LEVEL_BLOCK);
}
END_TEST

/* ------------------------------------------------------------------ the reason table */

static char *
docs_read(const char *name)
{
	g_autofree char *path = g_build_filename(g_getenv("RG_TEST_DOCS"), name, NULL);
	char *text = NULL;
	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
	return text;
}

/* how docs/checks.md writes the levels a reason's score gives */
static char *
levels_text(const RgReasonInfo *info)
{
	if (info->min_level == info->max_level)
		return g_strdup(rg_level_to_string(info->min_level));
	return g_strdup_printf(
	    "%s–%s", rg_level_to_string(info->min_level), rg_level_to_string(info->max_level));
}

START_TEST(test_report_reason_table_matches_checks_doc)
{
	g_autofree char *text = docs_read("checks.md");
	const char *section = strstr(text, "## Reason codes\n");
	g_auto(GStrv) lines = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	ck_assert_ptr_nonnull(section);
	lines = g_strsplit(section, "\n", -1);
	/* | `code` | title | level | when | example | */
	for (guint i = 1; lines[i] != NULL && !g_str_has_prefix(lines[i], "## "); i++) {
		g_auto(GStrv) cells = NULL;
		g_autofree char *code = NULL;
		g_autofree char *levels = NULL;
		const RgReasonInfo *info;

		if (!g_str_has_prefix(lines[i], "| `"))
			continue;
		cells = g_strsplit(lines[i] + 2, " | ", -1);
		ck_assert_uint_ge(g_strv_length(cells), 4);
		code = g_strndup(cells[0] + 1, strlen(cells[0]) - 2);
		info = rg_reason_info_lookup(code);
		ck_assert_msg(
		    info != NULL, "docs/checks.md lists %s, the reason table does not", code);
		ck_assert_msg(g_hash_table_add(seen, (gpointer)info->code),
		              "docs/checks.md lists %s twice",
		              code);
		ck_assert_msg(strcmp(cells[1], info->title) == 0,
		              "%s: docs/checks.md has the title \"%s\", the table \"%s\"",
		              code,
		              cells[1],
		              info->title);
		levels = levels_text(info);
		ck_assert_msg(strcmp(cells[2], levels) == 0,
		              "%s: docs/checks.md says %s, the table %s",
		              code,
		              cells[2],
		              levels);
	}
	for (guint i = 0; i < RG_REASON_N_CODES; i++)
		ck_assert_msg(g_hash_table_contains(seen, rg_reason_info(i)->code),
		              "docs/checks.md does not list %s",
		              rg_reason_info(i)->code);
}
END_TEST

START_TEST(test_report_reason_table_matches_policy_man_page)
{
	g_autofree char *text = docs_read("rcptguard-policy.5");
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const char *const *keys = rg_policy_list_keys();
	guint n_level_keys = 0;

	/* the man page describes each key as ".B level-CODE" in the list of codes */
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], ".B level-") &&
		    strcmp(lines[i], ".B level-CODE") != 0)
			g_hash_table_add(seen, g_strdup(lines[i] + 3));
	}
	for (guint i = 0; i < RG_REASON_N_CODES; i++) {
		const RgReasonInfo *info = rg_reason_info(i);
		ck_assert_msg(g_hash_table_contains(seen, info->policy_key),
		              "rcptguard-policy(5) does not describe %s",
		              info->policy_key);
		ck_assert(g_strv_contains(keys, info->policy_key));
	}
	ck_assert_uint_eq(g_hash_table_size(seen), RG_REASON_N_CODES);
	for (guint i = 0; keys[i] != NULL; i++)
		n_level_keys += g_str_has_prefix(keys[i], "level-") ? 1 : 0;
	ck_assert_uint_eq(n_level_keys, RG_REASON_N_CODES);
}
END_TEST

START_TEST(test_report_reason_codes_and_titles)
{
	const char *const *codes = rg_reason_list_codes();

	ck_assert_uint_eq(g_strv_length((char **)codes), RG_REASON_N_CODES);
	for (guint i = 0; codes[i] != NULL; i++) {
		const RgReasonInfo *info = rg_reason_info_lookup(codes[i]);
		g_autofree char *key = g_strconcat("level-", codes[i], NULL);
		ck_assert_ptr_eq(info, rg_reason_info(i));
		ck_assert_str_eq(info->policy_key, key);
		ck_assert_str_eq(rg_reason_code_get_title(codes[i]), info->title);
		ck_assert_int_le(info->min_level, info->max_level);
		ck_assert_int_ge(info->min_level, RG_LEVEL_NOTICE);
	}
	ck_assert_ptr_null(rg_reason_code_get_title("no-such-code"));
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, test_report_json_members);
	tcase_add_test(tc, test_report_json_null_suggestion_no_ascii);
	tcase_add_test(tc, test_report_json_exact);
	tcase_add_test(tc, test_report_json_round_trip);
	tcase_add_test(tc, test_report_json_invalid_utf8_kept);
	tcase_add_test(tc, test_report_levels);
	suite_add_tcase(s, tc);
	tc = tcase_create("reason-table");
	tcase_add_test(tc, test_report_reason_codes_and_titles);
	tcase_add_test(tc, test_report_reason_table_matches_checks_doc);
	tcase_add_test(tc, test_report_reason_table_matches_policy_man_page);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(report_suite());
}
