/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <glib.h>

/* the path of a file in tests/data */
char *rg_test_data_path(const char *name);

/* parse a tab-separated table from tests/data: rows of fields, '#' lines and the header
 * line (first line) skipped */
GPtrArray *rg_test_load_table(const char *name, guint min_fields);

/* run one suite and return the process exit status */
int rg_test_run(Suite *suite);
