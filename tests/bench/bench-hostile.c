/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark, not a test: hostile shapes of input that must cost about as much per recipient
 * as ordinary ones. Each row is timed next to its baseline in the same run, so the ratio is
 * meaningful on any machine:
 *   - N recipients under one unknown registrable domain (hostN.example-corp.com), against N
 *     recipients at N different unknown domains;
 *   - N recipients against a policy of B blocked domains, against the same recipients with
 *     no blocked domains.
 * Near-linear means the ratio stays flat as N and B grow. Prints figures; asserts nothing. */
#include <glib/gstdio.h>
#include <stdio.h>

#include "rcptguard.h"
#include "rg-policy.h"

static GPtrArray *
recipients(guint n, gboolean one_domain)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(out,
		                one_domain ? g_strdup_printf("user%u@host%u.example-corp.com", i, i)
		                           : g_strdup_printf("user%u@corp%u-example.com", i, i));
	g_ptr_array_add(out, NULL);
	return out;
}

/* milliseconds of one check of @rcpts */
static double
time_check(RgScorer *scorer, GPtrArray *rcpts)
{
	g_autoptr(RgReport) rep = NULL;
	gint64 t = g_get_monotonic_time();
	rep = rg_scorer_check(scorer, (const char *const *)rcpts->pdata, NULL);
	g_assert(rep != NULL);
	return (g_get_monotonic_time() - t) / 1000.0;
}

static void
run_subdomains(void)
{
	guint sizes[] = {1000, 2000, 5000, 10000};

	printf("one message, N recipients under one unknown registrable domain\n");
	printf("%8s %14s %14s %7s\n", "N", "one domain ms", "N domains ms", "ratio");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(RgHistory) h = rg_history_new();
		g_autoptr(RgScorer) scorer = rg_scorer_new(h, NULL, NULL);
		g_autoptr(GPtrArray) same = recipients(sizes[i], TRUE);
		g_autoptr(GPtrArray) spread = recipients(sizes[i], FALSE);
		double base = time_check(scorer, spread);
		double hostile = time_check(scorer, same);
		printf("%8u %14.1f %14.1f %6.2fx\n", sizes[i], hostile, base, hostile / base);
	}
}

/* a policy file blocking @n domains; short names keep 100,000 under the 1 MiB a policy may be */
static char *
blocked_policy(const char *dir, guint n)
{
	g_autoptr(GString) text = g_string_new("[policy]\nblocked-domains=");
	char *path = g_build_filename(dir, "policy.conf", NULL);
	for (guint i = 0; i < n; i++)
		g_string_append_printf(text, "%x.io;", i);
	g_string_append_c(text, '\n');
	g_assert(g_file_set_contents(path, text->str, (gssize)text->len, NULL));
	return path;
}

static void
run_blocked(void)
{
	guint blocked[] = {1000, 10000, 100000};
	guint sizes[] = {1000, 10000};
	g_autofree char *dir = g_dir_make_tmp("rg-bench-XXXXXX", NULL);

	printf("\nN recipients (N different domains) against B blocked domains\n");
	printf("%8s %8s %14s %14s %7s\n", "B", "N", "blocked ms", "none ms", "ratio");
	for (guint b = 0; b < G_N_ELEMENTS(blocked); b++) {
		g_autofree char *path = blocked_policy(dir, blocked[b]);
		g_autoptr(RgPolicy) policy = rg_policy_new();
		g_autoptr(RgHistory) h = rg_history_new();
		g_autoptr(RgHistory) h0 = rg_history_new();
		g_autoptr(RgScorer) scorer = NULL;
		g_autoptr(RgScorer) plain = rg_scorer_new(h0, NULL, NULL);

		g_assert(rg_policy_load_file(policy, path, NULL));
		g_assert(rg_policy_get_n_errors(policy) == 0);
		scorer = rg_scorer_new(h, policy, NULL);
		for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
			g_autoptr(GPtrArray) rcpts = recipients(sizes[i], FALSE);
			double base = time_check(plain, rcpts);
			double t = time_check(scorer, rcpts);
			printf("%8u %8u %14.1f %14.1f %6.2fx\n",
			       blocked[b],
			       sizes[i],
			       t,
			       base,
			       t / base);
		}
		g_unlink(path);
	}
	g_rmdir(dir);
}

int
main(void)
{
	printf("rcptguard hostile-input benchmark\n\n");
	run_subdomains();
	run_blocked();
	return 0;
}
