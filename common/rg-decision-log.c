/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The decision log: one tab-separated line per flagged recipient and decision, appended in
 * one write so that lines of two senders never interleave. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rg-decision-log.h"
#include "rg-error.h"
#include "rg-report-private.h"

/* appends @lines to the log at @path in one write, so that lines of two senders never
 * interleave */
static gboolean
rg_decision_log_write(const char *path, GString *lines, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	gssize done = 0;
	int fd;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int errsv = errno;
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot create %s: %s", dir, g_strerror(errsv));
		return FALSE;
	}
	fd = g_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int errsv = errno;
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot open decision log %s: %s",
		            path,
		            g_strerror(errsv));
		return FALSE;
	}
	while (done < (gssize)lines->len) {
		gssize n = write(fd, lines->str + done, lines->len - (gsize)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			g_close(fd, NULL);
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_IO,
			            "cannot write decision log %s: %s",
			            path,
			            g_strerror(errsv));
			return FALSE;
		}
		done += n;
	}
	if (!g_close(fd, error)) {
		g_prefix_error(error, "cannot write decision log %s: ", path);
		return FALSE;
	}
	return TRUE;
}

static char *
rg_decision_log_stamp(gint64 now)
{
	g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
	return g_date_time_format(when, "%Y-%m-%dT%H:%M:%SZ");
}

/*
 * rg_decision_log_append:
 * @path: (nullable): the decision log (the policy's `decision-log`), or %NULL for none
 * @report: the report the user decided on
 * @choice: what happened, one of the documented words such as "edit", "send",
 *   "send-corrected", "trust", "log-only", "error"
 * @now: the time of the decision, in microseconds since the epoch
 * @error: return location for a #GError
 *
 * Appends one line per recipient that was at warn or block (before log-only mode lowered
 * it) to the decision log, when the policy enables one: the time (UTC), @choice, the level,
 * the address and the reason codes, tab-separated. Nothing of the message itself is
 * recorded. Does nothing without a decision log or without such a recipient.
 *
 * Returns: %FALSE with %RG_ERROR_IO set when the log cannot be written
 */
gboolean
rg_decision_log_append(
    const char *path, RgReport *report, const char *choice, gint64 now, GError **error)
{
	g_autoptr(GString) lines = g_string_new(NULL);
	g_autofree char *stamp = rg_decision_log_stamp(now);

	g_return_val_if_fail(RG_IS_REPORT(report), FALSE);
	g_return_val_if_fail(choice != NULL && choice[0] != '\0', FALSE);
	for (const char *p = choice; *p != '\0'; p++)
		g_return_val_if_fail(g_ascii_islower(*p) || *p == '-', FALSE);

	if (path == NULL)
		return TRUE;
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		g_autoptr(GString) codes = g_string_new(NULL);
		RgLevel level = rg_verdict_get_reasons_level(v, codes);
		g_autofree char *address = NULL;
		if (level < RG_LEVEL_WARN)
			continue;
		address = g_strescape(rg_verdict_get_address(v), NULL);
		g_string_append_printf(lines,
		                       "%s\t%s\t%s\t%s\t%s\n",
		                       stamp,
		                       choice,
		                       rg_level_to_string(level),
		                       address,
		                       codes->str);
	}
	if (lines->len == 0)
		return TRUE;
	return rg_decision_log_write(path, lines, error);
}

/*
 * rg_decision_log_append_server:
 * @path: (nullable): the decision log, or %NULL for none
 * @sender: who sent the message, as the mail server knows them
 * @verdict: the recipient
 * @choice: what the server did: "reject", "confirm", "confirmed", "hold", "tag", "log",
 *   "log-only" or "error"
 * @now: the time, in microseconds since the epoch
 * @error: return location for a #GError
 *
 * Appends one line for a recipient a mail server acted on, whatever its level: the five
 * fields of rg_decision_log_append() and the sender as a sixth.
 *
 * Returns: %FALSE with %RG_ERROR_IO set when the log cannot be written
 */
gboolean
rg_decision_log_append_server(const char *path,
                              const char *sender,
                              RgVerdict *verdict,
                              const char *choice,
                              gint64 now,
                              GError **error)
{
	g_autoptr(GString) line = g_string_new(NULL);
	g_autoptr(GString) codes = g_string_new(NULL);
	g_autofree char *stamp = rg_decision_log_stamp(now);
	g_autofree char *address = NULL;
	g_autofree char *who = NULL;
	RgLevel level;

	g_return_val_if_fail(RG_IS_VERDICT(verdict), FALSE);
	g_return_val_if_fail(sender != NULL, FALSE);
	g_return_val_if_fail(choice != NULL && choice[0] != '\0', FALSE);

	if (path == NULL)
		return TRUE;
	level = rg_verdict_get_reasons_level(verdict, codes);
	address = g_strescape(rg_verdict_get_address(verdict), NULL);
	who = g_strescape(sender, NULL);
	g_string_append_printf(line,
	                       "%s\t%s\t%s\t%s\t%s\t%s\n",
	                       stamp,
	                       choice,
	                       rg_level_to_string(level),
	                       address,
	                       codes->str,
	                       who);
	return rg_decision_log_write(path, line, error);
}
