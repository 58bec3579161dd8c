/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* the file parsers: a known-correspondents list and a policy key file */
#include "fuzz.h"
#include "rcptguard.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *path = rg_fuzz_write("input", data, size);
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgPolicy) p = rg_policy_new();

	rg_history_load_known_file(h, path, NULL);
	rg_policy_load_file(p, path, NULL);
	/* the same text as user settings on top: the lock rules and every value's getter */
	rg_policy_load_user_file(p, path, NULL);
	for (const char *const *k = rg_policy_list_keys(); *k != NULL; k++)
		g_free(rg_policy_get_value(p, *k));
	return 0;
}
