/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <gio/gio.h>

/* the path of a file in tests/data */
char *rg_test_data_path(const char *name);

/* parse a tab-separated table from tests/data: rows of fields, '#' lines and the header
 * line (first line) skipped */
GPtrArray *rg_test_load_table(const char *name, guint min_fields);

/* how many lines of the decision log at @path have @choice and @address (%NULL: any); 0
 * when there is no log */
guint rg_test_decision_log_count(const char *path, const char *choice, const char *address);

/* removes @dir and everything below it */
void rg_test_remove_tree(const char *dir);

/* Whether the de_DE.UTF-8 locale exists, for the tests of the translations. Without it the
 * test is to return early: under CI (which generates the locale) that is a failure, elsewhere
 * a SKIP line on stderr. */
gboolean rg_test_have_german(void);
/* the same, and when it is there: LANGUAGE=de LC_ALL=de_DE.UTF-8 for the programs the calling
 * test runs (check forks each test, so nothing leaks into the next) */
gboolean rg_test_german_children(void);

/* run one suite and return the process exit status */
int rg_test_run(Suite *suite);

/* what a child process left: its exit status and everything it printed */
typedef struct {
	int status;
	char *out;
	char *err;
} RgRun;

void rg_run_clear(RgRun *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgRun, rg_run_clear)

/* feed @stdin_text (may be NULL) to @proc, wait for it to exit, keep what it printed */
void rg_run_finish(GSubprocess *proc, const char *stdin_text, RgRun *r);
/* the same with @len bytes of input, which may hold NUL bytes */
void rg_run_finish_len(GSubprocess *proc, const char *stdin_data, gsize len, RgRun *r);
