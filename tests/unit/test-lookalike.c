/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "rcptguard.h"
#include "rg-address-private.h"
#include "rg-lookalike.h"
#include "rg-test.h"

START_TEST(test_lookalike_classify_table)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("lookalike-edit.tsv", 4);

	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		gboolean kb = FALSE;
		RgSimilarKind kind = rg_lookalike_classify_edit(f[0], f[1], &kb);
		ck_assert_msg(strcmp(rg_similar_kind_to_string(kind), f[2]) == 0,
		              "%s vs %s: %s, expected %s",
		              f[0],
		              f[1],
		              rg_similar_kind_to_string(kind),
		              f[2]);
		if (kind != RG_SIMILAR_NONE)
			ck_assert_msg(
			    kb == (f[3][0] == '1'), "%s vs %s: keyboard %d", f[0], f[1], kb);
	}
}
END_TEST

START_TEST(test_lookalike_keyboard)
{
	ck_assert(rg_keyboard_adjacent('q', 'w'));
	ck_assert(rg_keyboard_adjacent('a', 'z')); /* QWERTY: a is above z */
	ck_assert(rg_keyboard_adjacent('y', 'x')); /* QWERTZ bottom row */
	ck_assert(rg_keyboard_adjacent('q', 's')); /* AZERTY */
	ck_assert(!rg_keyboard_adjacent('q', 'p'));
	ck_assert(!rg_keyboard_adjacent('a', 'a'));
}
END_TEST

START_TEST(test_lookalike_damerau)
{
	ck_assert_uint_eq(rg_lookalike_damerau("army", "army", 2), 0);
	ck_assert_uint_eq(rg_lookalike_damerau("amry", "army", 2), 1);
	ck_assert_uint_eq(rg_lookalike_damerau("ml", "mil", 2), 1);
	ck_assert_uint_eq(rg_lookalike_damerau("accountant", "com", 2), 3);
}
END_TEST

START_TEST(test_lookalike_suffix_near)
{
	ck_assert(rg_suffix_is_near("ml", "mil"));
	ck_assert(rg_suffix_is_near("uk", "co.uk"));
	ck_assert(rg_suffix_is_near("co", "co.uk"));
	ck_assert(rg_suffix_is_near("cam", "com"));
	ck_assert(!rg_suffix_is_near("de", "com"));
	ck_assert(!rg_suffix_is_near("accountant", "com"));
}
END_TEST

static RgLookalikeIndex *
make_index(RgDomains *psl, RgConfusable *conf, const char *const *domains)
{
	RgLookalikeIndex *idx = rg_lookalike_index_new(psl, conf);
	for (guint i = 0; domains[i] != NULL; i++) {
		g_autofree char *u = NULL, *a = NULL;
		ck_assert(rg_address_normalize_domain(domains[i], &u, &a, NULL));
		rg_lookalike_index_add(idx, a, u, NULL);
	}
	return idx;
}

START_TEST(test_lookalike_find_table)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("lookalike-find.tsv", 3);
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);

	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		const char *known[] = {f[1], NULL};
		g_autoptr(RgLookalikeIndex) idx = make_index(psl, conf, known);
		g_autofree char *u = NULL, *a = NULL;
		g_autoptr(GArray) matches = NULL;
		const char *got = "none";

		ck_assert(rg_address_normalize_domain(f[0], &u, &a, NULL));
		matches = rg_lookalike_index_find(idx, a, u);
		if (matches->len > 0) {
			RgMatch *m = &g_array_index(matches, RgMatch, 0);
			got = rg_similar_kind_to_string(m->kind);
		}
		ck_assert_msg(
		    strcmp(got, f[2]) == 0, "%s vs %s: %s, expected %s", f[0], f[1], got, f[2]);
	}
}
END_TEST

static void
collect_key_cb(RgLookalikeKeyKind kind, const char *key, gpointer user_data)
{
	g_hash_table_add(user_data, g_strdup(key));
}

typedef struct {
	GHashTable *keys;
	const char *known;
	gboolean found;
} ProbeHit;

static void
probe_hit_cb(const RgLookalikeProbe *probe, gpointer user_data)
{
	ProbeHit *hit = user_data;
	if (g_hash_table_contains(hit->keys, probe->key) &&
	    rg_lookalike_probe_fits(probe, hit->known))
		hit->found = TRUE;
}

/* The probes of a typed domain find, under the keys a known domain is stored by, every known
 * domain the index matches (but for a word added to a name): what the compiled knowledge
 * relies on to hand over its candidates. */
START_TEST(test_lookalike_probes_cover_matches)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("lookalike-find.tsv", 3);
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);
	guint checked = 0;

	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		g_autoptr(GHashTable) keys =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_autofree char *u = NULL, *a = NULL, *ku = NULL, *ka = NULL;
		g_autofree char *name = NULL, *label = NULL, *suffix = NULL;
		ProbeHit hit = {keys, NULL, FALSE};

		if (strcmp(f[2], "none") == 0 || strcmp(f[2], "affix") == 0)
			continue;
		ck_assert(rg_address_normalize_domain(f[0], &u, &a, NULL));
		ck_assert(rg_address_normalize_domain(f[1], &ku, &ka, NULL));
		ck_assert(rg_domains_split(psl, ka, &name, &label, &suffix));
		rg_lookalike_anchor_keys(name, label, suffix, collect_key_cb, keys);
		hit.known = ka;
		rg_lookalike_probe_keys(psl, conf, a, u, probe_hit_cb, &hit);
		ck_assert_msg(hit.found, "no probe of %s finds %s (%s)", f[0], f[1], f[2]);
		checked++;
	}
	ck_assert_uint_gt(checked, 15);
}
END_TEST

START_TEST(test_lookalike_index_many)
{
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);
	g_autoptr(RgLookalikeIndex) idx = rg_lookalike_index_new(psl, conf);
	g_autoptr(GArray) matches = NULL;
	gboolean found = FALSE;

	/* the wanted anchor among many unrelated ones */
	for (guint i = 0; i < 5000; i++) {
		g_autofree char *d = g_strdup_printf("corp%u.example", i);
		rg_lookalike_index_add(idx, d, d, NULL);
	}
	rg_lookalike_index_add(idx, "army.mil", "army.mil", NULL);
	ck_assert_uint_eq(rg_lookalike_index_get_n_anchors(idx), 5001);
	/* adding again returns the same id */
	ck_assert_uint_eq(rg_lookalike_index_add(idx, "army.mil", "army.mil", NULL), 5000);
	matches = rg_lookalike_index_find(idx, "armmy.mil", "armmy.mil");
	for (guint i = 0; i < matches->len; i++) {
		RgMatch *m = &g_array_index(matches, RgMatch, i);
		if (strcmp(rg_lookalike_index_get_anchor(idx, m->anchor)->ascii, "army.mil") == 0)
			found = m->kind == RG_SIMILAR_REPETITION;
	}
	ck_assert(found);
	ck_assert_uint_le(matches->len, 3);
}
END_TEST

/* the kind and same_sub of the match for @ascii among @matches, or FALSE */
static gboolean
find_match(RgLookalikeIndex *idx, GArray *matches, const char *ascii, RgMatch *out)
{
	for (guint i = 0; i < matches->len; i++) {
		RgMatch *m = &g_array_index(matches, RgMatch, i);
		if (strcmp(rg_lookalike_index_get_anchor(idx, m->anchor)->ascii, ascii) == 0) {
			*out = *m;
			return TRUE;
		}
	}
	return FALSE;
}

/* many hosts under one domain are judged as one group, with the same answers per host */
START_TEST(test_lookalike_index_subdomains)
{
	g_autoptr(RgDomains) psl = rg_domains_new(NULL, NULL, NULL);
	g_autoptr(RgConfusable) conf = rg_confusable_new(NULL);
	g_autoptr(RgLookalikeIndex) idx = rg_lookalike_index_new(psl, conf);
	g_autoptr(GArray) swap = NULL;
	g_autoptr(GArray) bare = NULL;
	g_autoptr(GArray) typo = NULL;
	g_autoptr(GArray) same = NULL;
	RgMatch m;

	for (guint i = 0; i < 1000; i++) {
		g_autofree char *d = g_strdup_printf("host%u.example.com", i);
		rg_lookalike_index_add(idx, d, d, NULL);
	}
	rg_lookalike_index_add(idx, "example.com", "example.com", NULL);
	/* another suffix: only the host with the same labels on the left */
	swap = rg_lookalike_index_find(idx, "host7.example.org", "host7.example.org");
	ck_assert_uint_eq(swap->len, 1);
	ck_assert(find_match(idx, swap, "host7.example.com", &m));
	ck_assert_int_eq(m.kind, RG_SIMILAR_TLD_SWAP);
	ck_assert(m.same_sub);
	/* no labels on the left: every host */
	bare = rg_lookalike_index_find(idx, "example.org", "example.org");
	ck_assert_uint_eq(bare->len, 1001);
	ck_assert(find_match(idx, bare, "example.com", &m));
	ck_assert(m.same_sub);
	ck_assert(find_match(idx, bare, "host3.example.com", &m));
	ck_assert(!m.same_sub);
	/* one edit in the label: every host, the one with the same left labels marked */
	typo = rg_lookalike_index_find(idx, "host5.exmaple.com", "host5.exmaple.com");
	ck_assert_uint_eq(typo->len, 1001);
	ck_assert(find_match(idx, typo, "host5.example.com", &m));
	ck_assert_int_eq(m.kind, RG_SIMILAR_TRANSPOSITION);
	ck_assert(m.same_sub);
	ck_assert(find_match(idx, typo, "host6.example.com", &m));
	ck_assert(!m.same_sub);
	/* the same registrable domain is no look-alike of itself */
	same = rg_lookalike_index_find(idx, "host5000.example.com", "host5000.example.com");
	ck_assert_uint_eq(same->len, 0);
}
END_TEST

static Suite *
lookalike_suite(void)
{
	Suite *s = suite_create("lookalike");
	TCase *tc = tcase_create("classify");
	TCase *tc2 = tcase_create("index");
	tcase_add_test(tc, test_lookalike_classify_table);
	tcase_add_test(tc, test_lookalike_keyboard);
	tcase_add_test(tc, test_lookalike_damerau);
	tcase_add_test(tc, test_lookalike_suffix_near);
	tcase_add_test(tc2, test_lookalike_find_table);
	tcase_add_test(tc2, test_lookalike_probes_cover_matches);
	tcase_add_test(tc2, test_lookalike_index_many);
	tcase_add_test(tc2, test_lookalike_index_subdomains);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tc2);
	return s;
}

int
main(void)
{
	return rg_test_run(lookalike_suite());
}
