/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-glib/json-glib.h>
#include <string.h>

#include "rcptguard.h"
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

	rg_verdict_add_reason(v, "first-contact", RG_LEVEL_NOTICE, 25, NULL, g_strdup("low"));
	rg_verdict_add_reason(
	    v, "confusable", RG_LEVEL_BLOCK, 95, "army.mil", g_strdup("high \"q\""));
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

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, test_report_json_members);
	tcase_add_test(tc, test_report_json_null_suggestion_no_ascii);
	tcase_add_test(tc, test_report_levels);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(report_suite());
}
