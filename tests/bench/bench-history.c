/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Figures for the history store and the notmuch import; bench-history.py drives it.
 *
 *   bench-history import STORE DBPATH CONFIG   first import into a new STORE, then a refresh
 *                                          with nothing changed (median of 20)
 *   bench-history fill STORE N             a store of N synthetic addresses
 *   bench-history load STORE               load it into the in-memory history
 *
 * Each mode prints one JSON object. Nothing here asserts a time. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "rg-bench.h"
#include "rg-history-notmuch.h"
#include "rg-history-private.h"
#include "rg-store-private.h"

static gint64
cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (gint64)ru.ru_utime.tv_sec * G_USEC_PER_SEC + ru.ru_utime.tv_usec +
	       (gint64)ru.ru_stime.tv_sec * G_USEC_PER_SEC + ru.ru_stime.tv_usec;
}

static int
bench_import(const char *store_path, const char *db_path, const char *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgStore) store = NULL;
	RgImportResult res = {0};
	gint64 t0, c0, first_us, first_cpu_us;
	gint64 refresh[20];

	g_unlink(store_path);
	store = rg_store_open(store_path, &error);
	if (store == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	t0 = g_get_monotonic_time();
	c0 = cpu_us();
	if (!rg_history_notmuch_import(store, db_path, config, NULL, NULL, NULL, &res, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	first_us = g_get_monotonic_time() - t0;
	first_cpu_us = cpu_us() - c0;
	g_clear_object(&store);

	/* what a check does on every start: open the store, ask notmuch what changed */
	for (guint i = 0; i < G_N_ELEMENTS(refresh); i++) {
		g_autoptr(RgStore) s = NULL;
		RgImportResult again = {0};
		t0 = g_get_monotonic_time();
		s = rg_store_open(store_path, &error);
		if (s == NULL || !rg_history_notmuch_import(
		                     s, db_path, config, NULL, NULL, NULL, &again, &error)) {
			g_printerr("%s\n", error->message);
			return 1;
		}
		refresh[i] = g_get_monotonic_time() - t0;
		if (again.n_messages != 0) {
			g_printerr("refresh examined %u messages\n", again.n_messages);
			return 1;
		}
	}
	qsort(refresh, G_N_ELEMENTS(refresh), sizeof refresh[0], rg_bench_compare_gint64);
	g_print("{\"first_import_s\": %.3f, \"first_import_cpu_s\": %.3f, \"messages\": %u, "
	        "\"files_read\": %u, \"sent\": %u, "
	        "\"received\": %u, \"refresh_median_ms\": %.2f, \"refresh_max_ms\": %.2f}\n",
	        first_us / 1e6,
	        first_cpu_us / 1e6,
	        res.n_messages,
	        res.n_files_read,
	        res.n_sent,
	        res.n_received,
	        refresh[G_N_ELEMENTS(refresh) / 2] / 1e3,
	        refresh[G_N_ELEMENTS(refresh) - 1] / 1e3);
	return 0;
}

static int
bench_fill(const char *store_path, guint n)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgStore) store = NULL;
	gboolean full = FALSE;
	guint64 since = 0;
	static const char *const words[] = {"alpha",
	                                    "bravo",
	                                    "carlos",
	                                    "delta",
	                                    "echo",
	                                    "fox",
	                                    "golf",
	                                    "hotel",
	                                    "india",
	                                    "julia",
	                                    "kilo",
	                                    "lima"};

	g_unlink(store_path);
	store = rg_store_open(store_path, &error);
	if (store == NULL || !rg_store_import_begin(store, "bench", &full, &since, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	/* about 20 addresses per domain, like a real address book with big providers */
	for (guint i = 0; i < n; i++) {
		g_autofree char *address = g_strdup_printf("%s.%s%u@%s-%u.example",
		                                           words[i % G_N_ELEMENTS(words)],
		                                           words[(i / 12) % G_N_ELEMENTS(words)],
		                                           i,
		                                           words[(i / 7) % G_N_ELEMENTS(words)],
		                                           i / 20);
		g_autofree char *id = g_strdup_printf("<%u@bench>", i);
		const char *addrs[] = {address};
		rg_store_import_message(store,
		                        rg_store_message_key(id),
		                        RG_STORE_MESSAGE_NONE,
		                        i % 3 == 0 ? RG_STORE_MESSAGE_SENT
		                                   : RG_STORE_MESSAGE_RECEIVED,
		                        1700000000 + i,
		                        addrs,
		                        1);
	}
	if (!rg_store_import_commit(store, "/bench", "bench", 1, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	g_print("{\"filled\": %u}\n", n);
	return 0;
}

static int
bench_load(const char *store_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(RgHistory) history = NULL;
	gint64 rss_before, hwm_after, t0, c0, open_us, load_us, load_cpu_us, read_us;
	g_autofree char *bytes = NULL;
	gsize n_bytes = 0;

	/* warm the libraries first, so only the history is measured */
	history = rg_history_new();
	rg_history_add(history, "warm@up.example", 1, 0, RG_HISTORY_FLAG_NONE, NULL);
	g_clear_object(&history);
	/* the baseline: the store file read into memory, page cache warm (the first read warms
	 * it for the load too); what no load can beat */
	if (!g_file_get_contents(store_path, &bytes, &n_bytes, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	g_clear_pointer(&bytes, g_free);
	t0 = g_get_monotonic_time();
	if (!g_file_get_contents(store_path, &bytes, &n_bytes, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	read_us = g_get_monotonic_time() - t0;
	g_clear_pointer(&bytes, g_free);
	rss_before = rg_bench_proc_status_kb("VmRSS:");

	t0 = g_get_monotonic_time();
	store = rg_store_open(store_path, &error);
	if (store == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	open_us = g_get_monotonic_time() - t0;
	history = rg_history_new();
	t0 = g_get_monotonic_time();
	c0 = cpu_us();
	if (!rg_store_load(store, history, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	load_us = g_get_monotonic_time() - t0;
	load_cpu_us = cpu_us() - c0;
	hwm_after = rg_bench_proc_status_kb("VmHWM:");
	g_print("{\"addresses\": %u, \"domains\": %u, \"open_ms\": %.2f, \"load_ms\": %.2f, "
	        "\"load_cpu_ms\": %.2f, \"peak_mb\": %.1f, \"read_ms\": %.2f, \"file_mb\": %.1f}\n",
	        rg_history_get_n_addresses(history),
	        rg_history_get_n_domains(history),
	        open_us / 1e3,
	        load_us / 1e3,
	        load_cpu_us / 1e3,
	        (hwm_after - rss_before) / 1024.0,
	        read_us / 1e3,
	        n_bytes / (1024.0 * 1024.0));
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "import") == 0)
		return bench_import(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "fill") == 0)
		return bench_fill(argv[2], (guint)g_ascii_strtoull(argv[3], NULL, 10));
	if (argc == 3 && strcmp(argv[1], "load") == 0)
		return bench_load(argv[2]);
	g_printerr("usage: bench-history import STORE DBPATH CONFIG | fill STORE N | load STORE\n");
	return 2;
}
