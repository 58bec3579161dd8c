/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asking at a terminal: /dev/tty when the process still has one (git send-email), else the
 * terminal the user named in RCPTGUARD_TTY (mutt runs its sendmail after setsid(), so
 * /dev/tty is gone there). The terminal may be in a curses program's raw mode: the prompt
 * sets the mode it needs and puts the old one back, also when a signal ends it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
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

/* what can be typed at the prompt. Each key is a translation of its own, so that a language
 * can pick letters that fit its words; tests/i18n checks that a catalogue's keys differ. */
#define RG_SENDMAIL_KEY_CONTEXT "terminal key"

typedef struct {
	const char *key; /* in the context RG_SENDMAIL_KEY_CONTEXT */
	const char *label;
} RgSendmailChoice;

enum {
	RG_CHOICE_EDIT,
	RG_CHOICE_CORRECT,
	RG_CHOICE_SEND,
	RG_CHOICE_TRUST,
	RG_CHOICE_YES,
	RG_CHOICE_NO,
};

static const RgSendmailChoice rg_sendmail_choices[] = {
    [RG_CHOICE_EDIT] =
        {
            /* TRANSLATORS: the key to type at the terminal prompt for "Edit the message";
             * one lower-case letter, different from the keys of the other choices */
            NC_("terminal key", "e"),
            /* TRANSLATORS: a choice at the terminal prompt, the one Enter takes */
            N_("Edit the message (nothing is sent)"),
        },
    [RG_CHOICE_CORRECT] =
        {
            /* TRANSLATORS: the key to type at the terminal prompt for "Send corrected";
             * one lower-case letter, different from the keys of the other choices */
            NC_("terminal key", "c"),
            /* TRANSLATORS: a choice at the terminal prompt: send with the suggested
             * fixes */
            N_("Send corrected"),
        },
    [RG_CHOICE_SEND] =
        {
            /* TRANSLATORS: the key to type at the terminal prompt for "Send anyway"; one
             * lower-case letter, different from the keys of the other choices */
            NC_("terminal key", "s"),
            /* TRANSLATORS: a choice at the terminal prompt */
            N_("Send anyway, as typed"),
        },
    [RG_CHOICE_TRUST] =
        {
            /* TRANSLATORS: the key to type at the terminal prompt for "Trust these
             * recipients"; one lower-case letter, different from the keys of the other
             * choices */
            NC_("terminal key", "t"),
            /* TRANSLATORS: a choice at the terminal prompt */
            N_("Trust these recipients from now on, and send"),
        },
    [RG_CHOICE_YES] =
        {
            /* TRANSLATORS: the key for "yes" at the terminal question "Send the message
             * without a check?"; one lower-case letter */
            NC_("terminal key", "y"),
            NULL,
        },
    [RG_CHOICE_NO] =
        {
            /* TRANSLATORS: the key for "no" at the terminal question "Send the message
             * without a check?"; one lower-case letter, shown in upper case as the
             * default (anything but the key for yes answers no) */
            NC_("terminal key", "n"),
            NULL,
        },
};

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

/* the first character of the answer, lower-cased; 0 for an empty line, -1 at the end of
 * input */
static gunichar
rg_sendmail_tty_read_answer(RgSendmailTty *tty, gboolean *eof)
{
	char buf[256];
	ssize_t n;

	*eof = FALSE;
	do
		n = read(tty->fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		*eof = TRUE;
		return 0;
	}
	buf[n] = '\0';
	g_strstrip(buf);
	/* a key that is not ASCII (a translated one) is read whole; bytes that are not UTF-8
	 * match no key */
	if (!g_utf8_validate(buf, -1, NULL))
		return (gunichar)-1;
	return g_unichar_tolower(g_utf8_get_char(buf));
}

/* the key that chooses @choice at the prompt, as shown */
static const char *
rg_sendmail_tty_key_text(guint choice)
{
	return g_dpgettext2(
	    GETTEXT_PACKAGE, RG_SENDMAIL_KEY_CONTEXT, rg_sendmail_choices[choice].key);
}

/* the same, as read: lower-cased */
static gunichar
rg_sendmail_tty_key(guint choice)
{
	return g_unichar_tolower(g_utf8_get_char(rg_sendmail_tty_key_text(choice)));
}

static void
rg_sendmail_tty_offer(RgSendmailTty *tty, guint choice)
{
	rg_sendmail_tty_printf(tty,
	                       "  [%s] %s\n",
	                       rg_sendmail_tty_key_text(choice),
	                       _(rg_sendmail_choices[choice].label));
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
	/* the level column: as wide as the wider translated label, counted in characters */
	guint width = MAX(8,
	                  MAX(g_utf8_strlen(rg_sendmail_level_label(RG_LEVEL_WARN), -1),
	                      g_utf8_strlen(rg_sendmail_level_label(RG_LEVEL_BLOCK), -1)));

	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		GPtrArray *reasons = rg_verdict_get_reasons(v);
		g_autofree char *address = NULL;
		const char *label;

		if (!rg_sendmail_verdict_is_first_flagged(report, i))
			continue;
		address = rg_sendmail_visible(rg_verdict_get_address(v));
		label = rg_sendmail_level_label(rg_verdict_get_level(v));
		rg_sendmail_tty_printf(tty,
		                       "  %s%*s %s\n",
		                       label,
		                       (int)(width - g_utf8_strlen(label, -1)),
		                       "",
		                       address);
		for (guint r = 0; r < reasons->len; r++) {
			g_autofree char *msg = rg_sendmail_visible(
			    rg_reason_get_message(g_ptr_array_index(reasons, r)));
			rg_sendmail_tty_printf(tty, "%*s%s\n", (int)width + 3, "", msg);
		}
		if (rg_verdict_get_suggestion(v) != NULL) {
			g_autofree char *fix = rg_sendmail_visible(rg_verdict_get_suggestion(v));
			/* TRANSLATORS: %s is the e-mail address the user probably meant */
			g_autofree char *hint = g_strdup_printf(_("Did you mean %s?"), fix);
			rg_sendmail_tty_printf(tty, "%*s%s\n", (int)width + 3, "", hint);
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

	rg_sendmail_tty_printf(tty,
	                       "\n%s\n\n",
	                       /* TRANSLATORS: the first line of the terminal prompt of
	                        * rcptguard-sendmail */
	                       _("rcptguard: check the recipients of this message"));
	rg_sendmail_tty_show(tty, report);
	rg_sendmail_tty_write(tty, "\n");
	rg_sendmail_tty_offer(tty, RG_CHOICE_EDIT);
	if (may_correct)
		rg_sendmail_tty_offer(tty, RG_CHOICE_CORRECT);
	if (may_send)
		rg_sendmail_tty_offer(tty, RG_CHOICE_SEND);
	if (may_trust)
		rg_sendmail_tty_offer(tty, RG_CHOICE_TRUST);
	for (;;) {
		gboolean eof;
		gunichar answer;
		rg_sendmail_tty_printf(tty,
		                       /* TRANSLATORS: the question at the terminal prompt; %s is
		                        * the key of the default choice, "Edit the message", which
		                        * Enter takes */
		                       _("Your choice [%s]:"),
		                       rg_sendmail_tty_key_text(RG_CHOICE_EDIT));
		rg_sendmail_tty_write(tty, " ");
		answer = rg_sendmail_tty_read_answer(tty, &eof);
		if (eof) {
			rg_sendmail_tty_write(tty, "\n");
			return rg_decision_new(RG_DECISION_EDIT);
		}
		if (answer == 0 || answer == rg_sendmail_tty_key(RG_CHOICE_EDIT))
			return rg_decision_new(RG_DECISION_EDIT);
		if (may_correct && answer == rg_sendmail_tty_key(RG_CHOICE_CORRECT))
			return rg_sendmail_decision_for_flagged(report, RG_DECISION_SEND_CORRECTED);
		if (may_send && answer == rg_sendmail_tty_key(RG_CHOICE_SEND))
			return rg_decision_new(RG_DECISION_SEND);
		if (may_trust && answer == rg_sendmail_tty_key(RG_CHOICE_TRUST))
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
	gboolean eof;
	gunichar answer;
	g_autofree char *no = NULL;
	g_autofree char *shown = rg_sendmail_visible(problem);

	rg_sendmail_tty_printf(tty,
	                       /* TRANSLATORS: at the terminal; %s says why, then the user is
	                        * asked whether to send the message unchecked */
	                       _("\nrcptguard: the recipients could not be checked: %s\n"),
	                       shown);
	no = g_utf8_strup(rg_sendmail_tty_key_text(RG_CHOICE_NO), -1);
	rg_sendmail_tty_printf(tty,
	                       "%s [%s/%s] ",
	                       /* TRANSLATORS: a yes/no question at the terminal prompt;
	                        * "[y/N]" follows it, with the translated keys */
	                       _("Send the message without a check?"),
	                       rg_sendmail_tty_key_text(RG_CHOICE_YES),
	                       no);
	answer = rg_sendmail_tty_read_answer(tty, &eof);
	/* "y" is yes in every language: scripts and fingers that learnt it keep working */
	return !eof && (answer == 'y' || answer == rg_sendmail_tty_key(RG_CHOICE_YES));
}
