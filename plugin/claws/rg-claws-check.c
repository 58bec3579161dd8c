/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pre-send hook: read the recipients from the compose window, ask the core, show the
 * dialog, apply the user's decision to the header entries and tell Claws whether to go on.
 * Glue only: every judgement is the core's, every word of the warning is the dialog's. */
#include "config.h"

#include "rg-claws.h"

#include <glib/gi18n-lib.h>
#include <rg-dialog.h>

#include "common/log.h"
#include "prefs_account.h"
#include "prefs_common.h"

/* the dialogs open right now, in nested main loops, so that unloading can close them */
static GPtrArray *rg_claws_open_dialogs = NULL;
static gboolean rg_claws_cancelled = FALSE;
static guint rg_claws_depth = 0;

/* one header row of the compose window that holds recipients */
typedef struct {
	GtkEntry *entry;
	char *text;
} RgClawsRow;

static void
rg_claws_row_free(RgClawsRow *row)
{
	g_free(row->text);
	g_free(row);
}

static gboolean
rg_claws_is_recipient_header(const char *name)
{
	/* newsgroups, Reply-To and Followup-To are not recipients of this message */
	static const char *const headers[] = {"To:", "Cc:", "Bcc:", NULL};
	for (guint i = 0; headers[i] != NULL; i++) {
		if (g_ascii_strcasecmp(name, headers[i]) == 0 ||
		    g_strcmp0(name, prefs_common_translated_header_name(headers[i])) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Collected before anything is changed: Claws appends a new row when text is set on an
 * empty one, so only rows that already hold text are ever rewritten. */
static GPtrArray *
rg_claws_collect_rows(Compose *compose)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)rg_claws_row_free);
	for (GSList *l = compose->header_list; l != NULL; l = l->next) {
		ComposeHeaderEntry *he = l->data;
		GtkWidget *name_entry = gtk_bin_get_child(GTK_BIN(he->combo));
		g_autofree char *name = NULL;
		g_autofree char *text = NULL;
		RgClawsRow *row;

		if (!GTK_IS_ENTRY(name_entry) || !GTK_IS_ENTRY(he->entry))
			continue;
		name = g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(name_entry))));
		text = g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(he->entry))));
		if (text[0] == '\0' || !rg_claws_is_recipient_header(name))
			continue;
		row = g_new0(RgClawsRow, 1);
		row->entry = GTK_ENTRY(he->entry);
		row->text = g_steal_pointer(&text);
		g_ptr_array_add(rows, row);
	}
	return rows;
}

static void
rg_claws_apply_replacements(GPtrArray *rows, GHashTable *replacements)
{
	for (guint i = 0; i < rows->len; i++) {
		RgClawsRow *row = g_ptr_array_index(rows, i);
		g_autofree char *text = g_strdup(row->text);
		GHashTableIter iter;
		gpointer old_spec, new_spec;

		g_hash_table_iter_init(&iter, replacements);
		while (g_hash_table_iter_next(&iter, &old_spec, &new_spec)) {
			/* fails when this row does not hold that address */
			char *replaced = rg_address_list_replace(text, old_spec, new_spec, NULL);
			if (replaced != NULL) {
				g_free(text);
				text = replaced;
			}
		}
		if (g_strcmp0(text, row->text) != 0) {
			g_debug("row rewritten: %s -> %s", row->text, text);
			gtk_entry_set_text(row->entry, text);
		}
	}
}

/* remembers who the message goes to, with the user's corrections */
static void
rg_claws_record(RgSession *session, RgReport *report, GHashTable *replacements)
{
	g_autoptr(GPtrArray) sent = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		const char *addr = rg_verdict_get_address(rg_report_get_verdict(report, i));
		const char *fixed =
		    replacements != NULL ? g_hash_table_lookup(replacements, addr) : NULL;
		g_ptr_array_add(sent, (gpointer)(fixed != NULL ? fixed : addr));
	}
	g_ptr_array_add(sent, NULL);
	if (!rg_session_record_sent(session, (const char *const *)sent->pdata, &error))
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: %s is a technical error message */
		            _("Recipient check: could not record the recipients: %s\n"),
		            error->message);
}

static void
rg_claws_trust(RgSession *session, RgDecision *decision)
{
	const char *const *trusted = rg_decision_get_trusted(decision);
	for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		if (!rg_session_trust(session, trusted[i], &error))
			log_warning(LOG_PROTOCOL,
			            /* TRANSLATORS: the first %s is an address or a domain, the
			             * second a technical error message */
			            _("Recipient check: could not trust %s: %s\n"),
			            trusted[i],
			            error->message);
	}
}

static void
rg_claws_track_dialog(GtkWidget *dialog)
{
	if (rg_claws_open_dialogs == NULL)
		rg_claws_open_dialogs = g_ptr_array_new();
	g_ptr_array_add(rg_claws_open_dialogs, dialog);
}

static void
rg_claws_untrack_dialog(GtkWidget *dialog)
{
	g_ptr_array_remove(rg_claws_open_dialogs, dialog);
	gtk_widget_destroy(dialog);
}

/* what went wrong, in words; the technical message follows as details */
static const char *
rg_claws_error_summary(const GError *error)
{
	if (g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS))
		return _("One of the addresses could not be read.");
	if (g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY))
		return _("The policy could not be read.");
	if (g_error_matches(error, RG_ERROR, RG_ERROR_IO) ||
	    g_error_matches(error, RG_ERROR, RG_ERROR_NOT_FOUND) ||
	    g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA))
		return _("The list of people you have written to could not be read.");
	return _("The check did not complete.");
}

/* The check itself failed (unreadable history, an address the core cannot parse). What
 * happens then is the policy's on-error rule; nothing is ever sent unchecked silently.
 * Returns TRUE to stop the send. */
static gboolean
rg_claws_on_error(Compose *compose, const RgClawsPolicy *policy, const GError *error)
{
	g_autofree char *details = rg_address_make_visible(error->message, NULL);
	GtkWidget *dialog;
	gint response;

	if (policy->on_error == RG_CLAWS_ON_ERROR_ALLOW || compose->batch) {
		gboolean stop = policy->on_error == RG_CLAWS_ON_ERROR_BLOCK;
		log_warning(LOG_PROTOCOL,
		            stop ? _("Recipient check failed, the message was stopped: %s\n")
		                 : _("Recipient check failed; the policy lets the message go on "
		                     "without it: %s\n"),
		            details);
		return stop;
	}

	dialog = gtk_message_dialog_new(GTK_WINDOW(compose->window),
	                                GTK_DIALOG_MODAL,
	                                GTK_MESSAGE_WARNING,
	                                GTK_BUTTONS_NONE,
	                                "%s",
	                                _("The recipients could not be checked"));
	gtk_window_set_title(GTK_WINDOW(dialog), _("Recipient check failed"));
	if (policy->on_error == RG_CLAWS_ON_ERROR_BLOCK) {
		gtk_message_dialog_format_secondary_text(
		    GTK_MESSAGE_DIALOG(dialog),
		    /* TRANSLATORS: the first %s says what went wrong, the second is a
		     * technical error message */
		    _("%s Your organisation's policy does not allow sending a message whose "
		      "recipients could not be checked. The message was not sent.\n\nDetails: %s"),
		    rg_claws_error_summary(error),
		    details);
		gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Edit Message"), GTK_RESPONSE_CANCEL);
	} else {
		gtk_message_dialog_format_secondary_text(
		    GTK_MESSAGE_DIALOG(dialog),
		    /* TRANSLATORS: the first %s says what went wrong, the second is a
		     * technical error message */
		    _("%s Check the addresses yourself before sending.\n\nDetails: %s"),
		    rg_claws_error_summary(error),
		    details);
		gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Edit Message"), GTK_RESPONSE_CANCEL);
		gtk_dialog_add_button(GTK_DIALOG(dialog), _("Send _Anyway"), GTK_RESPONSE_ACCEPT);
	}
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
	rg_claws_track_dialog(dialog);
	response = gtk_dialog_run(GTK_DIALOG(dialog));
	rg_claws_untrack_dialog(dialog);
	return response != GTK_RESPONSE_ACCEPT || rg_claws_cancelled;
}

/* the recipients that could not be read, as the error the on-error rule is about */
static GError *
rg_claws_unchecked_error(RgReport *report)
{
	GPtrArray *unchecked = rg_report_get_unchecked(report);
	g_autoptr(GString) list = g_string_new(NULL);

	for (guint i = 0; i < unchecked->len; i++) {
		g_autofree char *shown =
		    rg_address_make_visible(g_ptr_array_index(unchecked, i), NULL);
		g_string_append_printf(list, "%s“%s”", i > 0 ? ", " : "", shown);
	}
	return g_error_new(
	    RG_ERROR, RG_ERROR_INVALID_ADDRESS, "not an address that can be read: %s", list->str);
}

/* Decides for a message that cannot show a dialog (filter actions: redirect, forward):
 * warnings are logged and sent, a blocked recipient stops the message unless the policy's
 * on-error rule is "allow". Returns TRUE to stop the send. */
static gboolean
rg_claws_decide_batch(RgReport *report, const RgClawsPolicy *policy)
{
	RgLevel level = rg_report_get_level(report);
	gboolean stop = level >= RG_LEVEL_BLOCK && policy->on_error != RG_CLAWS_ON_ERROR_ALLOW;

	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		g_autofree char *address = NULL;
		if (rg_verdict_get_level(v) < RG_LEVEL_WARN)
			continue;
		address = rg_address_make_visible(rg_verdict_get_address(v), NULL);
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: an automatic send (filter action); the first %s is an
		             * address, the second a level such as "warn" */
		            _("Recipient check (automatic send): %s is at level %s\n"),
		            address,
		            rg_level_to_string(rg_verdict_get_level(v)));
	}
	if (level >= RG_LEVEL_WARN)
		log_warning(LOG_PROTOCOL,
		            stop ? _("Recipient check (automatic send): the message was stopped\n")
		                 : _("Recipient check (automatic send): the message was sent\n"));
	return stop;
}

/* the policy's audit log, when it has one: what was warned about and what the user chose */
static void
rg_claws_log_decision(RgSession *session, RgReport *report, RgDecisionKind kind)
{
	static const char *const choices[] = {
	    [RG_DECISION_EDIT] = "edit",
	    [RG_DECISION_SEND] = "send",
	    [RG_DECISION_SEND_CORRECTED] = "send-corrected",
	};
	g_autoptr(GError) error = NULL;

	if (kind > RG_DECISION_SEND_CORRECTED)
		return;
	if (!rg_policy_log_decision(rg_session_get_policy(session), report, choices[kind], &error))
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: %s is a technical error message */
		            _("Recipient check: could not write the decision log: %s\n"),
		            error->message);
}

/* shows the dialog and applies the decision; returns TRUE to stop the send */
static gboolean
rg_claws_ask(Compose *compose,
             RgSession *session,
             RgReport *report,
             GPtrArray *rows,
             const RgClawsPolicy *policy)
{
	RgDialogFlags flags = RG_DIALOG_FLAG_NONE;
	g_autoptr(RgDecision) decision = NULL;
	RgDialog *dialog;
	GHashTable *replacements = NULL;

	if (policy->allow_block_override)
		flags |= RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE;
	if (!policy->allow_trust)
		flags |= RG_DIALOG_FLAG_NO_TRUST;
	dialog = rg_dialog_new(
	    GTK_WINDOW(compose->window), report, rg_session_get_scorer(session), flags);
	rg_claws_track_dialog(GTK_WIDGET(dialog));
	g_debug("dialog shown");
	decision = rg_dialog_run_decision(dialog);
	rg_claws_untrack_dialog(GTK_WIDGET(dialog));
	if (rg_claws_cancelled || decision == NULL)
		return TRUE;

	rg_claws_trust(session, decision);
	rg_claws_log_decision(session, report, rg_decision_get_kind(decision));
	switch (rg_decision_get_kind(decision)) {
	case RG_DECISION_EDIT:
		return TRUE;
	case RG_DECISION_SEND_CORRECTED:
		replacements = rg_decision_get_replacements(decision);
		if (replacements != NULL)
			rg_claws_apply_replacements(rows, replacements);
		break;
	case RG_DECISION_SEND:
	default:
		break;
	}
	rg_claws_record(session, report, replacements);
	return FALSE;
}

/* remarks on the sources (a broken policy file, an unreadable store) go to Claws' log */
static void
rg_claws_log_notices(GPtrArray *notices)
{
	for (guint i = 0; notices != NULL && i < notices->len; i++) {
		g_autofree char *notice =
		    rg_address_make_visible(g_ptr_array_index(notices, i), NULL);
		g_debug("notice: %s", notice);
		log_warning(LOG_PROTOCOL, "%s\n", notice);
	}
}

static gboolean
rg_claws_check_compose_real(Compose *compose)
{
	g_autoptr(GPtrArray) rows = rg_claws_collect_rows(compose);
	g_autoptr(GPtrArray) recipients = g_ptr_array_new();
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;
	RgClawsPolicy policy;
	const char *identity;
	gboolean loaded;

	if (rows->len == 0)
		return FALSE;
	for (guint i = 0; i < rows->len; i++)
		g_ptr_array_add(recipients, ((RgClawsRow *)g_ptr_array_index(rows, i))->text);
	g_ptr_array_add(recipients, NULL);

	identity = compose->account != NULL ? compose->account->address : NULL;
	g_debug("hook: %u recipient rows, loading the session", rows->len);
	session = rg_claws_session_new(identity);
	loaded = rg_session_load(session, &error);
	g_debug("hook: session %s", loaded ? "loaded" : "failed");
	rg_claws_policy_read(session, &policy);
	/* a system policy that sets "enabled" overrides the switch on the preferences page */
	if (policy.enabled_locked ? !policy.enabled
	                          : !(rg_claws_prefs_get_enabled() && policy.enabled)) {
		g_debug("the check is switched off");
		return FALSE;
	}
	if (!loaded)
		return rg_claws_on_error(compose, &policy, error);
	rg_claws_log_notices(rg_session_get_notices(session));

	report = rg_session_check(session, (const char *const *)recipients->pdata, &error);
	if (report == NULL)
		return rg_claws_on_error(compose, &policy, error);
	rg_claws_log_notices(rg_report_get_notices(report));
	/* what could not be read was not checked: the on-error rule decides about it, and the
	 * other recipients are still checked below */
	if (rg_report_get_unchecked(report)->len > 0) {
		g_autoptr(GError) unread = rg_claws_unchecked_error(report);
		if (rg_claws_on_error(compose, &policy, unread))
			return TRUE;
	}
	g_debug("report level %s, batch %d, sending %d",
	        rg_level_to_string(rg_report_get_level(report)),
	        compose->batch,
	        compose->sending);

	if (compose->batch) {
		if (rg_claws_decide_batch(report, &policy))
			return TRUE;
	} else if (rg_dialog_is_needed(report)) {
		return rg_claws_ask(compose, session, report, rows, &policy);
	}
	rg_claws_record(session, report, NULL);
	return FALSE;
}

/**
 * rg_claws_check_compose:
 * @compose: the message about to be sent or queued
 *
 * The body of the COMPOSE_CHECK_BEFORE_SEND_HOOKLIST hook. Runs on the main thread; the
 * dialog runs a nested main loop.
 *
 * Returns: %TRUE to stop the send (Claws keeps the compose window open)
 */
gboolean
rg_claws_check_compose(Compose *compose)
{
	gboolean stop;

	rg_claws_depth++;
	stop = rg_claws_check_compose_real(compose);
	rg_claws_depth--;
	if (rg_claws_depth == 0)
		rg_claws_cancelled = FALSE;
	g_debug("hook returns %s", stop ? "TRUE (stop)" : "FALSE (send)");
	return stop;
}

gboolean
rg_claws_check_in_progress(void)
{
	return rg_claws_depth > 0;
}

/* the plugin is being unloaded while a dialog is open: close it, stop that send */
void
rg_claws_check_cancel_all(void)
{
	rg_claws_cancelled = TRUE;
	/* a response ends the dialog's main loop; the frame that runs it destroys it */
	for (guint i = 0; rg_claws_open_dialogs != NULL && i < rg_claws_open_dialogs->len; i++)
		gtk_dialog_response(g_ptr_array_index(rg_claws_open_dialogs, i),
		                    GTK_RESPONSE_DELETE_EVENT);
}
