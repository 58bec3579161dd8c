/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* helpers shared by the benchmarks */

/* a "Key:" figure of /proc/self/status in kB (VmRSS, VmHWM), or -1 */
gint64 rg_bench_proc_status_kb(const char *key);
/* for qsort() over gint64 */
int rg_bench_compare_gint64(gconstpointer a, gconstpointer b);
/* the wall time of running @argv to its end, in microseconds; @out (nullable) gets its
 * standard output. A failure to run it, or an exit status other than 0, aborts. */
gint64 rg_bench_time_process(const char *const *argv, char **out);
