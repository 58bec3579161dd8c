/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_TYPE_HISTORY (rg_history_get_type())
RG_API G_DECLARE_FINAL_TYPE(RgHistory, rg_history, RG, HISTORY, GObject)

    /**
     * RgHistoryFlags:
     * @RG_HISTORY_FLAG_NONE: nothing special
     * @RG_HISTORY_FLAG_TRUSTED: the user trusted this address or domain explicitly
     * @RG_HISTORY_FLAG_IDENTITY: one of the user's own addresses
     * @RG_HISTORY_FLAG_JUNK: only seen on mail the user marked as spam or deleted; never counts
     *   as known
     * @RG_HISTORY_FLAG_CONFIRMED: only known because the user sent to it through rcptguard
     *   (perhaps with "Send Anyway"); the address is known, but its domain does not vouch for
     *   other addresses there while it looks like a domain known from real mail
     * @RG_HISTORY_FLAG_ADDRESS_BOOK: listed in one of the user's address books; that vouches
     *   for this address only, never for its domain, and not when the address looks like a
     *   typo of a domain known from real mail or the policy
     */
    typedef enum {
	    RG_HISTORY_FLAG_NONE = 0,
	    RG_HISTORY_FLAG_TRUSTED = 1 << 0,
	    RG_HISTORY_FLAG_IDENTITY = 1 << 1,
	    RG_HISTORY_FLAG_JUNK = 1 << 2,
	    RG_HISTORY_FLAG_CONFIRMED = 1 << 3,
	    RG_HISTORY_FLAG_ADDRESS_BOOK = 1 << 4,
    } RgHistoryFlags;

RG_API RgHistory *rg_history_new(void);
RG_API gboolean rg_history_add(RgHistory *self,
                               const char *address,
                               guint sent,
                               guint received,
                               RgHistoryFlags flags,
                               GError **error);
RG_API gboolean rg_history_add_identity(RgHistory *self, const char *address, GError **error);
RG_API gboolean rg_history_trust_domain(RgHistory *self, const char *domain, GError **error);
RG_API gboolean rg_history_load_known_file(RgHistory *self, const char *path, GError **error);
RG_API guint rg_history_get_n_addresses(RgHistory *self);
RG_API guint rg_history_get_n_domains(RgHistory *self);

G_END_DECLS
