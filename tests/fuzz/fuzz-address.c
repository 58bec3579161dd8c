/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fuzz.h"
#include "rcptguard.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GPtrArray) list = rg_address_list_parse(text, NULL);
	for (guint i = 0; list != NULL && i < list->len; i++) {
		RgAddress *a = g_ptr_array_index(list, i);
		g_autofree char *again = rg_address_with_domain(a, rg_address_get_domain(a));
		g_autofree char *replaced = rg_address_list_replace(
		    text, rg_address_get_addr_spec(a), "x@example.org", NULL);
		g_assert_nonnull(again);
	}
	return 0;
}
