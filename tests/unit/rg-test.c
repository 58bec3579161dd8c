/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rg-test.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

char *
rg_test_data_path(const char *name)
{
	const char *dir = g_getenv("RG_TEST_DATA");
	ck_assert_msg(dir != NULL, "RG_TEST_DATA is not set; run the tests through meson");
	return g_build_filename(dir, name, NULL);
}

GPtrArray *
rg_test_load_table(const char *name, guint min_fields)
{
	g_autofree char *path = rg_test_data_path(name);
	g_autofree char *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

	ck_assert_msg(g_file_get_contents(path, &contents, NULL, &error),
	              "cannot read %s: %s",
	              path,
	              error != NULL ? error->message : "?");
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 1; lines[i] != NULL; i++) {
		char **fields;
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		fields = g_strsplit(lines[i], "\t", -1);
		ck_assert_msg(g_strv_length(fields) >= min_fields,
		              "%s:%u: expected %u fields, got %u",
		              name,
		              i + 1,
		              min_fields,
		              g_strv_length(fields));
		g_ptr_array_add(rows, fields);
	}
	ck_assert_msg(rows->len > 0, "%s has no rows", name);
	return rows;
}

guint
rg_test_decision_log_count(const char *path, const char *choice, const char *address)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	guint n = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = NULL;
		if (lines[i][0] == '\0')
			continue;
		f = g_strsplit(lines[i], "\t", -1);
		ck_assert_msg(
		    g_strv_length(f) == 5, "%s: not a decision-log line: %s", path, lines[i]);
		if ((choice == NULL || strcmp(f[1], choice) == 0) &&
		    (address == NULL || strcmp(f[3], address) == 0))
			n++;
	}
	return n;
}

void
rg_test_remove_tree(const char *dir)
{
	g_autofree char *cmd = NULL;
	g_autofree char *quoted = NULL;

	if (dir == NULL)
		return;
	quoted = g_shell_quote(dir);
	cmd = g_strdup_printf("rm -rf %s", quoted);
	ck_assert_int_eq(system(cmd), 0);
}

int
rg_test_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void
rg_run_clear(RgRun *r)
{
	g_clear_pointer(&r->out, g_free);
	g_clear_pointer(&r->err, g_free);
}

void
rg_run_finish(GSubprocess *proc, const char *stdin_text, RgRun *r)
{
	rg_run_finish_len(proc,
	                  stdin_text != NULL ? stdin_text : "",
	                  stdin_text != NULL ? strlen(stdin_text) : 0,
	                  r);
}

void
rg_run_finish_len(GSubprocess *proc, const char *stdin_data, gsize len, RgRun *r)
{
	g_autoptr(GBytes) in = g_bytes_new(stdin_data, len);
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) err = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert_msg(g_subprocess_communicate(proc, in, NULL, &out, &err, &error),
	              "%s",
	              error != NULL ? error->message : "");
	ck_assert(g_subprocess_get_if_exited(proc));
	r->status = g_subprocess_get_exit_status(proc);
	/* an empty GBytes has NULL data */
	r->out = g_strndup(g_bytes_get_size(out) ? g_bytes_get_data(out, NULL) : "",
	                   g_bytes_get_size(out));
	r->err = g_strndup(g_bytes_get_size(err) ? g_bytes_get_data(err, NULL) : "",
	                   g_bytes_get_size(err));
}

gboolean
rg_test_have_german(void)
{
	g_autofree char *saved = g_strdup(setlocale(LC_ALL, NULL));
	gboolean have = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;

	setlocale(LC_ALL, saved);
	if (!have) {
		ck_assert_msg(g_getenv("CI") == NULL, "the de_DE.UTF-8 locale is missing");
		g_printerr("SKIP: no de_DE.UTF-8 locale (locale-gen de_DE.UTF-8)\n");
	}
	return have;
}

gboolean
rg_test_german_children(void)
{
	if (!rg_test_have_german())
		return FALSE;
	g_setenv("LC_ALL", "de_DE.UTF-8", TRUE);
	g_setenv("LANGUAGE", "de", TRUE);
	return TRUE;
}
