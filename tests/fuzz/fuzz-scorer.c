/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* arbitrary recipients through the whole scorer, against a small fixed history */
#include "fuzz.h"
#include "rcptguard.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static RgScorer *scorer = NULL;
	g_autofree char *text = g_strndup((const char *)data, size);
	g_auto(GStrv) lines = g_strsplit(text, "\n", 50);
	g_autoptr(RgReport) report = NULL;

	if (scorer == NULL) {
		g_autoptr(RgHistory) h = rg_history_new();
		rg_history_add(h, "gen.smith@army.mil", 3, 1, RG_HISTORY_FLAG_NONE, NULL);
		rg_history_add(h, "alice@gmail.com", 1, 1, RG_HISTORY_FLAG_NONE, NULL);
		rg_history_add(h, "bob@bbc.co.uk", 1, 0, RG_HISTORY_FLAG_NONE, NULL);
		scorer = rg_scorer_new(h, NULL, NULL);
		g_assert_nonnull(scorer);
	}
	report = rg_scorer_check(scorer, (const char *const *)lines, NULL);
	for (guint i = 0; report != NULL && i < rg_report_get_n_verdicts(report); i++) {
		g_autofree char *json = rg_verdict_to_json(rg_report_get_verdict(report, i));
		g_assert_nonnull(json);
	}
	return 0;
}
