/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "rg-api.h"
#include "rg-store.h"

G_BEGIN_DECLS

/**
 * RgNotmuchImportResult:
 * @full: the whole database was read (first import, or its UUID changed)
 * @n_messages: messages examined (new or changed since the last import)
 * @n_files_read: message files opened (only mail sent by the user is read)
 * @n_sent: messages counted as sent by the user
 * @n_received: messages counted as received
 * @n_junk: messages counted as junk (spam, deleted or an excluded tag)
 * @revision: the database revision now imported
 * @n_skipped: mailboxes in From, To, Cc or Bcc that could not be read (malformed, or with a
 *   byte that is not text); the other mailboxes of the same header still count
 *
 * What rg_history_notmuch_import() did.
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
} RgNotmuchImportResult;

/**
 * RgNotmuchProgressFunc:
 * @done: work done so far
 * @total: all the work; @done / @total is the share done (it reaches 1 at the end)
 * @user_data: what was given with the function
 *
 * Called now and then during a long import.
 */
typedef void (*RgNotmuchProgressFunc)(guint done, guint total, gpointer user_data);

RG_API gboolean rg_history_notmuch_import(RgStore *store,
                                          const char *database_path,
                                          const char *config_path,
                                          RgNotmuchProgressFunc progress,
                                          gpointer user_data,
                                          RgNotmuchImportResult *result,
                                          GError **error);

G_END_DECLS
