/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rcptguard.h"
#include "rg-history-private.h"
#include "rg-test.h"

START_TEST(test_history_add_and_lookup)
{
	g_autoptr(RgHistory) h = rg_history_new();
	const RgHistoryDomain *d;

	ck_assert(rg_history_add(h, "Gen.Smith@Army.Mil", 3, 1, RG_HISTORY_FLAG_NONE, NULL));
	ck_assert(rg_history_add(h, "gen.smith@army.mil", 2, 0, RG_HISTORY_FLAG_NONE, NULL));
	ck_assert(rg_history_add(h, "j.doe@army.mil", 0, 4, RG_HISTORY_FLAG_NONE, NULL));
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 2);
	ck_assert_uint_eq(rg_history_get_n_domains(h), 1);
	d = rg_history_lookup_domain(h, "army.mil");
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->sent, 5);
	ck_assert_uint_eq(d->received, 5);
	ck_assert_uint_eq(d->n_addresses, 2);
	ck_assert_ptr_nonnull(rg_history_lookup_address(h, "GEN.SMITH", "army.mil"));
	ck_assert_ptr_nonnull(rg_history_domains_for_local_part(h, "j.doe"));
}
END_TEST

START_TEST(test_history_junk_is_not_known)
{
	g_autoptr(RgHistory) h = rg_history_new();
	ck_assert(rg_history_add(h, "spam@army-mil.com", 0, 9, RG_HISTORY_FLAG_JUNK, NULL));
	ck_assert(!rg_history_domain_counts(rg_history_lookup_domain(h, "army-mil.com")));
	/* real evidence later makes it known */
	ck_assert(rg_history_add(h, "friend@army-mil.com", 1, 0, RG_HISTORY_FLAG_NONE, NULL));
	ck_assert(rg_history_domain_counts(rg_history_lookup_domain(h, "army-mil.com")));
}
END_TEST

START_TEST(test_history_bad_address)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(GError) error = NULL;
	ck_assert(!rg_history_add(h, "no-at-sign", 1, 0, RG_HISTORY_FLAG_NONE, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 0);
}
END_TEST

START_TEST(test_history_known_file)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *path = rg_test_data_path("known-army.txt");
	g_autoptr(GError) error = NULL;
	ck_assert_msg(
	    rg_history_load_known_file(h, path, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 10);
}
END_TEST

START_TEST(test_history_known_file_bad_line)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "known.txt", NULL);
	g_autoptr(GError) error = NULL;

	ck_assert(g_file_set_contents(path, "a@b.com\n# comment\n\nbroken line\n", -1, NULL));
	ck_assert(!rg_history_load_known_file(h, path, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
	ck_assert_msg(g_str_has_suffix(error->message, "") && strstr(error->message, ":4:") != NULL,
	              "no line number in: %s",
	              error->message);
	/* nothing half-loaded */
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 0);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_history_known_file_missing)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(GError) error = NULL;
	ck_assert(!rg_history_load_known_file(h, "/nonexistent/known.txt", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
}
END_TEST

START_TEST(test_history_known_file_not_regular)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(GError) error = NULL;
	/* before the bound this read for seconds and tried to allocate 4 GiB */
	ck_assert(!rg_history_load_known_file(h, "/dev/zero", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
	ck_assert_msg(strstr(error->message, "not a regular file") != NULL, "%s", error->message);
	g_clear_error(&error);
	ck_assert(!rg_history_load_known_file(h, "/tmp", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
}
END_TEST

START_TEST(test_history_known_file_too_large)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "known.txt", NULL);
	g_autoptr(GError) error = NULL;
	FILE *f = fopen(path, "w");

	/* sparse: no disk space spent */
	ck_assert(f != NULL);
	ck_assert_int_eq(ftruncate(fileno(f), RG_HISTORY_MAX_KNOWN_FILE + 1), 0);
	fclose(f);
	ck_assert(!rg_history_load_known_file(h, path, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
	ck_assert_msg(strstr(error->message, "too large") != NULL, "%s", error->message);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("memory");
	TCase *tc2 = tcase_create("known-file");
	tcase_add_test(tc, test_history_add_and_lookup);
	tcase_add_test(tc, test_history_junk_is_not_known);
	tcase_add_test(tc, test_history_bad_address);
	tcase_add_test(tc2, test_history_known_file);
	tcase_add_test(tc2, test_history_known_file_bad_line);
	tcase_add_test(tc2, test_history_known_file_missing);
	tcase_add_test(tc2, test_history_known_file_not_regular);
	tcase_add_test(tc2, test_history_known_file_too_large);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tc2);
	return s;
}

int
main(void)
{
	return rg_test_run(history_suite());
}
