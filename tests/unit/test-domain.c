/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-domain.h"
#include "rg-lookalike.h"
#include "rg-test.h"

START_TEST(test_domain_suffix_table)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("domain.tsv", 4);
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);

	ck_assert_ptr_nonnull(psl);
	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		gsize off = rg_domains_suffix_offset(psl, f[0]);
		ck_assert_msg(strcmp(f[0] + off, f[1]) == 0,
		              "%s: suffix %s, expected %s",
		              f[0],
		              f[0] + off,
		              f[1]);
		ck_assert_msg(rg_domains_tld_is_known(psl, f[0]) == (f[2][0] == '1'),
		              "%s: tld known should be %s",
		              f[0],
		              f[2]);
		/* libpsl's registrable domain; a suffix on its own is its own */
		{
			g_autofree char *reg = rg_domains_registrable(psl, f[0]);
			ck_assert_msg(strcmp(reg, f[3]) == 0,
			              "%s: registrable %s, expected %s",
			              f[0],
			              reg,
			              f[3]);
		}
	}
}
END_TEST

/* the answers kept per domain are the same whichever is asked first, and the registrable
 * domain is the end of the string the caller passes, not of a copy the cache keeps */
START_TEST(test_domain_facts_kept)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("domain.tsv", 4);
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);

	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = rows->len; i-- > 0;) {
			char **f = g_ptr_array_index(rows, i);
			g_autofree char *copy = g_strdup(f[0]);
			const char *reg = rg_domains_registrable_of(psl, copy);
			ck_assert_msg(reg >= copy && reg < copy + strlen(copy) + 1 &&
			                  strcmp(reg, f[3]) == 0,
			              "%s: registrable %s, expected %s",
			              f[0],
			              reg,
			              f[3]);
			ck_assert_str_eq(copy + rg_domains_suffix_offset(psl, copy), f[1]);
			ck_assert(rg_domains_tld_is_known(psl, copy) == (f[2][0] == '1'));
		}
	}
}
END_TEST

START_TEST(test_domain_split)
{
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);
	g_autofree char *name = NULL, *label = NULL, *suffix = NULL;

	ck_assert(rg_domains_split(psl, "us.navy.mil", &name, &label, &suffix));
	ck_assert_str_eq(name, "us.navy");
	ck_assert_str_eq(label, "navy");
	ck_assert_str_eq(suffix, "mil");
}
END_TEST

START_TEST(test_domain_psl_missing_file)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgDomains) psl = rg_domains_new("/nonexistent/psl.dat", NULL, &error);
	ck_assert_ptr_null(psl);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
}
END_TEST

/* country names read naturally in an English sentence (tests/data/country.tsv) */
START_TEST(test_domain_country_names)
{
	g_autoptr(RgDomains) c = rg_domains_new(NULL, NULL, NULL);
	g_autoptr(GPtrArray) rows = rg_test_load_table("country.tsv", 2);

	ck_assert_ptr_nonnull(c);
	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		g_autofree char *name = rg_domains_country_name(c, f[0]);
		ck_assert_msg(g_strcmp0(name, strcmp(f[1], "-") == 0 ? NULL : f[1]) == 0,
		              "country.tsv: %s: \"%s\", expected \"%s\"",
		              f[0],
		              name,
		              f[1]);
	}
	ck_assert(rg_domain_tld_is_country_code("ml"));
	ck_assert(!rg_domain_tld_is_country_code("mil"));
}
END_TEST

START_TEST(test_domain_country_names_translated)
{
	g_autoptr(RgDomains) c = rg_domains_new(NULL, NULL, NULL);
	g_autofree char *de = NULL;

	/* iso-codes' own translations: the German name of Mali is Mali, of Italy Italien */
	if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
		/* CI generates the locale; elsewhere it may be missing */
		ck_assert_msg(g_getenv("CI") == NULL, "the de_DE.UTF-8 locale is missing");
		return;
	}
	g_setenv("LANGUAGE", "de", TRUE);
	bindtextdomain("iso_3166-1", "/usr/share/locale");
	de = rg_domains_country_name(c, "it");
	ck_assert_str_eq(de, "Italien");
	g_free(de);
	/* no English article in a German sentence */
	de = rg_domains_country_name(c, "uk");
	ck_assert_str_eq(de, "Vereinigtes Königreich");
	g_setenv("LANGUAGE", "", TRUE);
}
END_TEST

START_TEST(test_domain_country_file_broken)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = rg_test_data_path("domain.tsv");
	g_autoptr(RgDomains) c = rg_domains_new(NULL, path, &error);
	ck_assert_ptr_null(c);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
}
END_TEST

static Suite *
domain_suite(void)
{
	Suite *s = suite_create("domain");
	TCase *tc = tcase_create("psl");
	TCase *tc2 = tcase_create("countries");
	tcase_add_test(tc, test_domain_suffix_table);
	tcase_add_test(tc, test_domain_split);
	tcase_add_test(tc, test_domain_facts_kept);
	tcase_add_test(tc, test_domain_psl_missing_file);
	tcase_add_test(tc2, test_domain_country_names);
	tcase_add_test(tc2, test_domain_country_names_translated);
	tcase_add_test(tc2, test_domain_country_file_broken);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tc2);
	return s;
}

int
main(void)
{
	return rg_test_run(domain_suite());
}
