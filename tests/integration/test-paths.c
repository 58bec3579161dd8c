/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rg_path_get() in a program linked with the build tree's librcptguard.so: the build tree's
 * directories, where the helper and the compiled knowledge really are, not the installed
 * ones that do not exist yet. */
#include <gmodule.h>
#include <rcptguard.h>
#include <string.h>

#include "rg-test.h"

static const char *rg_build_root;
static const char *rg_data_dir;

START_TEST(test_paths_uninstalled)
{
	g_autofree char *ui = g_build_filename(rg_build_root, "ui", NULL);
	g_autofree char *po = g_build_filename(rg_build_root, "po", NULL);
	g_autofree char *helper = NULL;
	g_autofree char *knowledge = NULL;
	g_autofree char *common = g_build_filename(rg_build_root, "common", NULL);
	g_autofree char *module = NULL;

	/* tests/meson.build sets it for programs with a static copy of the library */
	g_unsetenv("RCPTGUARD_MODULE_DIR");
	ck_assert_str_eq(rg_path_get(RG_PATH_LIBEXECDIR), ui);
	ck_assert_str_eq(rg_path_get(RG_PATH_LOCALEDIR), po);
	ck_assert_str_eq(rg_path_get(RG_PATH_DATADIR), rg_data_dir);
	helper = g_build_filename(rg_path_get(RG_PATH_LIBEXECDIR), "rcptguard-dialog", NULL);
	ck_assert_msg(g_file_test(helper, G_FILE_TEST_IS_EXECUTABLE), "%s is missing", helper);
	knowledge = g_build_filename(rg_path_get(RG_PATH_DATADIR), "knowledge.bin", NULL);
	ck_assert_msg(g_file_test(knowledge, G_FILE_TEST_IS_REGULAR), "%s is missing", knowledge);
	ck_assert_str_eq(rg_path_get(RG_PATH_MODULEDIR), common);
	module = g_build_filename(
	    rg_path_get(RG_PATH_MODULEDIR), "rcptguard-notmuch." G_MODULE_SUFFIX, NULL);
	ck_assert_msg(g_file_test(module, G_FILE_TEST_IS_REGULAR), "%s is missing", module);
}
END_TEST

START_TEST(test_paths_localedir_env)
{
	g_autofree char *po = g_build_filename(rg_build_root, "po", NULL);

	g_setenv("RG_LOCALEDIR", "/nonexistent/locale", TRUE);
	ck_assert_str_eq(rg_path_get(RG_PATH_LOCALEDIR), "/nonexistent/locale");
	g_setenv("RG_LOCALEDIR", "", TRUE);
	ck_assert_str_eq(rg_path_get(RG_PATH_LOCALEDIR), po);
	g_unsetenv("RG_LOCALEDIR");
	ck_assert_str_eq(rg_path_get(RG_PATH_LOCALEDIR), po);
}
END_TEST

static Suite *
paths_suite(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("uninstalled");

	tcase_add_test(tc, test_paths_uninstalled);
	tcase_add_test(tc, test_paths_localedir_env);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		g_printerr("usage: %s BUILD-ROOT DATA-DIR\n", argv[0]);
		return 2;
	}
	rg_build_root = argv[1];
	rg_data_dir = argv[2];
	return rg_test_run(paths_suite());
}
