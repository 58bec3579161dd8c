/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The confirm-or-fix dialog: what looks wrong, why, and the fix one click away. It reports the
 * user's decision; the host applies it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-dialog-private.h"

struct _RgDialog {
	GtkDialog parent_instance;

	RgReport *report;
	RgScorer *scorer;
	RgDialogFlags flags;
	GPtrArray *rows; /* RgDialogRow, borrowed from the list box */

	GtkWidget *headline_label;
	GtkWidget *subtitle_label;
	GtkWidget *check_notes_label;
	GtkWidget *rows_scroll;
	GtkWidget *rows_box;
	GtkWidget *notices_expander;
	GtkWidget *notices_box;
	GtkWidget *edit_button;
	GtkWidget *send_anyway_button;
	GtkWidget *send_corrected_button;
};

G_DEFINE_TYPE(RgDialog, rg_dialog, GTK_TYPE_DIALOG)

static gboolean
rg_dialog_get_can_send(RgDialog *self)
{
	if (self->flags & RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE)
		return TRUE;
	for (guint i = 0; i < self->rows->len; i++) {
		if (rg_dialog_row_get_blocking(g_ptr_array_index(self->rows, i)))
			return FALSE;
	}
	return TRUE;
}

/* "Send Corrected" promises addresses that look right */
static gboolean
rg_dialog_get_fixes_doubtful(RgDialog *self)
{
	for (guint i = 0; i < self->rows->len; i++) {
		if (rg_dialog_row_get_fix_doubtful(g_ptr_array_index(self->rows, i)))
			return TRUE;
	}
	return FALSE;
}

static guint
rg_dialog_get_n_fixes(RgDialog *self)
{
	guint n = 0;
	for (guint i = 0; i < self->rows->len; i++) {
		if (rg_dialog_row_get_replacement(g_ptr_array_index(self->rows, i)) != NULL)
			n++;
	}
	return n;
}

/* "Send Corrected" is the button that looks safe: it sends only when every flagged row has a
 * fix that looks right. Sending a row unchanged is Send Anyway's job, never a side effect of
 * correcting another one. */
static gboolean
rg_dialog_get_corrected(RgDialog *self)
{
	return rg_dialog_get_can_send(self) && self->rows->len > 0 &&
	       rg_dialog_get_n_fixes(self) == self->rows->len &&
	       !rg_dialog_get_fixes_doubtful(self);
}

static void
rg_dialog_update_buttons(RgDialog *self)
{
	gboolean can_send = rg_dialog_get_can_send(self);
	gboolean corrected = rg_dialog_get_corrected(self);

	gtk_widget_set_sensitive(self->send_anyway_button, can_send);
	gtk_widget_set_sensitive(self->send_corrected_button, corrected);
	gtk_widget_set_tooltip_text(
	    self->send_corrected_button,
	    corrected ? _("Send the message with the corrected addresses")
	              /* TRANSLATORS: the tooltip of "Send Corrected" while it is not available */
	              : _("Correct every address shown first. Send Anyway sends the message with "
	                  "the addresses as they are."));
	/* Enter in a fixed address sends the corrected message; otherwise it goes back */
	gtk_dialog_set_default_response(
	    GTK_DIALOG(self), corrected ? RG_DIALOG_RESPONSE_SEND_CORRECTED : GTK_RESPONSE_CANCEL);
}

static void
rg_dialog_row_changed_cb(RgDialogRow *row, RgDialog *self)
{
	rg_dialog_update_buttons(self);
}

/* after a one-click fix, the next safe step: the next row's fix (its entry when it has no
 * suggestion), or sending the corrections once every row is fixed */
static void
rg_dialog_suggestion_clicked_cb(GtkButton *button, RgDialog *self)
{
	for (guint i = 0; i < self->rows->len; i++) {
		RgDialogRow *row = g_ptr_array_index(self->rows, i);
		GtkWidget *next = rg_dialog_row_get_default_focus(row);
		if (rg_dialog_row_get_replacement(row) != NULL)
			continue;
		gtk_widget_grab_focus(next != NULL ? next : rg_dialog_row_get_entry(row));
		return;
	}
	if (gtk_widget_get_sensitive(self->send_corrected_button))
		gtk_widget_grab_focus(self->send_corrected_button);
}

static void
rg_dialog_header_cb(GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
	if (before != NULL && gtk_list_box_row_get_header(row) == NULL)
		gtk_list_box_row_set_header(row, gtk_separator_new(GTK_ORIENTATION_HORIZONTAL));
}

static void
rg_dialog_finalize(GObject *object)
{
	RgDialog *self = RG_DIALOG(object);
	g_clear_object(&self->report);
	g_clear_object(&self->scorer);
	g_clear_pointer(&self->rows, g_ptr_array_unref);
	G_OBJECT_CLASS(rg_dialog_parent_class)->finalize(object);
}

static void
rg_dialog_class_init(RgDialogClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	/* the library translates with its own domain, whatever the host's is */
	rg_i18n_init();

	G_OBJECT_CLASS(klass)->finalize = rg_dialog_finalize;
	gtk_widget_class_set_template_from_resource(widget_class, "/org/rcptguard/ui/rg-dialog.ui");
	gtk_widget_class_bind_template_child(widget_class, RgDialog, headline_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, subtitle_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, check_notes_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, rows_scroll);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, rows_box);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, notices_expander);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, notices_box);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, edit_button);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, send_anyway_button);
	gtk_widget_class_bind_template_child(widget_class, RgDialog, send_corrected_button);
}

/* the warnings of the rows whose address or domain the user chose to trust, where trusting
 * needs a second question (rg_verdict_get_trust_warning()); NULL when none does */
static char *
rg_dialog_trust_warnings(RgDialog *self)
{
	g_autoptr(GString) text = NULL;

	for (guint i = 0; i < self->rows->len; i++) {
		RgDialogRow *row = g_ptr_array_index(self->rows, i);
		const char *warning = rg_verdict_get_trust_warning(rg_dialog_row_get_verdict(row));
		g_autofree char *visible = NULL;
		if (warning == NULL ||
		    !(rg_dialog_row_get_trust_address(row) || rg_dialog_row_get_trust_domain(row)))
			continue;
		visible = rg_address_make_visible(warning, NULL);
		if (text == NULL)
			text = g_string_new(visible);
		else
			g_string_append_printf(text, "\n\n%s", visible);
	}
	return text != NULL ? g_string_free(g_steal_pointer(&text), FALSE) : NULL;
}

/* Trusting a typo of a domain the policy protects or a well-known high-stakes one asks once
 * more; "Cancel" keeps this dialog open with the choices as they are. Connected before anyone
 * else, so that nobody sees a response this question takes back. */
static void
rg_dialog_confirm_trust_cb(GtkDialog *dialog, int response, gpointer user_data)
{
	RgDialog *self = RG_DIALOG(dialog);
	g_autofree char *warnings = NULL;
	GtkWidget *question;
	int answer;

	if (response != RG_DIALOG_RESPONSE_SEND && response != RG_DIALOG_RESPONSE_SEND_CORRECTED)
		return;
	warnings = rg_dialog_trust_warnings(self);
	if (warnings == NULL)
		return;
	question = gtk_message_dialog_new(GTK_WINDOW(self),
	                                  GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
	                                  GTK_MESSAGE_WARNING,
	                                  GTK_BUTTONS_NONE,
	                                  "%s",
	                                  _("Trust it all the same?"));
	gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(question), "%s", warnings);
	/* TRANSLATORS: the title of the question before trusting a look-alike of a protected
	 * or well-known domain */
	gtk_window_set_title(GTK_WINDOW(question), _("Trust Look-alike?"));
	gtk_dialog_add_buttons(GTK_DIALOG(question),
	                       _("_Cancel"),
	                       GTK_RESPONSE_CANCEL,
	                       /* TRANSLATORS: a button; keep the underscore */
	                       _("_Trust"),
	                       GTK_RESPONSE_ACCEPT,
	                       NULL);
	/* the safe choice has the focus */
	gtk_dialog_set_default_response(GTK_DIALOG(question), GTK_RESPONSE_CANCEL);
	answer = gtk_dialog_run(GTK_DIALOG(question));
	gtk_widget_destroy(question);
	if (answer != GTK_RESPONSE_ACCEPT)
		g_signal_stop_emission_by_name(dialog, "response");
}

static void
rg_dialog_init(RgDialog *self)
{
	self->rows = g_ptr_array_new();
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_list_box_set_header_func(GTK_LIST_BOX(self->rows_box), rg_dialog_header_cb, NULL, NULL);
	/* Esc and the close button answer "edit" (GtkDialog's own handler, connected first) and
	 * only hide the dialog: the host destroys it, also after present_async() */
	g_signal_connect(self, "delete-event", G_CALLBACK(gtk_widget_hide_on_delete), NULL);
	g_signal_connect(self, "response", G_CALLBACK(rg_dialog_confirm_trust_cb), NULL);
}

static void
rg_dialog_add_notice(RgDialog *self, RgVerdict *v)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	g_autoptr(GString) markup = g_string_new(NULL);
	g_autofree char *visible = rg_address_make_visible(rg_verdict_get_address(v), NULL);
	g_autofree char *address = g_markup_escape_text(visible, -1);
	GtkWidget *label;

	g_string_append_printf(markup, "<b>%s</b>", address);
	for (guint i = 0; i < reasons->len; i++) {
		g_autofree char *text = rg_address_make_visible(
		    rg_reason_get_message(g_ptr_array_index(reasons, i)), NULL);
		g_autofree char *msg = g_markup_escape_text(text, -1);
		g_string_append_printf(markup, "\n%s", msg);
	}
	label = gtk_label_new(NULL);
	gtk_label_set_markup(GTK_LABEL(label), markup->str);
	gtk_label_set_xalign(GTK_LABEL(label), 0.0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_line_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	gtk_label_set_max_width_chars(GTK_LABEL(label), 60);
	gtk_widget_show(label);
	gtk_container_add(GTK_CONTAINER(self->notices_box), label);
}

static void
rg_dialog_populate(RgDialog *self)
{
	guint n_notices = 0;
	gboolean any_block = FALSE;
	GtkWidget *focus = NULL;

	for (guint i = 0; i < rg_report_get_n_verdicts(self->report); i++) {
		RgVerdict *v = rg_report_get_verdict(self->report, i);
		RgLevel level = rg_verdict_get_level(v);
		RgDialogRow *row;

		if (level == RG_LEVEL_NOTICE) {
			rg_dialog_add_notice(self, v);
			n_notices++;
			continue;
		}
		if (level < RG_LEVEL_WARN)
			continue;
		any_block |= level >= RG_LEVEL_BLOCK;
		row = rg_dialog_row_new(v, self->scorer, !(self->flags & RG_DIALOG_FLAG_NO_TRUST));
		g_signal_connect(row, "changed", G_CALLBACK(rg_dialog_row_changed_cb), self);
		g_signal_connect_after(rg_dialog_row_get_suggestion_button(row),
		                       "clicked",
		                       G_CALLBACK(rg_dialog_suggestion_clicked_cb),
		                       self);
		gtk_container_add(GTK_CONTAINER(self->rows_box), GTK_WIDGET(row));
		g_ptr_array_add(self->rows, row);
		if (focus == NULL)
			focus = rg_dialog_row_get_default_focus(row);
	}

	{
		guint n = self->rows->len;
		g_autofree char *headline =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                /* TRANSLATORS: the headline of the dialog; %u is
		                                   the number of recipients */
		                                "One recipient may be wrong",
		                                "%u recipients may be wrong",
		                                n),
		                    n);
		gtk_label_set_text(GTK_LABEL(self->headline_label), headline);
	}
	if (any_block && !(self->flags & RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE)) {
		gtk_label_set_text(
		    GTK_LABEL(self->subtitle_label),
		    _("Your organization does not allow sending to a blocked address. Correct it, "
		      "or go back and edit the message."));
	} else {
		gtk_label_set_text(GTK_LABEL(self->subtitle_label),
		                   _("Check the highlighted part of each address before sending. "
		                     "Nothing has been sent yet."));
	}
	/* what went wrong with the check itself: the user should know what it could not see */
	if (rg_report_get_notices(self->report)->len > 0) {
		GPtrArray *notes = rg_report_get_notices(self->report);
		g_autoptr(GString) text = g_string_new(NULL);
		for (guint i = 0; i < notes->len; i++) {
			g_autofree char *note =
			    rg_address_make_visible(g_ptr_array_index(notes, i), NULL);
			g_string_append_printf(text, "%s%s", i > 0 ? "\n" : "", note);
		}
		gtk_label_set_text(GTK_LABEL(self->check_notes_label), text->str);
		gtk_widget_show(self->check_notes_label);
	}
	if (n_notices > 0) {
		g_autofree char *label = g_strdup_printf(
		    g_dngettext(
		        GETTEXT_PACKAGE,
		        /* TRANSLATORS: an expander under the warnings; keep the underscore */
		        "_Notes on one other recipient",
		        "_Notes on %u other recipients",
		        n_notices),
		    n_notices);
		gtk_expander_set_label(GTK_EXPANDER(self->notices_expander), label);
		gtk_widget_show(self->notices_expander);
	}
	/* a few rows are shown whole (wrapped labels measure badly inside a scrolling viewport);
	 * a long list scrolls */
	if (self->rows->len > 3) {
		gtk_scrolled_window_set_policy(
		    GTK_SCROLLED_WINDOW(self->rows_scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
		gtk_scrolled_window_set_min_content_height(GTK_SCROLLED_WINDOW(self->rows_scroll),
		                                           480);
	}
	rg_dialog_update_buttons(self);
	gtk_widget_grab_focus(focus != NULL ? focus : self->edit_button);
}

/**
 * rg_dialog_is_needed:
 * @report: the report for the message about to be sent
 *
 * Notices never interrupt: only a recipient at warn or block needs the dialog.
 *
 * Returns: %TRUE when the host should show the dialog before sending
 */
gboolean
rg_dialog_is_needed(RgReport *report)
{
	g_return_val_if_fail(RG_IS_REPORT(report), FALSE);
	return rg_report_needs_decision(report);
}

/**
 * rg_dialog_flags_for_session:
 * @session: a loaded #RgSession
 *
 * Returns: the dialog flags the session's policy calls for
 */
RgDialogFlags
rg_dialog_flags_for_session(RgSession *session)
{
	RgAskFlags ask = rg_session_get_ask_flags(session);
	RgDialogFlags flags = RG_DIALOG_FLAG_NONE;

	if (ask & RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE)
		flags |= RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE;
	if (!(ask & RG_ASK_FLAG_ALLOW_TRUST))
		flags |= RG_DIALOG_FLAG_NO_TRUST;
	return flags;
}

/**
 * rg_dialog_new_for_session:
 * @parent: (nullable): the host's composer window
 * @session: the loaded session @report comes from
 * @report: the report for the message
 *
 * Like rg_dialog_new(), with what the session's policy allows and its scorer for the live
 * check of manual fixes. What a host does: run it, then hand the decision to
 * rg_session_apply_decision().
 *
 * Returns: (transfer none): the new dialog, owned by GTK's list of toplevels
 */
RgDialog *
rg_dialog_new_for_session(GtkWindow *parent, RgSession *session, RgReport *report)
{
	g_return_val_if_fail(RG_IS_SESSION(session), NULL);
	return rg_dialog_new(
	    parent, report, rg_session_get_scorer(session), rg_dialog_flags_for_session(session));
}

/**
 * rg_dialog_new:
 * @parent: (nullable): the host's composer window
 * @report: the report for the message; the dialog keeps a reference
 * @scorer: (nullable): checks manual fixes as they are typed; %NULL turns the live check off
 * @flags: what the policy allows
 *
 * Builds the dialog for the recipients of @report at warn or block; notice-level recipients
 * are listed collapsed below them. The dialog is modal and transient for @parent. It is a
 * toplevel: destroy it with gtk_widget_destroy() when done. GTK must already be initialised;
 * the dialog never initialises it.
 *
 * Returns: (transfer none): the new dialog, owned by GTK's list of toplevels
 */
RgDialog *
rg_dialog_new(GtkWindow *parent, RgReport *report, RgScorer *scorer, RgDialogFlags flags)
{
	RgDialog *self;

	g_return_val_if_fail(parent == NULL || GTK_IS_WINDOW(parent), NULL);
	g_return_val_if_fail(RG_IS_REPORT(report), NULL);
	g_return_val_if_fail(scorer == NULL || RG_IS_SCORER(scorer), NULL);

	self = g_object_new(RG_TYPE_DIALOG, "use-header-bar", FALSE, "transient-for", parent, NULL);
	self->report = g_object_ref(report);
	self->scorer = scorer != NULL ? g_object_ref(scorer) : NULL;
	self->flags = flags;
	if (parent != NULL)
		gtk_window_set_destroy_with_parent(GTK_WINDOW(self), TRUE);
	rg_dialog_populate(self);
	return self;
}

/* builds the decision for a response; a send the current state does not allow (a blocked
 * recipient, a response sent by code past an insensitive button) becomes "edit" */
RgDecision *
rg_dialog_build_decision(RgDialog *self, int response)
{
	g_autoptr(RgDecision) decision = NULL;
	gboolean can_send = rg_dialog_get_can_send(self);
	guint n_fixes = rg_dialog_get_n_fixes(self);

	if (response == RG_DIALOG_RESPONSE_SEND && can_send)
		decision =
		    rg_decision_new(n_fixes > 0 ? RG_DECISION_SEND_CORRECTED : RG_DECISION_SEND);
	else if (response == RG_DIALOG_RESPONSE_SEND_CORRECTED && rg_dialog_get_corrected(self))
		decision = rg_decision_new(RG_DECISION_SEND_CORRECTED);
	else
		return rg_decision_new(RG_DECISION_EDIT);

	for (guint i = 0; i < self->rows->len; i++) {
		RgDialogRow *row = g_ptr_array_index(self->rows, i);
		RgVerdict *v = rg_dialog_row_get_verdict(row);
		const char *fix = rg_dialog_row_get_replacement(row);
		if (fix != NULL)
			rg_decision_add_replacement(decision, rg_verdict_get_address(v), fix);
		if (rg_dialog_row_get_trust_address(row))
			rg_decision_add_trusted(decision, rg_verdict_get_address(v));
		if (rg_dialog_row_get_trust_domain(row))
			rg_decision_add_trusted(decision, rg_verdict_get_domain(v));
	}
	return g_steal_pointer(&decision);
}

/**
 * rg_dialog_run_decision:
 * @self: an #RgDialog
 *
 * Shows the dialog and blocks in a recursive main loop until the user decides. Esc and
 * closing the window mean "edit". The dialog stays alive; destroy it afterwards.
 *
 * Returns: (transfer full): the decision
 */
RgDecision *
rg_dialog_run_decision(RgDialog *self)
{
	int response;
	g_return_val_if_fail(RG_IS_DIALOG(self), NULL);
	response = gtk_dialog_run(GTK_DIALOG(self));
	return rg_dialog_build_decision(self, response);
}

typedef struct {
	RgDialog *dialog; /* borrowed; the handlers below are gone before it is */
	gulong response_id;
	gulong destroy_id;
	gulong cancelled_id;
	GCancellable *cancellable;
} RgDialogPresent;

static void
rg_dialog_present_free(RgDialogPresent *p)
{
	g_free(p);
}

static void
rg_dialog_present_return(GTask *task, RgDecision *decision, GError *error)
{
	RgDialogPresent *p = g_task_get_task_data(task);

	if (p->dialog == NULL)
		return; /* already returned */
	g_clear_signal_handler(&p->response_id, p->dialog);
	g_clear_signal_handler(&p->destroy_id, p->dialog);
	p->dialog = NULL;
	if (p->cancellable != NULL)
		g_cancellable_disconnect(p->cancellable, p->cancelled_id);
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, decision, (GDestroyNotify)rg_decision_free);
	g_object_unref(task);
}

static void
rg_dialog_present_response_cb(GtkDialog *dialog, int response, GTask *task)
{
	rg_dialog_present_return(task, rg_dialog_build_decision(RG_DIALOG(dialog), response), NULL);
}

static void
rg_dialog_present_destroy_cb(GtkWidget *widget, GTask *task)
{
	rg_dialog_present_return(task, rg_decision_new(RG_DECISION_EDIT), NULL);
}

static gboolean
rg_dialog_present_cancel_idle_cb(gpointer user_data)
{
	GTask *task = user_data;
	RgDialogPresent *p = g_task_get_task_data(task);
	if (p->dialog != NULL) {
		gtk_widget_hide(GTK_WIDGET(p->dialog));
		rg_dialog_present_return(
		    task,
		    NULL,
		    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "dialog cancelled"));
	}
	return G_SOURCE_REMOVE;
}

static void
rg_dialog_present_cancelled_cb(GCancellable *cancellable, GTask *task)
{
	/* may run in another thread, and g_cancellable_disconnect() must not run inside this
	 * handler: the dialog is touched later, from the main context */
	g_idle_add_full(G_PRIORITY_DEFAULT,
	                rg_dialog_present_cancel_idle_cb,
	                g_object_ref(task),
	                g_object_unref);
}

/**
 * rg_dialog_present_async:
 * @self: an #RgDialog
 * @cancellable: (nullable): cancels the question; the dialog is hidden
 * @callback: called once the user decided
 * @user_data: data for @callback
 *
 * Shows the dialog without blocking. Call rg_dialog_present_finish() in @callback. Destroying
 * the dialog before the user decided counts as "edit".
 */
void
rg_dialog_present_async(RgDialog *self,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
	GTask *task;
	RgDialogPresent *p;

	g_return_if_fail(RG_IS_DIALOG(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, rg_dialog_present_async);
	p = g_new0(RgDialogPresent, 1);
	p->dialog = self;
	g_task_set_task_data(task, p, (GDestroyNotify)rg_dialog_present_free);
	/* the task holds one reference of its own until it returns */
	p->response_id = g_signal_connect_data(
	    self, "response", G_CALLBACK(rg_dialog_present_response_cb), task, NULL, 0);
	p->destroy_id = g_signal_connect_data(
	    self, "destroy", G_CALLBACK(rg_dialog_present_destroy_cb), task, NULL, 0);
	if (cancellable != NULL) {
		p->cancellable = cancellable; /* the task holds a reference */
		p->cancelled_id = g_cancellable_connect(cancellable,
		                                        G_CALLBACK(rg_dialog_present_cancelled_cb),
		                                        g_object_ref(task),
		                                        g_object_unref);
	}
	gtk_window_present(GTK_WINDOW(self));
}

/**
 * rg_dialog_present_finish:
 * @self: an #RgDialog
 * @res: the result passed to the callback
 * @error: return location for a #GError: %G_IO_ERROR_CANCELLED when cancelled
 *
 * Returns: (transfer full) (nullable): the decision, or %NULL when cancelled
 */
RgDecision *
rg_dialog_present_finish(RgDialog *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

GPtrArray *
rg_dialog_get_rows(RgDialog *self)
{
	return self->rows;
}

GtkWidget *
rg_dialog_get_headline_label(RgDialog *self)
{
	return self->headline_label;
}

GtkWidget *
rg_dialog_get_check_notes_label(RgDialog *self)
{
	return self->check_notes_label;
}

GtkWidget *
rg_dialog_get_notices_expander(RgDialog *self)
{
	return self->notices_expander;
}

GtkWidget *
rg_dialog_get_notices_box(RgDialog *self)
{
	return self->notices_box;
}

GtkWidget *
rg_dialog_get_edit_button(RgDialog *self)
{
	return self->edit_button;
}

GtkWidget *
rg_dialog_get_send_anyway_button(RgDialog *self)
{
	return self->send_anyway_button;
}

GtkWidget *
rg_dialog_get_send_corrected_button(RgDialog *self)
{
	return self->send_corrected_button;
}

GtkWidget *
rg_dialog_get_rows_scroll(RgDialog *self)
{
	return self->rows_scroll;
}
