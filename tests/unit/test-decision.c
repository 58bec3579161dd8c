/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the user decided, as a front end hands it to the session or reads it from a helper. */
#include <string.h>

#include "rcptguard.h"
#include "rg-test.h"

START_TEST(test_decision_json_round_trip)
{
	const RgDecisionKind kinds[] = {
	    RG_DECISION_EDIT, RG_DECISION_SEND, RG_DECISION_SEND_CORRECTED};

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autoptr(RgDecision) d = rg_decision_new(kinds[i]);
		g_autoptr(RgDecision) back = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree char *a = NULL;
		g_autofree char *b = NULL;

		if (kinds[i] == RG_DECISION_SEND_CORRECTED)
			rg_decision_add_replacement(d, "gen@army.ml", "gen@army.mil");
		if (kinds[i] != RG_DECISION_EDIT)
			rg_decision_add_trusted(d, "partner.example");
		a = rg_decision_to_json(d);
		back = rg_decision_new_from_json(a, &error);
		ck_assert_msg(back != NULL, "%s: %s", a, error != NULL ? error->message : "");
		ck_assert_int_eq(rg_decision_get_kind(back), kinds[i]);
		b = rg_decision_to_json(back);
		ck_assert_str_eq(a, b);
	}
}
END_TEST

START_TEST(test_decision_json_what_the_helper_prints)
{
	g_autoptr(RgDecision) d = rg_decision_new_from_json(
	    "{\"decision\":\"send-corrected\",\"replacements\":{\"a@x.ml\":\"a@x.mil\"},"
	    "\"trusted\":[\"b@y.org\"]}",
	    NULL);
	const char *const *trusted;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(rg_decision_get_kind(d), RG_DECISION_SEND_CORRECTED);
	ck_assert_str_eq(g_hash_table_lookup(rg_decision_get_replacements(d), "a@x.ml"), "a@x.mil");
	trusted = rg_decision_get_trusted(d);
	ck_assert_str_eq(trusted[0], "b@y.org");
	ck_assert_ptr_null(trusted[1]);
	ck_assert_str_eq(rg_decision_kind_to_string(RG_DECISION_SEND), "send");
}
END_TEST

START_TEST(test_decision_json_bad)
{
	const char *bad[] = {
	    "",
	    "[]",
	    "{}",
	    "{\"decision\":\"maybe\"}",
	    "{\"decision\":\"send\",\"replacements\":[]}",
	    "{\"decision\":\"send\",\"replacements\":{\"a@x.ml\":1}}",
	    "{\"decision\":\"send\",\"trusted\":{}}",
	    "{\"decision\":\"send\",\"trusted\":[null]}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RgDecision) d = rg_decision_new_from_json(bad[i], &error);
		ck_assert_msg(d == NULL, "accepted: %s", bad[i]);
		ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
	}
}
END_TEST

static Suite *
decision_suite(void)
{
	Suite *s = suite_create("decision");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, test_decision_json_round_trip);
	tcase_add_test(tc, test_decision_json_what_the_helper_prints);
	tcase_add_test(tc, test_decision_json_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(decision_suite());
}
