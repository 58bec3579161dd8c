/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-api.h"
#include "rg-history.h"
#include "rg-import.h"

G_BEGIN_DECLS

#define RG_TYPE_STORE (rg_store_get_type())
RG_API G_DECLARE_FINAL_TYPE(RgStore, rg_store, RG, STORE, GObject)

    /**
     * RgStoreSource:
     * @RG_STORE_SOURCE_NOTMUCH: learned from a notmuch database
     * @RG_STORE_SOURCE_SENT: recorded when the user sent a message
     * @RG_STORE_SOURCE_TRUST: the user trusted it explicitly
     * @RG_STORE_SOURCE_KNOWN: imported from a known-correspondents file
     * @RG_STORE_SOURCE_SENT_ANYWAY: recorded when the user sent to it with "Send Anyway"
     *   while it was flagged; its sends then vouch for nothing (%RG_EVIDENCE_NONE), and the
     *   last one's date is shown when it is flagged again
     * @RG_STORE_SOURCE_MAILBOX: read from a mailbox (an mbox, a Maildir, a mail client's
     *   folder)
     * @RG_STORE_SOURCE_ADDRESS_BOOK: listed in an address book
     *
     * Where the store learned about an address.
     */
    typedef enum {
	    RG_STORE_SOURCE_NOTMUCH = 1 << 0,
	    RG_STORE_SOURCE_SENT = 1 << 1,
	    RG_STORE_SOURCE_TRUST = 1 << 2,
	    RG_STORE_SOURCE_KNOWN = 1 << 3,
	    RG_STORE_SOURCE_SENT_ANYWAY = 1 << 4,
	    RG_STORE_SOURCE_MAILBOX = 1 << 5,
	    RG_STORE_SOURCE_ADDRESS_BOOK = 1 << 6,
    } RgStoreSource;

/**
 * RgStoreStats:
 * @n_addresses: addresses held
 * @n_domains: distinct domains of those addresses
 * @n_trusted: trusted addresses and domains
 * @n_identities: the user's own addresses
 * @n_messages: notmuch messages already imported
 * @sent: messages sent, summed over all addresses
 * @received: messages received, summed over all addresses
 * @junk: messages only seen as spam or deleted
 * @notmuch_path: (nullable): the notmuch database last imported from
 * @notmuch_uuid: (nullable): its UUID
 * @notmuch_revision: the revision imported up to
 * @imported_at: when, in seconds since the epoch (0: never)
 *
 * What rg_store_get_stats() reports. Free the strings with rg_store_stats_clear().
 */
typedef struct {
	guint n_addresses;
	guint n_domains;
	guint n_trusted;
	guint n_identities;
	guint n_messages;
	guint64 sent;
	guint64 received;
	guint64 junk;
	char *notmuch_path;
	char *notmuch_uuid;
	guint64 notmuch_revision;
	gint64 imported_at;
} RgStoreStats;

RG_API char *rg_store_get_default_path(void);
RG_API RgStore *rg_store_open(const char *path, GError **error);
RG_API RgStore *rg_store_open_full(const char *path, guint busy_timeout, GError **error);
RG_API RgStore *rg_store_new_in_memory(GError **error);
RG_API const char *rg_store_get_path(RgStore *self);
RG_API const char *rg_store_get_moved_aside_path(RgStore *self);
RG_API void rg_store_set_busy_timeout(RgStore *self, guint milliseconds);

/**
 * RgStoreTrustFilter:
 * @entry: a trusted address or domain
 * @user_data: the filter's data
 *
 * Returns: whether the entry still counts
 */
typedef gboolean (*RgStoreTrustFilter)(const char *entry, gpointer user_data);

RG_API void rg_store_set_trust_filter(RgStore *self, RgStoreTrustFilter filter, gpointer user_data);
RG_API gboolean rg_store_load(RgStore *self, RgHistory *history, GError **error);
RG_API guint rg_store_get_n_skipped(RgStore *self);
RG_API gboolean rg_store_record_sent(RgStore *self, const char *const *addresses, GError **error);
RG_API gboolean rg_store_add_known_file(RgStore *self,
                                        const char *path,
                                        guint *n_added,
                                        GError **error);
RG_API gboolean rg_store_trust(RgStore *self,
                               const char *address_or_domain,
                               const char *by,
                               GError **error);
RG_API gboolean rg_store_forget(RgStore *self,
                                const char *address_or_domain,
                                guint *n_forgotten,
                                GError **error);
RG_API gboolean rg_store_export(RgStore *self, GOutputStream *out, GError **error);
RG_API gboolean rg_store_get_stats(RgStore *self, RgStoreStats *stats, GError **error);
RG_API void rg_store_stats_clear(RgStoreStats *stats);
RG_API GPtrArray *rg_store_list_sources(RgStore *self, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgStoreStats, rg_store_stats_clear)

G_END_DECLS
