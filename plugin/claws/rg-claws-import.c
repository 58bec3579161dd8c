/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Import from notmuch" on the preferences page: the core's importer runs in a worker thread
 * with its own store handle, so Claws stays responsive during a first import of a large
 * mailbox; progress comes back to the main thread. */
#include "config.h"

#include "rg-claws.h"

#include <glib/gi18n-lib.h>

/* one running import, shared (atomic reference count) by the main thread and the progress
 * callbacks the worker queues; the widgets are weak pointers because the preferences
 * window may be closed while it runs. Everything but database and result is touched on the
 * main thread only. */
typedef struct {
	GtkWidget *button;
	GtkWidget *progress;
	GtkWidget *status;
	char *database; /* nullable: the notmuch configuration decides */
	RgNotmuchImportResult result;
} RgClawsImport;

typedef struct {
	RgClawsImport *import;
	guint done;
	guint total;
} RgClawsImportProgress;

static guint rg_claws_imports_running = 0;

static void
rg_claws_import_clear(gpointer data)
{
	RgClawsImport *import = data;
	g_clear_weak_pointer(&import->button);
	g_clear_weak_pointer(&import->progress);
	g_clear_weak_pointer(&import->status);
	g_free(import->database);
}

static void
rg_claws_import_unref(RgClawsImport *import)
{
	g_atomic_rc_box_release_full(import, rg_claws_import_clear);
}

static void
rg_claws_import_progress_free(gpointer data)
{
	RgClawsImportProgress *p = data;
	rg_claws_import_unref(p->import);
	g_free(p);
}

static gboolean
rg_claws_import_progress_idle(gpointer data)
{
	RgClawsImportProgress *p = data;
	if (p->import->progress != NULL && p->total > 0)
		gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(p->import->progress),
		                              (double)p->done / p->total);
	return G_SOURCE_REMOVE;
}

/* in the worker thread */
static void
rg_claws_import_progress_cb(guint done, guint total, gpointer user_data)
{
	RgClawsImportProgress *p = g_new0(RgClawsImportProgress, 1);
	p->import = g_atomic_rc_box_acquire(user_data);
	p->done = done;
	p->total = total;
	g_main_context_invoke_full(NULL,
	                           G_PRIORITY_DEFAULT,
	                           rg_claws_import_progress_idle,
	                           p,
	                           rg_claws_import_progress_free);
}

static void
rg_claws_import_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	RgClawsImport *import = data;
	g_autoptr(RgStore) store = NULL;
	GError *error = NULL;

	store = rg_store_open(NULL, &error);
	if (store == NULL || !rg_history_notmuch_import(store,
	                                                import->database,
	                                                NULL,
	                                                rg_claws_import_progress_cb,
	                                                import,
	                                                &import->result,
	                                                &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
rg_claws_import_done_cb(GObject *source, GAsyncResult *res, gpointer data)
{
	RgClawsImport *import = g_task_get_task_data(G_TASK(res));
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	rg_claws_imports_running--;
	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_debug("notmuch import failed: %s", error->message);
		/* TRANSLATORS: %s is a technical error message */
		text = g_strdup_printf(_("The import failed: %s"), error->message);
	} else {
		g_debug("notmuch import done: %u messages", import->result.n_messages);
		if (import->result.n_messages == 0)
			text = g_strdup(_("Nothing new since the last import."));
		else
			/* TRANSLATORS: the numbers are message counts */
			text =
			    g_strdup_printf(ngettext("Read %1$u message: %2$u sent by you, %3$u "
			                             "received, %4$u spam or deleted.",
			                             "Read %1$u messages: %2$u sent by you, %3$u "
			                             "received, %4$u spam or deleted.",
			                             import->result.n_messages),
			                    import->result.n_messages,
			                    import->result.n_sent,
			                    import->result.n_received,
			                    import->result.n_junk);
		if (import->progress != NULL)
			gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(import->progress), 1.0);
	}
	if (import->status != NULL)
		gtk_label_set_text(GTK_LABEL(import->status), text);
	if (import->button != NULL)
		gtk_widget_set_sensitive(import->button, TRUE);
	rg_claws_import_unref(import);
}

static void
rg_claws_import_clicked_cb(GtkButton *button, gpointer data)
{
	GtkWidget *box = data;
	RgClawsImport *import = g_atomic_rc_box_new0(RgClawsImport);
	g_autoptr(GTask) task = g_task_new(NULL, NULL, rg_claws_import_done_cb, NULL);

	g_set_weak_pointer(&import->button, GTK_WIDGET(button));
	g_set_weak_pointer(&import->progress, g_object_get_data(G_OBJECT(box), "progress"));
	g_set_weak_pointer(&import->status, g_object_get_data(G_OBJECT(box), "status"));
	import->database = g_strdup(g_object_get_data(G_OBJECT(box), "database"));
	gtk_widget_set_sensitive(GTK_WIDGET(button), FALSE);
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(import->progress), 0.0);
	gtk_label_set_text(GTK_LABEL(import->status), _("Importing…"));

	rg_claws_imports_running++;
	g_task_set_task_data(task, import, NULL); /* released in rg_claws_import_done_cb() */
	g_task_run_in_thread(task, rg_claws_import_thread);
}

/* the database the policy names, else NULL: the notmuch configuration decides */
static char *
rg_claws_import_database(RgPolicy *policy)
{
	const char *path = policy != NULL ? rg_policy_get_notmuch_database(policy) : NULL;
	return path != NULL && path[0] != '\0' ? g_strdup(path) : NULL;
}

/**
 * rg_claws_import_add_to_page:
 * @box: the history section of the preferences page
 * @policy: (nullable): the effective policy
 *
 * Adds the "Import from notmuch" button with its progress bar and result line, or a line
 * saying why it is not offered.
 */
void
rg_claws_import_add_to_page(GtkWidget *box, RgPolicy *policy)
{
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *button;
	GtkWidget *progress;
	GtkWidget *status;

	if (policy != NULL && !rg_policy_get_read_notmuch(policy)) {
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
	g_object_set_data_full(G_OBJECT(row), "database", rg_claws_import_database(policy), g_free);
	g_signal_connect(button, "clicked", G_CALLBACK(rg_claws_import_clicked_cb), row);
	gtk_box_pack_start(GTK_BOX(row), button, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), progress, TRUE, TRUE, 0);
	gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), status, FALSE, FALSE, 0);
}

gboolean
rg_claws_import_in_progress(void)
{
	return rg_claws_imports_running > 0;
}
