/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fuzz.h"
#include "rcptguard.h"

#define RG_FUZZ_REPLACE_MAX 4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GPtrArray) list = rg_address_list_parse(text, NULL);
	for (guint i = 0; list != NULL && i < list->len; i++) {
		RgAddress *a = g_ptr_array_index(list, i);
		g_autofree char *again = rg_address_with_domain(a, rg_address_get_domain(a));
		g_autofree char *replaced = NULL;

		g_assert_nonnull(again);
		/* each replacement parses the whole list again: for every address of a list
		 * of hundreds that was most of a run; the first few and the last reach it all */
		if (i < RG_FUZZ_REPLACE_MAX || i == list->len - 1)
			replaced = rg_address_list_replace(
			    text, rg_address_get_addr_spec(a), "x@example.org", NULL);
	}
	return 0;
}
