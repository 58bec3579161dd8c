/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: country-code TLD facts from iso-codes */

typedef struct _RgCountries RgCountries;

RgCountries *rg_countries_new(const char *json_path, GError **error);
void rg_countries_free(RgCountries *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgCountries, rg_countries_free)

gboolean rg_tld_is_country_code(const char *tld);
char *rg_countries_name_for_tld(RgCountries *self, const char *tld);
