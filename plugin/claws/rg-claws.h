/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal to the Claws Mail plugin. Claws headers need claws-features.h first: the tail of
 * struct _Compose depends on its macros, and the plugin must see the host's layout. */
#include "claws-features.h"

#include <gtk/gtk.h>
#include <rcptguard.h>

#include "compose.h"

G_BEGIN_DECLS

/* rg-claws-prefs.c: the [rcptguard] block of clawsrc and the page under Plugins */
void rg_claws_prefs_init(void);
void rg_claws_prefs_done(void);
gboolean rg_claws_prefs_get_enabled(void);
RgSession *rg_claws_session_new(const char *identity);
gboolean rg_claws_session_is_enabled(RgSession *session);
const char *rg_claws_on_error_to_string(RgPolicyOnError on_error);

/* rg-claws-import.c: "Import from notmuch" on the preferences page */
void rg_claws_import_add_to_page(GtkWidget *box, RgSession *session);
gboolean rg_claws_import_in_progress(void);
void rg_claws_import_cancel_all(void);

/* rg-claws-sources.c: the Sent folders and address books Claws holds, read in idle slices */
#define RG_CLAWS_KIND_FOLDER "claws-folder"
#define RG_CLAWS_KIND_BOOK "claws-addressbook"
typedef void (*RgClawsSourcesNotify)(gpointer data);
gboolean rg_claws_sources_start(gboolean again);
gboolean rg_claws_sources_running(void);
void rg_claws_sources_set_notify(RgClawsSourcesNotify notify, gpointer data);
gboolean rg_claws_sources_in_progress(void);
void rg_claws_sources_cancel(void);
void rg_claws_sources_add_to_page(GtkWidget *box, gboolean enabled);
gboolean rg_claws_prefs_get_read_sources(void);

/* rg-claws-check.c: the pre-send hook and what it needs */
gboolean rg_claws_check_compose(Compose *compose);
gboolean rg_claws_check_in_progress(void);
void rg_claws_check_cancel_all(void);

G_END_DECLS
