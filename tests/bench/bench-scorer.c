/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark, not a test: how long a 50-recipient message takes to check with 1k, 10k and 100k
 * known addresses, next to a naive linear edit-distance scan over the same known domains, in
 * one run so the ratio is meaningful on any machine. Prints figures; asserts nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-lookalike.h"

#define MESSAGE_SIZE 50
#define N_MESSAGES 400

static const char *const syllables[] = {
    "ar", "my", "na", "vy", "lo", "ck", "he", "ed", "ma", "rt", "in", "go", "og", "le", "ya", "ho",
    "oo", "ex", "am", "pl", "co", "nt", "os", "so", "fi", "re", "qu", "iz", "tu", "be", "ka", "zu"};
static const char *const suffixes[] = {
    "com", "org", "net", "de", "co.uk", "mil", "gov", "fr", "edu", "io"};

static char *
random_label(GRand *r)
{
	GString *s = g_string_new(NULL);
	guint n = g_rand_int_range(r, 2, 6);
	for (guint i = 0; i < n; i++)
		g_string_append(s, syllables[g_rand_int_range(r, 0, G_N_ELEMENTS(syllables))]);
	return g_string_free(s, FALSE);
}

static char *
random_domain(GRand *r)
{
	g_autofree char *label = random_label(r);
	return g_strdup_printf(
	    "%s.%s", label, suffixes[g_rand_int_range(r, 0, G_N_ELEMENTS(suffixes))]);
}

/* a typo of a known domain, or a fresh domain, or a known one: a realistic message mix */
static char *
message_recipient(GRand *r, GPtrArray *domains, guint i)
{
	const char *d = g_ptr_array_index(domains, g_rand_int_range(r, 0, domains->len));
	switch (i % 5) {
	case 0: {
		g_autofree char *t = g_strdup(d);
		gsize len = strcspn(t, ".");
		if (len > 2)
			t[g_rand_int_range(r, 0, len)] = 'q';
		return g_strdup_printf("user%u@%s", i, t);
	}
	case 1: {
		g_autofree char *fresh = random_domain(r);
		return g_strdup_printf("user%u@%s", i, fresh);
	}
	default:
		return g_strdup_printf("user%u@%s", i, d);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* the baseline: what a checker without an index does, one edit distance per known domain */
static guint
naive_scan(GPtrArray *domains, const char *domain)
{
	guint hits = 0;
	for (guint i = 0; i < domains->len; i++)
		if (rg_lookalike_damerau(domain, g_ptr_array_index(domains, i), 2) <= 2)
			hits++;
	return hits;
}

static void
run(guint n_addresses)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(n_addresses);
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	double times[N_MESSAGES];
	double naive_times[N_MESSAGES / 10];
	/* the naive scan costs one edit distance per known domain: fewer messages for big
	 * histories, so a 1M-address run ends in seconds */
	guint n_naive = n_addresses > 100000 ? 4 : G_N_ELEMENTS(naive_times);
	double t0, total = 0, naive_total = 0;
	guint n_domains = MAX(n_addresses / 5, 50);
	guint checked = 0;

	for (guint i = 0; i < n_domains; i++) {
		char *d = random_domain(r);
		if (g_hash_table_contains(seen, d)) {
			g_free(d);
			continue;
		}
		g_hash_table_add(seen, d);
		g_ptr_array_add(domains, d);
	}
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < n_addresses; i++) {
		g_autofree char *a = g_strdup_printf(
		    "person%u@%s", i, (char *)g_ptr_array_index(domains, i % domains->len));
		rg_history_add(
		    h, a, g_rand_int_range(r, 0, 20), g_rand_int_range(r, 0, 20), 0, NULL);
	}
	scorer = rg_scorer_new(h, NULL, NULL);
	{
		/* the first check builds the index */
		const char *warm[] = {"x@warm-up.example", NULL};
		g_autoptr(RgReport) rep = rg_scorer_check(scorer, warm, NULL);
	}
	printf("%7u addresses, %6u domains: history + index build %.1f ms\n",
	       n_addresses,
	       domains->len,
	       (g_get_monotonic_time() - t0) / 1000.0);

	for (guint m = 0; m < N_MESSAGES; m++) {
		g_autoptr(GPtrArray) rcpts = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(RgReport) rep = NULL;
		double t;
		for (guint i = 0; i < MESSAGE_SIZE; i++)
			g_ptr_array_add(rcpts, message_recipient(r, domains, m * MESSAGE_SIZE + i));
		g_ptr_array_add(rcpts, NULL);
		t = g_get_monotonic_time();
		rep = rg_scorer_check(scorer, (const char *const *)rcpts->pdata, NULL);
		times[m] = (g_get_monotonic_time() - t) / 1000.0;
		total += times[m];
		checked += rg_report_get_n_verdicts(rep);
		if (m < n_naive) {
			t = g_get_monotonic_time();
			for (guint i = 0; i < MESSAGE_SIZE; i++) {
				const char *addr = g_ptr_array_index(rcpts, i);
				naive_scan(domains, strchr(addr, '@') + 1);
			}
			naive_times[m] = (g_get_monotonic_time() - t) / 1000.0;
			naive_total += naive_times[m];
		}
	}
	qsort(times, N_MESSAGES, sizeof(double), cmp_double);
	qsort(naive_times, n_naive, sizeof(double), cmp_double);
	printf("  rcptguard : 50-recipient message median %.3f ms, p99 %.3f ms; %.0f addresses/s\n",
	       times[N_MESSAGES / 2],
	       times[(N_MESSAGES * 99) / 100],
	       checked / (total / 1000.0));
	printf("  naive scan: 50-recipient message median %.3f ms, p99 %.3f ms (%.1fx slower)\n",
	       naive_times[n_naive / 2],
	       naive_times[(n_naive * 99) / 100],
	       naive_times[n_naive / 2] / MAX(times[N_MESSAGES / 2], 1e-6));
}

int
main(int argc, char **argv)
{
	guint sizes[] = {1000, 10000, 100000};
	printf("rcptguard scorer benchmark (%u messages of %u recipients per size)\n",
	       N_MESSAGES,
	       MESSAGE_SIZE);
	/* history sizes may be given (bench-table.py asks for 100000 and 1000000) */
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			guint64 n = 0;
			if (!g_ascii_string_to_unsigned(argv[i], 10, 1, 10000000, &n, NULL)) {
				fprintf(stderr, "usage: bench-scorer [N_ADDRESSES…]\n");
				return 2;
			}
			run((guint)n);
		}
		return 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
		run(sizes[i]);
	return 0;
}
