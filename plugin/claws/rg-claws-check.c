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

/* what the session could not carry out after a decision goes to Claws' log */
static void
rg_claws_warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	/* TRANSLATORS: %s is a sentence such as "Could not record the recipients: …" */
	log_warning(LOG_PROTOCOL, _("Recipient check: %s\n"), message);
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
rg_claws_on_error(Compose *compose, RgSession *session, const GError *error)
{
	RgPolicyOnError on_error = rg_session_get_on_error(session);
	g_autofree char *details = rg_address_make_visible(error->message, NULL);
	GtkWidget *dialog;
	gint response;

	if (on_error == RG_POLICY_ON_ERROR_ALLOW || compose->batch) {
		gboolean stop = on_error == RG_POLICY_ON_ERROR_BLOCK;
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: in Claws Mail's log; %s says what went wrong */
		            stop ? _("Recipient check failed, the message was stopped: %s\n")
		                 /* TRANSLATORS: in Claws Mail's log; %s says what went wrong */
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
	if (on_error == RG_POLICY_ON_ERROR_BLOCK) {
		gtk_message_dialog_format_secondary_text(
		    GTK_MESSAGE_DIALOG(dialog),
		    /* TRANSLATORS: %1$s is a sentence that says what went wrong, %2$s a
		     * technical error message */
		    _("%1$s Your organisation's policy does not allow sending a message whose "
		      "recipients could not be checked. The message was not sent.\n\nDetails: "
		      "%2$s"),
		    rg_claws_error_summary(error),
		    details);
		gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Edit Message"), GTK_RESPONSE_CANCEL);
	} else {
		gtk_message_dialog_format_secondary_text(
		    GTK_MESSAGE_DIALOG(dialog),
		    /* TRANSLATORS: %1$s is a sentence that says what went wrong, %2$s a
		     * technical error message */
		    _("%1$s Check the addresses yourself before sending.\n\nDetails: %2$s"),
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

/* A message that cannot show a dialog (filter actions: redirect, forward): the session
 * decides as the policy says for nobody to ask, and Claws' log says what happened. Returns
 * TRUE to stop the send. */
static gboolean
rg_claws_decide_batch(RgSession *session, RgReport *report)
{
	g_autoptr(RgDecision) decision = NULL;
	gboolean send;

	if (!rg_report_needs_decision(report))
		return !rg_session_apply_decision(session, report, NULL, RG_APPLY_RECORD);
	decision = rg_session_decide_unattended(session, report);
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		g_autofree char *address = NULL;
		if (rg_verdict_get_level(v) < RG_LEVEL_WARN)
			continue;
		address = rg_address_make_visible(rg_verdict_get_address(v), NULL);
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: in Claws Mail's log, for an automatic send (a filter
		             * action); %1$s is an address, %2$s a level code such as "warn" or
		             * "block", which stays as it is */
		            _("Recipient check (automatic send): %1$s is at level %2$s\n"),
		            address,
		            rg_level_to_string(rg_verdict_get_level(v)));
	}
	send = rg_session_apply_decision(session, report, decision, RG_APPLY_RECORD);
	log_warning(LOG_PROTOCOL,
	            send ? _("Recipient check (automatic send): the message was sent\n")
	                 : _("Recipient check (automatic send): the message was stopped\n"));
	return !send;
}

/* shows the dialog and applies the decision; returns TRUE to stop the send */
static gboolean
rg_claws_ask(Compose *compose, RgSession *session, RgReport *report, GPtrArray *rows)
{
	g_autoptr(RgDecision) decision = NULL;
	RgDialog *dialog;
	gboolean send;

	dialog = rg_dialog_new_for_session(GTK_WINDOW(compose->window), session, report);
	rg_claws_track_dialog(GTK_WIDGET(dialog));
	g_debug("dialog shown");
	/* what the dialog says, by reason code, for whoever reads the debug log */
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		GPtrArray *reasons = rg_verdict_get_reasons(v);
		g_autoptr(GString) codes = g_string_new(NULL);
		for (guint j = 0; j < reasons->len; j++)
			g_string_append_printf(
			    codes, " %s", rg_reason_get_code(g_ptr_array_index(reasons, j)));
		if (rg_verdict_get_level(v) >= RG_LEVEL_WARN)
			g_debug("flagged %s (fix %s):%s",
			        rg_verdict_get_address(v),
			        rg_verdict_get_suggestion(v) != NULL ? rg_verdict_get_suggestion(v)
			                                             : "none",
			        codes->str);
	}
	decision = rg_dialog_run_decision(dialog);
	rg_claws_untrack_dialog(GTK_WIDGET(dialog));
	if (rg_claws_cancelled || decision == NULL)
		return TRUE;

	send = rg_session_apply_decision(session, report, decision, RG_APPLY_ALL);
	if (send && rg_decision_get_kind(decision) == RG_DECISION_SEND_CORRECTED)
		rg_claws_apply_replacements(rows, rg_decision_get_replacements(decision));
	return !send;
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
	g_signal_connect(session, "warning", G_CALLBACK(rg_claws_warning_cb), NULL);
	loaded = rg_session_load(session, &error);
	g_debug("hook: session %s", loaded ? "loaded" : "failed");
	if (!rg_claws_session_is_enabled(session)) {
		g_debug("the check is switched off");
		return FALSE;
	}
	if (!loaded)
		return rg_claws_on_error(compose, session, error);
	rg_claws_log_notices(rg_session_get_notices(session));

	report = rg_session_check(session, (const char *const *)recipients->pdata, &error);
	if (report == NULL)
		return rg_claws_on_error(compose, session, error);
	rg_claws_log_notices(rg_report_get_notices(report));
	/* what could not be read was not checked: the on-error rule decides about it, and the
	 * other recipients are still checked below */
	{
		g_autoptr(GError) unread = NULL;
		if (!rg_report_is_complete(report, &unread) &&
		    rg_claws_on_error(compose, session, unread))
			return TRUE;
	}
	g_debug("report level %s, batch %d, sending %d",
	        rg_level_to_string(rg_report_get_level(report)),
	        compose->batch,
	        compose->sending);

	if (compose->batch)
		return rg_claws_decide_batch(session, report);
	if (rg_report_needs_decision(report))
		return rg_claws_ask(compose, session, report, rows);
	rg_session_apply_decision(session, report, NULL, RG_APPLY_ALL);
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
