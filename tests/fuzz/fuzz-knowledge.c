/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* the built-in knowledge's parsers: a versioned .tsv data file (the build-time checker) and the
 * compiled file librcptguard maps at run time, with a lookup of each kind */
#include <glib/gstdio.h>
#include <unistd.h>

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
	g_autofree char *dir = g_dir_make_tmp("rg-fuzz-XXXXXX", NULL);
	g_autofree char *tsv = g_build_filename(dir, "data.tsv", NULL);
	g_autofree char *bin = g_build_filename(dir, "knowledge.bin", NULL);
	g_autoptr(RgKnowledge) k = NULL;

	g_assert_nonnull(dir);
	g_assert_true(g_file_set_contents(tsv, (const char *)data, (gssize)size, NULL));
	g_assert_true(g_file_set_contents(bin, (const char *)data, (gssize)size, NULL));
	(void)rg_knowledge_data_check_file(tsv, NULL);
	k = rg_knowledge_new(dir, NULL);
	if (k != NULL)
		ask(k);
	g_unlink(tsv);
	g_unlink(bin);
	g_rmdir(dir);
	return 0;
}
