/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* the built-in knowledge's parsers: a versioned .tsv data file (the build-time checker) and the
 * compiled file librcptguard maps at run time, with a lookup of each kind */
#include <glib/gstdio.h>

#include "fuzz.h"
#include "rg-knowledge-data.h"
#include "rg-knowledge.h"

static void
candidate_cb(const RgCandidate *c, gpointer user_data)
{
	g_assert_nonnull(c->domain);
}

static void
ask(RgKnowledge *k)
{
	RgHighStakes e;
	RgProvider p;

	(void)rg_knowledge_lookup_high_stakes(k, "hq.army.mil", &e);
	(void)rg_knowledge_lookup_provider(k, "gmail.com", &p);
	(void)rg_knowledge_get_provider_rank(k, "zzz.example");
	(void)rg_knowledge_get_restricted_for_cctld(k, "ml");
	(void)rg_knowledge_get_cctld_neighbours(k, "mil");
	(void)rg_knowledge_get_neighbour_notice(k, "mil");
	(void)rg_knowledge_foreach_candidate(k, "army", NULL, candidate_cb, NULL);
	(void)rg_knowledge_get_provenance(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *dir = NULL;
	g_autofree char *tsv = NULL;
	g_autofree char *bin = NULL;
	g_autoptr(RgKnowledge) k = NULL;

	/* a directory of its own, for the one file rg_knowledge_new() reads in it */
	if (dir == NULL) {
		dir = g_build_filename(rg_fuzz_init(), "knowledge", NULL);
		g_assert_cmpint(g_mkdir(dir, 0700), ==, 0);
	}
	tsv = rg_fuzz_write("knowledge/data.tsv", data, size);
	bin = rg_fuzz_write("knowledge/knowledge.bin", data, size);
	(void)rg_knowledge_data_check_file(tsv, NULL);
	k = rg_knowledge_new(dir, NULL);
	if (k != NULL)
		ask(k);
	return 0;
}
