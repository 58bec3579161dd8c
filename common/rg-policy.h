/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"
#include "rg-problem.h"
#include "rg-report.h"

G_BEGIN_DECLS

/**
 * RgPolicyOnError:
 * @RG_POLICY_ON_ERROR_ASK: ask the user whether to send (the default)
 * @RG_POLICY_ON_ERROR_ALLOW: send without a check
 * @RG_POLICY_ON_ERROR_BLOCK: do not send
 *
 * What a front end does when the check itself fails.
 */
typedef enum {
	RG_POLICY_ON_ERROR_ASK,
	RG_POLICY_ON_ERROR_ALLOW,
	RG_POLICY_ON_ERROR_BLOCK,
} RgPolicyOnError;

#define RG_TYPE_POLICY (rg_policy_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgPolicy, rg_policy, RG, POLICY, GObject)

RG_API RgPolicy *rg_policy_new(void);
RG_API gboolean rg_policy_load_file(RgPolicy *self, const char *path, GError **error);
RG_API gboolean rg_policy_load_system(RgPolicy *self, GError **error);
RG_API gboolean rg_policy_load_user_file(RgPolicy *self, const char *path, GError **error);
RG_API GPtrArray *rg_policy_get_problems(RgPolicy *self);
RG_API const char *const *rg_policy_get_identities(RgPolicy *self);
RG_API guint rg_policy_get_n_errors(RgPolicy *self);

RG_API const char *const *rg_policy_list_keys(void);
RG_API char *rg_policy_get_value(RgPolicy *self, const char *key);
RG_API const char *rg_policy_get_origin(RgPolicy *self, const char *key);
RG_API const char *rg_policy_get_locked_by(RgPolicy *self, const char *key);
RG_API gboolean rg_policy_set_user_value(RgPolicy *self,
                                         const char *key,
                                         const char *value,
                                         GError **error);

RG_API gboolean rg_policy_get_enabled(RgPolicy *self);
RG_API gboolean rg_policy_get_allow_override(RgPolicy *self);
RG_API gboolean rg_policy_get_allow_trust(RgPolicy *self);
RG_API gboolean rg_policy_get_log_only(RgPolicy *self);
RG_API RgPolicyOnError rg_policy_get_on_error(RgPolicy *self);
RG_API gboolean rg_policy_get_read_notmuch(RgPolicy *self);
RG_API const char *rg_policy_get_notmuch_database(RgPolicy *self);
RG_API const char *rg_policy_get_decision_log(RgPolicy *self);
RG_API gboolean rg_policy_get_level_override(RgPolicy *self, const char *code, RgLevel *level);
RG_API gboolean rg_policy_check_trust(RgPolicy *self,
                                      const char *address_or_domain,
                                      GError **error);

G_END_DECLS
