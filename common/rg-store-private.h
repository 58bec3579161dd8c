/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-environment.h"
#include "rg-store.h"

RgStore *rg_store_open_in(RgEnvironment *env, const char *path, GError **error);
RgStore *rg_store_new_in(RgEnvironment *env, GError **error);
gboolean rg_store_record_sent_anyway(RgStore *self,
                                     const char *const *addresses,
                                     const char *const *anyway,
                                     GError **error);

/* how one imported message counts; stored per message id so that a message touched again
 * (a tag change bumps its lastmod) is never counted twice */
typedef enum {
	RG_STORE_MESSAGE_NONE = 0,
	RG_STORE_MESSAGE_RECEIVED = 1,
	RG_STORE_MESSAGE_SENT = 2,
	RG_STORE_MESSAGE_JUNK = 3,
} RgStoreMessageKind;

/* An import batch: begin reads the state (no lock), messages accumulate in memory, commit
 * writes everything in one short transaction. When the commit cannot get the lock, the
 * batch stays pending and rg_store_load() still adds it, so nothing read is lost. */
gboolean rg_store_import_begin(
    RgStore *self, const char *uuid, gboolean *out_full, guint64 *out_since, GError **error);
/* what identifies an imported message: a 64-bit hash of its Message-ID, so the store
 * keeps no message ids in clear and compares integers */
gint64 rg_store_message_key(const char *message_id);
RgStoreMessageKind rg_store_import_lookup(RgStore *self, gint64 key);
void rg_store_import_message(RgStore *self,
                             gint64 key,
                             RgStoreMessageKind previous,
                             RgStoreMessageKind kind,
                             gint64 date,
                             const char *const *addresses,
                             guint n_addresses);
gboolean rg_store_import_set_identities(RgStore *self, const char *const *identities);
gboolean rg_store_import_commit(
    RgStore *self, const char *path, const char *uuid, guint64 revision, GError **error);
