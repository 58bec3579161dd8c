/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-history.h"

/* internal: the mail server's store (rg-sender-store.c), for RgServer only. Per sender the
 * addresses that sender really sent to through the server, and the first attempts of
 * recipients waiting for their confirmation. Addresses and times only, never anything of a
 * message. Not thread-safe: RgServer serialises every call. Times are in seconds since the
 * epoch. */

typedef struct _RgSenderStore RgSenderStore;

/* one recipient of a message that left */
typedef struct {
	const char *address; /* normalised, as rg_history_normalize() makes it */
	gboolean confirmed;  /* flagged, and sent all the same (confirmed, tagged, logged) */
} RgSenderRecord;

/* @path NULL: in memory. A file that is not a database is moved aside (see
 * rg_sender_store_get_moved_aside_path()) and a new one started. */
RgSenderStore *rg_sender_store_open(const char *path, gint64 now, GError **error);
void rg_sender_store_free(RgSenderStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgSenderStore, rg_sender_store_free)
const char *rg_sender_store_get_moved_aside_path(RgSenderStore *self);

/* adds what @sender sent to to @history */
gboolean
rg_sender_store_load(RgSenderStore *self, const char *sender, RgHistory *history, GError **error);
/* counts one more message to each recipient (in a transaction of its own unless one is
 * open); then keeps the @max_addresses addresses of
 * @sender seen last and says in @n_dropped how many older ones went. @n_known: how many
 * addresses of @sender the caller knows of (G_MAXUINT: no idea), so that the store is only
 * counted when they could be too many. */
gboolean rg_sender_store_record(RgSenderStore *self,
                                const char *sender,
                                const RgSenderRecord *records,
                                guint n_records,
                                gint64 now,
                                guint max_addresses,
                                guint n_known,
                                guint *n_dropped,
                                GError **error);
/* one transaction around several rg_sender_store_record() calls (they join it); after a
 * failed call, rg_sender_store_abort() */
gboolean rg_sender_store_begin(RgSenderStore *self, GError **error);
gboolean rg_sender_store_commit(RgSenderStore *self, GError **error);
void rg_sender_store_abort(RgSenderStore *self);
/* Whether @sender tried to send to @address in the @window seconds before @now: then
 * @confirmed is set and the attempt stays; otherwise this attempt is remembered. */
gboolean rg_sender_store_confirm(RgSenderStore *self,
                                 const char *sender,
                                 const char *address,
                                 gint64 now,
                                 gint64 window,
                                 gboolean *confirmed,
                                 GError **error);
/* forgets what was last sent before @sent_before and attempts made before @tried_before */
gboolean rg_sender_store_expire(RgSenderStore *self,
                                gint64 sent_before,
                                gint64 tried_before,
                                guint *n_forgotten,
                                GError **error);
gboolean
rg_sender_store_count(RgSenderStore *self, guint *n_senders, guint *n_addresses, GError **error);
