/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-environment.h"
#include "rg-store.h"

RgStore *rg_store_open_in(RgEnvironment *env, const char *path, guint busy_timeout, GError **error);

/* shared with the server's store (rg-sender-store.c): the RgError of an SQLite result code,
 * and moving a damaged database aside (returns where it went) */
#include "rg-error.h"
RgError rg_store_error_from_sqlite(int code);
char *rg_store_move_damaged(const char *path, gint64 now, GError **error);
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
	RG_STORE_MESSAGE_OTHER = 4, /* counted by another source */
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

/* A source other than notmuch (an mbox, a Maildir, a mail client's folder or address book),
 * read in a batch like notmuch's: begin looks up what was read from it before (nothing is
 * written), rg_store_import_lookup() and rg_store_import_message() take its messages, the
 * calls below its address book entries and the names it has read, and commit writes it all
 * in one short transaction. With @replace, what the source gave before is replaced.
 * @out_record (optional) is the stored record, or NULL for a source never read. */
gboolean rg_store_source_begin(RgStore *self,
                               const char *kind,
                               const char *name,
                               gboolean replace,
                               RgImportRecord **out_record,
                               GError **error);
/* the batch reads the source from the start: what it gave before is replaced */
void rg_store_source_replace(RgStore *self);
/* the user's own addresses the import went by; they stay known */
void rg_store_source_set_identities(RgStore *self, const char *const *identities, guint n);
/* every identity the store knows (normalised), or NULL */
GStrv rg_store_get_identities(RgStore *self);
/* whether the source read @item (a hash such as rg_store_message_key() gives) before */
gboolean rg_store_source_seen(RgStore *self, gint64 item);
void rg_store_source_add_item(RgStore *self, gint64 item);
/* an address the source's address book lists, normalised; the batch's list replaces the
 * one read before */
void rg_store_source_add_contact(RgStore *self, const char *address);
/* writes the batch; @state says how far the source is read now. When another process wrote
 * the same source meanwhile, its result stands and nothing is written. */
gboolean rg_store_source_commit(RgStore *self,
                                const char *label,
                                const char *state,
                                const RgImportResult *counts,
                                GError **error);
