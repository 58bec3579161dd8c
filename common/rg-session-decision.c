/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The check and what follows the decision, the same for every front end: the decision log in
 * log-only mode, the unattended decision, trust, the decision log and the record of what was
 * sent. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-decision-log.h"
#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-policy-private.h"
#include "rg-report-private.h"
#include "rg-session-private.h"
#include "rg-store-private.h"

static gboolean rg_session_record(RgSession *self,
                                  const char *const *addresses,
                                  const char *const *anyway,
                                  GError **error);

/* ------------------------------------------------------------------ the check */

/* the policy's decision log, stamped by the environment's clock; a failure is a warning */
static gboolean
rg_session_log(RgSession *self, RgReport *report, const char *choice, GError **error)
{
	return rg_decision_log_append(rg_policy_get_decision_log(self->policy),
	                              report,
	                              choice,
	                              rg_environment_get_real_time(self->env),
	                              error);
}

/* the mailboxes of one recipient as typed; what cannot be read is listed in @report as not
 * checked, with a notice, and the rest of the text is still read */
static void
rg_session_parse_recipient(const char *text, GPtrArray *addresses, RgReport *report)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) whole = rg_address_list_parse(text, &error_local);
	g_autoptr(GPtrArray) pieces = NULL;

	if (whole != NULL) {
		g_ptr_array_extend_and_steal(addresses, g_steal_pointer(&whole));
		return;
	}
	/* one bad mailbox in a list typed into one field must not hide the others */
	pieces = rg_address_list_split(text);
	for (guint i = 0; i < pieces->len; i++) {
		const char *piece = g_ptr_array_index(pieces, i);
		g_autoptr(GError) error_piece = NULL;
		g_autoptr(GPtrArray) list =
		    pieces->len > 1 ? rg_address_list_parse(piece, &error_piece) : NULL;
		g_autofree char *shown = NULL;
		g_autofree char *notice = NULL;

		if (list != NULL) {
			g_ptr_array_extend_and_steal(addresses, g_steal_pointer(&list));
			continue;
		}
		shown = rg_address_make_visible(piece, NULL);
		notice =
		    /* TRANSLATORS: %1$s is what the user typed as a recipient, %2$s a technical
		     * error message */
		    g_strdup_printf(_("“%1$s” is not an address that can be read, so it was not "
		                      "checked: %2$s"),
		                    shown,
		                    (error_piece != NULL ? error_piece : error_local)->message);
		rg_report_add_unchecked(report, piece);
		rg_report_add_notice(report, notice);
	}
}

/* what every check adds to the scorer's report: the notices about the sources, and in
 * log-only mode the decision log; takes @report */
static RgReport *
rg_session_complete_report(RgSession *self, RgReport *report)
{
	g_autoptr(GError) error_local = NULL;

	for (guint i = 0; i < self->notices->len; i++)
		rg_report_add_notice(report, g_ptr_array_index(self->notices, i));
	if (rg_policy_get_log_only(self->policy) &&
	    !rg_session_log(self, report, "log-only", &error_local)) {
		g_autofree char *msg = g_strdup_printf(
		    /* TRANSLATORS: %s is a technical error message naming the file */
		    _("The decision log could not be written: %s"),
		    error_local->message);
		rg_report_add_notice(report, msg);
	}
	return report;
}

/**
 * rg_session_check:
 * @self: a loaded #RgSession
 * @recipients: (array zero-terminated=1): the recipients of one message, each an address or
 *   an address list as typed
 * @error: return location for a #GError
 *
 * Parses and judges every recipient, like rg_scorer_check(), but what cannot be read as an
 * address does not stop the check: it is listed in rg_report_get_unchecked() (a mailbox of a
 * list on its own, when the others of the list can be read), a notice says why, and every
 * other recipient is judged. A front end applies the policy's `on-error` to the unchecked
 * ones. What could not be read at load (a busy or damaged store, a broken system policy)
 * travels with the report as notices too. In `log-only` mode the check itself is the record:
 * the recipients that would have been flagged are written to the decision log now, once,
 * and nothing asks.
 *
 * Returns: (transfer full): the report; %NULL only with a programming error
 */
RgReport *
rg_session_check(RgSession *self, const char *const *recipients, GError **error)
{
	g_autoptr(GPtrArray) addresses =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(RgReport) unread = rg_report_new();
	RgReport *report;

	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(self->scorer != NULL, NULL);
	g_return_val_if_fail(recipients != NULL, NULL);

	for (guint i = 0; recipients[i] != NULL; i++)
		rg_session_parse_recipient(recipients[i], addresses, unread);
	report = rg_scorer_check_addresses(self->scorer, addresses);
	for (guint i = 0; i < rg_report_get_unchecked(unread)->len; i++)
		rg_report_add_unchecked(report,
		                        g_ptr_array_index(rg_report_get_unchecked(unread), i));
	for (guint i = 0; i < rg_report_get_notices(unread)->len; i++)
		rg_report_add_notice(report, g_ptr_array_index(rg_report_get_notices(unread), i));
	return rg_session_complete_report(self, report);
}

/**
 * rg_session_check_addresses:
 * @self: a loaded #RgSession
 * @addresses: (element-type RgAddress): the recipients of one message, parsed already (as a
 *   front end that reads them from an envelope has them)
 *
 * Like rg_session_check(), for addresses that are read already.
 *
 * Returns: (transfer full): the report
 */
RgReport *
rg_session_check_addresses(RgSession *self, GPtrArray *addresses)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(self->scorer != NULL, NULL);
	g_return_val_if_fail(addresses != NULL, NULL);
	return rg_session_complete_report(self, rg_scorer_check_addresses(self->scorer, addresses));
}

/**
 * rg_session_decide_unattended:
 * @self: a loaded #RgSession
 * @report: a report that needs a decision (rg_report_needs_decision()) when nobody can be
 *   asked, such as mail a filter rule forwards
 *
 * Decides as the policy says for that case: a warning is sent anyway (the front end should
 * log it); a block stops the message unless `on-error` is `allow`, since asking is what the
 * policy wanted and cannot happen.
 *
 * Returns: (transfer full): %RG_DECISION_SEND or %RG_DECISION_EDIT
 */
RgDecision *
rg_session_decide_unattended(RgSession *self, RgReport *report)
{
	gboolean stop;

	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(RG_IS_REPORT(report), NULL);
	stop = rg_report_get_level(report) >= RG_LEVEL_BLOCK &&
	       rg_session_get_on_error(self) != RG_POLICY_ON_ERROR_ALLOW;
	return rg_decision_new(stop ? RG_DECISION_EDIT : RG_DECISION_SEND);
}

/* (nullable): the user's corrections, when the message goes with them */
static GHashTable *
rg_session_replacements(const RgDecision *decision)
{
	return decision != NULL && rg_decision_get_kind(decision) == RG_DECISION_SEND_CORRECTED
	           ? rg_decision_get_replacements(decision)
	           : NULL;
}

/* the recipients as they leave: the checked ones with the user's corrections */
static GPtrArray *
rg_session_sent_addresses(RgReport *report, const RgDecision *decision)
{
	GHashTable *replacements = rg_session_replacements(decision);
	GPtrArray *sent =
	    g_ptr_array_new_null_terminated(rg_report_get_n_verdicts(report) + 1, NULL, TRUE);

	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++) {
		const char *address = rg_verdict_get_address(rg_report_get_verdict(report, i));
		const char *fixed =
		    replacements != NULL ? g_hash_table_lookup(replacements, address) : NULL;
		g_ptr_array_add(sent, (gpointer)(fixed != NULL ? fixed : address));
	}
	return sent;
}

/* the flagged recipients that leave as typed: sent anyway, so their record vouches for nothing
 * and the next message to them warns again */
static GPtrArray *
rg_session_sent_anyway(RgReport *report, const RgDecision *decision)
{
	GHashTable *replacements = rg_session_replacements(decision);
	GPtrArray *anyway = g_ptr_array_new_null_terminated(1, NULL, TRUE);

	for (guint i = 0; decision != NULL && i < rg_report_get_n_verdicts(report); i++) {
		RgVerdict *v = rg_report_get_verdict(report, i);
		const char *address = rg_verdict_get_address(v);
		if (rg_verdict_get_level(v) < RG_LEVEL_WARN)
			continue;
		if (replacements != NULL && g_hash_table_contains(replacements, address))
			continue;
		g_ptr_array_add(anyway, (gpointer)address);
	}
	return anyway;
}

static void
rg_session_apply_trust(RgSession *self, const RgDecision *decision)
{
	const char *const *trusted = rg_decision_get_trusted(decision);

	for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		g_autofree char *msg = NULL;
		if (rg_session_trust(self, trusted[i], &error_local))
			continue;
		msg = g_strdup_printf(
		    /* TRANSLATORS: %1$s is an address or a domain, %2$s a technical error
		     * message */
		    _("Could not trust %1$s: %2$s"),
		    trusted[i],
		    error_local->message);
		rg_session_warn(self, msg);
	}
}

/**
 * rg_session_apply_decision:
 * @self: a loaded #RgSession
 * @report: the report of the message, from rg_session_check()
 * @decision: (nullable): what the user decided, or %NULL when nothing needed asking
 * @what: which steps to carry out
 *
 * The one flow after a decision, for every front end. When the message goes out, the
 * addresses and domains the user chose are trusted (%RG_APPLY_TRUST) and the recipients are
 * remembered as written to, with the fixes of %RG_DECISION_SEND_CORRECTED
 * (%RG_APPLY_RECORD). A decision that was asked for is written to the policy's decision log
 * (%RG_APPLY_LOG) as "edit", "send" or "send-corrected", one line per flagged recipient; a
 * message that needed no asking adds nothing to it (in `log-only` mode rg_session_check()
 * wrote the line already).
 *
 * A front end that sends only after this (a sendmail wrapper) may apply %RG_APPLY_TRUST and
 * %RG_APPLY_LOG first and %RG_APPLY_RECORD once the message really left. Whatever fails on
 * the way is emitted as #RgSession::warning and does not change the answer.
 *
 * Returns: whether the message is to be sent
 */
gboolean
rg_session_apply_decision(RgSession *self,
                          RgReport *report,
                          const RgDecision *decision,
                          RgApplyFlags what)
{
	RgDecisionKind kind = decision != NULL ? rg_decision_get_kind(decision) : RG_DECISION_SEND;
	gboolean send = kind != RG_DECISION_EDIT;

	g_return_val_if_fail(RG_IS_SESSION(self), send);
	g_return_val_if_fail(self->history != NULL, send);
	g_return_val_if_fail(RG_IS_REPORT(report), send);

	if (send && decision != NULL && (what & RG_APPLY_TRUST))
		rg_session_apply_trust(self, decision);
	if (decision != NULL && (what & RG_APPLY_LOG) && rg_report_needs_decision(report)) {
		g_autoptr(GError) error_local = NULL;
		if (!rg_session_log(self, report, rg_decision_kind_to_string(kind), &error_local)) {
			g_autofree char *msg = g_strdup_printf(
			    /* TRANSLATORS: %s is a technical error message naming the file */
			    _("The decision log could not be written: %s"),
			    error_local->message);
			rg_session_warn(self, msg);
		}
	}
	/* nothing to remember when no recipient could be read (sent unchecked) */
	if (send && (what & RG_APPLY_RECORD) && rg_report_get_n_verdicts(report) > 0) {
		g_autoptr(GPtrArray) sent = rg_session_sent_addresses(report, decision);
		g_autoptr(GPtrArray) anyway = rg_session_sent_anyway(report, decision);
		g_autoptr(GError) error_local = NULL;
		if (!rg_session_record(self,
		                       (const char *const *)sent->pdata,
		                       (const char *const *)anyway->pdata,
		                       &error_local)) {
			g_autofree char *msg =
			    /* TRANSLATORS: %s is a technical error message */
			    g_strdup_printf(_("Could not record the recipients: %s"),
			                    error_local != NULL ? error_local->message : "?");
			rg_session_warn(self, msg);
		}
	}
	return send;
}

/**
 * rg_session_record_sent:
 * @self: a loaded #RgSession
 * @addresses: (array zero-terminated=1): the recipients of a message that was sent
 * @error: return location for a #GError
 *
 * Remembers that the user wrote to @addresses, in memory and in the history store.
 *
 * Returns: %FALSE when an address is malformed or the store cannot be written
 */
gboolean
rg_session_record_sent(RgSession *self, const char *const *addresses, GError **error)
{
	const char *none[] = {NULL};

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->history != NULL, FALSE);
	g_return_val_if_fail(addresses != NULL, FALSE);
	return rg_session_record(self, addresses, none, error);
}

/* records @addresses as sent; those of @anyway (a subset) were sent anyway while flagged */
static gboolean
rg_session_record(RgSession *self,
                  const char *const *addresses,
                  const char *const *anyway,
                  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gint64 now = rg_environment_get_real_time(self->env) / G_USEC_PER_SEC;

	/* the store validates every address first: all or nothing */
	if (self->store != NULL &&
	    !rg_store_record_sent_anyway(self->store, addresses, anyway, &error_local) &&
	    g_error_matches(error_local, RG_ERROR, RG_ERROR_INVALID_ADDRESS)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	for (guint i = 0; addresses[i] != NULL; i++) {
		if (g_strv_contains(anyway, addresses[i]))
			rg_history_add_sent_anyway(self->history, addresses[i], now, NULL);
		else
			rg_history_add(
			    self->history, addresses[i], 1, 0, RG_HISTORY_FLAG_CONFIRMED, NULL);
	}
	if (error_local != NULL) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "remembered for this session only: ");
		return FALSE;
	}
	return TRUE;
}

/**
 * rg_session_trust:
 * @self: a loaded #RgSession
 * @address_or_domain: an address or a domain the user trusts from now on
 * @error: return location for a #GError
 *
 * Trusts @address_or_domain in memory and in the history store.
 *
 * Returns: %FALSE with %RG_ERROR_LOCKED when the policy does not allow it (see
 *   rg_policy_check_trust()), or when @address_or_domain is malformed or the store cannot be
 *   written (then it is still trusted for this session)
 */
gboolean
rg_session_trust(RgSession *self, const char *address_or_domain, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gboolean ok;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->history != NULL, FALSE);
	g_return_val_if_fail(address_or_domain != NULL, FALSE);

	/* the policy may forbid it; a lock is never undone by a trust decision */
	if (!rg_policy_check_trust(self->policy, address_or_domain, error))
		return FALSE;
	if (strchr(address_or_domain, '@') != NULL)
		ok = rg_history_add(
		    self->history, address_or_domain, 0, 0, RG_HISTORY_FLAG_TRUSTED, error);
	else
		ok = rg_history_trust_domain(self->history, address_or_domain, error);
	if (!ok)
		return FALSE;
	if (self->store != NULL &&
	    !rg_store_trust(self->store, address_or_domain, "user", &error_local)) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "trusted for this session only: ");
		return FALSE;
	}
	return TRUE;
}
