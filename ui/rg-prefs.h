/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the hosts' preference pages share: a label for text that may quote addresses, and
 * the section that shows what was read from the host's own Sent folders and address books,
 * one line per source with its counts, with "Read Again" and a line saying when a read is
 * under way. The host owns the reading; the panel asks it. */

#include <gtk/gtk.h>
#include <rcptguard.h>

G_BEGIN_DECLS

#ifndef RG_UI_API
#define RG_UI_API __attribute__((visibility("default")))
#endif

typedef void (*RgSourcesPanelNotify)(gpointer data);

/**
 * RgSourcesPanelHost:
 * @kind_prefix: the source kinds of this host, e.g. "claws-"
 * @session_new: a new session with the host's settings, to read the store
 * @running: whether the host is reading its sources now
 * @read_again: start reading every source from the start
 * @set_notify: the host calls @notify whenever a read starts, progresses or ends;
 *   the panel sets it while it lives and clears it (NULL) when it is destroyed
 *
 * What the panel needs of its host. The host keeps it alive as long as the panel.
 */
typedef struct {
	const char *kind_prefix;
	RgSession *(*session_new)(void);
	gboolean (*running)(void);
	void (*read_again)(void);
	void (*set_notify)(RgSourcesPanelNotify notify, gpointer data);
} RgSourcesPanelHost;

RG_UI_API GtkWidget *rg_prefs_text_new(const char *text);
RG_UI_API GtkWidget *rg_sources_panel_new(const RgSourcesPanelHost *host, gboolean enabled);

G_END_DECLS
