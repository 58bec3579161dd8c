/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard's page in Evolution's Preferences: the on/off switch of the user settings shared
 * by every host (unless the system policy locks it), the effective policy with where each
 * value comes from, what the history store holds, and an import from notmuch. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <shell/e-shell.h>

#include "rg-evolution-prefs.h"
#include "rg-evolution-settings.h"
#include "rg-evolution-sources.h"
#include "rg-prefs.h"

static void
rg_evolution_prefs_enabled_toggled_cb(GtkToggleButton *button, gpointer user_data)
{
	GtkLabel *status = GTK_LABEL(user_data);
	g_autoptr(RgSession) settings = rg_evolution_settings_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree char *msg = NULL;
	gboolean active = gtk_toggle_button_get_active(button);

	if (rg_session_set_setting(settings, "enabled", active ? "true" : "false", &error_local)) {
		gtk_label_set_text(status, "");
		rg_evolution_session_forget_all();
		return;
	}
	g_warning("%s", error_local->message);
	/* TRANSLATORS: %s is a technical error message */
	msg = g_strdup_printf(_("The setting could not be saved: %s"), error_local->message);
	gtk_label_set_text(status, msg);
	g_signal_handlers_block_by_func(button, rg_evolution_prefs_enabled_toggled_cb, user_data);
	gtk_toggle_button_set_active(button, !active);
	g_signal_handlers_unblock_by_func(button, rg_evolution_prefs_enabled_toggled_cb, user_data);
}

static GtkWidget *
rg_evolution_prefs_heading(const char *text)
{
	GtkWidget *label = gtk_label_new(text);
	PangoAttrList *attrs = pango_attr_list_new();

	pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	gtk_label_set_attributes(GTK_LABEL(label), attrs);
	pango_attr_list_unref(attrs);
	gtk_label_set_xalign(GTK_LABEL(label), 0.0);
	gtk_widget_set_margin_top(label, 6);
	return label;
}

static GtkWidget *
rg_evolution_prefs_text(const char *text)
{
	GtkWidget *label = rg_prefs_text_new(text);

	gtk_widget_set_margin_start(label, 12);
	return label;
}

/* every key of the effective policy: its value and where it comes from */
static GtkWidget *
rg_evolution_prefs_policy_grid(RgSession *settings)
{
	GtkWidget *grid = gtk_grid_new();
	const char *const *keys = rg_session_list_settings();

	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	gtk_grid_set_row_spacing(GTK_GRID(grid), 2);
	gtk_widget_set_margin_start(grid, 12);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *locked = NULL;
		const char *origin = NULL;
		g_autofree char *value =
		    rg_session_get_setting(settings, keys[i], &origin, &locked);
		g_autofree char *where = NULL;
		GtkWidget *label;

		if (locked != NULL)
			/* TRANSLATORS: %s is the system policy file that locks a setting */
			where = g_strdup_printf(_("locked by %s"), locked);
		else if (origin != NULL)
			where = g_strdup(origin);
		else
			/* TRANSLATORS: where a setting's value comes from: rcptguard's own default
			 */
			where = g_strdup(_("default"));
		label = gtk_label_new(keys[i]);
		gtk_label_set_xalign(GTK_LABEL(label), 0.0);
		gtk_grid_attach(GTK_GRID(grid), label, 0, i, 1, 1);
		label = gtk_label_new(value != NULL && value[0] != '\0' ? value : "—");
		gtk_label_set_xalign(GTK_LABEL(label), 0.0);
		gtk_label_set_selectable(GTK_LABEL(label), TRUE);
		gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
		gtk_label_set_max_width_chars(GTK_LABEL(label), 40);
		gtk_widget_set_tooltip_text(label, value);
		gtk_grid_attach(GTK_GRID(grid), label, 1, i, 1, 1);
		label = gtk_label_new(where);
		gtk_label_set_xalign(GTK_LABEL(label), 0.0);
		gtk_style_context_add_class(gtk_widget_get_style_context(label), "dim-label");
		gtk_grid_attach(GTK_GRID(grid), label, 2, i, 1, 1);
	}
	return grid;
}

/* what the history store holds; read from the store, so that opening the page never waits
 * for an import */
static void
rg_evolution_prefs_show_stats(GtkLabel *label)
{
	g_autoptr(RgSession) settings = rg_evolution_settings_new();
	RgHistoryStats stats = {0};
	g_autoptr(GError) error_local = NULL;
	g_autofree char *addresses = NULL;
	g_autofree char *msg = NULL;

	if (!rg_session_get_history_stats(settings, &stats, &error_local)) {
		/* TRANSLATORS: %s is a technical error message */
		msg = g_strdup_printf(_("The history could not be read: %s"), error_local->message);
		gtk_label_set_text(label, msg);
		return;
	}
	addresses = g_strdup_printf(
	    g_dngettext(GETTEXT_PACKAGE,
	                /* TRANSLATORS: the first part of "N known addresses in M domains" */
	                "%u known address",
	                "%u known addresses",
	                stats.n_addresses),
	    stats.n_addresses);
	msg = g_strdup_printf(
	    g_dngettext(GETTEXT_PACKAGE,
	                /* TRANSLATORS: %1$s is "N known addresses", %2$u the number of domains */
	                "%1$s in %2$u domain.",
	                "%1$s in %2$u domains.",
	                stats.n_domains),
	    addresses,
	    stats.n_domains);
	if (stats.n_imported_messages > 0) {
		g_autofree char *more =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                /* TRANSLATORS: appended to "N known addresses in M
		                                   domains."; %u is a number */
		                                "%u message read from notmuch.",
		                                "%u messages read from notmuch.",
		                                stats.n_imported_messages),
		                    stats.n_imported_messages);
		g_autofree char *both = g_strdup_printf("%s %s", msg, more);
		g_free(msg);
		msg = g_steal_pointer(&both);
	}
	gtk_label_set_text(label, msg);
}

/* an import from notmuch: the core runs it in a worker thread; the page shows it */
typedef struct {
	GtkWidget *button;
	GtkWidget *progress;
	GtkLabel *stats;
} RgEvolutionImport;

static void
rg_evolution_import_free(gpointer data)
{
	RgEvolutionImport *imp = data;
	g_clear_object(&imp->button);
	g_clear_object(&imp->progress);
	g_clear_object(&imp->stats);
	g_free(imp);
}

static RgEvolutionImport *
rg_evolution_import_copy(const RgEvolutionImport *imp)
{
	RgEvolutionImport *copy = g_new0(RgEvolutionImport, 1);
	copy->button = g_object_ref(imp->button);
	copy->progress = g_object_ref(imp->progress);
	copy->stats = g_object_ref(imp->stats);
	return copy;
}

static void
rg_evolution_import_progress_cb(guint done, guint total, gpointer user_data)
{
	RgEvolutionImport *imp = user_data;
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(imp->progress),
	                              total > 0 ? (double)done / total : 0.0);
}

static void
rg_evolution_import_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RgEvolutionImport *imp = user_data;
	RgImportResult result = {0};
	g_autoptr(GError) error_local = NULL;

	gtk_widget_set_sensitive(imp->button, TRUE);
	gtk_widget_hide(imp->progress);
	if (!rg_session_import_finish(RG_SESSION(source), res, &result, &error_local)) {
		/* TRANSLATORS: %s is a technical error message */
		g_autofree char *msg = g_strdup_printf(_("Nothing was imported from notmuch: %s"),
		                                       error_local->message);
		g_warning("notmuch import: %s", error_local->message);
		gtk_label_set_text(imp->stats, msg);
		return;
	}
	g_debug("notmuch import: %u messages, %u sent, %u received",
	        result.n_messages,
	        result.n_sent,
	        result.n_received);
	/* the next check reads the history again */
	rg_evolution_session_forget_all();
	rg_evolution_prefs_show_stats(imp->stats);
}

static void
rg_evolution_import_clicked_cb(GtkButton *button, gpointer user_data)
{
	RgEvolutionImport *imp = rg_evolution_import_copy(user_data);
	g_autoptr(RgSession) settings = rg_evolution_settings_new();
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(NULL);

	gtk_widget_set_sensitive(imp->button, FALSE);
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(imp->progress), 0.0);
	gtk_widget_show(imp->progress);
	/* progress and completion share @imp; the last of them frees it */
	rg_session_import_async(settings,
	                        source,
	                        NULL,
	                        rg_evolution_import_progress_cb,
	                        imp,
	                        rg_evolution_import_free,
	                        rg_evolution_import_done_cb,
	                        imp);
}

static GtkWidget *
rg_evolution_prefs_import_new(GtkLabel *stats)
{
	RgEvolutionImport *template = g_new0(RgEvolutionImport, 1);
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);

	template->button =
	    /* TRANSLATORS: button; reads who the user corresponds with from the notmuch index */
	    g_object_ref_sink(gtk_button_new_with_mnemonic(_("_Import from notmuch")));
	template->progress = g_object_ref_sink(gtk_progress_bar_new());
	template->stats = g_object_ref(stats);
	gtk_widget_set_tooltip_text(
	    template->button,
	    _("Learn who you write to and who writes to you from your notmuch mail index"));
	gtk_widget_set_no_show_all(template->progress, TRUE);
	gtk_widget_set_valign(template->progress, GTK_ALIGN_CENTER);
	gtk_widget_set_margin_start(box, 12);
	gtk_box_pack_start(GTK_BOX(box), template->button, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), template->progress, TRUE, TRUE, 0);
	g_signal_connect_data(template->button,
	                      "clicked",
	                      G_CALLBACK(rg_evolution_import_clicked_cb),
	                      template,
	                      (GClosureNotify)(void (*)(void))rg_evolution_import_free,
	                      0);
	return box;
}

/* ------------------------------------------------------------------ Evolution's own mail */

static void
rg_evolution_prefs_sources_read_again(void)
{
	rg_evolution_sources_start(e_shell_get_default(), TRUE);
}

static const RgSourcesPanelHost rg_evolution_prefs_sources_host = {
    .kind_prefix = "evolution-",
    .session_new = rg_evolution_settings_new,
    .running = rg_evolution_sources_running,
    .read_again = rg_evolution_prefs_sources_read_again,
    .set_notify = rg_evolution_sources_set_notify,
};

/* what was read from the Sent folders and address books, per source, and Read Again */
static void
rg_evolution_prefs_add_sources(GtkBox *box)
{
	GtkWidget *panel = rg_sources_panel_new(&rg_evolution_prefs_sources_host, TRUE);

	gtk_box_pack_start(box,
	                   rg_evolution_prefs_heading(_("Your Sent Folders and Address Books")),
	                   FALSE,
	                   FALSE,
	                   0);
	gtk_box_pack_start(
	    box,
	    rg_evolution_prefs_text(_("Who you write to is read from the Sent folder of every "
	                              "identity and the local one, and your address books; after "
	                              "that, only what changed. Remote folders are read from what "
	                              "Evolution keeps on this computer, never from the server.")),
	    FALSE,
	    FALSE,
	    0);
	gtk_widget_set_margin_start(panel, 12);
	gtk_box_pack_start(box, panel, FALSE, FALSE, 0);
}

static void
rg_evolution_prefs_add_summary(GtkBox *box, RgSession *settings)
{
	GPtrArray *problems = rg_session_get_policy_problems(settings);
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(NULL);
	GtkWidget *expander;
	GtkWidget *history;

	/* TRANSLATORS: a heading of the preferences page: what the organisation's policy says */
	gtk_box_pack_start(box, rg_evolution_prefs_heading(_("Policy")), FALSE, FALSE, 0);
	if (problems->len == 0)
		gtk_box_pack_start(
		    box,
		    rg_evolution_prefs_text(_("The policy was read without problems.")),
		    FALSE,
		    FALSE,
		    0);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *problem = rg_problem_to_string(g_ptr_array_index(problems, i));
		/* TRANSLATORS: %s is a technical description such as "FILE:LINE: key: problem" */
		g_autofree char *msg = g_strdup_printf(_("Problem: %s"), problem);
		gtk_box_pack_start(box, rg_evolution_prefs_text(msg), FALSE, FALSE, 0);
	}
	/* TRANSLATORS: an expander showing every setting of the effective policy */
	expander = gtk_expander_new_with_mnemonic(_("_Effective settings"));
	gtk_container_add(GTK_CONTAINER(expander), rg_evolution_prefs_policy_grid(settings));
	gtk_widget_set_margin_start(expander, 12);
	gtk_box_pack_start(box, expander, FALSE, FALSE, 0);

	/* TRANSLATORS: a heading of the preferences page: the correspondents rcptguard knows */
	gtk_box_pack_start(box, rg_evolution_prefs_heading(_("History")), FALSE, FALSE, 0);
	history = rg_evolution_prefs_text("");
	rg_evolution_prefs_show_stats(GTK_LABEL(history));
	gtk_box_pack_start(box, history, FALSE, FALSE, 0);
	if (rg_session_get_can_import(settings, source))
		gtk_box_pack_start(
		    box, rg_evolution_prefs_import_new(GTK_LABEL(history)), FALSE, FALSE, 0);
	rg_evolution_prefs_add_sources(box);
}

/**
 * rg_evolution_prefs_page_new:
 * @window: Evolution's preferences window
 *
 * Returns: (transfer floating): the page
 */
GtkWidget *
rg_evolution_prefs_page_new(EPreferencesWindow *window)
{
	g_autoptr(RgSession) settings = rg_evolution_settings_new();
	const char *locked = rg_session_get_locked_by(settings, "enabled");
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	GtkWidget *check;
	GtkWidget *status;

	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_box_pack_start(
	    GTK_BOX(box), rg_evolution_prefs_heading(_("Recipient Check")), FALSE, FALSE, 0);
	check = gtk_check_button_new_with_mnemonic(
	    /* TRANSLATORS: check box; the setting applies to every mail program using rcptguard */
	    _("_Check recipients before sending"));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), rg_session_get_enabled(settings));
	status = rg_evolution_prefs_text("");
	if (locked != NULL) {
		g_autofree char *msg =
		    /* TRANSLATORS: %s is the system policy file that locks the setting */
		    g_strdup_printf(_("Your organization's policy (%s) sets this."), locked);
		gtk_widget_set_sensitive(check, FALSE);
		gtk_label_set_text(GTK_LABEL(status), msg);
	}
	g_signal_connect(
	    check, "toggled", G_CALLBACK(rg_evolution_prefs_enabled_toggled_cb), status);
	gtk_widget_set_margin_start(check, 12);
	gtk_box_pack_start(GTK_BOX(box), check, FALSE, FALSE, 0);
	gtk_box_pack_start(
	    GTK_BOX(box),
	    rg_evolution_prefs_text(_("This setting is shared by every mail program that uses "
	                              "rcptguard.")),
	    FALSE,
	    FALSE,
	    0);
	gtk_box_pack_start(GTK_BOX(box), status, FALSE, FALSE, 0);
	rg_evolution_prefs_add_summary(GTK_BOX(box), settings);
	gtk_widget_show_all(box);
	return box;
}
