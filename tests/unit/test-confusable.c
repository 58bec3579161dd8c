/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rcptguard.h"
#include "rg-confusable.h"
#include "rg-test.h"

START_TEST(test_confusable_table)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("confusable.tsv", 4);
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);

	ck_assert_ptr_nonnull(conf);
	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		g_autofree char *fa = rg_confusable_fold(conf, f[0]);
		g_autofree char *fb = rg_confusable_fold(conf, f[1]);
		ck_assert_ptr_nonnull(fa);
		ck_assert_ptr_nonnull(fb);
		ck_assert_msg((g_strcmp0(fa, fb) == 0) == (f[2][0] == '1'),
		              "%s (%s) vs %s (%s): expected same=%s",
		              f[0],
		              fa,
		              f[1],
		              fb,
		              f[2]);
		ck_assert_msg(rg_confusable_is_mixed_script(conf, f[0]) == (f[3][0] == '1'),
		              "%s: mixed script should be %s",
		              f[0],
		              f[3]);
	}
}
END_TEST

START_TEST(test_confusable_skeleton_is_tr39)
{
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);
	g_autofree char *a = rg_confusable_skeleton(conf, "аrmy");
	g_autofree char *b = rg_confusable_skeleton(conf, "army");
	g_autofree char *c = rg_confusable_skeleton(conf, "àrmy");
	ck_assert_str_eq(a, b);
	/* an accent is not a TR39 confusable; only the looser fold removes it */
	ck_assert_str_ne(c, b);
}
END_TEST

static Suite *
confusable_suite(void)
{
	Suite *s = suite_create("confusable");
	TCase *tc = tcase_create("skeleton");
	tcase_add_test(tc, test_confusable_table);
	tcase_add_test(tc, test_confusable_skeleton_is_tr39);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(confusable_suite());
}
