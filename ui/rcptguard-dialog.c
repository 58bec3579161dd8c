/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-dialog: the helper behind `rcptguard check --dialog`. It is a program of its own
 * so that the CLI never needs GTK unless the dialog is asked for. Same options as
 * `rcptguard check`; prints the decision as JSON; exit 0 send, 1 edit, 2 error. It sends
 * nothing itself, so of what a mail client does after the dialog only the decision log is
 * written; the caller acts on the JSON. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <rcptguard.h>
#include <stdlib.h>
#include <string.h>

#include "rg-dialog.h"

#define EXIT_SEND 0
#define EXIT_EDIT 1
#define EXIT_USAGE 2

/* an error quotes what was typed: its control characters are spelled out, never sent */
static void
rg_dialog_helper_printerr(const char *message)
{
	g_autofree char *visible = rg_address_make_visible(message, NULL);
	g_printerr("rcptguard check --dialog: %s\n", visible);
}

static void
rg_dialog_helper_warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	g_autofree char *visible = rg_address_make_visible(message, NULL);
	g_printerr("rcptguard: %s\n", visible);
}

int
main(int argc, char **argv)
{
	g_autofree char *policy = NULL;
	g_autofree char *notmuch = NULL;
	g_auto(GStrv) known = NULL;
	g_auto(GStrv) identities = NULL;
	gboolean json = FALSE;
	gboolean allow_override = FALSE;
	gboolean no_trust = FALSE;
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RgSession) session = NULL;
	g_autoptr(GPtrArray) recipients = g_ptr_array_new();
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) decision = NULL;
	g_autofree char *out = NULL;
	RgDialogFlags flags;
	const char *override_locked = NULL;
	RgDialog *dialog;
	GOptionEntry entries[] = {
	    {"policy",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &policy,
	     N_("Use FILE as the system policy"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {"notmuch",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &notmuch,
	     N_("Read history from the notmuch database at DBPATH"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("DBPATH")},
	    {"known",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &known,
	     N_("Add the addresses in FILE as known correspondents"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {"identity",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &identities,
	     N_("Count ADDRESS as one of your own addresses"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("ADDRESS")},
	    /* accepted for symmetry with `check`: the decision is always JSON */
	    {"json", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &json, NULL, NULL},
	    {"allow-block-override",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &allow_override,
	     N_("Let “Send Anyway” send to blocked recipients"),
	     NULL},
	    {"no-trust",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &no_trust,
	     N_("Hide the buttons that trust an address or domain"),
	     NULL},
	    {NULL},
	};

	setlocale(LC_ALL, "");
	rg_i18n_init();
	/* the program's own default domain too; our strings name it anyway */
	textdomain(GETTEXT_PACKAGE);

	/* TRANSLATORS: the arguments of a command in --help */
	ctx = g_option_context_new(_("ADDRESS…"));
	g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
	g_option_context_set_summary(
	    ctx,
	    _("Shows the confirm-or-fix dialog for the recipients of one message and prints the "
	      "decision as JSON.\nExit status: 0 send, 1 edit the message, 2 on errors."));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		rg_dialog_helper_printerr(error->message);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			continue;
		if (strcmp(argv[i], "-") == 0) {
			g_printerr(_("rcptguard check --dialog: give the addresses on the command "
			             "line, not on standard input\n"));
			return EXIT_USAGE;
		}
		g_ptr_array_add(recipients, argv[i]);
	}
	if (recipients->len == 0) {
		g_printerr(_("rcptguard check --dialog: no address given; try --help\n"));
		return EXIT_USAGE;
	}
	g_ptr_array_add(recipients, NULL);

	session = rg_session_new();
	g_signal_connect(session, "warning", G_CALLBACK(rg_dialog_helper_warning_cb), NULL);
	rg_session_set_policy_file(session, policy);
	rg_session_set_notmuch_path(session, notmuch);
	for (guint i = 0; known != NULL && known[i] != NULL; i++)
		rg_session_add_known_file(session, known[i]);
	for (guint i = 0; identities != NULL && identities[i] != NULL; i++)
		rg_session_add_identity(session, identities[i]);
	if (!rg_session_load(session, &error)) {
		rg_dialog_helper_printerr(error->message);
		return EXIT_USAGE;
	}
	for (guint i = 0; i < rg_session_get_notices(session)->len; i++) {
		g_autofree char *notice = rg_address_make_visible(
		    g_ptr_array_index(rg_session_get_notices(session), i), NULL);
		g_printerr("rcptguard: %s\n", notice);
	}
	/* as `rcptguard check`: an argument that is no address is a usage error */
	for (guint i = 0; i + 1 < recipients->len; i++) {
		g_autoptr(GPtrArray) list =
		    rg_address_list_parse(g_ptr_array_index(recipients, i), &error);
		if (list == NULL) {
			rg_dialog_helper_printerr(error->message);
			return EXIT_USAGE;
		}
	}
	report = rg_session_check(session, (const char *const *)recipients->pdata, &error);
	if (report == NULL) {
		rg_dialog_helper_printerr(error->message);
		return EXIT_USAGE;
	}

	if (!rg_dialog_is_needed(report)) {
		/* a host would send straight away: no dialog for notices */
		g_printerr(_("rcptguard: no recipient needs attention; the dialog is not shown\n"));
		decision = rg_decision_new(RG_DECISION_SEND);
		out = rg_decision_to_json(decision);
		g_print("%s\n", out);
		return EXIT_SEND;
	}
	if (!gtk_init_check(&argc, &argv)) {
		g_printerr(_("rcptguard check --dialog: cannot open a display; is DISPLAY set?\n"));
		return EXIT_USAGE;
	}
	/* the policy decides; the options can make it stricter, or allow an override that
	 * the policy has not locked away */
	flags = rg_dialog_flags_for_session(session);
	g_free(rg_session_get_setting(session, "allow-override", NULL, &override_locked));
	if (allow_override && override_locked == NULL)
		flags |= RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE;
	if (no_trust)
		flags |= RG_DIALOG_FLAG_NO_TRUST;
	dialog = rg_dialog_new(NULL, report, rg_session_get_scorer(session), flags);
	decision = rg_dialog_run_decision(dialog);
	gtk_widget_destroy(GTK_WIDGET(dialog));
	rg_session_apply_decision(session, report, decision, RG_APPLY_LOG);

	out = rg_decision_to_json(decision);
	g_print("%s\n", out);
	return rg_decision_get_kind(decision) == RG_DECISION_EDIT ? EXIT_EDIT : EXIT_SEND;
}
