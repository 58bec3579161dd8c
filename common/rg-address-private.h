/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-address.h"

RgAddress *rg_address_new_from_parts(const char *input,
                                     const char *name,
                                     const char *addr_spec,
                                     GError **error);
gboolean rg_address_normalize_domain(const char *domain,
                                     char **out_unicode,
                                     char **out_ascii,
                                     GError **error);
GPtrArray *rg_address_read_recipients(const char *path, GError **error);
GPtrArray *rg_address_list_parse_lenient(const char *text);
char *rg_address_header_replace(const char *name,
                                const char *value,
                                GHashTable *replacements,
                                gboolean crlf,
                                guint *n_replaced);
char *rg_address_list_first_spec(const char *text);
