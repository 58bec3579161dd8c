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
} RgImportResult;

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
RG_API const char *rg_import_source_get_name(RgImportSource *self);

G_END_DECLS
