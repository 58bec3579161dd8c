/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-api.h"
#include "rg-report.h"
#include "rg-session.h"

G_BEGIN_DECLS

/**
 * RgServerAction:
 * @RG_SERVER_ACTION_ACCEPT: let the recipient through
 * @RG_SERVER_ACTION_LOG: let it through and log it
 * @RG_SERVER_ACTION_TAG: let it through and mark the message with a header
 * @RG_SERVER_ACTION_CONFIRM: refuse this attempt with the explanation; the same recipient
 *   from the same sender is let through when sent again within `server-confirm-minutes`
 * @RG_SERVER_ACTION_HOLD: let it through, and hold the whole message for an administrator
 * @RG_SERVER_ACTION_REJECT: refuse the recipient with the explanation
 * @RG_SERVER_ACTION_TEMPFAIL: the check could not be made and `on-error` does not allow the
 *   recipient unchecked: refuse it for now, so that the sender's client tries again later
 *
 * What a mail server does with one recipient: the first six in the order of strictness, as
 * the policy's `server-action-LEVEL` keys name them.
 */
typedef enum {
	RG_SERVER_ACTION_ACCEPT,
	RG_SERVER_ACTION_LOG,
	RG_SERVER_ACTION_TAG,
	RG_SERVER_ACTION_CONFIRM,
	RG_SERVER_ACTION_HOLD,
	RG_SERVER_ACTION_REJECT,
	RG_SERVER_ACTION_TEMPFAIL,
} RgServerAction;

RG_API const char *rg_server_action_to_string(RgServerAction action);

#define RG_TYPE_SERVER_VERDICT (rg_server_verdict_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgServerVerdict, rg_server_verdict, RG, SERVER_VERDICT, GObject)

RG_API RgServerAction rg_server_verdict_get_action(RgServerVerdict *self);
RG_API const char *rg_server_verdict_get_address(RgServerVerdict *self);
RG_API RgVerdict *rg_server_verdict_get_verdict(RgServerVerdict *self);
RG_API RgLevel rg_server_verdict_get_level(RgServerVerdict *self);
RG_API const char *rg_server_verdict_get_codes(RgServerVerdict *self);
RG_API const char *rg_server_verdict_get_text(RgServerVerdict *self);
RG_API gboolean rg_server_verdict_get_confirmed(RgServerVerdict *self);
RG_API const GError *rg_server_verdict_get_error(RgServerVerdict *self);

/**
 * RgServerStats:
 * @n_senders: senders the store holds a history for
 * @n_addresses: addresses, summed over the senders
 * @n_cached: senders whose history is in memory
 *
 * What rg_server_get_stats() reports.
 */
typedef struct {
	guint n_senders;
	guint n_addresses;
	guint n_cached;
} RgServerStats;

#define RG_TYPE_SERVER (rg_server_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgServer, rg_server, RG, SERVER, GObject)

RG_API RgServer *rg_server_new(RgSession *session);
RG_API gboolean rg_server_open_store(RgServer *self, const char *path, GError **error);
RG_API const char *rg_server_get_store_moved_aside_path(RgServer *self);
RG_API void rg_server_set_cache_size(RgServer *self, guint n_senders);
RG_API char *rg_server_identify_sender(RgServer *self,
                                       const char *authenticated,
                                       const char *envelope_sender,
                                       const char *client_address);
RG_API RgServerVerdict *
rg_server_check(RgServer *self, const char *sender, const char *const *recipients);
RG_API gboolean rg_server_record_message(RgServer *self,
                                         const char *sender,
                                         GPtrArray *verdicts,
                                         GError **error);
RG_API gboolean rg_server_record_sent(RgServer *self,
                                      const char *sender,
                                      const char *const *addresses,
                                      GError **error);
RG_API gboolean rg_server_flush(RgServer *self, GError **error);
RG_API gboolean rg_server_expire(RgServer *self, GError **error);
RG_API gboolean rg_server_get_stats(RgServer *self, RgServerStats *stats, GError **error);

G_END_DECLS
