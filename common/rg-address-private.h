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
GPtrArray *rg_address_read_recipients(const char *path, guint *n_skipped, GError **error);
GPtrArray *rg_address_list_parse_lenient(const char *text, gssize len, guint *n_skipped);
gboolean rg_address_char_is_hidden(gunichar c);
char *rg_address_describe_hidden(const char *text);
char *rg_address_strip_hidden(const char *text);
const char *rg_address_get_raw_spec(const RgAddress *self);
GPtrArray *rg_address_list_split(const char *text);
char *rg_address_header_replace(const char *name,
                                const char *value,
                                GHashTable *replacements,
                                gboolean crlf,
                                guint *n_replaced);
char *rg_address_list_first_spec(const char *text);
