/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <locale.h>

#include "rg-i18n.h"
#include "rg-paths.h"

/* binds our domain and iso-codes' so messages come out in the user's language */
void
rg_i18n_init(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		bindtextdomain(GETTEXT_PACKAGE, rg_path_get(RG_PATH_LOCALEDIR));
		bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
		bindtextdomain("iso_3166-1", RG_ISO_CODES_LOCALEDIR);
		bind_textdomain_codeset("iso_3166-1", "UTF-8");
		g_once_init_leave(&once, 1);
	}
}
