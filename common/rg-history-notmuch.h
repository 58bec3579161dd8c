/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include <gio/gio.h>

#include "rg-api.h"
#include "rg-import.h"
#include "rg-store.h"

G_BEGIN_DECLS

RG_API gboolean rg_history_notmuch_import(RgStore *store,
                                          const char *database_path,
                                          const char *config_path,
                                          GCancellable *cancellable,
                                          RgProgressFunc progress,
                                          gpointer user_data,
                                          RgImportResult *result,
                                          GError **error);

G_END_DECLS
