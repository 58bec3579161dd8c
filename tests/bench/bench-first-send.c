/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark, not a test: what the built-in knowledge costs a check, each figure against the
 * same work without the knowledge, measured in the same run (the knowledge's data dir, or an
 * empty one):
 * - start-up: a new process that loads a session (policy, an empty history, the knowledge) and
 *   checks a first message of five recipients, then exits; median wall time of alternating
 *   pairs, and the peak memory of each (VmHWM);
 * - per message: 50-recipient messages checked by two scorers of the same history, one with
 *   the knowledge and one without, taking turns message by message; the median per message,
 *   the ratio, and the memory the knowledge's anchors add to the index.
 * Goal (issue 12): at most +5 ms start-up and +10 % per message. Prints figures; asserts none.
 *
 *   bench-first-send [DATA_DIR]              default: $RCPTGUARD_DATA_DIR
 *   bench-first-send --per-message DATA_DIR  only the cost per message (for a profiler)
 *   bench-first-send --session DATA_DIR      one session, one first message, then exit */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-bench.h"
#include "rg-knowledge.h"
#include "rg-scorer-private.h"

#define PROCESSES 40
#define MESSAGES 300
#define MESSAGE_SIZE 50

/* a first message from someone with no history: a well-known domain, a provider, their
 * typos, a first contact */
static const char *const first_message[] = {
    "gen.smith@army.ml",
    "alice@hotmial.com",
    "bob@gmail.com",
    "carol@example.org",
    "dave@debian.org",
    NULL,
};

static int
run_session(const char *data_dir)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) s = rg_session_new_for_environment(env);
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;

	rg_environment_set_data_dir(env, data_dir);
	if (!rg_session_load(s, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	report = rg_session_check(s, first_message, &error);
	if (report == NULL)
		return 1;
	/* the parent reads the peak memory */
	printf("%" G_GINT64_FORMAT "\n", rg_bench_proc_status_kb("VmHWM:"));
	return 0;
}

static gint64
time_process(const char *self_path, const char *data_dir, gint64 *peak_kb)
{
	const char *argv[] = {self_path, "--session", data_dir, NULL};
	g_autofree char *out = NULL;
	gint64 t = rg_bench_time_process(argv, &out);

	*peak_kb = g_ascii_strtoll(out, NULL, 10);
	return t;
}

static gint64
median(gint64 *v, guint n)
{
	qsort(v, n, sizeof *v, rg_bench_compare_gint64);
	return v[n / 2];
}

static const char *const syllables[] = {"ar", "my", "na", "vy", "lo", "ck", "he", "ed",
                                        "ma", "rt", "in", "go", "og", "le", "ya", "ho",
                                        "ex", "am", "pl", "co", "nt", "os", "so", "fi"};
static const char *const suffixes[] = {"com", "org", "net", "de", "co.uk", "fr", "io", "nl"};
/* what people write to beside their own correspondents */
static const char *const popular[] = {"gmail.com",
                                      "outlook.com",
                                      "yahoo.com",
                                      "web.de",
                                      "gmx.net",
                                      "hotmail.co.uk",
                                      "army.mil",
                                      "state.gov"};
static const char *const popular_typos[] = {"gmial.com",
                                            "outlok.com",
                                            "yahooo.com",
                                            "wbe.de",
                                            "gmx.nett",
                                            "hotmial.co.uk",
                                            "army.ml",
                                            "sate.gov"};

static char *
random_domain(GRand *r)
{
	GString *s = g_string_new(NULL);
	guint n = g_rand_int_range(r, 2, 5);
	for (guint i = 0; i < n; i++)
		g_string_append(s, syllables[g_rand_int_range(r, 0, G_N_ELEMENTS(syllables))]);
	g_string_append_printf(s, ".%s", suffixes[g_rand_int_range(r, 0, G_N_ELEMENTS(suffixes))]);
	return g_string_free(s, FALSE);
}

/* a message: half known correspondents, and new domains, popular providers and their typos */
static GPtrArray *
make_message(GRand *r, GPtrArray *known, guint m)
{
	GPtrArray *rcpts = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < MESSAGE_SIZE; i++) {
		guint k = g_rand_int_range(r, 0, 8);
		if (k < 4)
			g_ptr_array_add(
			    rcpts,
			    g_strdup(g_ptr_array_index(known, g_rand_int_range(r, 0, known->len))));
		else if (k < 6) {
			g_autofree char *d = random_domain(r);
			g_ptr_array_add(rcpts, g_strdup_printf("new%u.%u@%s", m, i, d));
		} else if (k == 6)
			g_ptr_array_add(
			    rcpts,
			    g_strdup_printf(
			        "p%u@%s",
			        i,
			        popular[g_rand_int_range(r, 0, G_N_ELEMENTS(popular))]));
		else
			g_ptr_array_add(rcpts,
			                g_strdup_printf("t%u@%s",
			                                i,
			                                popular_typos[g_rand_int_range(
			                                    r, 0, G_N_ELEMENTS(popular_typos))]));
	}
	g_ptr_array_add(rcpts, NULL);
	return rcpts;
}

static double
time_check(RgScorer *scorer, GPtrArray *rcpts)
{
	gint64 t = g_get_monotonic_time();
	g_autoptr(RgReport) rep = rg_scorer_check(scorer, (const char *const *)rcpts->pdata, NULL);
	if (rep == NULL)
		g_error("the check failed");
	return (double)(g_get_monotonic_time() - t);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void
per_message(const char *data_dir, guint n_history)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(42 + n_history);
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(RgScorer) with = NULL;
	g_autoptr(RgScorer) without = NULL;
	g_autoptr(RgKnowledge) k = NULL;
	g_autoptr(GError) error = NULL;
	double t_with[MESSAGES], t_without[MESSAGES], ratio[MESSAGES];
	gint64 rss0, rss1;

	for (guint i = 0; i < MAX(n_history, 1); i++) {
		g_autofree char *d = random_domain(r);
		char *a = g_strdup_printf("person%u@%s", i, d);
		if (n_history > 0)
			rg_history_add(h, a, g_rand_int_range(r, 1, 20), 1, 0, NULL);
		g_ptr_array_add(known, a);
	}
	k = rg_knowledge_new(data_dir, &error);
	if (k == NULL)
		g_error("%s", error->message);
	with = rg_scorer_new(h, NULL, NULL);
	without = rg_scorer_new(h, NULL, NULL);
	rg_scorer_set_knowledge(with, k);
	/* the first check of each builds its index */
	{
		g_autoptr(GPtrArray) warm = make_message(r, known, 0);
		(void)time_check(with, warm);
		(void)time_check(without, warm);
	}
	rss0 = rg_bench_proc_status_kb("VmRSS:");
	for (guint m = 0; m < MESSAGES; m++) {
		g_autoptr(GPtrArray) rcpts = make_message(r, known, m + 1);
		/* in turn, so that a drift of the machine's speed hits both */
		if (m % 2 == 0) {
			t_with[m] = time_check(with, rcpts);
			t_without[m] = time_check(without, rcpts);
		} else {
			t_without[m] = time_check(without, rcpts);
			t_with[m] = time_check(with, rcpts);
		}
		ratio[m] = t_with[m] / MAX(t_without[m], 1.0);
	}
	rss1 = rg_bench_proc_status_kb("VmRSS:");
	qsort(t_with, MESSAGES, sizeof(double), cmp_double);
	qsort(t_without, MESSAGES, sizeof(double), cmp_double);
	qsort(ratio, MESSAGES, sizeof(double), cmp_double);
	printf("  per message, %6u known addresses: with the knowledge %.3f ms, without %.3f ms "
	       "(median of %u messages of %u recipients); ratio %.3f (median of pairs); the "
	       "knowledge's anchors added %" G_GINT64_FORMAT " kB over the run\n",
	       n_history,
	       t_with[MESSAGES / 2] / 1000.0,
	       t_without[MESSAGES / 2] / 1000.0,
	       MESSAGES,
	       MESSAGE_SIZE,
	       ratio[MESSAGES / 2],
	       rss1 - rss0);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : g_getenv("RCPTGUARD_DATA_DIR");
	g_autofree char *empty = NULL;
	gint64 with[PROCESSES], without[PROCESSES], peak_with[PROCESSES], peak_without[PROCESSES];

	if (argc > 2 && strcmp(argv[1], "--session") == 0)
		return run_session(argv[2]);
	if (argc > 2 && strcmp(argv[1], "--per-message") == 0) {
		per_message(argv[2], 1000);
		return 0;
	}
	if (dir == NULL) {
		fprintf(stderr, "usage: bench-first-send DATA_DIR (or run it through meson)\n");
		return 2;
	}
	empty = g_dir_make_tmp("rg-bench-XXXXXX", NULL);
	printf("rcptguard first-send benchmark: the built-in knowledge (%s) against none\n", dir);
	for (guint i = 0; i < PROCESSES; i++) {
		if (i % 2 == 0) {
			with[i] = time_process(argv[0], dir, &peak_with[i]);
			without[i] = time_process(argv[0], empty, &peak_without[i]);
		} else {
			without[i] = time_process(argv[0], empty, &peak_without[i]);
			with[i] = time_process(argv[0], dir, &peak_with[i]);
		}
	}
	{
		gint64 w = median(with, PROCESSES), wo = median(without, PROCESSES);
		gint64 pw = median(peak_with, PROCESSES), pwo = median(peak_without, PROCESSES);
		printf("  start-up and a first message of %u recipients: with %.2f ms, without "
		       "%.2f ms: %+.2f ms (median of %u processes each, goal +5 ms); peak memory "
		       "%" G_GINT64_FORMAT " kB against %" G_GINT64_FORMAT " kB (%+" G_GINT64_FORMAT
		       " kB)\n",
		       (guint)(G_N_ELEMENTS(first_message) - 1),
		       w / 1000.0,
		       wo / 1000.0,
		       (w - wo) / 1000.0,
		       PROCESSES,
		       pw,
		       pwo,
		       pw - pwo);
	}
	g_rmdir(empty);
	per_message(dir, 0);
	per_message(dir, 1000);
	per_message(dir, 10000);
	return 0;
}
