/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: what is known about domain names as such, apart from the user's history: the
 * public suffix list (the only door to libpsl), registrable domains, which TLDs exist and
 * which are country codes, and the country behind a ccTLD (iso-codes). */

typedef struct _RgDomains RgDomains;

RgDomains *rg_domains_new(const char *psl_path, const char *countries_path, GError **error);
RgDomains *rg_domains_get_default(GError **error);
RgDomains *rg_domains_ref(RgDomains *self);
void rg_domains_unref(RgDomains *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgDomains, rg_domains_unref)

gsize rg_domains_suffix_offset(RgDomains *self, const char *ascii_domain);
gboolean rg_domains_is_known_suffix(RgDomains *self, const char *ascii_suffix);
gboolean rg_domains_tld_is_known(RgDomains *self, const char *ascii_domain);
char *rg_domains_registrable(RgDomains *self, const char *ascii_domain);
const char *rg_domains_registrable_of(RgDomains *self, const char *ascii_domain);
gboolean rg_domains_split(
    RgDomains *self, const char *ascii_domain, char **name, char **label, char **suffix);
char *rg_domains_country_name(RgDomains *self, const char *tld);

/* facts that need no data */
const char *rg_domain_tld(const char *ascii_domain);
gboolean rg_domain_tld_is_country_code(const char *tld);
gboolean rg_domain_matches_rule(const char *ascii_domain, const char *rule_ascii);
