/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How long judging one recipient takes, for the log: since the start (at exit) and since the
 * last report (on SIGUSR1, so that an administrator or a benchmark can read a period). The
 * callbacks of many threads count here at once, without a lock but for the maximum. */
#include "config.h"

#include "rg-milter.h"

/* buckets 10 µs wide below 1 ms, 1 ms wide below 100 ms, 100 ms wide below 10 s, then one
 * for the rest: the figures are read to a bucket's width */
#define RG_LAT_FINE 100
#define RG_LAT_MID 99
#define RG_LAT_COARSE 99
#define RG_LAT_BUCKETS (RG_LAT_FINE + RG_LAT_MID + RG_LAT_COARSE + 1)

typedef struct {
	gint buckets[RG_LAT_BUCKETS];
	gint64 max; /* µs, under rg_milter_stats_lock */
} RgLatency;

static RgLatency rg_milter_total;
static RgLatency rg_milter_period;
static GMutex rg_milter_stats_lock;

static guint
rg_latency_bucket(gint64 us)
{
	if (us < 1000)
		return (guint)MAX(us, 0) / 10;
	if (us < 100000)
		return RG_LAT_FINE + (guint)(us / 1000) - 1;
	if (us < 10000000)
		return RG_LAT_FINE + RG_LAT_MID + (guint)(us / 100000) - 1;
	return RG_LAT_BUCKETS - 1;
}

/* the upper end of a bucket, in µs */
static gint64
rg_latency_upper(guint b)
{
	if (b < RG_LAT_FINE)
		return (gint64)(b + 1) * 10;
	if (b < RG_LAT_FINE + RG_LAT_MID)
		return (gint64)(b - RG_LAT_FINE + 2) * 1000;
	if (b < RG_LAT_BUCKETS - 1)
		return (gint64)(b - RG_LAT_FINE - RG_LAT_MID + 2) * 100000;
	return G_MAXINT64;
}

void
rg_milter_stats_add(gint64 us)
{
	guint b = rg_latency_bucket(us);

	g_atomic_int_inc(&rg_milter_total.buckets[b]);
	g_atomic_int_inc(&rg_milter_period.buckets[b]);
	g_mutex_lock(&rg_milter_stats_lock);
	rg_milter_total.max = MAX(rg_milter_total.max, us);
	rg_milter_period.max = MAX(rg_milter_period.max, us);
	g_mutex_unlock(&rg_milter_stats_lock);
}

/* the smallest bucket end below which a share @q of the @n samples lie */
static gint64
rg_latency_quantile(const gint *counts, guint64 n, gint64 max, double q)
{
	guint64 want = (guint64)(q * (double)n + 0.999999);
	guint64 seen = 0;

	for (guint b = 0; b < RG_LAT_BUCKETS; b++) {
		seen += (guint)counts[b];
		if (seen >= want && seen > 0)
			return MIN(rg_latency_upper(b), max);
	}
	return max;
}

/**
 * rg_milter_stats_summary:
 * @since_last_report: the figures since the last such call (then a new period starts),
 *   else since the start
 *
 * Returns: (transfer full): "judged N recipients; per recipient p50 A us, p99 B us, max C us"
 */
char *
rg_milter_stats_summary(gboolean since_last_report)
{
	RgLatency *l = since_last_report ? &rg_milter_period : &rg_milter_total;
	gint counts[RG_LAT_BUCKETS];
	guint64 n = 0;
	gint64 max;

	g_mutex_lock(&rg_milter_stats_lock);
	for (guint b = 0; b < RG_LAT_BUCKETS; b++) {
		counts[b] = since_last_report ? g_atomic_int_exchange(&l->buckets[b], 0)
		                              : g_atomic_int_get(&l->buckets[b]);
		n += (guint)counts[b];
	}
	max = l->max;
	if (since_last_report)
		l->max = 0;
	g_mutex_unlock(&rg_milter_stats_lock);
	return g_strdup_printf("judged %" G_GUINT64_FORMAT
	                       " recipients; per recipient p50 %" G_GINT64_FORMAT
	                       " us, p99 %" G_GINT64_FORMAT " us, max %" G_GINT64_FORMAT " us",
	                       n,
	                       rg_latency_quantile(counts, n, max, 0.50),
	                       rg_latency_quantile(counts, n, max, 0.99),
	                       max);
}
