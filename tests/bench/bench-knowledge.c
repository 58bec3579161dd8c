/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Figures for the built-in knowledge, each against a baseline measured in the same run:
 * - start-up: a new process that maps the compiled file and answers a first check's lookups,
 *   against the same process doing nothing (median of 40 alternating pairs; wall time, so it
 *   includes what a new process pays for its first page faults);
 * - in-process reload (fresh mapping each time, median of 200) against parsing the versioned
 *   .tsv files, which is what loading would cost without the compiled form;
 * - the memory one load adds, the size of the files, and the cost of one lookup.
 * Prints one JSON object; asserts no time.
 *
 *   bench-knowledge [DATA_DIR [SRC_DIR]]   defaults: $RCPTGUARD_DATA_DIR, $RG_TEST_KNOWLEDGE_SRC
 *   bench-knowledge --once DATA_DIR        one load and a first check's lookups, then exit
 *   bench-knowledge --nothing              exit at once */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg-bench.h"
#include "rg-knowledge-data.h"
#include "rg-knowledge.h"

#define RUNS 200
#define LOOKUPS 1000000
#define PROCESSES 40

static const char *const sources[] = {"restricted-tlds.tsv", "high-stakes.tsv", "providers.tsv"};
/* what one check of a first-contact address asks */
static const char *const probes[] = {
    "gmail.com", "hotmial.com", "army.ml", "web.de", "hq.army.mil"};

static gint64
median(gint64 *v, guint n)
{
	qsort(v, n, sizeof *v, rg_bench_compare_gint64);
	return v[n / 2];
}

static gsize
file_size(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *text = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &text, &len, NULL))
		g_error("cannot read %s", path);
	return len;
}

static guint
ask(RgKnowledge *k)
{
	guint hits = 0;

	for (guint i = 0; i < G_N_ELEMENTS(probes); i++) {
		hits += rg_knowledge_get_provider_rank(k, probes[i]) > 0;
		hits += rg_knowledge_lookup_high_stakes(k, probes[i], NULL);
	}
	hits += rg_knowledge_get_restricted_for_cctld(k, "ml") != NULL;
	return hits;
}

static gint64
time_load(const char *dir)
{
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(GError) error = NULL;
	g_autoptr(RgKnowledge) k = rg_knowledge_new(dir, &error);

	if (k == NULL)
		g_error("%s", error->message);
	(void)ask(k);
	return g_get_monotonic_time() - t0;
}

static gint64
time_process(const char *self_path, const char *mode, const char *dir)
{
	const char *argv[] = {self_path, mode, dir, NULL};
	return rg_bench_time_process(argv, NULL);
}

static gint64
time_parse_tsv(const char *src)
{
	gint64 t0 = g_get_monotonic_time();

	for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
		g_autofree char *path = g_build_filename(src, sources[i], NULL);
		g_autoptr(GError) error = NULL;
		if (!rg_knowledge_data_check_file(path, &error))
			g_error("%s", error->message);
	}
	return g_get_monotonic_time() - t0;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : g_getenv("RCPTGUARD_DATA_DIR");
	const char *src = argc > 2 ? argv[2] : g_getenv("RG_TEST_KNOWLEDGE_SRC");
	gint64 load[RUNS], parse[RUNS / 10], proc_load[PROCESSES], proc_nothing[PROCESSES];
	gint64 rss0, rss1, t0, lookup_ns;
	gsize tsv_bytes = 0;
	g_autoptr(RgKnowledge) k = NULL;
	guint hits = 0;

	if (argc > 1 && strcmp(argv[1], "--nothing") == 0)
		return 0;
	if (argc > 2 && strcmp(argv[1], "--once") == 0) {
		k = rg_knowledge_new(argv[2], NULL);
		return k != NULL && ask(k) > 0 ? 0 : 1;
	}
	if (dir == NULL || src == NULL) {
		fprintf(stderr,
		        "usage: bench-knowledge DATA_DIR SRC_DIR (or run it through meson)\n");
		return 2;
	}
	printf("{\"tsv_bytes\": {");
	for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
		gsize n = file_size(src, sources[i]);
		tsv_bytes += n;
		printf("%s\"%s\": %" G_GSIZE_FORMAT, i ? ", " : "", sources[i], n);
	}
	printf("}, \"tsv_total_bytes\": %" G_GSIZE_FORMAT ", \"compiled_bytes\": %" G_GSIZE_FORMAT,
	       tsv_bytes,
	       file_size(dir, "knowledge.bin"));

	rss0 = rg_bench_proc_status_kb("VmRSS:");
	k = rg_knowledge_new(dir, NULL);
	hits += ask(k);
	rss1 = rg_bench_proc_status_kb("VmRSS:");
	for (guint i = 0; i < RUNS; i++) {
		load[i] = time_load(dir);
		if (i % 10 == 0)
			parse[i / 10] = time_parse_tsv(src);
	}
	for (guint i = 0; i < PROCESSES; i++) {
		proc_load[i] = time_process(argv[0], "--once", dir);
		proc_nothing[i] = time_process(argv[0], "--nothing", dir);
	}
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < LOOKUPS; i++)
		hits += rg_knowledge_get_provider_rank(k, probes[i % G_N_ELEMENTS(probes)]) > 0;
	lookup_ns = (g_get_monotonic_time() - t0) * 1000 / LOOKUPS;

	{
		gint64 l = median(load, RUNS), p = median(parse, RUNS / 10);
		gint64 pl = median(proc_load, PROCESSES), pn = median(proc_nothing, PROCESSES);
		printf(
		    ", \"process_with_load_us\": %" G_GINT64_FORMAT
		    ", \"process_doing_nothing_us\": %" G_GINT64_FORMAT ", \"process_ratio\": %.3f"
		    ", \"reload_and_first_lookups_us\": %" G_GINT64_FORMAT
		    ", \"baseline_parse_tsv_us\": %" G_GINT64_FORMAT ", \"reload_over_parse\": %.3f"
		    ", \"rss_kb_added\": %" G_GINT64_FORMAT
		    ", \"provider_lookup_ns\": %" G_GINT64_FORMAT ", \"hits\": %u}\n",
		    pl,
		    pn,
		    pn > 0 ? (double)pl / (double)pn : 0.0,
		    l,
		    p,
		    p > 0 ? (double)l / (double)p : 0.0,
		    rss1 - rss0,
		    lookup_ns,
		    hits);
	}
	return 0;
}
