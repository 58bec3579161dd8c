/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libmilter/mfapi.h>
#include <rcptguard.h>

/* rg-milter-callbacks.c: the filter, over the one RgServer of the process (set before
 * smfi_main()) */
void rg_milter_set_server(RgServer *server);
struct smfiDesc *rg_milter_get_description(void);

/* rg-milter-stats.c: how long judging a recipient takes, since the start and since the
 * last report (SIGUSR1) */
void rg_milter_stats_add(gint64 microseconds);
char *rg_milter_stats_summary(gboolean since_last_report);

/* rg-milter-reply.c: what the MTA gets, made to fit the milter protocol and SMTP */

/* the longest reply text smfi_setreply() accepts */
#define RG_MILTER_REPLY_MAX 980
/* the part of a quarantine reason Postfix keeps */
#define RG_MILTER_QUARANTINE_MAX 100

/* the language of the replies (server-reply-language): NULL or "" for English, whatever
 * the server's locale; set once, before libmilter starts its threads */
void rg_milter_set_reply_language(const char *language);
char *rg_milter_reply_text(const char *text, gsize max);
char *rg_milter_envelope_address(const char *arg);
char *rg_milter_quarantine_reason(GPtrArray *verdicts);
char *rg_milter_tag_value(GPtrArray *verdicts);
