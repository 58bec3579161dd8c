/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pre-send check: an extension of every message composer that handles "presend".
 * Glue only: read the recipients, ask the core, show the shared dialog, apply the decision. */
#include "config.h"

#include <composer/e-msg-composer.h>
#include <glib/gi18n-lib.h>
#include <rg-dialog.h>

#include "rg-evolution-composer.h"
#include "rg-evolution-settings.h"

struct _RgEvolutionComposer {
	EExtension parent_instance;
};

G_DEFINE_DYNAMIC_TYPE(RgEvolutionComposer, rg_evolution_composer, E_TYPE_EXTENSION)

/* the three recipient fields in the order they are checked and written back */
typedef enum {
	RG_FIELD_TO,
	RG_FIELD_CC,
	RG_FIELD_BCC,
	RG_FIELD_LAST,
} RgField;

typedef struct {
	EDestination **dests[RG_FIELD_LAST];
	GPtrArray *emails; /* (element-type utf8): the addresses checked, in field order */
} RgRecipients;

static void
rg_recipients_clear(RgRecipients *r)
{
	for (guint f = 0; f < RG_FIELD_LAST; f++)
		g_clear_pointer(&r->dests[f], e_destination_freev);
	g_clear_pointer(&r->emails, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgRecipients, rg_recipients_clear)

static void
rg_recipients_add_email(RgRecipients *r, EDestination *dest)
{
	const char *email;

	/* a contact list is checked member by member */
	if (e_destination_is_evolution_list(dest)) {
		for (const GList *l = e_destination_list_get_dests(dest); l != NULL; l = l->next)
			rg_recipients_add_email(r, l->data);
		return;
	}
	email = e_destination_get_email(dest);
	if (email != NULL && email[0] != '\0')
		g_ptr_array_add(r->emails, g_strdup(email));
}

static void
rg_recipients_read(RgRecipients *r, EComposerHeaderTable *table)
{
	r->dests[RG_FIELD_TO] = e_composer_header_table_get_destinations_to(table);
	r->dests[RG_FIELD_CC] = e_composer_header_table_get_destinations_cc(table);
	r->dests[RG_FIELD_BCC] = e_composer_header_table_get_destinations_bcc(table);
	r->emails = g_ptr_array_new_with_free_func(g_free);
	for (guint f = 0; f < RG_FIELD_LAST; f++) {
		for (guint i = 0; r->dests[f] != NULL && r->dests[f][i] != NULL; i++)
			rg_recipients_add_email(r, r->dests[f][i]);
	}
	g_ptr_array_add(r->emails, NULL);
}

/* the corrected addr-spec for @email, or NULL; keys are what rg_verdict_get_address() gives */
static const char *
rg_evolution_composer_lookup(RgReport *report, GHashTable *replacements, const char *email)
{
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		const char *address = rg_verdict_get_address(v);
		if (g_strcmp0(rg_verdict_get_input(v), email) != 0 &&
		    g_ascii_strcasecmp(address, email) != 0)
			continue;
		return g_hash_table_lookup(replacements, address);
	}
	return NULL;
}

/* a member of a contact list that the user corrected; such a member cannot be rewritten */
static const char *
rg_evolution_composer_corrected_list_member(RgRecipients *r,
                                            RgReport *report,
                                            GHashTable *replacements)
{
	for (guint f = 0; f < RG_FIELD_LAST; f++) {
		for (guint i = 0; r->dests[f] != NULL && r->dests[f][i] != NULL; i++) {
			EDestination *dest = r->dests[f][i];
			if (!e_destination_is_evolution_list(dest))
				continue;
			for (const GList *l = e_destination_list_get_dests(dest); l != NULL;
			     l = l->next) {
				const char *email = e_destination_get_email(l->data);
				if (email != NULL && rg_evolution_composer_lookup(
				                         report, replacements, email) != NULL)
					return email;
			}
		}
	}
	return NULL;
}

static void
rg_evolution_composer_explain_list(EMsgComposer *composer, const char *email)
{
	GtkWidget *dialog =
	    gtk_message_dialog_new(GTK_WINDOW(composer),
	                           GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
	                           GTK_MESSAGE_INFO,
	                           GTK_BUTTONS_CLOSE,
	                           "%s",
	                           _("The correction could not be applied."));
	gtk_message_dialog_format_secondary_text(
	    GTK_MESSAGE_DIALOG(dialog),
	    /* TRANSLATORS: %s is an e-mail address inside a contact list of the address book */
	    _("%s is part of a contact list, which cannot be changed here. Nothing was sent: "
	      "correct the address in the address book or replace the list in the message."),
	    email);
	gtk_dialog_run(GTK_DIALOG(dialog));
	gtk_widget_destroy(dialog);
}

/* Writes the corrections back into the header table; contact lists were ruled out before.
 * Returns how many were changed. */
static guint
rg_evolution_composer_apply(EComposerHeaderTable *table,
                            RgRecipients *r,
                            RgReport *report,
                            GHashTable *replacements)
{
	static void (*const setters[RG_FIELD_LAST])(EComposerHeaderTable *, EDestination **) = {
	    e_composer_header_table_set_destinations_to,
	    e_composer_header_table_set_destinations_cc,
	    e_composer_header_table_set_destinations_bcc,
	};
	guint n_changed = 0;

	for (guint f = 0; f < RG_FIELD_LAST; f++) {
		g_autoptr(GPtrArray) out = NULL;
		guint n_here = 0;

		if (r->dests[f] == NULL)
			continue;
		out = g_ptr_array_new_with_free_func(g_object_unref);
		for (guint i = 0; r->dests[f][i] != NULL; i++) {
			EDestination *dest = r->dests[f][i];
			const char *email = e_destination_get_email(dest);
			const char *fixed = NULL;

			if (!e_destination_is_evolution_list(dest) && email != NULL)
				fixed = rg_evolution_composer_lookup(report, replacements, email);
			if (fixed != NULL && g_strcmp0(fixed, email) != 0) {
				EDestination *copy = e_destination_new();
				e_destination_set_name(copy, e_destination_get_name(dest));
				e_destination_set_email(copy, fixed);
				g_ptr_array_add(out, copy);
				n_here++;
			} else {
				g_ptr_array_add(out, g_object_ref(dest));
			}
		}
		if (n_here == 0)
			continue;
		g_ptr_array_add(out, NULL);
		setters[f](table, (EDestination **)out->pdata);
		/* the table keeps its own references */
		g_ptr_array_set_size(out, out->len - 1);
		n_changed += n_here;
	}
	return n_changed;
}

/* The check itself failed: the policy's on-error mode decides. Asking offers going back to
 * the message as the safe choice. */
static gboolean
rg_evolution_composer_on_error(EMsgComposer *composer, RgSession *settings, const GError *error)
{
	GtkWidget *dialog;
	RgPolicyOnError mode = rg_session_get_on_error(settings);
	int response;

	g_warning("recipient check failed: %s", error->message);
	if (mode == RG_POLICY_ON_ERROR_ALLOW)
		return TRUE;
	if (mode == RG_POLICY_ON_ERROR_BLOCK) {
		dialog = gtk_message_dialog_new(GTK_WINDOW(composer),
		                                GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
		                                GTK_MESSAGE_ERROR,
		                                GTK_BUTTONS_CLOSE,
		                                "%s",
		                                _("The recipients could not be checked."));
		gtk_message_dialog_format_secondary_text(
		    GTK_MESSAGE_DIALOG(dialog),
		    "%s",
		    /* TRANSLATORS: shown when rcptguard itself failed and the policy forbids
		     * sending unchecked mail */
		    _("Your organization's policy does not allow sending a message whose "
		      "recipients "
		      "could not be checked. The message was not sent."));
		atk_object_set_name(gtk_widget_get_accessible(dialog), _("Recipient check failed"));
		gtk_dialog_run(GTK_DIALOG(dialog));
		gtk_widget_destroy(dialog);
		return FALSE;
	}

	dialog = gtk_message_dialog_new(GTK_WINDOW(composer),
	                                GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
	                                GTK_MESSAGE_WARNING,
	                                GTK_BUTTONS_NONE,
	                                "%s",
	                                _("The recipients could not be checked."));
	gtk_message_dialog_format_secondary_text(
	    GTK_MESSAGE_DIALOG(dialog),
	    "%s",
	    /* TRANSLATORS: shown when rcptguard itself failed; the user decides whether to send */
	    _("rcptguard could not check the recipients of this message, so nothing was "
	      "verified. Go back to the message, or send it without the check."));
	gtk_dialog_add_buttons(GTK_DIALOG(dialog),
	                       /* TRANSLATORS: button; returns to the message, nothing is sent */
	                       _("_Back to Message"),
	                       GTK_RESPONSE_CANCEL,
	                       /* TRANSLATORS: button; sends although the check failed */
	                       _("Send _Unchecked"),
	                       GTK_RESPONSE_ACCEPT,
	                       NULL);
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
	atk_object_set_name(gtk_widget_get_accessible(dialog), _("Recipient check failed"));
	response = gtk_dialog_run(GTK_DIALOG(dialog));
	gtk_widget_destroy(dialog);
	return response == GTK_RESPONSE_ACCEPT;
}

/* Remarks on the configuration (a broken policy file, an unreadable store) that the report
 * carries: into Evolution's log, each once per process; the Preferences page lists them. */
static void
rg_evolution_composer_log_notices(RgReport *report)
{
	static GHashTable *logged = NULL;
	GPtrArray *notices = rg_report_get_notices(report);

	if (logged == NULL)
		logged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; notices != NULL && i < notices->len; i++) {
		g_autofree char *notice =
		    rg_address_make_visible(g_ptr_array_index(notices, i), NULL);
		if (g_hash_table_add(logged, g_strdup(notice)))
			g_warning("%s", notice);
	}
}

/* Asks the user. A fix for a member of a contact list cannot be written back: then nothing
 * is sent and the user is told why, as if they had chosen to edit. */
static RgDecision *
rg_evolution_composer_ask(EMsgComposer *composer,
                          EComposerHeaderTable *table,
                          RgRecipients *r,
                          RgSession *session,
                          RgReport *report)
{
	g_autoptr(RgDialog) dialog = NULL;
	g_autoptr(RgDecision) decision = NULL;
	GHashTable *replacements;
	const char *member;

	dialog =
	    g_object_ref_sink(rg_dialog_new_for_session(GTK_WINDOW(composer), session, report));
	decision = rg_dialog_run_decision(dialog);
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (decision == NULL)
		return rg_decision_new(RG_DECISION_EDIT);
	if (rg_decision_get_kind(decision) != RG_DECISION_SEND_CORRECTED)
		return g_steal_pointer(&decision);
	replacements = rg_decision_get_replacements(decision);
	member = rg_evolution_composer_corrected_list_member(r, report, replacements);
	if (member != NULL) {
		rg_evolution_composer_explain_list(composer, member);
		return rg_decision_new(RG_DECISION_EDIT);
	}
	rg_evolution_composer_apply(table, r, report, replacements);
	return g_steal_pointer(&decision);
}

static gboolean
rg_evolution_composer_presend_cb(EMsgComposer *composer, gpointer user_data)
{
	EComposerHeaderTable *table;
	g_auto(RgRecipients) r = {0};
	g_autoptr(RgSession) settings = NULL;
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) decision = NULL;
	g_autoptr(GError) error_local = NULL;

	settings = rg_evolution_settings_new();
	if (!rg_session_get_enabled(settings))
		return TRUE;
	table = e_msg_composer_get_header_table(composer);
	if (table == NULL)
		return TRUE;
	rg_recipients_read(&r, table);
	if (r.emails->len <= 1)
		return TRUE; /* no recipients: Evolution's own check says so */

	session =
	    rg_evolution_session_ref(e_composer_header_table_get_from_address(table), &error_local);
	if (session != NULL)
		report =
		    rg_session_check(session, (const char *const *)r.emails->pdata, &error_local);
	if (report == NULL) {
		rg_evolution_session_forget_all();
		return rg_evolution_composer_on_error(composer, settings, error_local);
	}

	rg_evolution_composer_log_notices(report);
	/* what could not be read was not checked: the on-error mode decides about it, and the
	 * other recipients are still checked below */
	{
		g_autoptr(GError) unread = NULL;
		/* on-error as read for this send, like enabled (the session may be older) */
		if (!rg_report_is_complete(report, &unread) &&
		    !rg_evolution_composer_on_error(composer, settings, unread))
			return FALSE;
	}
	g_debug("checked %u recipient(s): %s",
	        rg_report_get_n_verdicts(report),
	        rg_level_to_string(rg_report_get_level(report)));
	if (rg_report_needs_decision(report))
		decision = rg_evolution_composer_ask(composer, table, &r, session, report);
	/* trust, the decision log and what was sent: the same flow as every front end's */
	return rg_session_apply_decision(session, report, decision, RG_APPLY_ALL);
}

static void
rg_evolution_composer_constructed(GObject *object)
{
	EExtensible *extensible;

	G_OBJECT_CLASS(rg_evolution_composer_parent_class)->constructed(object);
	extensible = e_extension_get_extensible(E_EXTENSION(object));
	/* connected after Evolution's own checks (recipients, subject, HTML), which run first
	 * anyway; a FALSE from any of them means we are never asked */
	g_signal_connect(extensible, "presend", G_CALLBACK(rg_evolution_composer_presend_cb), NULL);
}

static void
rg_evolution_composer_class_init(RgEvolutionComposerClass *klass)
{
	G_OBJECT_CLASS(klass)->constructed = rg_evolution_composer_constructed;
	E_EXTENSION_CLASS(klass)->extensible_type = E_TYPE_MSG_COMPOSER;
}

static void
rg_evolution_composer_class_finalize(RgEvolutionComposerClass *klass)
{
}

static void
rg_evolution_composer_init(RgEvolutionComposer *self)
{
}

void
rg_evolution_composer_type_register(GTypeModule *type_module)
{
	rg_evolution_composer_register_type(type_module);
}
