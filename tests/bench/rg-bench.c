/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rg-bench.h"

#include <string.h>

gint64
rg_bench_proc_status_kb(const char *key)
{
	g_autofree char *status = NULL;
	const char *p;

	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	p = strstr(status, key);
	if (p == NULL)
		return -1;
	return g_ascii_strtoll(p + strlen(key) + 1, NULL, 10);
}

int
rg_bench_compare_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

gint64
rg_bench_time_process(const char *const *argv, char **out)
{
	g_autoptr(GError) error = NULL;
	gint64 t0 = g_get_monotonic_time();
	int status = 0;

	if (!g_spawn_sync(NULL,
	                  (char **)argv,
	                  NULL,
	                  G_SPAWN_DEFAULT,
	                  NULL,
	                  NULL,
	                  out,
	                  NULL,
	                  &status,
	                  &error) ||
	    !g_spawn_check_wait_status(status, &error))
		g_error("%s %s: %s", argv[0], argv[1] != NULL ? argv[1] : "", error->message);
	return g_get_monotonic_time() - t0;
}
