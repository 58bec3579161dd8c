/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

/**
 * RgAddress:
 *
 * One parsed, normalised mailbox: an optional display name, the local part and the domain,
 * the domain lower-cased, without a trailing dot, in Unicode and in ASCII (A-label) form.
 */
typedef struct _RgAddress RgAddress;

#define RG_TYPE_ADDRESS (rg_address_get_type())

RG_API GType rg_address_get_type(void);
RG_API RgAddress *rg_address_ref(RgAddress *self);
RG_API void rg_address_unref(RgAddress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgAddress, rg_address_unref)

RG_API RgAddress *rg_address_parse(const char *text, GError **error);
RG_API GPtrArray *rg_address_list_parse(const char *text, GError **error);

RG_API const char *rg_address_get_input(const RgAddress *self);
RG_API const char *rg_address_get_name(const RgAddress *self);
RG_API const char *rg_address_get_local_part(const RgAddress *self);
RG_API const char *rg_address_get_domain(const RgAddress *self);
RG_API const char *rg_address_get_domain_ascii(const RgAddress *self);
RG_API const char *rg_address_get_addr_spec(const RgAddress *self);
RG_API char *rg_address_with_domain(const RgAddress *self, const char *domain);
RG_API char *rg_address_make_visible(const char *text, const char *keep);
RG_API char *rg_address_list_replace(const char *text,
                                     const char *old_addr_spec,
                                     const char *new_addr_spec,
                                     GError **error);

G_END_DECLS
