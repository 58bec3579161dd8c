/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "rcptguard.h"
#include "rg-policy-private.h"
#include "rg-test.h"

static char *
write_tmp(const char *contents, char **dir_out)
{
	g_autofree char *dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	char *path = g_build_filename(dir, "policy.conf", NULL);
	ck_assert(g_file_set_contents(path, contents, -1, NULL));
	*dir_out = g_steal_pointer(&dir);
	return path;
}

START_TEST(test_policy_dot_boundary)
{
	ck_assert(rg_domain_matches_rule("example.com", "example.com"));
	ck_assert(rg_domain_matches_rule("mail.example.com", "example.com"));
	ck_assert(!rg_domain_matches_rule("notexample.com", "example.com"));
	ck_assert(!rg_domain_matches_rule("example.com.evil", "example.com"));
	ck_assert(rg_domain_matches_rule("army.ml", "ml"));
	ck_assert(!rg_domain_matches_rule("army.mil", "ml"));
}
END_TEST

START_TEST(test_policy_load_rules)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *path = rg_test_data_path("policy-mil.conf");
	g_autoptr(GError) error = NULL;

	ck_assert_msg(rg_policy_load_file(p, path, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
	ck_assert_ptr_nonnull(rg_policy_match_protected(p, "hq.army.mil"));
	ck_assert_ptr_null(rg_policy_match_protected(p, "notarmy.mil"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "anything.ml"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "evil.org"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "army.mil"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, "x", "partner.org"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, "Ally", "friends.org"));
	ck_assert_ptr_null(rg_policy_match_trusted(p, "other", "friends.org"));
}
END_TEST

START_TEST(test_policy_bad_values_are_problems)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = write_tmp(
	    "[policy]\nprotected-domains=army.mil;bad domain;*.x*y\nfrobnicate=1\n", &dir);
	g_autoptr(RgPolicy) p = rg_policy_new();
	GPtrArray *problems;

	ck_assert(rg_policy_load_file(p, path, NULL));
	problems = rg_policy_get_problems(p);
	ck_assert_uint_eq(problems->len, 3);
	/* the good entry still applies */
	ck_assert_ptr_nonnull(rg_policy_match_protected(p, "army.mil"));
}
END_TEST

START_TEST(test_policy_not_a_key_file)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = write_tmp("this is not [a key file\n", &dir);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;

	ck_assert(!rg_policy_load_file(p, path, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY));
}
END_TEST

START_TEST(test_policy_missing_file)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;
	ck_assert(!rg_policy_load_file(p, "/nonexistent/policy.conf", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_NOT_FOUND));
}
END_TEST

START_TEST(test_policy_system_dirs)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	/* XDG_CONFIG_DIRS points into the build tree in the test environment: nothing there */
	ck_assert(rg_policy_load_system(p, NULL));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "army.ml"));
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_policy_dot_boundary);
	tcase_add_test(tc, test_policy_load_rules);
	tcase_add_test(tc, test_policy_bad_values_are_problems);
	tcase_add_test(tc, test_policy_not_a_key_file);
	tcase_add_test(tc, test_policy_missing_file);
	tcase_add_test(tc, test_policy_system_dirs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(policy_suite());
}
