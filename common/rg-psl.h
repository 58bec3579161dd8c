/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: the only door to libpsl */

typedef struct _RgPsl RgPsl;

RgPsl *rg_psl_new(const char *path, GError **error);
void rg_psl_free(RgPsl *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgPsl, rg_psl_free)

gsize rg_psl_suffix_offset(RgPsl *self, const char *ascii_domain);
gboolean rg_psl_is_known_suffix(RgPsl *self, const char *ascii_suffix);
gboolean rg_psl_tld_is_known(RgPsl *self, const char *ascii_domain);
