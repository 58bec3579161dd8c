/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"
#include "rg-history.h"
#include "rg-policy.h"
#include "rg-report.h"
#include "rg-scorer.h"

G_BEGIN_DECLS

#define RG_TYPE_SESSION (rg_session_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgSession, rg_session, RG, SESSION, GObject)

RG_API RgSession *rg_session_new(void);
RG_API void rg_session_set_policy_file(RgSession *self, const char *path);
RG_API void rg_session_set_settings_file(RgSession *self, const char *path);
RG_API char *rg_session_get_settings_file(RgSession *self);
RG_API void rg_session_add_known_file(RgSession *self, const char *path);
RG_API void rg_session_add_identity(RgSession *self, const char *address);
RG_API void rg_session_set_notmuch_path(RgSession *self, const char *path);
RG_API gboolean rg_session_load(RgSession *self, GError **error);

RG_API RgPolicy *rg_session_get_policy(RgSession *self);
RG_API RgHistory *rg_session_get_history(RgSession *self);
RG_API RgScorer *rg_session_get_scorer(RgSession *self);
RG_API GPtrArray *rg_session_get_notices(RgSession *self);

RG_API RgReport *rg_session_check(RgSession *self, const char *const *recipients, GError **error);
RG_API gboolean rg_session_record_sent(RgSession *self,
                                       const char *const *addresses,
                                       GError **error);
RG_API RgPolicyOnError rg_session_get_on_error(RgSession *self);
RG_API gboolean rg_session_trust(RgSession *self, const char *address_or_domain, GError **error);

G_END_DECLS
