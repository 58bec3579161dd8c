/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The dialog under a real X server (Xvfb): built from real reports of the real scorer over
 * tests/data/known-army.txt, driven through its buttons, key events and ATK. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libintl.h>
#include <locale.h>
#include <rcptguard.h>
#include <stdlib.h>
#include <string.h>

#include "rg-dialog-private.h"
#include "rg-test.h"

static RgScorer *
rg_ui_test_scorer(const char *policy_file)
{
	g_autofree char *known = rg_test_data_path("known-army.txt");
	g_autoptr(RgHistory) history = rg_history_new();
	g_autoptr(RgPolicy) policy = rg_policy_new();
	g_autoptr(GError) error = NULL;
	RgScorer *scorer;

	ck_assert_msg(rg_history_load_known_file(history, known, &error), "%s", error->message);
	if (policy_file != NULL) {
		g_autofree char *path = rg_test_data_path(policy_file);
		ck_assert_msg(rg_policy_load_file(policy, path, &error), "%s", error->message);
	}
	scorer = rg_scorer_new(history, policy, &error);
	ck_assert_msg(scorer != NULL, "%s", error != NULL ? error->message : "?");
	return scorer;
}

static RgReport *
rg_ui_test_report(RgScorer *scorer, const char *const *recipients)
{
	g_autoptr(GError) error = NULL;
	RgReport *report = rg_scorer_check(scorer, recipients, &error);
	ck_assert_msg(report != NULL, "%s", error != NULL ? error->message : "?");
	return report;
}

static RgDialog *
rg_ui_test_dialog(const char *policy_file, const char *const *recipients, RgDialogFlags flags)
{
	g_autoptr(RgScorer) scorer = rg_ui_test_scorer(policy_file);
	g_autoptr(RgReport) report = rg_ui_test_report(scorer, recipients);
	RgDialog *dialog = rg_dialog_new(NULL, report, scorer, flags);
	ck_assert_ptr_nonnull(dialog);
	return dialog;
}

static void
rg_ui_test_flush(void)
{
	for (guint i = 0; i < 5; i++) {
		while (gtk_events_pending())
			gtk_main_iteration();
		g_usleep(5000);
	}
}

static RgDialogRow *
rg_ui_test_row(RgDialog *dialog, guint idx)
{
	GPtrArray *rows = rg_dialog_get_rows(dialog);
	ck_assert_uint_gt(rows->len, idx);
	return g_ptr_array_index(rows, idx);
}

static void
rg_ui_test_type(RgDialogRow *row, const char *text)
{
	gtk_entry_set_text(GTK_ENTRY(rg_dialog_row_get_entry(row)), text);
}

typedef struct {
	RgDecision *decision;
	GError *error;
	gboolean done;
} RgUiTestResult;

static void
rg_ui_test_present_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RgUiTestResult *r = user_data;
	r->decision = rg_dialog_present_finish(RG_DIALOG(source), res, &r->error);
	r->done = TRUE;
}

static void
rg_ui_test_wait(RgUiTestResult *r)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (!r->done && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, FALSE);
	ck_assert_msg(r->done, "the dialog did not answer");
}

static void rg_ui_test_key_state(GtkWidget *widget, guint keyval, GdkModifierType state);

static void
rg_ui_test_key(GtkWidget *widget, guint keyval)
{
	rg_ui_test_key_state(widget, keyval, 0);
}

/* a key press with modifiers (GDK_MOD1_MASK: Alt, for a mnemonic) */
static void
rg_ui_test_key_state(GtkWidget *widget, guint keyval, GdkModifierType state)
{
	GdkWindow *window = gtk_widget_get_window(widget);
	GdkDisplay *display = gtk_widget_get_display(widget);
	GdkKeymapKey *keys = NULL;
	gint n_keys = 0;
	GdkEvent *event;

	ck_assert_ptr_nonnull(window);
	event = gdk_event_new(GDK_KEY_PRESS);
	event->key.window = g_object_ref(window);
	event->key.send_event = FALSE;
	event->key.time = GDK_CURRENT_TIME;
	event->key.keyval = keyval;
	event->key.state = state;
	if (gdk_keymap_get_entries_for_keyval(
	        gdk_keymap_get_for_display(display), keyval, &keys, &n_keys)) {
		event->key.hardware_keycode = keys[0].keycode;
		event->key.group = keys[0].group;
	}
	g_free(keys);
	gdk_event_set_device(event, gdk_seat_get_keyboard(gdk_display_get_default_seat(display)));
	gtk_main_do_event(event);
	gdk_event_free(event);
}

static void rg_ui_test_key(GtkWidget *widget, guint keyval);

static const char *const army_one[] = {
    "\"Gen. Smith\" <gen.smith@army.ml>", "j.doe@army.mil", "new.contact@example.org", NULL};
static const char *const army_two[] = {
    "gen.smith@army.ml", "bob@yahooo.com", "j.doe@army.mil", NULL};

START_TEST(test_dialog_is_needed)
{
	g_autoptr(RgScorer) scorer = rg_ui_test_scorer(NULL);
	const char *notices[] = {"j.doe@army.mil", "new.contact@example.org", NULL};
	const char *warn[] = {"gen.smith@army.ml", NULL};
	g_autoptr(RgReport) quiet = rg_ui_test_report(scorer, notices);
	g_autoptr(RgReport) loud = rg_ui_test_report(scorer, warn);

	ck_assert_int_eq(rg_report_get_level(quiet), RG_LEVEL_NOTICE);
	ck_assert(!rg_dialog_is_needed(quiet));
	ck_assert(rg_dialog_is_needed(loud));
}
END_TEST

START_TEST(test_dialog_markup)
{
	struct {
		const char *address, *suggestion, *want;
	} cases[] = {
	    {"gen.smith@army.ml", "gen.smith@army.mil", "gen.smith@army.<S>ml</S>"},
	    {"bob@yahooo.com", "bob@yahoo.com", "bob@yahoo<S>o</S>.com"},
	    {"x@gmail.con", "x@gmail.com", "x@gmail.co<S>n</S>"},
	    {"a&b<c>@army.ml", "a&b<c>@army.mil", "a&amp;b&lt;c&gt;@army.<S>ml</S>"},
	    {"gen@armymil", "gen@army.mil", "gen@<S>armymil</S>"},
	    {"j@bücher.dr", "j@bücher.de", "j@bücher.d<S>r</S>"},
	    {"j@a.org", NULL, "j@a.org"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got =
		    rg_dialog_markup_address(cases[i].address, cases[i].suggestion, NULL);
		g_auto(GStrv) parts = g_strsplit(cases[i].want, "<S>", -1);
		g_autofree char *open =
		    g_strjoinv("<span weight=\"bold\" underline=\"single\">", parts);
		g_auto(GStrv) parts2 = g_strsplit(open, "</S>", -1);
		g_autofree char *want = g_strjoinv("</span>", parts2);
		ck_assert_str_eq(got, want);
		/* and Pango accepts it */
		ck_assert(pango_parse_markup(got, -1, 0, NULL, NULL, NULL, NULL));
	}
}
END_TEST

START_TEST(test_dialog_rows)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	RgDialogRow *row = rg_ui_test_row(dialog, 0);
	GtkLabel *address = GTK_LABEL(rg_dialog_row_get_address_label(row));
	g_autoptr(GList) reasons =
	    gtk_container_get_children(GTK_CONTAINER(rg_dialog_row_get_reasons_box(row)));
	g_autoptr(GList) notices =
	    gtk_container_get_children(GTK_CONTAINER(rg_dialog_get_notices_box(dialog)));
	const char *first;
	const char *markup;
	g_autofree char *tooltip = NULL;
	GtkPolicyType vpolicy;
	const char *many[] = {"gen.smith@army.ml",
	                      "bob@yahooo.com",
	                      "x@gmail.con",
	                      "k.lee@army.ml",
	                      "j.doe@army.mil",
	                      NULL};

	/* one row: the warn recipient; ok is not listed, the notice is collapsed below */
	ck_assert_uint_eq(rg_dialog_get_rows(dialog)->len, 1);
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_get_headline_label(dialog))),
	                 "One recipient may be wrong");
	ck_assert_str_eq(rg_verdict_get_address(rg_dialog_row_get_verdict(row)),
	                 "gen.smith@army.ml");
	ck_assert_str_eq(gtk_label_get_text(address), "gen.smith@army.ml");
	markup = gtk_label_get_label(address);
	ck_assert_msg(g_str_has_prefix(markup,
	                               "gen.smith@army.<span weight=\"bold\" "
	                               "underline=\"single\" foreground=\"#"),
	              "%s",
	              markup);
	ck_assert_msg(g_str_has_suffix(markup, "\">ml</span>"), "%s", markup);
	tooltip = gtk_widget_get_tooltip_text(GTK_WIDGET(address));
	ck_assert_str_eq(tooltip, "\"Gen. Smith\" <gen.smith@army.ml>");

	ck_assert_uint_ge(g_list_length(reasons), 1);
	first = gtk_label_get_text(GTK_LABEL(reasons->data));
	ck_assert_msg(strstr(first, "Mali") != NULL && strstr(first, "army.mil") != NULL &&
	                  strstr(first, "3 people") != NULL,
	              "%s",
	              first);
	ck_assert(gtk_widget_get_visible(rg_dialog_row_get_suggestion_button(row)));
	ck_assert_str_eq(atk_object_get_name(
	                     gtk_widget_get_accessible(rg_dialog_row_get_suggestion_button(row))),
	                 "Use gen.smith@army.mil");

	ck_assert(gtk_widget_get_visible(rg_dialog_get_notices_expander(dialog)));
	ck_assert(!gtk_expander_get_expanded(GTK_EXPANDER(rg_dialog_get_notices_expander(dialog))));
	ck_assert_str_eq(
	    gtk_expander_get_label(GTK_EXPANDER(rg_dialog_get_notices_expander(dialog))),
	    "_Notes on one other recipient");
	ck_assert_uint_eq(g_list_length(notices), 1);
	ck_assert(strstr(gtk_label_get_text(GTK_LABEL(notices->data)), "new.contact@example.org") !=
	          NULL);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	dialog = rg_ui_test_dialog(NULL, army_two, RG_DIALOG_FLAG_NONE);
	ck_assert_uint_eq(rg_dialog_get_rows(dialog)->len, 2);
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_get_headline_label(dialog))),
	                 "2 recipients may be wrong");
	ck_assert(!gtk_widget_get_visible(rg_dialog_get_notices_expander(dialog)));
	row = rg_ui_test_row(dialog, 1);
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_row_get_address_label(row))),
	                 "bob@yahooo.com");
	ck_assert(strstr(gtk_label_get_label(GTK_LABEL(rg_dialog_row_get_address_label(row))),
	                 ">o</span>.com") != NULL);
	gtk_scrolled_window_get_policy(
	    GTK_SCROLLED_WINDOW(rg_dialog_get_rows_scroll(dialog)), NULL, &vpolicy);
	ck_assert_int_eq(vpolicy, GTK_POLICY_NEVER);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* many rows scroll */
	dialog = rg_ui_test_dialog(NULL, many, RG_DIALOG_FLAG_NONE);
	ck_assert_uint_eq(rg_dialog_get_rows(dialog)->len, 4);
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_get_headline_label(dialog))),
	                 "4 recipients may be wrong");
	gtk_scrolled_window_get_policy(
	    GTK_SCROLLED_WINDOW(rg_dialog_get_rows_scroll(dialog)), NULL, &vpolicy);
	ck_assert_int_eq(vpolicy, GTK_POLICY_AUTOMATIC);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_sensitivity)
{
	const char *blocked[] = {"gen.smith@army.ml", "j.doe@army.mil", NULL};
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	RgDialogRow *row;

	/* warn: may send anyway; nothing corrected yet */
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_edit_button(dialog)));
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	gtk_button_clicked(
	    GTK_BUTTON(rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0))));
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* block: no sending until fixed */
	dialog = rg_ui_test_dialog("policy-mil.conf", blocked, RG_DIALOG_FLAG_NONE);
	row = rg_ui_test_row(dialog, 0);
	ck_assert_int_eq(rg_verdict_get_level(rg_dialog_row_get_verdict(row)), RG_LEVEL_BLOCK);
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	/* a fix that still looks wrong lifts the block but is no "correction" */
	rg_ui_test_type(row, "gen.smith@army.mi");
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	/* a fix to another blocked address keeps it blocked */
	rg_ui_test_type(row, "someone@mali.ml");
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	/* the right fix allows both */
	rg_ui_test_type(row, "gen.smith@army.mil");
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	/* back to what was typed: blocked again */
	rg_ui_test_type(row, "gen.smith@army.ml");
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* block with the policy's override */
	dialog = rg_ui_test_dialog("policy-mil.conf", blocked, RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE);
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_anyway_button(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_default_focus)
{
	const char *blocked[] = {"gen.smith@army.ml", NULL};
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_two, RG_DIALOG_FLAG_NONE);
	GtkWidget *focus;

	gtk_widget_show(GTK_WIDGET(dialog));
	rg_ui_test_flush();
	focus = gtk_window_get_focus(GTK_WINDOW(dialog));
	ck_assert_ptr_eq(focus, rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0)));
	/* Enter applies the focused fix (it is not taken by the default button) */
	rg_ui_test_key(GTK_WIDGET(dialog), GDK_KEY_Return);
	for (guint i = 0;
	     i < 100 && rg_dialog_row_get_replacement(rg_ui_test_row(dialog, 0)) == NULL;
	     i++)
		rg_ui_test_flush();
	ck_assert_str_eq(rg_dialog_row_get_replacement(rg_ui_test_row(dialog, 0)),
	                 "gen.smith@army.mil");
	/* after the first fix, the next row's fix; after the last, Send Corrected */
	focus = gtk_window_get_focus(GTK_WINDOW(dialog));
	ck_assert_ptr_eq(focus, rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 1)));
	gtk_button_clicked(GTK_BUTTON(focus));
	ck_assert_ptr_eq(gtk_window_get_focus(GTK_WINDOW(dialog)),
	                 rg_dialog_get_send_corrected_button(dialog));
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* no suggestion (the policy blocks the TLD): Edit Message, never Send Anyway */
	dialog = rg_ui_test_dialog("policy-mil.conf", blocked, RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE);
	gtk_widget_show(GTK_WIDGET(dialog));
	rg_ui_test_flush();
	focus = gtk_window_get_focus(GTK_WINDOW(dialog));
	if (rg_dialog_row_get_default_focus(rg_ui_test_row(dialog, 0)) == NULL)
		ck_assert_ptr_eq(focus, rg_dialog_get_edit_button(dialog));
	ck_assert_ptr_ne(focus, rg_dialog_get_send_anyway_button(dialog));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_send_corrected)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	RgUiTestResult r = {0};
	g_autofree char *json = NULL;
	GHashTable *replacements;

	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	gtk_button_clicked(
	    GTK_BUTTON(rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0))));
	ck_assert_str_eq(
	    gtk_entry_get_text(GTK_ENTRY(rg_dialog_row_get_entry(rg_ui_test_row(dialog, 0)))),
	    "gen.smith@army.mil");
	ck_assert(strstr(gtk_label_get_text(
	                     GTK_LABEL(rg_dialog_row_get_status_label(rg_ui_test_row(dialog, 0)))),
	                 "looks right") != NULL);
	gtk_button_clicked(GTK_BUTTON(rg_dialog_get_send_corrected_button(dialog)));
	rg_ui_test_wait(&r);
	ck_assert_ptr_null(r.error);
	ck_assert_int_eq(rg_decision_get_kind(r.decision), RG_DECISION_SEND_CORRECTED);
	replacements = rg_decision_get_replacements(r.decision);
	ck_assert_uint_eq(g_hash_table_size(replacements), 1);
	ck_assert_str_eq(g_hash_table_lookup(replacements, "gen.smith@army.ml"),
	                 "gen.smith@army.mil");
	json = rg_decision_to_json(r.decision);
	ck_assert_str_eq(json,
	                 "{\"decision\":\"send-corrected\",\"replacements\":{\"gen.smith@army.ml\":"
	                 "\"gen.smith@army.mil\"},\"trusted\":[]}");
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

/* Two flagged rows; Enter took the first fix and Alt+C (Send Corrected, the highlighted
 * button) sent at once, bob@yahooo.com uncorrected. Send Corrected now waits for every row. */
START_TEST(test_dialog_send_corrected_needs_every_fix)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_two, RG_DIALOG_FLAG_NONE);
	GtkWidget *corrected = rg_dialog_get_send_corrected_button(dialog);
	RgUiTestResult r = {0};
	g_autoptr(RgDecision) early = NULL;
	g_autofree char *json = NULL;
	g_autofree char *tooltip = NULL;

	ck_assert_uint_eq(rg_dialog_get_rows(dialog)->len, 2);
	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	/* Enter applies the first fix */
	rg_ui_test_key(GTK_WIDGET(dialog), GDK_KEY_Return);
	for (guint i = 0;
	     i < 100 && rg_dialog_row_get_replacement(rg_ui_test_row(dialog, 0)) == NULL;
	     i++)
		rg_ui_test_flush();
	ck_assert_str_eq(rg_dialog_row_get_replacement(rg_ui_test_row(dialog, 0)),
	                 "gen.smith@army.mil");
	/* one row is still as typed: Send Corrected cannot send, and says why */
	ck_assert(!gtk_widget_get_sensitive(corrected));
	tooltip = gtk_widget_get_tooltip_text(corrected);
	ck_assert_msg(strstr(tooltip, "Correct every address") != NULL, "%s", tooltip);
	rg_ui_test_key_state(GTK_WIDGET(dialog), GDK_KEY_c, GDK_MOD1_MASK);
	rg_ui_test_flush();
	ck_assert_msg(!r.done, "Alt+C sent with a row uncorrected");
	/* a response sent past the insensitive button does not send either */
	early = rg_dialog_build_decision(dialog, RG_DIALOG_RESPONSE_SEND_CORRECTED);
	ck_assert_int_eq(rg_decision_get_kind(early), RG_DECISION_EDIT);
	/* the focus went to the second fix: Enter takes it, and Send Corrected is there */
	ck_assert_ptr_eq(gtk_window_get_focus(GTK_WINDOW(dialog)),
	                 rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 1)));
	rg_ui_test_key(GTK_WIDGET(dialog), GDK_KEY_Return);
	for (guint i = 0; i < 100 && !gtk_widget_get_sensitive(corrected); i++)
		rg_ui_test_flush();
	ck_assert(gtk_widget_get_sensitive(corrected));
	ck_assert_ptr_eq(gtk_window_get_focus(GTK_WINDOW(dialog)), corrected);
	rg_ui_test_key_state(GTK_WIDGET(dialog), GDK_KEY_c, GDK_MOD1_MASK);
	rg_ui_test_wait(&r);
	json = rg_decision_to_json(r.decision);
	ck_assert_str_eq(json,
	                 "{\"decision\":\"send-corrected\",\"replacements\":{\"bob@yahooo.com\":"
	                 "\"bob@yahoo.com\",\"gen.smith@army.ml\":\"gen.smith@army.mil\"},"
	                 "\"trusted\":[]}");
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

/* Send Anyway still sends what was corrected, and the rest as typed: its job */
START_TEST(test_dialog_send_anyway_keeps_fixes)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_two, RG_DIALOG_FLAG_NONE);
	g_autoptr(RgDecision) d = NULL;
	GHashTable *replacements;

	gtk_button_clicked(
	    GTK_BUTTON(rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0))));
	d = rg_dialog_build_decision(dialog, RG_DIALOG_RESPONSE_SEND);
	replacements = rg_decision_get_replacements(d);
	ck_assert_uint_eq(g_hash_table_size(replacements), 1);
	ck_assert_str_eq(g_hash_table_lookup(replacements, "gen.smith@army.ml"),
	                 "gen.smith@army.mil");
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

static gboolean
rg_ui_test_hides(const char *text)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c) || g_unichar_type(c) == G_UNICODE_FORMAT)
			return TRUE;
	}
	return FALSE;
}

static void
rg_ui_test_labels_visible(GtkWidget *widget, gpointer user_data)
{
	guint *n = user_data;
	if (GTK_IS_LABEL(widget)) {
		const char *text = gtk_label_get_text(GTK_LABEL(widget));
		g_autofree char *tooltip = gtk_widget_get_tooltip_text(widget);
		ck_assert_msg(!rg_ui_test_hides(text), "a label hides characters: %s", text);
		ck_assert_msg(tooltip == NULL || !rg_ui_test_hides(tooltip),
		              "a tooltip hides characters: %s",
		              tooltip);
		(*n)++;
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), rg_ui_test_labels_visible, user_data);
}

/* control and bidi characters of an address showed as they were (or did what they do) */
START_TEST(test_dialog_shows_hidden_characters)
{
	const char *recipients[] = {"gen.smith\u202e@army.mil",
	                            "\"Bad\x1b[2J\u200f\" <\"k.lee\x07\"@army.mil>",
	                            "new\u200b@example.org",
	                            NULL};
	RgDialog *dialog = rg_ui_test_dialog(NULL, recipients, RG_DIALOG_FLAG_NONE);
	RgDialogRow *row = rg_ui_test_row(dialog, 0);
	const char *address = gtk_label_get_text(GTK_LABEL(rg_dialog_row_get_address_label(row)));
	const char *markup;
	guint n = 0;

	ck_assert_uint_eq(rg_dialog_get_rows(dialog)->len, 3);
	ck_assert_str_eq(address, "gen.smith<U+202E>@army.mil");
	/* what differs from the fix is what is highlighted: the character nobody would see */
	markup = gtk_label_get_label(GTK_LABEL(rg_dialog_row_get_address_label(row)));
	ck_assert_msg(strstr(markup, "\">&lt;U+202E&gt;</span>@army.mil") != NULL, "%s", markup);
	ck_assert_str_eq(gtk_label_get_text(
	                     GTK_LABEL(rg_dialog_row_get_address_label(rg_ui_test_row(dialog, 1)))),
	                 "\"k.lee\\x07\"@army.mil");
	/* every label and tooltip of the dialog, the name and the fix included */
	gtk_widget_show(GTK_WIDGET(dialog));
	rg_ui_test_flush();
	rg_ui_test_labels_visible(GTK_WIDGET(dialog), &n);
	ck_assert_uint_gt(n, 10);
	ck_assert_str_eq(atk_object_get_name(gtk_widget_get_accessible(
	                     rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0)))),
	                 "Use gen.smith@army.mil");
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_escape_is_edit)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	RgUiTestResult r = {0};
	RgUiTestResult r2 = {0};

	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	/* a fix made before Esc is dropped: nothing is sent */
	gtk_button_clicked(
	    GTK_BUTTON(rg_dialog_row_get_suggestion_button(rg_ui_test_row(dialog, 0))));
	rg_ui_test_key(GTK_WIDGET(dialog), GDK_KEY_Escape);
	rg_ui_test_wait(&r);
	ck_assert_int_eq(rg_decision_get_kind(r.decision), RG_DECISION_EDIT);
	ck_assert_uint_eq(g_hash_table_size(rg_decision_get_replacements(r.decision)), 0);
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* closing the window is "edit" too */
	dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r2);
	rg_ui_test_flush();
	gtk_window_close(GTK_WINDOW(dialog));
	rg_ui_test_wait(&r2);
	ck_assert_int_eq(rg_decision_get_kind(r2.decision), RG_DECISION_EDIT);
	rg_decision_free(r2.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_blocked_send_is_edit)
{
	const char *blocked[] = {"gen.smith@army.ml", NULL};
	RgDialog *dialog = rg_ui_test_dialog("policy-mil.conf", blocked, RG_DIALOG_FLAG_NONE);
	g_autoptr(RgDecision) d = NULL;

	/* even a response sent past the insensitive button does not send */
	d = rg_dialog_build_decision(dialog, RG_DIALOG_RESPONSE_SEND);
	ck_assert_int_eq(rg_decision_get_kind(d), RG_DECISION_EDIT);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_trust)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	RgDialogRow *row = rg_ui_test_row(dialog, 0);
	RgUiTestResult r = {0};
	const char *const *trusted;

	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	ck_assert(gtk_widget_is_visible(rg_dialog_row_get_trust_address_button(row)));
	ck_assert(gtk_widget_is_visible(rg_dialog_row_get_trust_domain_button(row)));
	gtk_button_clicked(GTK_BUTTON(rg_dialog_row_get_trust_address_button(row)));
	gtk_button_clicked(GTK_BUTTON(rg_dialog_row_get_trust_domain_button(row)));
	gtk_button_clicked(GTK_BUTTON(rg_dialog_get_send_anyway_button(dialog)));
	rg_ui_test_wait(&r);
	ck_assert_int_eq(rg_decision_get_kind(r.decision), RG_DECISION_SEND);
	trusted = rg_decision_get_trusted(r.decision);
	ck_assert_str_eq(trusted[0], "gen.smith@army.ml");
	ck_assert_str_eq(trusted[1], "army.ml");
	ck_assert_ptr_null(trusted[2]);
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NO_TRUST);
	row = rg_ui_test_row(dialog, 0);
	gtk_widget_show(GTK_WIDGET(dialog));
	rg_ui_test_flush();
	ck_assert(!gtk_widget_is_visible(rg_dialog_row_get_trust_address_button(row)));
	ck_assert(!gtk_widget_is_visible(rg_dialog_row_get_trust_domain_button(row)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

typedef struct {
	int answer;
	gboolean asked;
} RgUiTestQuestion;

/* answers the question before trusting a look-alike, once it shows */
static gboolean
rg_ui_test_answer_trust_cb(gpointer user_data)
{
	RgUiTestQuestion *q = user_data;
	g_autoptr(GList) toplevels = gtk_window_list_toplevels();

	for (GList *l = toplevels; l != NULL; l = l->next) {
		if (GTK_IS_MESSAGE_DIALOG(l->data) && gtk_widget_get_visible(l->data) &&
		    g_strcmp0(gtk_window_get_title(l->data), "Trust Look-alike?") == 0) {
			gtk_dialog_response(GTK_DIALOG(l->data), q->answer);
			q->asked = TRUE;
			return G_SOURCE_REMOVE;
		}
	}
	return G_SOURCE_CONTINUE;
}

/* clicks @button while a question is answered with @answer; whether it was asked */
static gboolean
rg_ui_test_click_answering(GtkWidget *button, int answer)
{
	RgUiTestQuestion q = {answer, FALSE};
	guint source = g_timeout_add(50, rg_ui_test_answer_trust_cb, &q);

	gtk_button_clicked(GTK_BUTTON(button));
	if (!q.asked)
		g_source_remove(source);
	return q.asked;
}

/* trusting a typo of a protected domain asks once more: "Cancel" keeps the dialog open,
 * "Trust" sends with the trust; a typo of nothing protected does not ask */
START_TEST(test_dialog_trust_asks_once_more)
{
	g_autofree char *dir = g_dir_make_tmp("rg-ui-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "policy.conf", NULL);
	g_autoptr(RgPolicy) policy = rg_policy_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *recipients[] = {"gen.smith@armyy.mil", "bob@gmail.con", NULL};
	RgUiTestResult r = {0};
	RgDialog *dialog;
	RgDialogRow *row;

	ck_assert(g_file_set_contents(path, "[policy]\nprotected-domains=army.mil\n", -1, NULL));
	ck_assert(rg_policy_load_file(policy, path, NULL));
	scorer = rg_scorer_new(NULL, policy, NULL);
	report = rg_ui_test_report(scorer, recipients);
	ck_assert_ptr_nonnull(
	    strstr(rg_verdict_get_trust_warning(rg_report_get_verdict(report, 0)), "army.mil"));
	dialog = rg_dialog_new(NULL, report, scorer, RG_DIALOG_FLAG_NONE);
	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	row = rg_ui_test_row(dialog, 0);
	gtk_button_clicked(GTK_BUTTON(rg_dialog_row_get_trust_domain_button(row)));

	ck_assert(rg_ui_test_click_answering(rg_dialog_get_send_anyway_button(dialog),
	                                     GTK_RESPONSE_CANCEL));
	rg_ui_test_flush();
	ck_assert_msg(!r.done, "the dialog answered although trusting was cancelled");
	ck_assert(gtk_widget_get_visible(GTK_WIDGET(dialog)));

	ck_assert(rg_ui_test_click_answering(rg_dialog_get_send_anyway_button(dialog),
	                                     GTK_RESPONSE_ACCEPT));
	rg_ui_test_wait(&r);
	ck_assert_int_eq(rg_decision_get_kind(r.decision), RG_DECISION_SEND);
	ck_assert_str_eq(rg_decision_get_trusted(r.decision)[0], "armyy.mil");
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* gmail.con is no look-alike of anything protected: trusting it does not ask */
	memset(&r, 0, sizeof r);
	dialog = rg_dialog_new(NULL, report, scorer, RG_DIALOG_FLAG_NONE);
	ck_assert_ptr_null(rg_verdict_get_trust_warning(rg_report_get_verdict(report, 1)));
	rg_dialog_present_async(dialog, NULL, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	gtk_button_clicked(
	    GTK_BUTTON(rg_dialog_row_get_trust_domain_button(rg_ui_test_row(dialog, 1))));
	ck_assert(!rg_ui_test_click_answering(rg_dialog_get_send_anyway_button(dialog),
	                                      GTK_RESPONSE_ACCEPT));
	rg_ui_test_wait(&r);
	ck_assert_str_eq(rg_decision_get_trusted(r.decision)[0], "gmail.con");
	rg_decision_free(r.decision);
	gtk_widget_destroy(GTK_WIDGET(dialog));
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

static void
rg_ui_test_collect(GtkWidget *widget, gpointer user_data)
{
	GPtrArray *controls = user_data;
	if (GTK_IS_BUTTON(widget) || GTK_IS_ENTRY(widget) || GTK_IS_EXPANDER(widget))
		g_ptr_array_add(controls, widget);
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), rg_ui_test_collect, controls);
}

static gboolean
rg_ui_test_has_mnemonic(GtkWidget *widget)
{
	g_autoptr(GList) labels = gtk_widget_list_mnemonic_labels(widget);
	for (GList *l = labels; l != NULL; l = l->next) {
		if (gtk_label_get_mnemonic_keyval(GTK_LABEL(l->data)) != GDK_KEY_VoidSymbol)
			return TRUE;
	}
	if (GTK_IS_EXPANDER(widget)) {
		GtkWidget *label = gtk_expander_get_label_widget(GTK_EXPANDER(widget));
		return GTK_IS_LABEL(label) &&
		       gtk_label_get_mnemonic_keyval(GTK_LABEL(label)) != GDK_KEY_VoidSymbol;
	}
	return FALSE;
}

START_TEST(test_dialog_accessible)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_two, RG_DIALOG_FLAG_NONE);
	g_autoptr(GPtrArray) controls = g_ptr_array_new();
	guint checked = 0;

	gtk_widget_show(GTK_WIDGET(dialog));
	rg_ui_test_flush();
	rg_ui_test_collect(GTK_WIDGET(dialog), controls);
	for (guint i = 0; i < controls->len; i++) {
		GtkWidget *w = g_ptr_array_index(controls, i);
		AtkObject *acc = gtk_widget_get_accessible(w);
		const char *name = atk_object_get_name(acc);
		if (!gtk_widget_is_visible(w))
			continue;
		ck_assert_msg(name != NULL && name[0] != '\0',
		              "a %s has no accessible name",
		              G_OBJECT_TYPE_NAME(w));
		ck_assert_msg(rg_ui_test_has_mnemonic(w),
		              "the %s “%s” has no mnemonic",
		              G_OBJECT_TYPE_NAME(w),
		              name);
		checked++;
	}
	/* 3 dialog buttons, per row: fix, entry, 2 trust toggles */
	ck_assert_uint_ge(checked, 3 + 2 * 4);
	ck_assert_str_eq(atk_object_get_name(
	                     gtk_widget_get_accessible(rg_dialog_get_send_anyway_button(dialog))),
	                 "Send Anyway");
	ck_assert_str_eq(atk_object_get_name(gtk_widget_get_accessible(
	                     rg_dialog_row_get_entry(rg_ui_test_row(dialog, 1)))),
	                 "Correct address for bob@yahooo.com");
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_live_check)
{
	g_autoptr(RgScorer) scorer = rg_ui_test_scorer(NULL);
	g_autoptr(RgReport) report = rg_ui_test_report(scorer, army_one);
	RgDialog *dialog = rg_dialog_new(NULL, report, scorer, RG_DIALOG_FLAG_NONE);
	RgDialogRow *row = rg_ui_test_row(dialog, 0);
	GtkLabel *status = GTK_LABEL(rg_dialog_row_get_status_label(row));

	rg_ui_test_type(row, "gen.smith@army.mi");
	ck_assert_msg(strstr(gtk_label_get_text(status), "may be wrong too") != NULL &&
	                  strstr(gtk_label_get_text(status), "“.mi”") != NULL,
	              "%s",
	              gtk_label_get_text(status));
	ck_assert(!gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	rg_ui_test_type(row, "gen.smith@");
	ck_assert_str_eq(gtk_label_get_text(status), "This is not a complete e-mail address.");
	ck_assert_ptr_null(rg_dialog_row_get_replacement(row));
	rg_ui_test_type(row, "Gen. Smith <gen.smith@army.mil>");
	ck_assert_str_eq(rg_dialog_row_get_replacement(row), "gen.smith@army.mil");
	ck_assert_str_eq(gtk_label_get_text(status),
	                 "Will send to gen.smith@army.mil. It looks right.");
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* without a scorer the fix is taken as typed */
	dialog = rg_dialog_new(NULL, report, NULL, RG_DIALOG_FLAG_NONE);
	row = rg_ui_test_row(dialog, 0);
	rg_ui_test_type(row, "gen.smith@army.mi");
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_row_get_status_label(row))),
	                 "Will send to gen.smith@army.mi.");
	ck_assert(gtk_widget_get_sensitive(rg_dialog_get_send_corrected_button(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_cancel)
{
	RgDialog *dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	RgUiTestResult r = {0};

	rg_dialog_present_async(dialog, cancellable, rg_ui_test_present_cb, &r);
	rg_ui_test_flush();
	g_cancellable_cancel(cancellable);
	rg_ui_test_wait(&r);
	ck_assert_ptr_null(r.decision);
	ck_assert(g_error_matches(r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	g_error_free(r.error);
	ck_assert(!gtk_widget_get_visible(GTK_WIDGET(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

START_TEST(test_dialog_check_notes)
{
	g_autofree char *dir = g_dir_make_tmp("rg-ui-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "policy.conf", NULL);
	g_autoptr(RgPolicy) policy = rg_policy_new();
	g_autoptr(RgHistory) history = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *recipients[] = {"gen.smith@army.ml", NULL};
	RgDialog *dialog;
	GtkWidget *label;

	/* nothing wrong with the check: no note */
	dialog = rg_ui_test_dialog(NULL, recipients, RG_DIALOG_FLAG_NONE);
	ck_assert(!gtk_widget_get_visible(rg_dialog_get_check_notes_label(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));

	/* a policy with a bad entry: the dialog says the check ran without it */
	ck_assert(g_file_set_contents(path, "[policy]\nblocked-domains=.ml;bad value\n", -1, NULL));
	ck_assert(rg_policy_load_file(policy, path, NULL));
	ck_assert(rg_history_add(history, "gen.smith@army.mil", 3, 0, RG_HISTORY_FLAG_NONE, NULL));
	scorer = rg_scorer_new(history, policy, NULL);
	report = rg_ui_test_report(scorer, recipients);
	dialog = rg_dialog_new(NULL, report, scorer, RG_DIALOG_FLAG_NONE);
	label = rg_dialog_get_check_notes_label(dialog);
	ck_assert(gtk_widget_get_visible(label));
	ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(label)), "bad value") != NULL,
	              "note: %s",
	              gtk_label_get_text(GTK_LABEL(label)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_decision_copy)
{
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND_CORRECTED);
	g_autoptr(RgDecision) copy = NULL;
	g_autofree char *a = NULL;
	g_autofree char *b = NULL;

	rg_decision_add_replacement(d, "b@x.ml", "b@x.mil");
	rg_decision_add_replacement(d, "a@\"q\".ml", "a@q.mil");
	rg_decision_add_trusted(d, "example.org");
	rg_decision_add_trusted(d, "example.org");
	copy = rg_decision_copy(d);
	a = rg_decision_to_json(d);
	b = rg_decision_to_json(copy);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a,
	                 "{\"decision\":\"send-corrected\",\"replacements\":{\"a@\\\"q\\\".ml\":"
	                 "\"a@q.mil\",\"b@x.ml\":\"b@x.mil\"},\"trusted\":[\"example.org\"]}");
}
END_TEST

/* In German, as a user of Claws Mail would see it: the host's textdomain() is its own, yet
 * the dialog's template, its code and the core's reasons come from our catalogue and the
 * country name from iso-codes'. Needs the de_DE.UTF-8 locale (CI generates it). */
static char *rg_ui_test_saved_domain;

static void
rg_ui_test_german_setup(void)
{
	if (!rg_test_have_german())
		return;
	rg_ui_test_saved_domain = g_strdup(textdomain(NULL));
	g_setenv("LANGUAGE", "de", TRUE);
	setlocale(LC_ALL, "de_DE.UTF-8");
	textdomain("claws-mail");
}

static void
rg_ui_test_german_teardown(void)
{
	if (rg_ui_test_saved_domain != NULL)
		textdomain(rg_ui_test_saved_domain);
	g_clear_pointer(&rg_ui_test_saved_domain, g_free);
	g_setenv("LANGUAGE", "", TRUE);
	setlocale(LC_ALL, "C.UTF-8");
}

START_TEST(test_dialog_translated)
{
	RgDialog *dialog;
	RgDialogRow *row;
	g_autoptr(GList) reasons = NULL;
	const char *reason;

	if (!g_str_has_prefix(setlocale(LC_ALL, NULL), "de"))
		return;
	dialog = rg_ui_test_dialog(NULL, army_one, RG_DIALOG_FLAG_NONE);
	row = rg_ui_test_row(dialog, 0);
	reasons = gtk_container_get_children(GTK_CONTAINER(rg_dialog_row_get_reasons_box(row)));
	ck_assert_ptr_nonnull(reasons);
	reason = gtk_label_get_text(GTK_LABEL(reasons->data));
	/* the template (domain="rcptguard" in rg-dialog.ui) */
	ck_assert_str_eq(gtk_window_get_title(GTK_WINDOW(dialog)), "Empfänger prüfen");
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(rg_dialog_get_edit_button(dialog))),
	                 "Nachricht _bearbeiten");
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(rg_dialog_get_send_anyway_button(dialog))),
	                 "_Trotzdem senden");
	/* the code (rg-dialog.c), a plural */
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(rg_dialog_get_headline_label(dialog))),
	                 "Ein Empfänger ist vielleicht falsch");
	/* the core's reason with iso-codes' country name */
	ck_assert_msg(
	    strstr(reason, "„.ml“ ist die Länderdomain von Mali, einen Buchstaben von „.mil“") !=
	        NULL,
	    "%s",
	    reason);
	ck_assert_msg(strstr(reason, "army.mil") != NULL, "%s", reason);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}
END_TEST

static Suite *
rg_dialog_suite(void)
{
	Suite *s = suite_create("dialog");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"is_needed", test_dialog_is_needed},
	    {"markup", test_dialog_markup},
	    {"rows", test_dialog_rows},
	    {"sensitivity", test_dialog_sensitivity},
	    {"default_focus", test_dialog_default_focus},
	    {"send_corrected", test_dialog_send_corrected},
	    {"send_corrected_needs_every_fix", test_dialog_send_corrected_needs_every_fix},
	    {"send_anyway_keeps_fixes", test_dialog_send_anyway_keeps_fixes},
	    {"shows_hidden_characters", test_dialog_shows_hidden_characters},
	    {"escape_is_edit", test_dialog_escape_is_edit},
	    {"blocked_send_is_edit", test_dialog_blocked_send_is_edit},
	    {"trust", test_dialog_trust},
	    {"trust_asks_once_more", test_dialog_trust_asks_once_more},
	    {"accessible", test_dialog_accessible},
	    {"live_check", test_dialog_live_check},
	    {"cancel", test_dialog_cancel},
	    {"check_notes", test_dialog_check_notes},
	    {"decision", test_decision_copy},
	};
	TCase *tc;
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		tc = tcase_create(cases[i].name);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	tc = tcase_create("translated");
	tcase_add_checked_fixture(tc, rg_ui_test_german_setup, rg_ui_test_german_teardown);
	tcase_add_test(tc, test_dialog_translated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	/* GTK's X connection does not survive check's fork */
	g_setenv("CK_FORK", "no", TRUE);
	if (!gtk_init_check(&argc, &argv)) {
		g_printerr("SKIP: no display (run under xvfb-run -a)\n");
		return 77;
	}
	return rg_test_run(rg_dialog_suite());
}
