/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard's page in Evolution's Preferences: the on/off switch of the user settings file
 * shared by every host, what the effective policy says about itself, and what the history
 * holds. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-evolution-prefs.h"
#include "rg-evolution-settings.h"

static void
rg_evolution_prefs_enabled_toggled_cb(GtkToggleButton *button, gpointer user_data)
{
	GtkLabel *status = GTK_LABEL(user_data);
	g_autoptr(GError) error_local = NULL;
	g_autofree char *msg = NULL;
	gboolean active = gtk_toggle_button_get_active(button);

	if (rg_evolution_settings_set_enabled(active, &error_local)) {
		gtk_label_set_text(status, "");
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
	return label;
}

static GtkWidget *
rg_evolution_prefs_text(const char *text)
{
	GtkWidget *label = gtk_label_new(text);
	gtk_label_set_xalign(GTK_LABEL(label), 0.0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_widget_set_margin_start(label, 12);
	return label;
}

/* the effective policy and history as the next check will see them */
static void
rg_evolution_prefs_add_summary(GtkBox *box)
{
	g_autoptr(RgSession) session = rg_session_new();
	g_autoptr(GError) error_local = NULL;
	GPtrArray *notices;
	GPtrArray *problems;
	RgHistory *history;
	guint n_addresses;
	guint n_domains;

	gtk_box_pack_start(box, rg_evolution_prefs_heading(_("Policy")), FALSE, FALSE, 0);
	if (!rg_session_load(session, &error_local)) {
		/* TRANSLATORS: %s is a technical error message */
		g_autofree char *msg = g_strdup_printf(
		    _("The configuration could not be loaded: %s"), error_local->message);
		gtk_box_pack_start(box, rg_evolution_prefs_text(msg), FALSE, FALSE, 0);
		return;
	}
	notices = rg_session_get_notices(session);
	problems = rg_policy_get_problems(rg_session_get_policy(session));
	if (notices->len == 0 && problems->len == 0)
		gtk_box_pack_start(
		    box,
		    rg_evolution_prefs_text(_("The policy was read without problems.")),
		    FALSE,
		    FALSE,
		    0);
	for (guint i = 0; i < notices->len; i++)
		gtk_box_pack_start(
		    box, rg_evolution_prefs_text(g_ptr_array_index(notices, i)), FALSE, FALSE, 0);
	for (guint i = 0; i < problems->len; i++) {
		/* TRANSLATORS: %s is a technical description such as "FILE: key: problem" */
		g_autofree char *msg =
		    g_strdup_printf(_("Ignored: %s"), (const char *)g_ptr_array_index(problems, i));
		gtk_box_pack_start(box, rg_evolution_prefs_text(msg), FALSE, FALSE, 0);
	}

	history = rg_session_get_history(session);
	n_addresses = rg_history_get_n_addresses(history);
	n_domains = rg_history_get_n_domains(history);
	gtk_box_pack_start(box, rg_evolution_prefs_heading(_("History")), FALSE, FALSE, 0);
	{
		/* TRANSLATORS: the first part of "N known addresses in M domains" */
		g_autofree char *addresses = g_strdup_printf(
		    ngettext("%u known address", "%u known addresses", n_addresses), n_addresses);
		/* TRANSLATORS: %1$s is "N known addresses", %2$u the number of domains */
		g_autofree char *msg = g_strdup_printf(
		    ngettext("%1$s in %2$u domain.", "%1$s in %2$u domains.", n_domains),
		    addresses,
		    n_domains);
		gtk_box_pack_start(box, rg_evolution_prefs_text(msg), FALSE, FALSE, 0);
	}
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
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	GtkWidget *check;
	GtkWidget *status;

	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_box_pack_start(
	    GTK_BOX(box), rg_evolution_prefs_heading(_("Recipient Check")), FALSE, FALSE, 0);
	check = gtk_check_button_new_with_mnemonic(
	    /* TRANSLATORS: check box; the setting applies to every mail program using rcptguard */
	    _("_Check recipients before sending"));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), rg_evolution_settings_get_enabled());
	status = rg_evolution_prefs_text("");
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
	rg_evolution_prefs_add_summary(GTK_BOX(box));
	gtk_widget_show_all(box);
	return box;
}
