/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <rcptguard.h>

/* sysexits.h, as sendmail and msmtp use them */
#define RG_EX_OK 0
#define RG_EX_USAGE 64
#define RG_EX_DATAERR 65
#define RG_EX_NOUSER 67
#define RG_EX_UNAVAILABLE 69
#define RG_EX_SOFTWARE 70
#define RG_EX_IOERR 74
#define RG_EX_TEMPFAIL 75
#define RG_EX_CONFIG 78

/* the command line, split into what rcptguard-sendmail takes itself and what goes on to the
 * transport unchanged */
typedef struct {
	char *transport; /* --sendmail CMD, or NULL for the setting */
	char *policy;    /* --policy FILE */
	GPtrArray *known;
	gboolean from_headers; /* -t */
	char *sender;          /* -f or -r */
	gboolean help;
	gboolean version;
	/* the arguments for the transport, in their order, recipients included */
	GPtrArray *pass;
	/* which of them are recipients (indexes into pass) */
	GArray *recipients;
} RgSendmailArgs;

void rg_sendmail_args_init(RgSendmailArgs *args);
void rg_sendmail_args_clear(RgSendmailArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgSendmailArgs, rg_sendmail_args_clear)
gboolean rg_sendmail_args_parse(RgSendmailArgs *args, int argc, char **argv, GError **error);
GPtrArray *rg_sendmail_args_get_recipients(RgSendmailArgs *args);
guint rg_sendmail_args_replace(RgSendmailArgs *args, GHashTable *replacements);

/* asking at a terminal: the open terminal, or NULL when none can be reached */
typedef struct _RgSendmailTty RgSendmailTty;
RgSendmailTty *rg_sendmail_tty_open(void);
void rg_sendmail_tty_close(RgSendmailTty *tty);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgSendmailTty, rg_sendmail_tty_close)
RgDecision *rg_sendmail_tty_ask(RgSendmailTty *tty, RgSession *session, RgReport *report);
gboolean rg_sendmail_tty_ask_unchecked(RgSendmailTty *tty, const char *problem);

/* what people read: control and bidi characters spelled out */
char *rg_sendmail_visible(const char *text);
char *rg_sendmail_describe(RgVerdict *verdict);
gboolean rg_sendmail_verdict_is_first_flagged(RgReport *report, guint idx);
