/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asking at a terminal: /dev/tty when the process still has one (git send-email), else the
 * terminal the user named in RCPTGUARD_TTY (mutt runs its sendmail after setsid(), so
 * /dev/tty is gone there). The terminal may be in a curses program's raw mode: the prompt
 * sets the mode it needs and puts the old one back, also when a signal ends it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "rg-sendmail.h"

struct _RgSendmailTty {
	int fd;
	struct termios saved;
	gboolean restore;
	struct sigaction old_actions[3];
};

/* the terminal to put back when a signal ends the prompt (one prompt at a time) */
static int rg_sendmail_tty_fd = -1;
static struct termios rg_sendmail_tty_saved;
static const int rg_sendmail_tty_signals[] = {SIGHUP, SIGINT, SIGTERM};

static void
rg_sendmail_tty_signal_cb(int sig)
{
	/* only async-signal-safe calls here */
	if (rg_sendmail_tty_fd >= 0)
		tcsetattr(rg_sendmail_tty_fd, TCSAFLUSH, &rg_sendmail_tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
rg_sendmail_tty_open_path(const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && !isatty(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Returns: (transfer full) (nullable): a terminal to ask at, in line mode with echo */
RgSendmailTty *
rg_sendmail_tty_open(void)
{
	const char *named = g_getenv("RCPTGUARD_TTY");
	struct termios mode;
	RgSendmailTty *tty;
	int fd = rg_sendmail_tty_open_path("/dev/tty");

	if (fd < 0 && named != NULL && named[0] != '\0')
		fd = rg_sendmail_tty_open_path(named);
	if (fd < 0)
		return NULL;
	tty = g_new0(RgSendmailTty, 1);
	tty->fd = fd;
	if (tcgetattr(fd, &tty->saved) == 0) {
		struct sigaction action = {0};
		tty->restore = TRUE;
		rg_sendmail_tty_saved = tty->saved;
		rg_sendmail_tty_fd = fd;
		action.sa_handler = rg_sendmail_tty_signal_cb;
		sigemptyset(&action.sa_mask);
		for (guint i = 0; i < G_N_ELEMENTS(rg_sendmail_tty_signals); i++)
			sigaction(rg_sendmail_tty_signals[i], &action, &tty->old_actions[i]);
		mode = tty->saved;
		/* lines with echo and editing, CR read as the end of a line, LF written as CRLF:
		 * what a curses program in raw mode has switched off */
		mode.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ISIG | IEXTEN;
		mode.c_iflag |= ICRNL;
		mode.c_iflag &= ~(INLCR | IGNCR);
		mode.c_oflag |= OPOST | ONLCR;
		tcsetattr(fd, TCSAFLUSH, &mode);
	}
	return tty;
}

void
rg_sendmail_tty_close(RgSendmailTty *tty)
{
	if (tty == NULL)
		return;
	if (tty->restore) {
		tcsetattr(tty->fd, TCSAFLUSH, &tty->saved);
		rg_sendmail_tty_fd = -1;
		for (guint i = 0; i < G_N_ELEMENTS(rg_sendmail_tty_signals); i++)
			sigaction(rg_sendmail_tty_signals[i], &tty->old_actions[i], NULL);
	}
	close(tty->fd);
	g_free(tty);
}

static void
rg_sendmail_tty_write(RgSendmailTty *tty, const char *text)
{
	gsize len = strlen(text);
	while (len > 0) {
		ssize_t n = write(tty->fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (gsize)n;
	}
}

G_GNUC_PRINTF(2, 3)
static void
rg_sendmail_tty_printf(RgSendmailTty *tty, const char *format, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, format);
	text = g_strdup_vprintf(format, ap);
	va_end(ap);
	rg_sendmail_tty_write(tty, text);
}

/* the first letter of the answer, lower-cased; 0 for an empty line, -1 at the end of input */
static int
rg_sendmail_tty_read_answer(RgSendmailTty *tty)
{
	char buf[256];
	ssize_t n;

	do
		n = read(tty->fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	g_strstrip(buf);
	return (unsigned char)g_ascii_tolower(buf[0]);
}

static const char *
rg_sendmail_level_label(RgLevel level)
{
	/* TRANSLATORS: the level of a recipient at the terminal prompt; keep it short */
	return level >= RG_LEVEL_BLOCK ? _("BLOCKED") : _("WARNING");
}

static void
rg_sendmail_tty_show(RgSendmailTty *tty, RgReport *report)
{
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		GPtrArray *reasons = rg_verdict_get_reasons(v);
		g_autofree char *address = NULL;

		if (!rg_sendmail_verdict_is_first_flagged(report, i))
			continue;
		address = rg_sendmail_visible(rg_verdict_get_address(v));
		rg_sendmail_tty_printf(
		    tty, "  %-8s %s\n", rg_sendmail_level_label(rg_verdict_get_level(v)), address);
		for (guint r = 0; r < reasons->len; r++) {
			g_autofree char *msg = rg_sendmail_visible(
			    rg_reason_get_message(g_ptr_array_index(reasons, r)));
			rg_sendmail_tty_printf(tty, "           %s\n", msg);
		}
		if (rg_verdict_get_suggestion(v) != NULL) {
			g_autofree char *fix = rg_sendmail_visible(rg_verdict_get_suggestion(v));
			/* TRANSLATORS: %s is the e-mail address the user probably meant */
			g_autofree char *hint = g_strdup_printf(_("Did you mean %s?"), fix);
			rg_sendmail_tty_printf(tty, "           %s\n", hint);
		}
	}
}

/* whether every flagged recipient has a fix to send to */
static gboolean
rg_sendmail_all_fixable(RgReport *report)
{
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		if (rg_verdict_get_level(v) >= RG_LEVEL_WARN &&
		    rg_verdict_get_suggestion(v) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* a decision about every flagged recipient: send corrected with its fix, or (kind SEND)
 * trust it and send */
static RgDecision *
rg_sendmail_decision_for_flagged(RgReport *report, RgDecisionKind kind)
{
	RgDecision *decision = rg_decision_new(kind);
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		if (rg_verdict_get_level(v) < RG_LEVEL_WARN)
			continue;
		if (kind == RG_DECISION_SEND_CORRECTED)
			rg_decision_add_replacement(
			    decision, rg_verdict_get_address(v), rg_verdict_get_suggestion(v));
		else
			rg_decision_add_trusted(decision, rg_verdict_get_address(v));
	}
	return decision;
}

/**
 * rg_sendmail_tty_ask:
 *
 * Shows the flagged recipients with their reasons and fixes, and offers what the dialog
 * offers: edit (the default, also at the end of input), send corrected (when every flagged
 * recipient has a fix), send anyway and trust (as the policy allows).
 *
 * Returns: (transfer full): the decision
 */
RgDecision *
rg_sendmail_tty_ask(RgSendmailTty *tty, RgSession *session, RgReport *report)
{
	RgAskFlags flags = rg_session_get_ask_flags(session);
	gboolean blocked = rg_report_get_level(report) >= RG_LEVEL_BLOCK;
	gboolean may_send = !blocked || (flags & RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE);
	gboolean may_correct = rg_sendmail_all_fixable(report);
	gboolean may_trust = may_send && (flags & RG_ASK_FLAG_ALLOW_TRUST);

	/* TRANSLATORS: the first line of the terminal prompt of rcptguard-sendmail */
	rg_sendmail_tty_printf(
	    tty, "\n%s\n\n", _("rcptguard: check the recipients of this message"));
	rg_sendmail_tty_show(tty, report);
	rg_sendmail_tty_write(tty, "\n");
	/* TRANSLATORS: the choices at the terminal; the letter in brackets is what to type. Keep
	 * the letters e, c, s and t. */
	rg_sendmail_tty_printf(tty, "  [e] %s\n", _("Edit the message (nothing is sent)"));
	if (may_correct)
		rg_sendmail_tty_printf(tty, "  [c] %s\n", _("Send corrected"));
	if (may_send)
		rg_sendmail_tty_printf(tty, "  [s] %s\n", _("Send anyway, as typed"));
	if (may_trust)
		rg_sendmail_tty_printf(
		    tty, "  [t] %s\n", _("Trust these recipients from now on, and send"));
	for (;;) {
		int answer;
		/* TRANSLATORS: the question at the terminal; Enter chooses e */
		rg_sendmail_tty_printf(tty, "%s ", _("Your choice [e]:"));
		answer = rg_sendmail_tty_read_answer(tty);
		if (answer == -1) {
			rg_sendmail_tty_write(tty, "\n");
			return rg_decision_new(RG_DECISION_EDIT);
		}
		if (answer == 0 || answer == 'e')
			return rg_decision_new(RG_DECISION_EDIT);
		if (answer == 'c' && may_correct)
			return rg_sendmail_decision_for_flagged(report, RG_DECISION_SEND_CORRECTED);
		if (answer == 's' && may_send)
			return rg_decision_new(RG_DECISION_SEND);
		if (answer == 't' && may_trust)
			return rg_sendmail_decision_for_flagged(report, RG_DECISION_SEND);
	}
}

/**
 * rg_sendmail_tty_ask_unchecked:
 * @problem: why the recipients could not be checked, for people
 *
 * Returns: whether the user wants the message sent without a check
 */
gboolean
rg_sendmail_tty_ask_unchecked(RgSendmailTty *tty, const char *problem)
{
	int answer;
	g_autofree char *shown = rg_sendmail_visible(problem);

	/* TRANSLATORS: %s says why; then the user is asked whether to send unchecked */
	rg_sendmail_tty_printf(
	    tty, _("\nrcptguard: the recipients could not be checked: %s\n"), shown);
	/* TRANSLATORS: a yes/no question; keep "y" as the answer for yes */
	rg_sendmail_tty_printf(tty, "%s ", _("Send the message without a check? [y/N]"));
	answer = rg_sendmail_tty_read_answer(tty);
	return answer == 'y';
}
