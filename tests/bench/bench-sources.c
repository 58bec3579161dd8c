/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The imports of mail read without notmuch, in this process (bench-sources.py runs it and
 * prints the table):
 *   bench-sources mbox DATA_HOME FILE USER       an mbox file
 *   bench-sources maildir DATA_HOME DIR USER     a Maildir folder
 *   bench-sources mh DATA_HOME DIR USER          an MH folder (Claws Mail's Sent, as its plugin
 *                                                has the core read it)
 *   bench-sources feed DATA_HOME N USER          N messages handed over as a mail client does
 * Each prints one JSON line: the first read (wall and CPU time, the peak memory it added),
 * and a refresh with nothing new (median and maximum of 20). */
#include <glib/gstdio.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <utime.h>

#include "rg-bench.h"

#define RG_BENCH_REFRESHES 20

static double
cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static RgImportSource *
make_source(const char *kind, const char *what, const char *user)
{
	RgImportSource *source;

	if (strcmp(kind, "mbox") == 0) {
		source = rg_import_source_new_mbox(what);
	} else if (strcmp(kind, "maildir") == 0) {
		source = rg_import_source_new_maildir(what);
	} else if (strcmp(kind, "mh") == 0) {
		source = rg_import_source_new_mh(what);
		rg_import_source_set_record(source, "claws-folder", "#mh/Mailbox/sent", "sent");
	} else {
		guint n = (guint)g_ascii_strtoull(what, NULL, 10);
		source = rg_import_source_new_feed("bench-folder", "Sent", "Sent (bench)");
		for (guint i = 0; i < n; i++) {
			g_autofree char *id = g_strdup_printf("%u.feed@bench", i);
			g_autofree char *to = g_strdup_printf("Person %u <p%u@org%u.example>, "
			                                      "Other <o%u@provider%u.example>",
			                                      i,
			                                      i % 5000,
			                                      i % 1500,
			                                      i % 700,
			                                      i % 6);
			rg_import_source_add_message(source, id, user, to, 1700000000 + i);
		}
		rg_import_source_set_state(source, "last=bench");
	}
	rg_import_source_add_identity(source, user);
	return source;
}

/* a file or directory an hour old: unchanged for a while, as a real Sent folder is */
static void
age(const char *path)
{
	struct utimbuf t;
	t.actime = t.modtime = g_get_real_time() / G_USEC_PER_SEC - 3600;
	utime(path, &t);
}

static gboolean
import(RgSession *session, RgImportSource *source, RgImportResult *res)
{
	g_autoptr(GError) error = NULL;
	if (!rg_session_import(session, source, NULL, NULL, NULL, res, &error)) {
		g_printerr("bench-sources: %s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(RgEnvironment) env = NULL;
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(GArray) refresh = g_array_new(FALSE, FALSE, sizeof(gint64));
	RgImportResult res = {0};
	gint64 rss0, t0, dt;
	double cpu0, cpu;

	if (argc != 5) {
		g_printerr("usage: bench-sources mbox|maildir|mh|feed DATA_HOME WHAT USER\n");
		return 2;
	}
	env = rg_environment_new_empty();
	rg_environment_set_data_home(env, argv[2]);
	session = rg_session_new_for_environment(env);
	if (!rg_session_load_policy(session, NULL))
		return 1;
	if (strcmp(argv[1], "feed") != 0) {
		g_autofree char *cur = g_build_filename(argv[3], "cur", NULL);
		g_autofree char *new = g_build_filename(argv[3], "new", NULL);
		age(argv[3]);
		age(cur);
		age(new);
	}
	rss0 = rg_bench_proc_status_kb("VmRSS");
	source = make_source(argv[1], argv[3], argv[4]);
	cpu0 = cpu_seconds();
	t0 = g_get_monotonic_time();
	if (!import(session, source, &res))
		return 1;
	dt = g_get_monotonic_time() - t0;
	cpu = cpu_seconds() - cpu0;
	printf("{\"kind\": \"%s\", \"messages\": %u, \"sent\": %u, \"first_s\": %.3f, "
	       "\"first_cpu_s\": %.3f, \"peak_mb\": %.1f",
	       argv[1],
	       res.n_messages,
	       res.n_sent,
	       dt / 1e6,
	       cpu,
	       (rg_bench_proc_status_kb("VmHWM") - rss0) / 1024.0);
	for (guint i = 0; i < RG_BENCH_REFRESHES; i++) {
		g_autoptr(RgImportSource) again =
		    strcmp(argv[1], "feed") == 0 ? NULL : make_source(argv[1], argv[3], argv[4]);
		RgImportResult r = {0};
		gint64 t;

		/* a mail client that finds nothing new hands nothing over and imports nothing:
		 * what it costs is reading the sources' records */
		t = g_get_monotonic_time();
		if (again != NULL) {
			if (!import(session, again, &r))
				return 1;
		} else {
			g_autoptr(GPtrArray) records = rg_session_list_sources(session, NULL);
			if (records == NULL)
				return 1;
		}
		t = g_get_monotonic_time() - t;
		if (r.n_messages != 0) {
			g_printerr("bench-sources: a refresh read %u messages\n", r.n_messages);
			return 1;
		}
		g_array_append_val(refresh, t);
	}
	g_array_sort(refresh, rg_bench_compare_gint64);
	printf(", \"refresh_median_ms\": %.2f, \"refresh_max_ms\": %.2f}\n",
	       g_array_index(refresh, gint64, RG_BENCH_REFRESHES / 2) / 1000.0,
	       g_array_index(refresh, gint64, RG_BENCH_REFRESHES - 1) / 1000.0);
	return 0;
}
