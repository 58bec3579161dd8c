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

/* recipients as they leave: the checked ones with the user's corrections applied */
static GPtrArray *
rg_evolution_composer_sent_addresses(RgReport *report, GHashTable *replacements)
{
	GPtrArray *sent = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		const char *address = rg_verdict_get_address(rg_report_get_verdict(report, i));
		const char *fixed =
		    replacements != NULL ? g_hash_table_lookup(replacements, address) : NULL;
		g_ptr_array_add(sent, g_strdup(fixed != NULL ? fixed : address));
	}
	g_ptr_array_add(sent, NULL);
	return sent;
}

static void
rg_evolution_composer_record(RgSession *session, RgReport *report, GHashTable *replacements)
{
	g_autoptr(GPtrArray) sent = rg_evolution_composer_sent_addresses(report, replacements);
	g_autoptr(GError) error_local = NULL;

	if (!rg_session_record_sent(session, (const char *const *)sent->pdata, &error_local))
		g_warning("cannot record the recipients: %s", error_local->message);
}

/* The check itself failed: the policy's on-error mode decides. Asking offers going back to
 * the message as the safe choice. */
static gboolean
rg_evolution_composer_on_error(EMsgComposer *composer, RgPolicy *policy, const GError *error)
{
	GtkWidget *dialog;
	RgPolicyOnError mode = rg_policy_get_on_error(policy);
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

/* the decision log of the policy, when it has one */
static void
rg_evolution_composer_log(RgSession *session, RgReport *report, const char *choice)
{
	g_autoptr(GError) error_local = NULL;

	if (!rg_policy_log_decision(rg_session_get_policy(session), report, choice, &error_local))
		g_warning("cannot write the decision log: %s", error_local->message);
}

static RgDialogFlags
rg_evolution_composer_dialog_flags(RgPolicy *policy)
{
	RgDialogFlags flags = RG_DIALOG_FLAG_NONE;

	if (rg_policy_get_allow_override(policy))
		flags |= RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE;
	if (!rg_policy_get_allow_trust(policy))
		flags |= RG_DIALOG_FLAG_NO_TRUST;
	return flags;
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

static gboolean
rg_evolution_composer_presend_cb(EMsgComposer *composer, gpointer user_data)
{
	EComposerHeaderTable *table;
	g_auto(RgRecipients) r = {0};
	g_autoptr(RgPolicy) policy = NULL;
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDialog) dialog = NULL;
	g_autoptr(RgDecision) decision = NULL;
	g_autoptr(GError) error_local = NULL;
	const char *const *trusted;
	GHashTable *replacements = NULL;
	const char *choice;

	policy = rg_evolution_policy_new();
	if (!rg_policy_get_enabled(policy))
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
		return rg_evolution_composer_on_error(composer, policy, error_local);
	}

	rg_evolution_composer_log_notices(report);
	/* what could not be read was not checked: the on-error mode decides about it, and the
	 * other recipients are still checked below */
	if (rg_report_get_unchecked(report)->len > 0) {
		g_autoptr(GError) unread = g_error_new(RG_ERROR,
		                                       RG_ERROR_INVALID_ADDRESS,
		                                       "%u recipient(s) could not be read",
		                                       rg_report_get_unchecked(report)->len);
		/* on-error as read for this send, like enabled (the session may be older) */
		if (!rg_evolution_composer_on_error(composer, policy, unread))
			return FALSE;
	}
	g_debug("checked %u recipient(s): %s",
	        rg_report_get_n_verdicts(report),
	        rg_level_to_string(rg_report_get_level(report)));
	if (!rg_dialog_is_needed(report)) {
		/* in log-only mode the policy still wants to know what would have been asked */
		if (rg_policy_get_log_only(rg_session_get_policy(session)))
			rg_evolution_composer_log(session, report, "log-only");
		rg_evolution_composer_record(session, report, NULL);
		return TRUE;
	}

	dialog = g_object_ref_sink(
	    rg_dialog_new(GTK_WINDOW(composer),
	                  report,
	                  rg_session_get_scorer(session),
	                  rg_evolution_composer_dialog_flags(rg_session_get_policy(session))));
	decision = rg_dialog_run_decision(dialog);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	switch (decision != NULL ? rg_decision_get_kind(decision) : RG_DECISION_EDIT) {
	case RG_DECISION_SEND_CORRECTED:
		replacements = rg_decision_get_replacements(decision);
		if (replacements != NULL) {
			const char *member =
			    rg_evolution_composer_corrected_list_member(&r, report, replacements);
			if (member != NULL) {
				rg_evolution_composer_explain_list(composer, member);
				rg_evolution_composer_log(session, report, "edit");
				return FALSE;
			}
			rg_evolution_composer_apply(table, &r, report, replacements);
		}
		choice = "send-corrected";
		break;
	case RG_DECISION_SEND:
		choice = "send";
		break;
	case RG_DECISION_EDIT:
	default:
		rg_evolution_composer_log(session, report, "edit");
		return FALSE;
	}

	trusted = rg_decision_get_trusted(decision);
	for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++) {
		g_autoptr(GError) error_trust = NULL;
		if (!rg_session_trust(session, trusted[i], &error_trust))
			g_warning("cannot trust %s: %s", trusted[i], error_trust->message);
	}
	rg_evolution_composer_log(session, report, choice);
	rg_evolution_composer_record(session, report, replacements);
	return TRUE;
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
