/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-api.h"
#include "rg-decision.h"
#include "rg-environment.h"
#include "rg-history.h"
#include "rg-import.h"
#include "rg-policy.h"
#include "rg-report.h"
#include "rg-scorer.h"

G_BEGIN_DECLS

/**
 * RgAskFlags:
 * @RG_ASK_FLAG_NONE: the defaults of a strict policy
 * @RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE: "send anyway" is offered also when a recipient is at
 *   block (`allow-override`)
 * @RG_ASK_FLAG_ALLOW_TRUST: the user may trust recipients while deciding (`allow-trust`)
 *
 * What a front end may offer when it asks the user (in a dialog or at a terminal).
 */
typedef enum {
	RG_ASK_FLAG_NONE = 0,
	RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE = 1 << 0,
	RG_ASK_FLAG_ALLOW_TRUST = 1 << 1,
} RgAskFlags;

/**
 * RgApplyFlags:
 * @RG_APPLY_TRUST: trust what the user chose to trust
 * @RG_APPLY_LOG: write the decision to the policy's decision log
 * @RG_APPLY_RECORD: remember the recipients as written to, with the fixes
 * @RG_APPLY_ALL: all of it, what a mail client does before it sends
 *
 * What rg_session_apply_decision() does.
 */
typedef enum {
	RG_APPLY_TRUST = 1 << 0,
	RG_APPLY_LOG = 1 << 1,
	RG_APPLY_RECORD = 1 << 2,
	RG_APPLY_ALL = RG_APPLY_TRUST | RG_APPLY_LOG | RG_APPLY_RECORD,
} RgApplyFlags;

/**
 * RgHistoryStats:
 * @n_addresses: addresses the history store holds
 * @n_domains: their distinct domains
 * @n_trusted: trusted addresses and domains
 * @n_identities: the user's own addresses
 * @n_imported_messages: messages read from notmuch so far
 *
 * What rg_session_get_history_stats() reports.
 */
typedef struct {
	guint n_addresses;
	guint n_domains;
	guint n_trusted;
	guint n_identities;
	guint n_imported_messages;
} RgHistoryStats;

#define RG_TYPE_SESSION (rg_session_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgSession, rg_session, RG, SESSION, GObject)

RG_API RgSession *rg_session_new(void);
RG_API RgSession *rg_session_new_for_environment(RgEnvironment *env);
RG_API RgEnvironment *rg_session_get_environment(RgSession *self);
RG_API void rg_session_set_policy_file(RgSession *self, const char *path);
RG_API void rg_session_set_settings_file(RgSession *self, const char *path);
RG_API char *rg_session_get_settings_file(RgSession *self);
RG_API void rg_session_add_known_file(RgSession *self, const char *path);
RG_API void rg_session_add_identity(RgSession *self, const char *address);
RG_API void rg_session_set_notmuch_path(RgSession *self, const char *path);
RG_API void rg_session_set_busy_timeout(RgSession *self, guint milliseconds);
RG_API gboolean rg_session_load_policy(RgSession *self, GError **error);
RG_API gboolean rg_session_load(RgSession *self, GError **error);

RG_API gboolean rg_session_get_enabled(RgSession *self);
RG_API const char *rg_session_get_locked_by(RgSession *self, const char *key);
RG_API RgAskFlags rg_session_get_ask_flags(RgSession *self);
RG_API RgPolicyOnError rg_session_get_on_error(RgSession *self);
RG_API gboolean rg_session_get_can_import(RgSession *self, RgImportSource *source);
RG_API const char *const *rg_session_list_settings(void);
RG_API char *rg_session_get_setting(RgSession *self,
                                    const char *key,
                                    const char **origin,
                                    const char **locked_by);
RG_API gboolean rg_session_set_setting(RgSession *self,
                                       const char *key,
                                       const char *value,
                                       GError **error);
RG_API GPtrArray *rg_session_get_policy_problems(RgSession *self);
RG_API GPtrArray *rg_session_get_notices(RgSession *self);
RG_API guint rg_session_get_n_known_addresses(RgSession *self);
RG_API guint rg_session_get_n_known_domains(RgSession *self);
RG_API gboolean rg_session_get_history_stats(RgSession *self,
                                             RgHistoryStats *stats,
                                             GError **error);
RG_API GPtrArray *rg_session_list_sources(RgSession *self, GError **error);
RG_API GPtrArray *
rg_session_describe_sources(RgSession *self, const char *kind_prefix, GError **error);

RG_API RgPolicy *rg_session_get_policy(RgSession *self);
RG_API RgHistory *rg_session_get_history(RgSession *self);
RG_API RgScorer *rg_session_get_scorer(RgSession *self);

RG_API RgReport *rg_session_check(RgSession *self, const char *const *recipients, GError **error);
RG_API RgReport *rg_session_check_addresses(RgSession *self, GPtrArray *addresses);
RG_API RgDecision *rg_session_decide_unattended(RgSession *self, RgReport *report);
RG_API RgDecision *rg_session_ask_dialog_helper(RgSession *self,
                                                const char *const *recipients,
                                                GCancellable *cancellable,
                                                GError **error);
RG_API gboolean rg_session_apply_decision(RgSession *self,
                                          RgReport *report,
                                          const RgDecision *decision,
                                          RgApplyFlags what);
RG_API gboolean rg_session_record_sent(RgSession *self,
                                       const char *const *addresses,
                                       GError **error);
RG_API gboolean rg_session_trust(RgSession *self, const char *address_or_domain, GError **error);

RG_API gboolean rg_session_import(RgSession *self,
                                  RgImportSource *source,
                                  GCancellable *cancellable,
                                  RgProgressFunc progress,
                                  gpointer user_data,
                                  RgImportResult *result,
                                  GError **error);
RG_API void rg_session_import_async(RgSession *self,
                                    RgImportSource *source,
                                    GCancellable *cancellable,
                                    RgProgressFunc progress,
                                    gpointer progress_data,
                                    GDestroyNotify progress_notify,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
RG_API gboolean rg_session_import_finish(RgSession *self,
                                         GAsyncResult *res,
                                         RgImportResult *result,
                                         GError **error);

G_END_DECLS
