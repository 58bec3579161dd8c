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
	g_clear_object(&self->env);
	g_clear_pointer(&self->index, rg_lookalike_index_free);
	g_clear_pointer(&self->infos, g_array_unref);
	g_clear_pointer(&self->registrable, g_hash_table_unref);
	g_clear_pointer(&self->tld_use, g_hash_table_unref);
	g_clear_pointer(&self->tld_weight, g_hash_table_unref);
	g_clear_pointer(&self->knowledge_added, g_hash_table_unref);
	g_clear_pointer(&self->probed, g_hash_table_unref);
	g_clear_pointer(&self->nearest_tld, g_hash_table_unref);
	g_clear_pointer(&self->confusable, rg_confusable_free);
	g_clear_pointer(&self->domains, rg_domains_unref);
	g_clear_pointer(&self->knowledge, rg_knowledge_free);
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
 * to @history. It reads the system public suffix list and the iso-codes country names. It has
 * no built-in knowledge: the scorer of a loaded #RgSession gets the knowledge of the session's
 * environment.
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

/* the nearest TLDs found so far answer from the TLDs in use: when those change, they go */
static void
rg_scorer_forget_nearest_tld(RgScorer *self)
{
	if (self->nearest_tld != NULL)
		g_hash_table_remove_all(self->nearest_tld);
}

/* internal: the built-in knowledge the scorer compares with (a reference is taken); %NULL for
 * none */
void
rg_scorer_set_knowledge(RgScorer *self, RgKnowledge *knowledge)
{
	g_return_if_fail(RG_IS_SCORER(self));
	g_clear_pointer(&self->knowledge, rg_knowledge_free);
	self->knowledge = knowledge != NULL ? rg_knowledge_ref(knowledge) : NULL;
	/* anchors from the old knowledge must go */
	self->index_ready = FALSE;
	g_clear_pointer(&self->tld_weight, g_hash_table_unref);
	rg_scorer_forget_nearest_tld(self);
}

/* internal: whose clock dates what a reason shows ("sent anyway on 3 December") */
void
rg_scorer_set_environment(RgScorer *self, RgEnvironment *env)
{
	g_return_if_fail(RG_IS_SCORER(self));
	g_set_object(&self->env, env);
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
	rg_scorer_forget_nearest_tld(self);
}

/* the evidence the history has below @registrable, at least @evidence */
static void
rg_scorer_note_registrable(RgScorer *self, const char *ascii, RgEvidence evidence)
{
	g_autofree char *reg = rg_domains_registrable(self->domains, ascii);
	guint had = GPOINTER_TO_UINT(g_hash_table_lookup(self->registrable, reg));

	if (evidence + 1 > had)
		g_hash_table_insert(
		    self->registrable, g_steal_pointer(&reg), GUINT_TO_POINTER(evidence + 1));
}

/* history domains go in as anchors; a later call adds what is new and refreshes counts */
static void
rg_scorer_index_history(RgScorer *self)
{
	g_autoptr(GPtrArray) domains = rg_history_get_domains(self->history);

	for (guint i = 0; i < domains->len; i++) {
		const RgHistoryDomain *d = g_ptr_array_index(domains, i);
		RgEvidence evidence = rg_history_domain_get_evidence(d);
		gboolean trusted = (d->flags & RG_HISTORY_FLAG_TRUSTED) != 0;
		RgAnchorInfo *info;
		guint id;
		/* a domain known only from what was sent anyway stands for nothing */
		if (!rg_history_domain_counts(d) || (evidence == RG_EVIDENCE_NONE && !trusted))
			continue;
		id = rg_scorer_add_anchor(self, d->domain, d->domain_unicode);
		info = &g_array_index(self->infos, RgAnchorInfo, id);
		info->sent = d->sent + d->confirmed;
		info->received = d->received;
		info->n_addresses = d->n_addresses;
		info->known = TRUE;
		info->evidence = evidence;
		info->identity = (d->flags & RG_HISTORY_FLAG_IDENTITY) != 0;
		info->trusted = trusted;
		rg_scorer_note_registrable(self, d->domain, evidence);
		/* the TLDs the user's mail goes to, not what was only recorded */
		if (evidence >= RG_EVIDENCE_ADDRESS_BOOK || trusted)
			rg_scorer_note_tld(self, d->domain, RG_TLD_USED_IN_HISTORY);
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
	g_clear_pointer(&self->knowledge_added, g_hash_table_unref);
	g_clear_pointer(&self->probed, g_hash_table_unref);
	rg_scorer_forget_nearest_tld(self);
	self->index = rg_lookalike_index_new(self->domains, self->confusable);
	self->knowledge_added = g_hash_table_new(NULL, NULL);
	self->probed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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

static RgStanding
rg_standing_for_evidence(RgEvidence evidence)
{
	switch (evidence) {
	case RG_EVIDENCE_SENT:
		return RG_STANDING_SENT;
	case RG_EVIDENCE_RECEIVED:
		return RG_STANDING_RECEIVED;
	case RG_EVIDENCE_ADDRESS_BOOK:
		return RG_STANDING_ADDRESS_BOOK;
	case RG_EVIDENCE_CONFIRMED:
		return RG_STANDING_CONFIRMED;
	case RG_EVIDENCE_NONE:
	default:
		return RG_STANDING_NONE;
	}
}

/* whether the knowledge makes @info a domain others are compared with */
static gboolean
rg_scorer_anchor_is_well_known(const RgAnchorInfo *info)
{
	return info->stakes_kind != NULL ||
	       (info->provider_band > 0 && info->provider_band <= RG_PROVIDER_BAND_ANCHOR);
}

RgStanding
rg_scorer_anchor_standing(const RgAnchorInfo *info)
{
	RgStanding standing = rg_standing_for_evidence(info->evidence);

	if (info->protected || info->identity)
		return RG_STANDING_SENT;
	if (rg_scorer_anchor_is_well_known(info))
		standing = MAX(standing, RG_STANDING_KNOWLEDGE);
	if (info->trusted)
		standing = MAX(standing, RG_STANDING_CONFIRMED);
	return standing;
}

/* ------------------------------------------------------------------ the knowledge */

static void
rg_scorer_fill_knowledge(RgAnchorInfo *info, const RgHighStakes *stakes, const RgProvider *p)
{
	if (stakes != NULL) {
		info->stakes_kind = stakes->kind;
		info->organisation = stakes->organisation;
	}
	if (p != NULL && p->typo_of == NULL) {
		info->provider_band = p->band;
		info->provider_rank = p->rank;
	}
}

typedef struct {
	RgScorer *scorer;
	const RgLookalikeProbe *probe;
} RgProbeData;

static void
rg_scorer_candidate_cb(const RgCandidate *c, gpointer user_data)
{
	RgProbeData *data = user_data;
	RgScorer *self = data->scorer;
	g_autofree char *unicode = NULL;
	guint id;

	if (c->provider != NULL && c->provider->band > RG_PROVIDER_BAND_ANCHOR)
		return;
	/* the knowledge's strings stay where they are: one pointer, one domain, one entry */
	if (!g_hash_table_add(self->knowledge_added, (gpointer)c->entry))
		return;
	if (!rg_lookalike_index_lookup(self->index, c->domain, &id)) {
		unicode =
		    strstr(c->domain, "xn--") != NULL ? g_hostname_to_unicode(c->domain) : NULL;
		id = rg_scorer_add_anchor(self, c->domain, unicode);
	}
	rg_scorer_fill_knowledge(
	    &g_array_index(self->infos, RgAnchorInfo, id), c->stakes, c->provider);
}

static gboolean
rg_scorer_candidate_fits_cb(const char *domain, gpointer user_data)
{
	RgProbeData *data = user_data;
	return rg_lookalike_probe_fits(data->probe, domain);
}

static void
rg_scorer_probe_cb(const RgLookalikeProbe *probe, gpointer user_data)
{
	RgProbeData data = {user_data, probe};
	rg_knowledge_foreach_candidate(data.scorer->knowledge,
	                               probe->key,
	                               rg_scorer_candidate_fits_cb,
	                               rg_scorer_candidate_cb,
	                               &data);
}

/* The well-known domains and providers a typed domain may be a typo of join the index, so
 * that the look-alike search finds them beside the user's own. Each check brings in its own:
 * the probes are a superset of what the search matches, and matches against the knowledge are
 * judged the same whichever check brought them in. */
static void
rg_scorer_add_knowledge_candidates(RgScorer *self, const char *ascii, const char *unicode)
{
	g_autofree char *key = NULL;

	if (self->knowledge == NULL)
		return;
	/* a domain probed once has brought in all it can, for as long as the index lives: the
	 * probes of a list that repeats its domains were 9 % of a batch */
	key = g_strconcat(ascii, "\n", unicode != NULL ? unicode : "", NULL);
	if (self->probed != NULL && !g_hash_table_add(self->probed, g_steal_pointer(&key)))
		return;
	rg_lookalike_probe_keys(
	    self->domains, self->confusable, ascii, unicode, rg_scorer_probe_cb, self);
}

/* what the knowledge says of a typed domain: a listed provider's band (listed typos do not
 * count; a provider's mail domains are listed as they are, so g.mail.com is no mail.com), and
 * whether it is or sits under a well-known domain */
static RgStanding
rg_scorer_knowledge_standing(RgScorer *self, const char *ascii, guint *provider_band)
{
	RgProvider p;

	*provider_band = 0;
	if (self->knowledge == NULL)
		return RG_STANDING_NONE;
	if (rg_knowledge_lookup_provider(self->knowledge, ascii, &p) && p.typo_of == NULL)
		*provider_band = p.band;
	if (*provider_band > 0 || rg_knowledge_lookup_high_stakes(self->knowledge, ascii, NULL))
		return RG_STANDING_KNOWLEDGE;
	return RG_STANDING_NONE;
}

static void
rg_scorer_count_tld(GHashTable *weight, const char *domain)
{
	const char *tld = rg_domain_tld(domain);
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(weight, tld));
	g_hash_table_insert(weight, g_strdup(tld), GUINT_TO_POINTER(n + 1));
}

static void
rg_scorer_count_tld_cb(const char *domain, const RgProvider *provider, gpointer user_data)
{
	rg_scorer_count_tld(user_data, domain);
}

static void
rg_scorer_count_stakes_tld_cb(const RgHighStakes *entry, gpointer user_data)
{
	rg_scorer_count_tld(user_data, entry->domain);
}

/* the TLDs the knowledge's domains use, and how often: what a TLD typo most likely meant when
 * the user's own mail does not say */
static GHashTable *
rg_scorer_ensure_tld_weight(RgScorer *self)
{
	if (self->tld_weight != NULL || self->knowledge == NULL)
		return self->tld_weight;
	self->tld_weight = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	rg_knowledge_foreach_provider(self->knowledge, 5, rg_scorer_count_tld_cb, self->tld_weight);
	rg_knowledge_foreach_high_stakes(
	    self->knowledge, rg_scorer_count_stakes_tld_cb, self->tld_weight);
	return self->tld_weight;
}

/* a TLD the knowledge uses this many times more than the next one a typo is as near to is
 * what the typo meant */
#define RG_TLD_CLEAR_LEAD 4

static const char *
rg_scorer_nearest_tld_uncached(RgScorer *self, const char *tld)
{
	const char *best = NULL;
	const char *second = NULL;
	guint best_use = 0;
	guint second_use = 0;
	GHashTableIter iter;
	gpointer key, value;
	GHashTable *weight;

	/* the user's and the organisation's own TLDs first */
	g_hash_table_iter_init(&iter, self->tld_use);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		/* an unknown TLD the history holds is no fix of itself */
		if (strcmp(key, tld) == 0 || rg_lookalike_damerau(tld, key, 1) > 1)
			continue;
		if (best == NULL || GPOINTER_TO_UINT(value) > best_use) {
			best = key;
			best_use = GPOINTER_TO_UINT(value);
		}
	}
	if (best != NULL)
		return best;
	weight = rg_scorer_ensure_tld_weight(self);
	if (weight == NULL)
		return NULL;
	g_hash_table_iter_init(&iter, weight);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		guint use = GPOINTER_TO_UINT(value);
		if (strcmp(key, tld) == 0 || rg_lookalike_damerau(tld, key, 1) > 1)
			continue;
		if (use > best_use) {
			second = best;
			second_use = best_use;
			best = key;
			best_use = use;
		} else if (use > second_use) {
			second = key;
			second_use = use;
		}
	}
	(void)second;
	return best != NULL && best_use >= RG_TLD_CLEAR_LEAD * MAX(second_use, 1) ? best : NULL;
}

/* Kept per TLD: every address at an unknown TLD asked again, and each answer compares with
 * every TLD in use (7 % of a batch). The answers are keys of tld_use or tld_weight, which
 * live until the TLDs in use change, and then the answers go too. */
const char *
rg_scorer_nearest_tld(RgScorer *self, const char *tld)
{
	static const char none[] = "";
	gpointer found = NULL;
	const char *best;

	if (self->nearest_tld == NULL)
		self->nearest_tld = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_hash_table_lookup_extended(self->nearest_tld, tld, NULL, &found))
		return found != none ? found : NULL;
	best = rg_scorer_nearest_tld_uncached(self, tld);
	g_hash_table_insert(
	    self->nearest_tld, g_strdup(tld), (gpointer)(best != NULL ? best : none));
	return best;
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

/* what the history shows for a domain: its own evidence, or what it has at the registrable
 * domain (a new address at hq.army.mil when the user writes to army.mil); a domain the policy
 * protects as much as mail sent */
static RgEvidence
rg_scorer_domain_evidence(RgScorer *self, const char *ascii)
{
	RgEvidence evidence =
	    rg_history_domain_get_evidence(rg_history_lookup_domain(self->history, ascii));
	guint at_reg;

	if (evidence == RG_EVIDENCE_SENT || rg_policy_match_protected(self->policy, ascii) != NULL)
		return RG_EVIDENCE_SENT;
	if (g_hash_table_size(self->registrable) == 0)
		return evidence;
	at_reg = GPOINTER_TO_UINT(g_hash_table_lookup(
	    self->registrable, rg_domains_registrable_of(self->domains, ascii)));
	if (at_reg > 0)
		evidence = MAX(evidence, (RgEvidence)(at_reg - 1));
	return evidence;
}

gboolean
rg_scorer_domain_is_known(RgScorer *self, const char *ascii, const char *unicode)
{
	guint band;

	if (rg_scorer_domain_evidence(self, ascii) >= RG_EVIDENCE_CONFIRMED)
		return TRUE;
	return rg_scorer_knowledge_standing(self, ascii, &band) >= RG_STANDING_KNOWLEDGE;
}

/* what vouches for the recipient: the history (the address, its domain), the knowledge */
static void
rg_scorer_weigh_recipient(RgScorer *self, RgCheck *c)
{
	const RgHistoryDomain *d = rg_history_lookup_domain(self->history, c->ascii);
	const RgHistoryEntry *e = rg_history_lookup_address(self->history, c->local, c->ascii);
	RgStanding known;

	c->entry = e != NULL && (e->flags & RG_HISTORY_FLAG_JUNK) == 0 ? e : NULL;
	c->evidence =
	    MAX(rg_history_entry_get_evidence(c->entry), rg_scorer_domain_evidence(self, c->ascii));
	c->written = (rg_history_domain_counts(d) && d->written) ||
	             (c->entry != NULL && (c->entry->sent > 0 || c->entry->confirmed > 0));
	/* mail sent there says everything already */
	known = c->evidence < RG_EVIDENCE_SENT
	            ? rg_scorer_knowledge_standing(self, c->ascii, &c->provider_band)
	            : RG_STANDING_NONE;
	c->standing = MAX(rg_standing_for_evidence(c->evidence), known);
}

/* whether the user or the policy trusts the recipient: only that silences every signal */
static gboolean
rg_scorer_trusted(RgScorer *self, const RgCheck *c)
{
	const RgHistoryDomain *d = rg_history_lookup_domain(self->history, c->ascii);

	if (rg_policy_match_trusted(self->policy, c->local, c->ascii) != NULL)
		return TRUE;
	if (c->entry != NULL && (c->entry->flags & RG_HISTORY_FLAG_TRUSTED) != 0)
		return TRUE;
	return rg_history_domain_counts(d) && (d->flags & RG_HISTORY_FLAG_TRUSTED) != 0;
}

static guint
rg_count_dots(const char *s)
{
	guint n = 0;
	for (; *s != '\0'; s++)
		n += *s == '.';
	return n;
}

/* whether the anchor stands for the knowledge alone */
gboolean
rg_scorer_anchor_only_knowledge(const RgAnchorInfo *info)
{
	return info->evidence == RG_EVIDENCE_NONE && !info->protected && !info->identity &&
	       !info->trusted;
}

/* Whether a match can say the typed domain is a typo: its anchor must stand higher than the
 * typed domain (a domain known only from sends rcptguard recorded never outweighs one the
 * knowledge supports; the knowledge never outweighs the user's own mail), and what the
 * knowledge alone supports counts only for dnstwist's kinds of typo and a TLD one edit away:
 * a word added, or another country's domain of the same name, is too common among real
 * domains to warn about without the user's history behind it. */
static gboolean
rg_scorer_match_counts(RgScorer *self, const RgCheck *c, const RgMatch *m)
{
	const RgAnchorInfo *info = rg_scorer_anchor_info(self, m->anchor);
	const RgAnchor *a;
	const char *their_tld;

	if (rg_scorer_anchor_standing(info) <= c->standing)
		return FALSE;
	if (!rg_scorer_anchor_only_knowledge(info))
		return TRUE;
	if (m->kind == RG_SIMILAR_AFFIX)
		return FALSE;
	a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	/* a hyphen dropped under another suffix is a name run together, not a slip */
	if (m->kind == RG_SIMILAR_HYPHENATION)
		return strcmp(rg_domain_tld(a->ascii), c->tld) == 0;
	if (m->kind != RG_SIMILAR_TLD_SWAP)
		return TRUE;
	their_tld = rg_domain_tld(a->ascii);
	/* a label dropped is a slip (bbc.uk); one added is a sibling (monash.edu.au) */
	return m->suffix_near && rg_count_dots(c->suffix) <= rg_count_dots(a->suffix) &&
	       !(rg_domain_tld_is_country_code(c->tld) &&
	         rg_domain_tld_is_country_code(their_tld) && strcmp(c->tld, their_tld) != 0);
}

/* ranks two anchors that match as strongly: the one the user's mail or the policy stands
 * behind, then the one written to most, then the more popular provider */
static gint
rg_scorer_compare_anchors(const RgAnchorInfo *a, const RgAnchorInfo *b)
{
	RgStanding sa = rg_scorer_anchor_standing(a);
	RgStanding sb = rg_scorer_anchor_standing(b);
	guint wa = a->protected ? G_MAXUINT : a->sent * 4 + a->received + a->n_addresses;
	guint wb = b->protected ? G_MAXUINT : b->sent * 4 + b->received + b->n_addresses;
	guint ra = a->provider_rank > 0 ? a->provider_rank : G_MAXUINT;
	guint rb = b->provider_rank > 0 ? b->provider_rank : G_MAXUINT;

	if (sa != sb)
		return sa > sb ? 1 : -1;
	if (wa != wb)
		return wa > wb ? 1 : -1;
	if (ra != rb)
		return ra < rb ? 1 : -1;
	return 0;
}

/* keeps the matches that count and picks the strongest; ties go to the better-known anchor */
static void
rg_scorer_pick_best_match(RgScorer *self, RgCheck *c)
{
	const RgAnchorInfo *best_info = NULL;
	guint best_i = 0;

	for (guint i = 0; i < c->matches->len;) {
		if (!rg_scorer_match_counts(self, c, &g_array_index(c->matches, RgMatch, i)))
			g_array_remove_index(c->matches, i);
		else
			i++;
	}
	for (guint i = 0; i < c->matches->len; i++) {
		const RgMatch *m = &g_array_index(c->matches, RgMatch, i);
		const RgAnchorInfo *info = rg_scorer_anchor_info(self, m->anchor);
		guint score = rg_scorer_match_score(self, m, c->local);
		if (best_info == NULL || score > c->best_score ||
		    (score == c->best_score && rg_scorer_compare_anchors(info, best_info) > 0)) {
			best_i = i;
			best_info = info;
			c->best_score = score;
		}
	}
	c->best = best_info != NULL ? &g_array_index(c->matches, RgMatch, best_i) : NULL;
}

/* the matches for @ascii among the known anchors and, when its @standing is below the
 * knowledge's (nothing of it could count otherwise), the knowledge it may be a typo of */
static GArray *
rg_scorer_find_matches(RgScorer *self, const char *ascii, const char *unicode, RgStanding standing)
{
	if (standing < RG_STANDING_KNOWLEDGE)
		rg_scorer_add_knowledge_candidates(self, ascii, unicode);
	return rg_lookalike_index_find(self->index, ascii, unicode);
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

/* A suggestion is never a domain the scorer would flag itself. The fix of a compound typo is
 * one: gnail.con → gnail.com, which looks like gmail.com; then what it looks like is the fix.
 * A look-alike at @min_score or more counts: a warning's, or for a name whose TLD was mistyped
 * already, a notice's too (aal.comy is aol.com rather than aal.com).
 * Returns: (transfer full) (nullable): the domain to suggest, Unicode form */
char *
rg_scorer_settle_fix(RgScorer *self, const RgCheck *c, const char *fix, guint min_score)
{
	g_autofree char *ascii = g_hostname_to_ascii(fix);
	g_autoptr(GArray) matches = NULL;
	RgCheck f = {.standing = RG_STANDING_NONE};
	guint band;
	guint best_score = 0;
	const RgAnchor *best = NULL;

	if (ascii == NULL || rg_policy_match_blocked(self->policy, ascii) != NULL ||
	    !rg_domains_tld_is_known(self->domains, ascii))
		return NULL;
	f.standing = MAX(rg_standing_for_evidence(rg_scorer_domain_evidence(self, ascii)),
	                 rg_scorer_knowledge_standing(self, ascii, &band));
	if (f.standing >= RG_STANDING_KNOWLEDGE)
		return g_strdup(fix);
	/* the fix's check as rg_scorer_check_one() starts one (match_counts reads its suffix) */
	f.ascii = ascii;
	f.domain = fix;
	f.tld = rg_domain_tld(ascii);
	f.suffix = ascii + rg_domains_suffix_offset(self->domains, ascii);
	matches = rg_scorer_find_matches(self, ascii, fix, f.standing);
	for (guint i = 0; i < matches->len; i++) {
		const RgMatch *m = &g_array_index(matches, RgMatch, i);
		const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
		guint score;
		if (!rg_scorer_match_counts(self, &f, m) || strcmp(a->ascii, c->ascii) == 0)
			continue;
		score = rg_scorer_match_score(self, m, c->local);
		if (score >= min_score && score > best_score) {
			best = a;
			best_score = score;
		}
	}
	return g_strdup(best != NULL ? best->unicode : fix);
}

/* The vouch of an address the user's history knows, short of mail sent: it silences every
 * signal but a typo of a domain that stands higher. A confirmed send only keeps the notices
 * away: it never silences a warning. */
static void
rg_scorer_apply_vouch(RgScorer *self, RgCheck *c)
{
	for (guint i = 0; i < c->signals->len;) {
		RgSignal *s = &g_array_index(c->signals, RgSignal, i);
		gboolean typo = s->code == RG_REASON_TLD_TYPO || s->code == RG_REASON_TLD_SWAP ||
		                s->code == RG_REASON_LOOKALIKE || s->code == RG_REASON_CONFUSABLE ||
		                s->code == RG_REASON_SIBLING;
		gboolean keep = TRUE;
		if (s->code == RG_REASON_BLOCKED_DOMAIN || s->code == RG_REASON_BLOCKED_TLD)
			keep = TRUE;
		else if (c->evidence >= RG_EVIDENCE_ADDRESS_BOOK)
			keep = typo && s->score >= RG_SCORE_WARN;
		else if (c->evidence == RG_EVIDENCE_CONFIRMED)
			keep = s->score >= RG_SCORE_WARN;
		if (keep) {
			i++;
			continue;
		}
		rg_signal_clear(s);
		g_array_remove_index(c->signals, i);
	}
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
	g_autofree char *local = NULL;
	g_autofree char *suggestion = NULL;
	g_autofree char *fix_domain = NULL;

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
	/* said once it is flagged again: what was sent anyway is no evidence */
	if (enabled && verdict_level >= RG_LEVEL_WARN)
		rg_signal_sent_anyway(self, c, v);
	/* log-only: the reasons keep their level for the decision log, the verdict does not
	 * interrupt */
	if (rg_policy_get_log_only(self->policy))
		verdict_level = MIN(verdict_level, RG_LEVEL_NOTICE);
	rg_verdict_set_score(v, best);
	rg_verdict_set_level(v, verdict_level);
	if (verdict_level < RG_LEVEL_WARN)
		return;
	rg_verdict_set_trust_warning(v, rg_signal_trust_warning(self, c));
	/* a fix never keeps characters nobody can see: the domain's fix, or else the address
	 * without them */
	local = rg_address_strip_hidden(rg_address_get_local_part(c->addr));
	if (fix != NULL)
		fix_domain = rg_scorer_settle_fix(self, c, fix->suggestion_domain, RG_SCORE_WARN);
	if (fix_domain != NULL)
		suggestion = g_strconcat(local, "@", fix_domain, NULL);
	else if (hidden)
		suggestion = g_strconcat(local, "@", rg_address_get_domain(c->addr), NULL);
	if (suggestion != NULL && strcmp(suggestion, rg_address_get_addr_spec(c->addr)) != 0 &&
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
 * everything; a trusted recipient, or one the user really sent mail to, gets no reason at
 * all; any other evidence silences what does not point at a domain that stands higher. */
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
	gboolean blocked;

	c.tld = rg_domain_tld(c.ascii);
	c.suffix = c.ascii + rg_domains_suffix_offset(self->domains, c.ascii);
	rg_signal_policy_block(self, &c);
	blocked = c.signals->len > 0;
	rg_scorer_weigh_recipient(self, &c);
	if (blocked || (!rg_scorer_trusted(self, &c) && c.evidence < RG_EVIDENCE_SENT)) {
		/* under a block the fix comes from the typo beside it, whatever vouches */
		if (blocked)
			c.standing = RG_STANDING_NONE;
		c.matches = rg_scorer_find_matches(self, c.ascii, c.domain, c.standing);
		rg_scorer_pick_best_match(self, &c);
		c.tld_known = rg_domains_tld_is_known(self->domains, c.ascii);
		rg_signal_lookalike(self, &c);
		rg_signal_sibling(self, &c);
		rg_signal_unknown_tld(self, &c);
		rg_signal_mixed_script(self, &c);
		rg_signal_risky_tld(self, &c);
		rg_signal_near_restricted_tld(self, &c);
		rg_signal_known_local_part(self, &c);
		rg_signal_same_message(self, &c);
		rg_signal_first_contact(self, &c);
		if (!blocked)
			rg_scorer_apply_vouch(self, &c);
		/* after the vouch: only a warning it let stand needs the address book named */
		rg_signal_address_book(self, &c);
	}
	/* judged apart from everything else: a known domain does not excuse an address that
	 * hides part of itself */
	rg_signal_hidden_character(self, &c);
	rg_signal_long_local_part(self, &c);
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
