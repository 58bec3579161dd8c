/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One gettext domain for all of rcptguard, bound here. The plug-ins run inside mail clients
 * whose textdomain() is their own, so no string of ours may go through plain gettext or
 * ngettext: every call names our domain (the underscore macro of <glib/gi18n-lib.h>,
 * g_dngettext), and the dialog's templates say domain="rcptguard". tests/i18n checks both. */
#include "config.h"

#include <glib.h>
#include <libintl.h>

#include "rg-i18n.h"
#include "rg-paths.h"

/**
 * rg_i18n_init:
 *
 * Binds rcptguard's gettext domain (%RG_GETTEXT_DOMAIN) to its translations (the installed
 * ones, or the build tree's for an uninstalled library, see rg_path_get()) and iso-codes'
 * `iso_3166-1` domain to the country names, both with UTF-8 output whatever the locale's
 * character set. It never calls textdomain(): a host's own domain stays as it is.
 *
 * Every front end calls it once before it translates a string; calling it again does
 * nothing. Creating a session does it too. Thread-safe.
 */
void
rg_i18n_init(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		bindtextdomain(RG_GETTEXT_DOMAIN, rg_path_get(RG_PATH_LOCALEDIR));
		bind_textdomain_codeset(RG_GETTEXT_DOMAIN, "UTF-8");
		bindtextdomain(RG_ISO_3166_DOMAIN, RG_ISO_CODES_LOCALEDIR);
		bind_textdomain_codeset(RG_ISO_3166_DOMAIN, "UTF-8");
		g_once_init_leave(&once, 1);
	}
}
