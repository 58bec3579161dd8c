/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-api.h"

/**
 * RG_GETTEXT_DOMAIN:
 *
 * The gettext domain of every string rcptguard shows: the core's, the dialog's and the front
 * ends'. Only the country names are translated by iso-codes' domain.
 */
#define RG_GETTEXT_DOMAIN "rcptguard"

RG_API void rg_i18n_init(void);

#if defined(RG_COMPILATION) && defined(GETTEXT_PACKAGE)
/* inside rcptguard (after config.h): _() and friends translate with our domain, whatever the
 * host's is */
#include <glib/gi18n-lib.h>

/* the country names: iso-codes' own translations, never our catalogue */
#define RG_ISO_3166_DOMAIN "iso_3166-1"
#endif
