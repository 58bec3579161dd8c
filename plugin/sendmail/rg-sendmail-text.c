/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What rcptguard-sendmail writes for people, on stderr and at the terminal. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-sendmail.h"

/* every character that would be invisible or act on the terminal, spelled out, as in all
 * of rcptguard's output */
char *
rg_sendmail_visible(const char *text)
{
	return rg_address_make_visible(text, NULL);
}

/* one line for a flagged recipient: the reasons and the fix */
char *
rg_sendmail_describe(RgVerdict *verdict)
{
	GPtrArray *reasons = rg_verdict_get_reasons(verdict);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree char *shown = NULL;

	for (guint i = 0; i < reasons->len; i++) {
		RgReason *reason = g_ptr_array_index(reasons, i);
		if (rg_reason_get_level(reason) < RG_LEVEL_WARN && reasons->len > 1)
			continue;
		if (text->len > 0)
			g_string_append_c(text, ' ');
		g_string_append(text, rg_reason_get_message(reason));
	}
	if (text->len > 0)
		g_string_append_c(text, ' ');
	if (rg_verdict_get_suggestion(verdict) != NULL)
		/* TRANSLATORS: %s is the e-mail address the user probably meant */
		g_string_append_printf(
		    text, _("Did you mean %s?"), rg_verdict_get_suggestion(verdict));
	else
		/* TRANSLATORS: ends the reasons of a recipient that has no suggested fix */
		g_string_append(text, _("Check the address."));
	shown = rg_sendmail_visible(text->str);
	return g_steal_pointer(&shown);
}

/* whether verdict @idx is at warn or block and the first of its address (a message may name
 * one recipient in To and in Cc: it is shown once) */
gboolean
rg_sendmail_verdict_is_first_flagged(RgReport *report, guint idx)
{
	RgVerdict *v = rg_report_get_verdict(report, idx);

	if (rg_verdict_get_level(v) < RG_LEVEL_WARN)
		return FALSE;
	for (guint i = 0; i < idx; i++) {
		if (g_strcmp0(rg_verdict_get_address(rg_report_get_verdict(report, i)),
		              rg_verdict_get_address(v)) == 0)
			return FALSE;
	}
	return TRUE;
}
