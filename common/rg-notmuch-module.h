/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The notmuch module (rg-notmuch-module.c, built as rcptguard-notmuch.so) and the library
 * that loads it on first use (rg-history-notmuch.c). libnotmuch brings Xapian, talloc and
 * thousands of symbols for the dynamic loader to resolve; a check that reads no notmuch
 * database should not pay for them at start-up. The module links libnotmuch and GLib only:
 * what it needs of librcptguard comes through RgNotmuchHost, so the shared library and a
 * program with a static copy of it (a test) load the same module. */

#include <gio/gio.h>

#include "rg-address.h"
#include "rg-import.h"
#include "rg-store-private.h"

/* the version of RgNotmuchHost and of the entry point, part of the entry point's name: a
 * module built from other sources is not found rather than called with a table of another
 * shape */
#define RG_NOTMUCH_MODULE_ABI 1
#define RG_NOTMUCH_MODULE_NAME "rcptguard-notmuch"
#define RG_NOTMUCH_MODULE_ENTRY "rg_notmuch_module_import_" G_STRINGIFY(RG_NOTMUCH_MODULE_ABI)

/* what the module calls back; every member is the librcptguard function of the same name */
typedef struct {
	GQuark (*error_quark)(void);
	GPtrArray *(*address_list_parse_lenient)(const char *text, gssize len, guint *n_skipped);
	GPtrArray *(*address_read_recipients)(const char *path, guint *n_skipped, GError **error);
	char *(*history_normalize)(const RgAddress *addr);
	gint64 (*store_message_key)(const char *message_id);
	gboolean (*store_import_begin)(RgStore *self,
	                               const char *uuid,
	                               gboolean *out_full,
	                               guint64 *out_since,
	                               GError **error);
	gboolean (*store_import_set_identities)(RgStore *self, const char *const *identities);
	RgStoreMessageKind (*store_import_lookup)(RgStore *self, gint64 key);
	void (*store_import_message)(RgStore *self,
	                             gint64 key,
	                             RgStoreMessageKind previous,
	                             RgStoreMessageKind kind,
	                             gint64 date,
	                             const char *const *addresses,
	                             guint n_addresses);
	gboolean (*store_import_commit)(
	    RgStore *self, const char *path, const char *uuid, guint64 revision, GError **error);
} RgNotmuchHost;

/* the module's one export, RG_NOTMUCH_MODULE_ENTRY: rg_history_notmuch_import() with the
 * host's functions */
typedef gboolean (*RgNotmuchImportFunc)(const RgNotmuchHost *host,
                                        RgStore *store,
                                        const char *database_path,
                                        const char *config_path,
                                        GCancellable *cancellable,
                                        RgProgressFunc progress,
                                        gpointer user_data,
                                        RgImportResult *result,
                                        GError **error);
