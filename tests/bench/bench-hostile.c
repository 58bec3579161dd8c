/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark, not a test: hostile shapes of input that must cost about as much per recipient
 * as ordinary ones. Each row is timed next to its baseline in the same run, so the ratio is
 * meaningful on any machine:
 *   - N recipients under one unknown registrable domain (hostN.example-corp.com), and under
 *     a look-alike of a well-known one (hostN.examplecom.com), against N recipients at N
 *     different unknown domains;
 *   - N recipients against a policy of B blocked domains, against the same recipients with
 *     no blocked domains.
 * Near-linear means the ratio stays flat as N and B grow. Prints figures; asserts nothing. */
#include <glib/gstdio.h>
#include <stdio.h>

#include "rcptguard.h"
#include "rg-policy.h"

/* @n recipients, userI@ @head I @tail for I = 0 … @n - 1 */
static GPtrArray *
recipients(guint n, const char *head, const char *tail)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(out, g_strdup_printf("user%u@%s%u%s", i, head, i, tail));
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

/* the hostile shape @head I @tail, against N recipients at N different unknown domains */
static void
run_subdomains(const char *title, const char *head, const char *tail)
{
	guint sizes[] = {1000, 2000, 5000, 10000};

	printf("one message, N recipients %s\n", title);
	printf("%8s %14s %14s %7s\n", "N", "hostile ms", "N domains ms", "ratio");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(RgHistory) h = rg_history_new();
		g_autoptr(RgScorer) scorer = rg_scorer_new(h, NULL, NULL);
		g_autoptr(GPtrArray) same = recipients(sizes[i], head, tail);
		g_autoptr(GPtrArray) spread = recipients(sizes[i], "corp", "-example.com");
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
			g_autoptr(GPtrArray) rcpts = recipients(sizes[i], "corp", "-example.com");
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
	run_subdomains("under one unknown registrable domain", "host", ".example-corp.com");
	/* one dot short of example.com, each a near miss of the next in the same message */
	run_subdomains("under a look-alike of example.com", "host", ".examplecom.com");
	run_blocked();
	return 0;
}
