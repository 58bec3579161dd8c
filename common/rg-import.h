/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

/**
 * RgImportResult:
 * @full: everything was read (a first import, or the source was replaced)
 * @n_messages: messages examined (new or changed since the last import)
 * @n_files_read: message files opened (only mail sent by the user is read)
 * @n_sent: messages counted as sent by the user
 * @n_received: messages counted as received
 * @n_junk: messages counted as junk (spam, deleted or an excluded tag)
 * @revision: how far the source is now imported (notmuch: its database revision)
 * @n_skipped: mailboxes in From, To, Cc or Bcc that could not be read (malformed, or with a
 *   byte that is not text); the other mailboxes of the same header still count
 * @n_contacts: addresses an address book lists
 * @n_unreadable: messages that could not be read (a file that vanished while it was read, a
 *   message cut off at the end of a mailbox that is still being written); they are read
 *   the next time
 * @unchanged: a mailbox (mbox, Maildir, MH) had nothing new since its last import, or an
 *   MH folder never read is empty: nothing was read and nothing written
 *
 * What an import did.
 */
typedef struct {
	gboolean full;
	guint n_messages;
	guint n_files_read;
	guint n_sent;
	guint n_received;
	guint n_junk;
	guint64 revision;
	guint n_skipped;
	guint n_contacts;
	guint n_unreadable;
	gboolean unchanged;
} RgImportResult;

/**
 * RgImportRecord:
 * @kind: the kind of source: "notmuch", "mbox", "maildir", or a mail client's own
 *   ("claws-folder", "claws-addressbook", "evolution-folder", "evolution-addressbook")
 * @name: what identifies the source among those of its kind: a path, a folder, an address
 *   book
 * @label: (nullable): how to show the source to people, such as "Sent (Work)"
 * @state: (nullable): how far the source has been read, in its own terms; a mail client
 *   that feeds a source reads it to know where to go on
 * @n_messages: messages read from it (sent, received and junk)
 * @n_sent: of those, messages the user sent
 * @n_received: messages the user received
 * @n_junk: messages marked as spam or deleted
 * @n_contacts: addresses it lists (an address book)
 * @n_addresses: distinct addresses the store holds from it
 * @read_at: when it was last read, in seconds since the epoch
 *
 * What the history store knows about one source it was filled from.
 */
typedef struct {
	char *kind;
	char *name;
	char *label;
	char *state;
	guint64 n_messages;
	guint64 n_sent;
	guint64 n_received;
	guint64 n_junk;
	guint64 n_contacts;
	guint64 n_addresses;
	gint64 read_at;
} RgImportRecord;

RG_API void rg_import_record_free(RgImportRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgImportRecord, rg_import_record_free)
RG_API RgImportRecord *
rg_import_record_find(GPtrArray *records, const char *kind, const char *name);
RG_API char *rg_import_record_describe(const RgImportRecord *record);
RG_API char *rg_import_state_lookup(const char *state, const char *key);
RG_API gint64 rg_import_state_lookup_int(const char *state, const char *key);
RG_API char *rg_import_digest(const char *const *strings, guint n);
RG_API char *rg_import_maildir_stamp(const char *path);

/**
 * RgProgressFunc:
 * @done: work done so far
 * @total: all the work; @done / @total is the share done (it reaches 1 at the end)
 * @user_data: what was given with the function
 *
 * Called now and then during a long import.
 */
typedef void (*RgProgressFunc)(guint done, guint total, gpointer user_data);

#define RG_TYPE_IMPORT_SOURCE (rg_import_source_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgImportSource, rg_import_source, RG, IMPORT_SOURCE, GObject)

RG_API RgImportSource *rg_import_source_new_notmuch(const char *database_path);
RG_API RgImportSource *rg_import_source_new_mbox(const char *path);
RG_API RgImportSource *rg_import_source_new_maildir(const char *path);
RG_API RgImportSource *rg_import_source_new_mh(const char *path);
RG_API void rg_import_source_set_record(RgImportSource *self,
                                        const char *kind,
                                        const char *name,
                                        const char *label);
RG_API RgImportSource *
rg_import_source_new_feed(const char *kind, const char *name, const char *label);
RG_API const char *rg_import_source_get_name(RgImportSource *self);
RG_API void rg_import_source_add_identity(RgImportSource *self, const char *address);
RG_API void rg_import_source_set_replace(RgImportSource *self, gboolean replace);
RG_API void rg_import_source_set_state(RgImportSource *self, const char *state);
RG_API void rg_import_source_add_message(RgImportSource *self,
                                         const char *message_id,
                                         const char *from,
                                         const char *recipients,
                                         gint64 date);
RG_API void rg_import_source_add_contact(RgImportSource *self, const char *address);

G_END_DECLS
