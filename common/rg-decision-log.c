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
	g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
	g_autofree char *stamp = g_date_time_format(when, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *dir = NULL;
	gssize done = 0;
	int fd;

	g_return_val_if_fail(RG_IS_REPORT(report), FALSE);
	g_return_val_if_fail(choice != NULL && choice[0] != '\0', FALSE);
	for (const char *p = choice; *p != '\0'; p++)
		g_return_val_if_fail(g_ascii_islower(*p) || *p == '-', FALSE);

	if (path == NULL)
		return TRUE;
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		GPtrArray *reasons = rg_verdict_get_reasons(v);
		RgLevel level = rg_verdict_get_level(v);
		g_autoptr(GString) codes = g_string_new(NULL);
		g_autofree char *address = NULL;
		for (guint r = 0; r < reasons->len; r++) {
			RgReason *reason = g_ptr_array_index(reasons, r);
			level = MAX(level, rg_reason_get_level(reason));
			if (codes->len > 0)
				g_string_append_c(codes, ',');
			g_string_append(codes, rg_reason_get_code(reason));
		}
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
	dir = g_path_get_dirname(path);
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
	/* one write, so that lines of two senders do not interleave */
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
