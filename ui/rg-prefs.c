/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the Claws Mail and Evolution preference pages share (rg-prefs.h). */

#include "config.h"

#include "rg-prefs.h"

#include <glib/gi18n-lib.h>

typedef struct {
	const RgSourcesPanelHost *host;
	gboolean enabled;
	GtkWidget *list;
	GtkWidget *status;
	GtkWidget *button;
} RgSourcesPanel;

/**
 * rg_prefs_text_new:
 * @text: what to show; it may quote files, folder names and addresses
 *
 * Returns: (transfer floating): a left-aligned, wrapped, selectable label in which no
 * hidden or look-alike character is shown raw (rg_address_make_visible(), newlines kept).
 */
GtkWidget *
rg_prefs_text_new(const char *text)
{
	g_autofree char *visible = rg_address_make_visible(text, "\n");
	GtkWidget *label = gtk_label_new(visible);

	gtk_label_set_xalign(GTK_LABEL(label), 0.0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	return label;
}

/* what the store holds from the host's sources, one line each */
static void
rg_sources_panel_fill(gpointer data)
{
	RgSourcesPanel *self = data;
	g_autoptr(RgSession) session = self->host->session_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) lines =
	    rg_session_describe_sources(session, self->host->kind_prefix, &error);
	g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(self->list));
	gboolean running = self->host->running();

	for (GList *l = children; l != NULL; l = l->next)
		gtk_widget_destroy(l->data);
	if (lines == NULL)
		gtk_box_pack_start(
		    GTK_BOX(self->list), rg_prefs_text_new(error->message), FALSE, FALSE, 0);
	else if (lines->len == 0)
		gtk_box_pack_start(GTK_BOX(self->list),
		                   rg_prefs_text_new(_("Nothing has been read from your folders "
		                                       "and address books yet.")),
		                   FALSE,
		                   FALSE,
		                   0);
	for (guint i = 0; lines != NULL && i < lines->len; i++)
		gtk_box_pack_start(GTK_BOX(self->list),
		                   rg_prefs_text_new(g_ptr_array_index(lines, i)),
		                   FALSE,
		                   FALSE,
		                   0);
	gtk_widget_show_all(self->list);
	gtk_label_set_text(GTK_LABEL(self->status),
	                   running ? _("Reading your Sent folders and address books…") : "");
	gtk_widget_set_sensitive(self->button, self->enabled && !running);
}

static void
rg_sources_panel_again_cb(GtkButton *button, gpointer data)
{
	RgSourcesPanel *self = data;

	self->host->read_again();
}

static void
rg_sources_panel_destroy_cb(GtkWidget *widget, gpointer data)
{
	RgSourcesPanel *self = data;

	self->host->set_notify(NULL, NULL);
	g_free(self);
}

/**
 * rg_sources_panel_new:
 * @host: what the panel asks its host; kept alive by the host as long as the panel
 * @enabled: whether reading the sources is switched on (else "Read Again" is insensitive)
 *
 * Returns: (transfer floating): a vertical box: the lines, then "Read Again" with the
 * status beside it. It follows the host's reads until it is destroyed.
 */
GtkWidget *
rg_sources_panel_new(const RgSourcesPanelHost *host, gboolean enabled)
{
	RgSourcesPanel *self = g_new0(RgSourcesPanel, 1);
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);

	g_return_val_if_fail(host != NULL && host->session_new != NULL && host->running != NULL &&
	                         host->read_again != NULL && host->set_notify != NULL,
	                     NULL);
	self->host = host;
	self->enabled = enabled;
	self->list = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
	self->status = gtk_label_new("");
	/* TRANSLATORS: button; reads the Sent folders and address books from the start */
	self->button = gtk_button_new_with_mnemonic(_("_Read Again"));
	gtk_widget_set_tooltip_text(self->button,
	                            _("Reads every Sent folder and address book from the start, "
	                              "replacing what was read from them before."));
	gtk_label_set_xalign(GTK_LABEL(self->status), 0.0);
	gtk_box_pack_start(GTK_BOX(row), self->button, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), self->status, TRUE, TRUE, 0);
	gtk_box_pack_start(GTK_BOX(box), self->list, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);
	g_signal_connect(self->button, "clicked", G_CALLBACK(rg_sources_panel_again_cb), self);
	g_signal_connect(box, "destroy", G_CALLBACK(rg_sources_panel_destroy_cb), self);
	host->set_notify(rg_sources_panel_fill, self);
	rg_sources_panel_fill(self);
	return box;
}
