/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Combines the signals into a verdict per recipient. All judgement lives here and in
 * rg-scorer-signals.c; the shims and the CLI only pass addresses in and show what comes out.
 * This file keeps the index of known domains and runs the signals for each recipient. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-policy-private.h"
#include "rg-scorer-private.h"

G_DEFINE_TYPE(RgScorer, rg_scorer, G_TYPE_OBJECT)

static void
rg_scorer_finalize(GObject *object)
{
	RgScorer *self = RG_SCORER(object);
	g_clear_object(&self->history);
	g_clear_object(&self->policy);
	g_clear_pointer(&self->index, rg_lookalike_index_free);
	g_clear_pointer(&self->infos, g_array_unref);
	g_clear_pointer(&self->registrable, g_hash_table_unref);
	g_clear_pointer(&self->tld_use, g_hash_table_unref);
	g_clear_pointer(&self->confusable, rg_confusable_free);
	g_clear_pointer(&self->domains, rg_domains_unref);
	G_OBJECT_CLASS(rg_scorer_parent_class)->finalize(object);
}

static void
rg_scorer_class_init(RgScorerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_scorer_finalize;
}

static void
rg_scorer_init(RgScorer *self)
{
}

/**
 * rg_scorer_new:
 * @history: (nullable): who the user corresponds with; %NULL for nobody
 * @policy: (nullable): the effective policy; %NULL for the built-in defaults
 * @error: return location for a #GError
 *
 * Creates a scorer. It keeps references to @history and @policy and notices later additions
 * to @history. It reads the system public suffix list and the iso-codes country names.
 *
 * Returns: (transfer full): a scorer, or %NULL with %RG_ERROR_NOT_FOUND or
 *   %RG_ERROR_INVALID_DATA set when the public suffix list cannot be loaded
 */
RgScorer *
rg_scorer_new(RgHistory *history, RgPolicy *policy, GError **error)
{
	g_autoptr(RgScorer) self = g_object_new(RG_TYPE_SCORER, NULL);

	g_return_val_if_fail(history == NULL || RG_IS_HISTORY(history), NULL);
	g_return_val_if_fail(policy == NULL || RG_IS_POLICY(policy), NULL);

	rg_i18n_init();
	self->history = history != NULL ? g_object_ref(history) : rg_history_new();
	self->policy = policy != NULL ? g_object_ref(policy) : rg_policy_new();
	self->domains = rg_domains_get_default(error);
	if (self->domains == NULL)
		return NULL;
	self->confusable = rg_confusable_new(error);
	if (self->confusable == NULL)
		return NULL;
	return g_steal_pointer(&self);
}

static guint
rg_scorer_add_anchor(RgScorer *self, const char *ascii, const char *unicode)
{
	guint id = rg_lookalike_index_add(self->index, ascii, unicode, NULL);
	if (id >= self->infos->len) {
		RgAnchorInfo zero = {0};
		g_array_set_size(self->infos, id + 1);
		g_array_index(self->infos, RgAnchorInfo, id) = zero;
	}
	return id;
}

static void
rg_scorer_note_tld(RgScorer *self, const char *ascii, guint bit)
{
	const char *tld = rg_domain_tld(ascii);
	guint v = GPOINTER_TO_UINT(g_hash_table_lookup(self->tld_use, tld));
	g_hash_table_insert(self->tld_use, g_strdup(tld), GUINT_TO_POINTER(v | bit));
}

/* history domains go in as anchors; a later call adds what is new and refreshes counts */
static void
rg_scorer_index_history(RgScorer *self)
{
	g_autoptr(GPtrArray) domains = rg_history_get_domains(self->history);

	for (guint i = 0; i < domains->len; i++) {
		const RgHistoryDomain *d = g_ptr_array_index(domains, i);
		RgAnchorInfo *info;
		guint id;
		if (!rg_history_domain_counts(d))
			continue;
		id = rg_scorer_add_anchor(self, d->domain, d->domain_unicode);
		info = &g_array_index(self->infos, RgAnchorInfo, id);
		info->sent = d->sent;
		info->received = d->received;
		info->n_addresses = d->n_addresses;
		info->known = TRUE;
		info->identity = (d->flags & RG_HISTORY_FLAG_IDENTITY) != 0;
		info->strong = d->strong;
		if (d->strong && !g_hash_table_contains(self->registrable, d->domain)) {
			g_hash_table_insert(self->registrable,
			                    rg_domains_registrable(self->domains, d->domain),
			                    GUINT_TO_POINTER(id + 1));
			rg_scorer_note_tld(self, d->domain, RG_TLD_USED_IN_HISTORY);
		}
	}
}

static void
rg_scorer_ensure_index(RgScorer *self)
{
	GPtrArray *protected_rules;
	guint generation = rg_history_get_generation(self->history);
	guint epoch = rg_history_get_epoch(self->history);

	if (self->index_ready && self->generation == generation)
		return;
	/* the history only grew: add to the index instead of rebuilding it (a mail client
	 * records every send, and a rebuild of a large history costs far more than a check) */
	if (self->index_ready && self->epoch == epoch) {
		rg_scorer_index_history(self);
		self->generation = generation;
		return;
	}
	g_clear_pointer(&self->index, rg_lookalike_index_free);
	g_clear_pointer(&self->infos, g_array_unref);
	g_clear_pointer(&self->registrable, g_hash_table_unref);
	g_clear_pointer(&self->tld_use, g_hash_table_unref);
	self->index = rg_lookalike_index_new(self->domains, self->confusable);
	self->infos = g_array_new(FALSE, TRUE, sizeof(RgAnchorInfo));
	self->registrable = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->tld_use = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	rg_scorer_index_history(self);
	protected_rules = rg_policy_get_protected(self->policy);
	for (guint i = 0; i < protected_rules->len; i++) {
		const RgPolicyRule *rule = g_ptr_array_index(protected_rules, i);
		g_autofree char *unicode = NULL;
		guint id;
		/* a whole protected TLD (".mil") counts for the TLD signals, not as a name
		 * others could imitate */
		if (strchr(rule->ascii, '.') == NULL) {
			rg_scorer_note_tld(self, rule->ascii, RG_TLD_USED_BY_POLICY);
			continue;
		}
		unicode = g_hostname_to_unicode(rule->ascii);
		id = rg_scorer_add_anchor(self, rule->ascii, unicode);
		g_array_index(self->infos, RgAnchorInfo, id).protected = TRUE;
		g_array_index(self->infos, RgAnchorInfo, id).strong = TRUE;
		rg_scorer_note_tld(self, rule->ascii, RG_TLD_USED_BY_POLICY);
	}
	self->generation = generation;
	self->epoch = epoch;
	self->index_ready = TRUE;
}

const RgAnchorInfo *
rg_scorer_anchor_info(RgScorer *self, guint anchor)
{
	return &g_array_index(self->infos, RgAnchorInfo, anchor);
}

/* ------------------------------------------------------------------ signals found */

void
rg_signal_clear(RgSignal *s)
{
	g_clear_pointer(&s->message, g_free);
	g_clear_pointer(&s->suggestion_domain, g_free);
}

/* Adds what a signal found, taking @message; @fix is the domain it suggests, if any. Only
 * the strongest finding per code is kept. */
void
rg_check_add(RgCheck *c, RgReasonCode code, guint score, char *message, const char *fix)
{
	RgSignal s = {code, score, message, g_strdup(fix)};

	for (guint i = 0; i < c->signals->len; i++) {
		RgSignal *o = &g_array_index(c->signals, RgSignal, i);
		if (o->code != code)
			continue;
		if (o->score >= score) {
			rg_signal_clear(&s);
			return;
		}
		rg_signal_clear(o);
		*o = s;
		return;
	}
	g_array_append_val(c->signals, s);
}

/* ------------------------------------------------------------------ what is known */

/* whether @ascii looks like another domain known from real mail or the policy */
static gboolean
rg_scorer_resembles_strong(RgScorer *self, const char *ascii, const char *unicode)
{
	g_autoptr(GArray) matches = rg_lookalike_index_find(self->index, ascii, unicode);

	for (guint i = 0; i < matches->len; i++) {
		const RgMatch *m = &g_array_index(matches, RgMatch, i);
		if (rg_scorer_anchor_info(self, m->anchor)->strong &&
		    rg_scorer_match_score(self, m, NULL) >= RG_SCORE_WARN)
			return TRUE;
	}
	return FALSE;
}

gboolean
rg_scorer_domain_is_known(RgScorer *self, const char *ascii, const char *unicode)
{
	g_autofree char *reg = NULL;
	const RgHistoryDomain *d = rg_history_lookup_domain(self->history, ascii);

	if (rg_history_domain_counts(d) && d->strong)
		return TRUE;
	if (rg_policy_match_protected(self->policy, ascii) != NULL)
		return TRUE;
	reg = rg_domains_registrable(self->domains, ascii);
	if (g_hash_table_contains(self->registrable, reg))
		return TRUE;
	/* known only from sends the user confirmed here: one "Send Anyway" to army.ml must not
	 * make everyone at army.ml known while army.mil is where the real mail goes */
	return rg_history_domain_counts(d) && !rg_scorer_resembles_strong(self, ascii, unicode);
}

/* whether the policy or the history vouches for the recipient, so that no signal runs */
static gboolean
rg_scorer_vouched_for(RgScorer *self, const RgCheck *c)
{
	const RgHistoryEntry *e;

	if (rg_policy_match_trusted(self->policy, c->local, c->ascii) != NULL)
		return TRUE;
	if (rg_scorer_domain_is_known(self, c->ascii, c->domain))
		return TRUE;
	e = rg_history_lookup_address(self->history, c->local, c->ascii);
	return e != NULL && (e->flags & RG_HISTORY_FLAG_JUNK) == 0;
}

/* the strongest match; ties go to the better-known anchor */
static void
rg_scorer_pick_best_match(RgScorer *self, RgCheck *c)
{
	guint best_weight = 0;

	for (guint i = 0; i < c->matches->len; i++) {
		const RgMatch *m = &g_array_index(c->matches, RgMatch, i);
		const RgAnchorInfo *info = rg_scorer_anchor_info(self, m->anchor);
		guint score = rg_scorer_match_score(self, m, c->local);
		guint weight = info->sent * 4 + info->received + info->n_addresses +
		               (info->protected ? 1000000 : 0);
		if (c->best == NULL || score > c->best_score ||
		    (score == c->best_score && weight > best_weight)) {
			c->best = m;
			c->best_score = score;
			best_weight = weight;
		}
	}
}

/* ------------------------------------------------------------------ the verdict */

/* what is left of a local part without its hidden characters may not be an address */
static gboolean
rg_scorer_suggestion_is_valid(const RgAddress *addr, const char *local, const char *suggestion)
{
	g_autoptr(RgAddress) parsed = NULL;

	if (strcmp(local, rg_address_get_local_part(addr)) == 0)
		return TRUE;
	parsed = rg_address_parse(suggestion, NULL);
	return parsed != NULL;
}

/* turns the signals into reasons with levels, the verdict's score, level and fix */
static void
rg_scorer_finish(RgScorer *self, RgVerdict *v, RgCheck *c)
{
	guint best = 0;
	const RgSignal *fix = NULL;
	RgLevel verdict_level = RG_LEVEL_OK;
	gboolean enabled = rg_policy_get_enabled(self->policy);
	gboolean hidden = FALSE;
	g_autofree char *local = rg_address_strip_hidden(rg_address_get_local_part(c->addr));
	g_autofree char *suggestion = NULL;

	for (guint i = 0; enabled && i < c->signals->len; i++) {
		RgSignal *s = &g_array_index(c->signals, RgSignal, i);
		RgLevel level = rg_level_for_score(s->score);
		/* the policy may set the level of a reason; "off" drops it */
		if (rg_policy_get_reason_level(self->policy, s->code, &level) &&
		    level == RG_LEVEL_OK)
			continue;
		verdict_level = MAX(verdict_level, level);
		hidden |= s->code == RG_REASON_HIDDEN_CHARACTER;
		rg_verdict_add_reason(v,
		                      s->code,
		                      level,
		                      s->score,
		                      s->suggestion_domain,
		                      g_steal_pointer(&s->message));
		best = MAX(best, s->score);
		/* the fix comes from the strongest signal that has one and would warn on its
		 * own: a policy block of .ml names no domain, the TLD typo beside it does
		 * (army.mil) */
		if (s->suggestion_domain != NULL && s->score >= RG_SCORE_WARN &&
		    (fix == NULL || s->score > fix->score))
			fix = s;
	}
	/* log-only: the reasons keep their level for the decision log, the verdict does not
	 * interrupt */
	if (rg_policy_get_log_only(self->policy))
		verdict_level = MIN(verdict_level, RG_LEVEL_NOTICE);
	rg_verdict_set_score(v, best);
	rg_verdict_set_level(v, verdict_level);
	/* a fix never keeps characters nobody can see: the domain's fix, or else the address
	 * without them */
	if (fix != NULL)
		suggestion = g_strdup_printf("%s@%s", local, fix->suggestion_domain);
	else if (hidden)
		suggestion = g_strdup_printf("%s@%s", local, rg_address_get_domain(c->addr));
	if (suggestion != NULL && verdict_level >= RG_LEVEL_WARN &&
	    strcmp(suggestion, rg_address_get_addr_spec(c->addr)) != 0 &&
	    rg_scorer_suggestion_is_valid(c->addr, local, suggestion))
		rg_verdict_set_suggestion(v, suggestion);
}

static void
rg_check_clear(RgCheck *c)
{
	for (guint i = 0; c->signals != NULL && i < c->signals->len; i++)
		rg_signal_clear(&g_array_index(c->signals, RgSignal, i));
	g_clear_pointer(&c->signals, g_array_unref);
	g_clear_pointer(&c->matches, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgCheck, rg_check_clear)

/* Runs the signals for one recipient. An administrator's block comes first and beats
 * everything; otherwise a recipient the policy or the history vouches for gets no reason
 * at all. */
static void
rg_scorer_check_one(RgScorer *self,
                    const RgAddress *addr,
                    GHashTable *message_domains,
                    RgLookalikeIndex *message_index,
                    RgReport *report)
{
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_auto(RgCheck) c = {
	    .addr = addr,
	    .ascii = rg_address_get_domain_ascii(addr),
	    .domain = rg_address_get_domain(addr),
	    .local = rg_address_get_local_part(addr),
	    .message_domains = message_domains,
	    .message_index = message_index,
	    .signals = g_array_new(FALSE, TRUE, sizeof(RgSignal)),
	};

	c.tld = rg_domain_tld(c.ascii);
	c.suffix = c.ascii + rg_domains_suffix_offset(self->domains, c.ascii);
	rg_signal_policy_block(self, &c);
	if (c.signals->len > 0 || !rg_scorer_vouched_for(self, &c)) {
		c.matches = rg_lookalike_index_find(self->index, c.ascii, c.domain);
		rg_scorer_pick_best_match(self, &c);
		c.tld_known = rg_domains_tld_is_known(self->domains, c.ascii);
		rg_signal_lookalike(self, &c);
		rg_signal_unknown_tld(self, &c);
		rg_signal_mixed_script(self, &c);
		rg_signal_risky_tld(self, &c);
		rg_signal_known_local_part(self, &c);
		rg_signal_same_message(self, &c);
		rg_signal_first_contact(self, &c);
	}
	/* judged apart from everything else: a known domain does not excuse an address that
	 * hides part of itself */
	rg_signal_hidden_character(self, &c);
	rg_scorer_finish(self, v, &c);
	rg_report_add_verdict(report, g_steal_pointer(&v));
}

/* judges the addresses from @first on, with all of them as the message they are part of */
static RgReport *
rg_scorer_check_from(RgScorer *self, GPtrArray *addresses, guint first)
{
	g_autoptr(RgReport) report = rg_report_new();
	g_autoptr(GHashTable) message_domains = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(RgLookalikeIndex) message_index = NULL;
	GPtrArray *problems;

	rg_scorer_ensure_index(self);
	problems = rg_policy_get_problems(self->policy);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *problem = rg_problem_to_string(g_ptr_array_index(problems, i));
		/* TRANSLATORS: %s is a technical description such as "FILE: key: problem" */
		g_autofree char *msg = g_strdup_printf(_("The policy has a problem and was applied "
		                                         "without the faulty entry: %s"),
		                                       problem);
		rg_report_add_notice(report, msg);
	}
	if (!rg_policy_get_enabled(self->policy))
		rg_report_add_notice(report,
		                     _("Recipient checks are turned off by the policy; nothing "
		                       "was checked."));
	for (guint i = 0; i < addresses->len; i++) {
		const char *d = rg_address_get_domain_ascii(g_ptr_array_index(addresses, i));
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(message_domains, d));
		g_hash_table_insert(message_domains, (gpointer)d, GUINT_TO_POINTER(n + 1));
	}
	/* near misses between recipients: only among the unknown domains of the message, since
	 * a near miss of a known domain is the main index's business */
	if (g_hash_table_size(message_domains) > 1) {
		g_autoptr(GPtrArray) unknown = g_ptr_array_new();
		for (guint i = 0; i < addresses->len; i++) {
			RgAddress *a = g_ptr_array_index(addresses, i);
			if (!rg_scorer_domain_is_known(
			        self, rg_address_get_domain_ascii(a), rg_address_get_domain(a)))
				g_ptr_array_add(unknown, a);
		}
		if (unknown->len > 1) {
			message_index = rg_lookalike_index_new(self->domains, self->confusable);
			for (guint i = 0; i < unknown->len; i++) {
				RgAddress *a = g_ptr_array_index(unknown, i);
				rg_lookalike_index_add(message_index,
				                       rg_address_get_domain_ascii(a),
				                       rg_address_get_domain(a),
				                       NULL);
			}
		}
	}
	for (guint i = first; i < addresses->len; i++)
		rg_scorer_check_one(
		    self, g_ptr_array_index(addresses, i), message_domains, message_index, report);
	return g_steal_pointer(&report);
}

/**
 * rg_scorer_check_addresses:
 * @self: an #RgScorer
 * @addresses: (element-type RgAddress): the recipients of one message
 *
 * Judges every recipient; recipients of the same message are compared with each other too.
 *
 * Returns: (transfer full): one verdict per address, in order
 */
RgReport *
rg_scorer_check_addresses(RgScorer *self, GPtrArray *addresses)
{
	g_return_val_if_fail(RG_IS_SCORER(self), NULL);
	g_return_val_if_fail(addresses != NULL, NULL);
	return rg_scorer_check_from(self, addresses, 0);
}

/* A mail server learns the recipients one at a time: judges only the last of @addresses,
 * the ones before it being the rest of the message (judged already). Returns a report with
 * one verdict. */
RgReport *
rg_scorer_check_last(RgScorer *self, GPtrArray *addresses)
{
	g_return_val_if_fail(RG_IS_SCORER(self), NULL);
	g_return_val_if_fail(addresses != NULL && addresses->len > 0, NULL);
	return rg_scorer_check_from(self, addresses, addresses->len - 1);
}

/**
 * rg_scorer_check:
 * @self: an #RgScorer
 * @recipients: (array zero-terminated=1): the recipients of one message, each an address or
 *   an address list as typed
 * @error: return location for a #GError
 *
 * Parses and judges every recipient.
 *
 * Returns: (transfer full): one verdict per mailbox, or %NULL with %RG_ERROR_INVALID_ADDRESS
 *   set when a recipient cannot be parsed; no partial report is returned then, so that no
 *   recipient goes unchecked
 */
RgReport *
rg_scorer_check(RgScorer *self, const char *const *recipients, GError **error)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);

	g_return_val_if_fail(RG_IS_SCORER(self), NULL);
	g_return_val_if_fail(recipients != NULL, NULL);

	for (guint i = 0; recipients[i] != NULL; i++) {
		g_autoptr(GPtrArray) list = rg_address_list_parse(recipients[i], error);
		if (list == NULL)
			return NULL;
		g_ptr_array_extend_and_steal(all, g_steal_pointer(&list));
	}
	return rg_scorer_check_addresses(self, all);
}
