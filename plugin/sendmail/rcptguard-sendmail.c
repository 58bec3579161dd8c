/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-sendmail: a sendmail that checks the recipients first, for the mail clients that
 * have no pre-send hook (mutt, neomutt, aerc, git send-email). It reads the whole message,
 * checks through the session, asks in the dialog or at a terminal when something looks
 * wrong, and hands the message, with the fixes the user chose, to the real transport; when
 * nobody can be asked it refuses with EX_NOUSER. Nothing is passed on before the check is
 * done, so a refused message is never half sent. */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rg-sendmail.h"

#define RG_SENDMAIL_DEFAULT_TRANSPORT "/usr/sbin/sendmail"

typedef struct {
	RgSendmailArgs args;
	RgMessage *message;
	RgSession *session;
	RgReport *report;
	RgDecision *decision;
	gboolean logged; /* the dialog helper has written the decision log */
} RgSendmail;

static void
rg_sendmail_clear(RgSendmail *self)
{
	rg_sendmail_args_clear(&self->args);
	g_clear_object(&self->message);
	g_clear_object(&self->session);
	g_clear_object(&self->report);
	g_clear_pointer(&self->decision, rg_decision_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgSendmail, rg_sendmail_clear)

G_GNUC_PRINTF(1, 2)
static void
rg_sendmail_say(const char *format, ...)
{
	va_list ap;
	g_autofree char *text = NULL;
	g_autofree char *shown = NULL;

	va_start(ap, format);
	text = g_strdup_vprintf(format, ap);
	va_end(ap);
	shown = rg_sendmail_visible(text);
	g_printerr("rcptguard-sendmail: %s\n", shown);
}

static void
rg_sendmail_warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	rg_sendmail_say("%s", message);
}

/* ------------------------------------------------------------------ reading */

static GBytes *
rg_sendmail_read_stdin(GError **error)
{
	g_autoptr(GInputStream) in = g_unix_input_stream_new(STDIN_FILENO, FALSE);
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();

	if (g_output_stream_splice(out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

/* the recipients to check: the envelope's, and with -t those of the header too */
static GPtrArray *
rg_sendmail_recipients(RgSendmail *self)
{
	GPtrArray *all = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	g_autoptr(GPtrArray) args = rg_sendmail_args_get_recipients(&self->args);

	for (guint i = 0; i < args->len; i++)
		g_ptr_array_add(all, g_strdup(g_ptr_array_index(args, i)));
	if (self->args.from_headers) {
		g_autoptr(GPtrArray) header = rg_message_get_recipients(self->message);
		for (guint i = 0; i < header->len; i++)
			g_ptr_array_add(all, g_strdup(g_ptr_array_index(header, i)));
	}
	return all;
}

/* ------------------------------------------------------------------ refusing */

static void
rg_sendmail_print_refusal(RgSendmail *self, gboolean asked)
{
	for (guint i = 0; i < rg_report_get_n_verdicts(self->report); i++) {
		RgVerdict *v = rg_report_get_verdict(self->report, i);
		g_autofree char *why = NULL;
		if (!rg_sendmail_verdict_is_first_flagged(self->report, i))
			continue;
		why = rg_sendmail_describe(v);
		/* TRANSLATORS: %1$s is an e-mail address, %2$s why it looks wrong and its fix */
		rg_sendmail_say(_("not sent to %1$s: %2$s"), rg_verdict_get_address(v), why);
	}
	if (asked)
		rg_sendmail_say(_("nothing was sent; edit the message and send it again"));
	else
		rg_sendmail_say(_("nothing was sent; correct the address and send again, or export "
		                  "RCPTGUARD_TTY=$(tty) or run with a display to be asked "
		                  "(see rcptguard-sendmail(1))"));
}

/* ------------------------------------------------------------------ asking */

static gboolean
rg_sendmail_have_display(void)
{
	const char *x = g_getenv("DISPLAY");
	const char *wl = g_getenv("WAYLAND_DISPLAY");
	return (x != NULL && x[0] != '\0') || (wl != NULL && wl[0] != '\0');
}

/* the dialog when there is a display, else the terminal; NULL when nobody can be asked */
static RgDecision *
rg_sendmail_ask(RgSendmail *self, GPtrArray *recipients)
{
	g_autoptr(RgSendmailTty) tty = NULL;

	if (rg_sendmail_have_display()) {
		g_autoptr(GError) error = NULL;
		RgDecision *decision = rg_session_ask_dialog_helper(
		    self->session, (const char *const *)recipients->pdata, NULL, &error);
		if (decision != NULL) {
			self->logged = TRUE;
			return decision;
		}
		/* TRANSLATORS: %s is a technical error message */
		rg_sendmail_say(_("the dialog could not be shown: %s"), error->message);
	}
	tty = rg_sendmail_tty_open();
	if (tty != NULL)
		return rg_sendmail_tty_ask(tty, self->session, self->report);
	return NULL;
}

/* when the check itself failed: what the policy's on-error says. Returns TRUE to send
 * unchecked, else sets *status. */
static gboolean
rg_sendmail_on_error(RgSendmail *self, const GError *error, int *status)
{
	RgPolicyOnError on_error = rg_session_get_on_error(self->session);

	if (on_error == RG_POLICY_ON_ERROR_ALLOW) {
		/* TRANSLATORS: %s is a technical error message */
		rg_sendmail_say(_("the recipients could not be checked: %s; sent unchecked, as the "
		                  "policy says (on-error=allow)"),
		                error->message);
		return TRUE;
	}
	if (on_error == RG_POLICY_ON_ERROR_ASK) {
		g_autoptr(RgSendmailTty) tty = rg_sendmail_tty_open();
		if (tty != NULL && rg_sendmail_tty_ask_unchecked(tty, error->message))
			return TRUE;
	}
	/* TRANSLATORS: %s is a technical error message */
	rg_sendmail_say(_("nothing was sent: the recipients could not be checked: %s"),
	                error->message);
	if (g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS))
		*status = RG_EX_DATAERR;
	else if (g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY))
		*status = RG_EX_CONFIG;
	else
		*status = RG_EX_TEMPFAIL;
	return FALSE;
}

/* the report's notices that the session's did not say already */
static void
rg_sendmail_say_notices(RgSendmail *self)
{
	GPtrArray *notices = rg_report_get_notices(self->report);
	GPtrArray *said = rg_session_get_notices(self->session);

	for (guint i = 0; i < notices->len; i++) {
		const char *notice = g_ptr_array_index(notices, i);
		if (!g_ptr_array_find_with_equal_func(said, notice, g_str_equal, NULL))
			rg_sendmail_say("%s", notice);
	}
}

/* the check and the question; TRUE when the message goes out (with the fixes applied),
 * else *status says why not */
static gboolean
rg_sendmail_check(RgSendmail *self, int *status)
{
	g_autoptr(GPtrArray) recipients = rg_sendmail_recipients(self);
	g_autoptr(GError) error = NULL;

	if (!rg_session_load(self->session, &error))
		return rg_sendmail_on_error(self, error, status);
	for (guint i = 0; i < rg_session_get_notices(self->session)->len; i++)
		rg_sendmail_say(
		    "%s",
		    (const char *)g_ptr_array_index(rg_session_get_notices(self->session), i));
	if (!rg_session_get_enabled(self->session) || recipients->len == 0)
		return TRUE; /* the transport says what it thinks of no recipients */
	self->report =
	    rg_session_check(self->session, (const char *const *)recipients->pdata, &error);
	if (self->report == NULL)
		return rg_sendmail_on_error(self, error, status);
	rg_sendmail_say_notices(self);
	/* what is not an address was not checked: the policy's on-error for it; the rest is
	 * judged all the same */
	if (!rg_report_is_complete(self->report, &error) &&
	    !rg_sendmail_on_error(self, error, status))
		return FALSE;
	if (!rg_report_needs_decision(self->report))
		return TRUE;

	self->decision = rg_sendmail_ask(self, recipients);
	if (self->decision == NULL) {
		/* nobody to ask: aerc, a batch job */
		self->decision = rg_decision_new(RG_DECISION_EDIT);
		rg_session_apply_decision(
		    self->session, self->report, self->decision, RG_APPLY_LOG);
		rg_sendmail_print_refusal(self, FALSE);
		*status = RG_EX_NOUSER;
		return FALSE;
	}
	if (!rg_session_apply_decision(self->session,
	                               self->report,
	                               self->decision,
	                               self->logged ? RG_APPLY_TRUST
	                                            : RG_APPLY_TRUST | RG_APPLY_LOG)) {
		rg_sendmail_print_refusal(self, TRUE);
		*status = RG_EX_NOUSER;
		return FALSE;
	}
	if (rg_decision_get_kind(self->decision) == RG_DECISION_SEND_CORRECTED) {
		GHashTable *fixes = rg_decision_get_replacements(self->decision);
		rg_sendmail_args_replace(&self->args, fixes);
		rg_message_replace_recipients(self->message, fixes);
	}
	return TRUE;
}

/* ------------------------------------------------------------------ the transport */

/* --sendmail, unless the system policy locks the setting */
static char *
rg_sendmail_transport(RgSendmail *self)
{
	const char *locked_by = NULL;
	g_autofree char *setting = NULL;

	if (rg_session_get_policy(self->session) != NULL)
		setting =
		    rg_session_get_setting(self->session, "sendmail-command", NULL, &locked_by);
	if (self->args.transport != NULL && locked_by == NULL)
		return g_strdup(self->args.transport);
	if (self->args.transport != NULL && g_strcmp0(self->args.transport, setting) != 0)
		/* TRANSLATORS: %1$s is a command, %2$s the policy file */
		rg_sendmail_say(_("--sendmail is ignored: %2$s sets sendmail-command to %1$s"),
		                setting,
		                locked_by);
	return setting != NULL ? g_steal_pointer(&setting)
	                       : g_strdup(RG_SENDMAIL_DEFAULT_TRANSPORT);
}

static int
rg_sendmail_deliver(RgSendmail *self)
{
	g_autofree char *command = rg_sendmail_transport(self);
	g_auto(GStrv) words = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_null_terminated(0, NULL, TRUE);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	gboolean written;
	int status;

	if (!g_shell_parse_argv(command, NULL, &words, &error)) {
		rg_sendmail_say(
		    /* TRANSLATORS: %1$s is a command line, %2$s a technical error message */
		    _("nothing was sent: the transport “%1$s” is not a command line: %2$s"),
		    command,
		    error->message);
		return RG_EX_CONFIG;
	}
	for (guint i = 0; words[i] != NULL; i++)
		g_ptr_array_add(argv, words[i]);
	for (guint i = 0; i < self->args.pass->len; i++)
		g_ptr_array_add(argv, g_ptr_array_index(self->args.pass, i));
	proc = g_subprocess_newv(
	    (const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
	if (proc == NULL) {
		rg_sendmail_say(
		    /* TRANSLATORS: %1$s is a program, %2$s the system's error message */
		    _("nothing was sent: cannot run the transport %1$s: %2$s (set it with "
		      "--sendmail or the setting sendmail-command)"),
		    words[0],
		    error->message);
		return RG_EX_UNAVAILABLE;
	}
	written = g_subprocess_communicate(
	    proc, rg_message_get_bytes(self->message), NULL, NULL, NULL, &error);
	if (!written)
		g_subprocess_wait(proc, NULL, NULL);
	if (!g_subprocess_get_if_exited(proc)) {
		rg_sendmail_say(
		    /* TRANSLATORS: %1$s is a program, %2$d a signal number */
		    _("the transport %1$s was killed by signal %2$d; the message may not "
		      "have been sent"),
		    words[0],
		    g_subprocess_get_term_sig(proc));
		return RG_EX_TEMPFAIL;
	}
	status = g_subprocess_get_exit_status(proc);
	if (status != 0) {
		rg_sendmail_say(
		    /* TRANSLATORS: %1$s is a program, %2$d its exit status */
		    _("the transport %1$s failed with exit status %2$d"),
		    words[0],
		    status);
		return status;
	}
	if (!written) {
		/* TRANSLATORS: %1$s is a program, %2$s a technical error message */
		rg_sendmail_say(_("the transport %1$s did not read the whole message: %2$s"),
		                words[0],
		                error->message);
		return RG_EX_IOERR;
	}
	/* the recipients are remembered only once the message has really left */
	if (self->report != NULL)
		rg_session_apply_decision(
		    self->session, self->report, self->decision, RG_APPLY_RECORD);
	return RG_EX_OK;
}

/* ------------------------------------------------------------------ main */

static void
rg_sendmail_usage(void)
{
	g_print(_("Usage: rcptguard-sendmail [--sendmail CMD] [--policy FILE] [--known FILE] "
	          "[sendmail options] [--] RECIPIENT…\n"
	          "Checks the recipients of the message on standard input, asks when one looks "
	          "wrong (in the dialog, or at the terminal in RCPTGUARD_TTY or /dev/tty), and "
	          "hands the message to the real sendmail.\n"
	          "Options of sendmail (-oi -i -t -f -F -N -R -V -v …) go on to it unchanged.\n"
	          "Exit status: the transport's; 67 when nothing was sent because a recipient "
	          "looks wrong; 64 on a usage error.\n"));
}

int
main(int argc, char **argv)
{
	g_auto(RgSendmail) self = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autofree char *sender = NULL;
	int status = RG_EX_OK;

	setlocale(LC_ALL, "");
	rg_i18n_init();
	/* the program's own default domain too; our strings name it anyway */
	textdomain(GETTEXT_PACKAGE);
	/* a transport that stops reading is an error to report, not a reason to die */
	signal(SIGPIPE, SIG_IGN);

	rg_sendmail_args_init(&self.args);
	if (!rg_sendmail_args_parse(&self.args, argc, argv, &error)) {
		rg_sendmail_say("%s", error->message);
		/* TRANSLATORS: after a usage error; "--help" is an option, keep it */
		rg_sendmail_say(_("try --help"));
		return RG_EX_USAGE;
	}
	if (self.args.help) {
		rg_sendmail_usage();
		return RG_EX_OK;
	}
	if (self.args.version) {
		g_print("rcptguard-sendmail %s\n", rg_version_string());
		return RG_EX_OK;
	}
	data = rg_sendmail_read_stdin(&error);
	if (data == NULL) {
		/* TRANSLATORS: %s is a technical error message */
		rg_sendmail_say(_("nothing was sent: cannot read the message: %s"), error->message);
		return RG_EX_IOERR;
	}
	self.message = rg_message_new(data);
	self.session = rg_session_new();
	g_signal_connect(self.session, "warning", G_CALLBACK(rg_sendmail_warning_cb), NULL);
	rg_session_set_policy_file(self.session, self.args.policy);
	for (guint i = 0; i < self.args.known->len; i++)
		rg_session_add_known_file(self.session, g_ptr_array_index(self.args.known, i));
	sender = self.args.sender != NULL ? g_strdup(self.args.sender)
	                                  : rg_message_get_sender(self.message);
	if (sender != NULL)
		rg_session_add_identity(self.session, sender);
	if (!rg_session_load_policy(self.session, &error)) {
		int refused = RG_EX_CONFIG;
		if (!rg_sendmail_on_error(&self, error, &refused))
			return refused;
	} else if (!rg_sendmail_check(&self, &status)) {
		return status;
	}
	return rg_sendmail_deliver(&self);
}
