/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Import from notmuch" on the preferences page: the core imports in a worker thread, so
 * Claws stays responsive during a first import of a large mailbox; this file only shows the
 * progress and the result. */
#include "config.h"

#include "rg-claws.h"

#include <glib/gi18n-lib.h>

/* One running import. The widgets are weak pointers because the preferences window may be
 * closed while it runs; everything is touched on the main thread only. */
typedef struct {
	GtkWidget *button;
	GtkWidget *progress;
	GtkWidget *status;
	GCancellable *cancellable;
} RgClawsImport;

/* the imports running, so that unloading the plugin can stop them and wait for the last of
 * their callbacks */
static GPtrArray *rg_claws_imports = NULL;

/* the last callback of an import: the core calls it once nothing else of it is pending */
static void
rg_claws_import_free(gpointer data)
{
	RgClawsImport *import = data;
	g_ptr_array_remove(rg_claws_imports, import);
	g_clear_weak_pointer(&import->button);
	g_clear_weak_pointer(&import->progress);
	g_clear_weak_pointer(&import->status);
	g_clear_object(&import->cancellable);
	g_free(import);
}

static void
rg_claws_import_progress_cb(guint done, guint total, gpointer user_data)
{
	RgClawsImport *import = user_data;
	if (import->progress != NULL && total > 0)
		gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(import->progress),
		                              (double)done / total);
}

static void
rg_claws_import_done_cb(GObject *source, GAsyncResult *res, gpointer data)
{
	RgClawsImport *import = data;
	RgImportResult result = {0};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	if (!rg_session_import_finish(RG_SESSION(source), res, &result, &error)) {
		g_debug("notmuch import failed: %s", error->message);
		/* TRANSLATORS: %s is a technical error message */
		text = g_strdup_printf(_("The import failed: %s"), error->message);
	} else {
		g_debug("notmuch import done: %u messages", result.n_messages);
		if (result.n_messages == 0)
			text = g_strdup(_("Nothing new since the last import."));
		else
			text = g_strdup_printf(
			    g_dngettext(GETTEXT_PACKAGE,
			                /* TRANSLATORS: the numbers are message counts */
			                "Read %1$u message: %2$u sent by you, %3$u "
			                "received, %4$u spam or deleted.",
			                "Read %1$u messages: %2$u sent by you, %3$u "
			                "received, %4$u spam or deleted.",
			                result.n_messages),
			    result.n_messages,
			    result.n_sent,
			    result.n_received,
			    result.n_junk);
		if (import->progress != NULL)
			gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(import->progress), 1.0);
	}
	if (import->status != NULL)
		gtk_label_set_text(GTK_LABEL(import->status), text);
	if (import->button != NULL)
		gtk_widget_set_sensitive(import->button, TRUE);
}

static void
rg_claws_import_clicked_cb(GtkButton *button, gpointer data)
{
	GtkWidget *box = data;
	g_autoptr(RgSession) session = rg_claws_session_new(NULL);
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(NULL);
	RgClawsImport *import = g_new0(RgClawsImport, 1);

	g_set_weak_pointer(&import->button, GTK_WIDGET(button));
	g_set_weak_pointer(&import->progress, g_object_get_data(G_OBJECT(box), "progress"));
	g_set_weak_pointer(&import->status, g_object_get_data(G_OBJECT(box), "status"));
	import->cancellable = g_cancellable_new();
	gtk_widget_set_sensitive(GTK_WIDGET(button), FALSE);
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(import->progress), 0.0);
	/* TRANSLATORS: shown beside the import button while the import runs */
	gtk_label_set_text(GTK_LABEL(import->status), _("Importing…"));

	if (rg_claws_imports == NULL)
		rg_claws_imports = g_ptr_array_new();
	g_ptr_array_add(rg_claws_imports, import);
	/* the policy as it is now says which database, and whether at all; a failure to
	 * read it shows in the result line */
	rg_session_load_policy(session, NULL);
	rg_session_import_async(session,
	                        source,
	                        import->cancellable,
	                        rg_claws_import_progress_cb,
	                        import,
	                        rg_claws_import_free,
	                        rg_claws_import_done_cb,
	                        import);
}

/**
 * rg_claws_import_add_to_page:
 * @box: the history section of the preferences page
 * @session: the session the page shows
 *
 * Adds the "Import from notmuch" button with its progress bar and result line, or a line
 * saying why it is not offered.
 */
void
rg_claws_import_add_to_page(GtkWidget *box, RgSession *session)
{
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(NULL);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *button;
	GtkWidget *progress;
	GtkWidget *status;

	if (rg_session_get_policy(session) != NULL && !rg_session_get_can_import(session, source)) {
		status = gtk_label_new(_("Your organisation's policy does not allow reading the "
		                         "notmuch database."));
		gtk_label_set_xalign(GTK_LABEL(status), 0.0);
		gtk_box_pack_start(GTK_BOX(box), status, FALSE, FALSE, 0);
		return;
	}
	button = gtk_button_new_with_mnemonic(_("_Import from notmuch"));
	gtk_widget_set_tooltip_text(button,
	                            _("Reads who you have written to and heard from out of your "
	                              "notmuch database. After the first time only new mail is "
	                              "read."));
	progress = gtk_progress_bar_new();
	gtk_widget_set_valign(progress, GTK_ALIGN_CENTER);
	status = gtk_label_new("");
	gtk_label_set_xalign(GTK_LABEL(status), 0.0);
	gtk_label_set_line_wrap(GTK_LABEL(status), TRUE);
	gtk_label_set_selectable(GTK_LABEL(status), TRUE);
	g_object_set_data(G_OBJECT(row), "progress", progress);
	g_object_set_data(G_OBJECT(row), "status", status);
	g_signal_connect(button, "clicked", G_CALLBACK(rg_claws_import_clicked_cb), row);
	gtk_box_pack_start(GTK_BOX(row), button, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), progress, TRUE, TRUE, 0);
	gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), status, FALSE, FALSE, 0);
}

gboolean
rg_claws_import_in_progress(void)
{
	return rg_claws_imports != NULL && rg_claws_imports->len > 0;
}

/* the plugin is being unloaded: stop the imports; their callbacks, which are this module's
 * code, still run once each, so the module stays mapped until then */
void
rg_claws_import_cancel_all(void)
{
	for (guint i = 0; rg_claws_imports != NULL && i < rg_claws_imports->len; i++)
		g_cancellable_cancel(
		    ((RgClawsImport *)g_ptr_array_index(rg_claws_imports, i))->cancellable);
}
