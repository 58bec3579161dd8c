/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Combines the signals into a verdict per recipient. All judgement lives here; the shims and
 * the CLI only pass addresses in and show what comes out. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-confusable.h"
#include "rg-country.h"
#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-lookalike.h"
#include "rg-policy-private.h"
#include "rg-psl.h"
#include "rg-report-private.h"
#include "rg-scorer.h"

/* what the index knows about one anchor (a known or protected domain) */
typedef struct {
	guint sent;
	guint received;
	guint n_addresses;
	gboolean known;
	gboolean strong; /* known from real mail or policy, not only from confirmed sends */
	gboolean protected;
	gboolean identity;
} RgAnchorInfo;

struct _RgScorer {
	GObject parent_instance;
	RgHistory *history;
	RgPolicy *policy;
	RgPsl *psl;
	RgCountries *countries;
	RgConfusable *confusable;
	RgLookalikeIndex *index;
	GArray *infos;           /* anchor id → RgAnchorInfo */
	GHashTable *registrable; /* registrable domain of every known anchor → id + 1 */
	GHashTable *tld_use;     /* TLD → GUINT_TO_POINTER(1 history, 2 protected, 3 both) */
	guint generation;
	guint epoch;
	gboolean index_ready;
};

G_DEFINE_TYPE(RgScorer, rg_scorer, G_TYPE_OBJECT)

/* a reason waiting to be added: the scorer keeps the strongest per code */
typedef struct {
	const char *code;
	guint score;
	guint anchor; /* G_MAXUINT when none */
	char *message;
	char *suggestion_domain;
} RgSignal;

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
	g_clear_pointer(&self->countries, rg_countries_free);
	g_clear_pointer(&self->psl, rg_psl_free);
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
	self->psl = rg_psl_new(NULL, error);
	if (self->psl == NULL)
		return NULL;
	self->confusable = rg_confusable_new(error);
	if (self->confusable == NULL)
		return NULL;
	self->countries = rg_countries_new(NULL, error);
	if (self->countries == NULL)
		return NULL;
	return g_steal_pointer(&self);
}

static const char *
rg_tld_of(const char *ascii)
{
	const char *dot = strrchr(ascii, '.');
	return dot != NULL ? dot + 1 : ascii;
}

static char *
rg_scorer_registrable(RgScorer *self, const char *ascii)
{
	gsize off = rg_psl_suffix_offset(self->psl, ascii);
	const char *p;

	if (off == 0)
		return g_strdup(ascii);
	/* walk back one label from the suffix */
	p = ascii + off - 1; /* the dot */
	while (p > ascii && p[-1] != '.')
		p--;
	return g_strdup(p);
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
	const char *tld = rg_tld_of(ascii);
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
			                    rg_scorer_registrable(self, d->domain),
			                    GUINT_TO_POINTER(id + 1));
			rg_scorer_note_tld(self, d->domain, 1);
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
	self->index = rg_lookalike_index_new(self->psl, self->confusable);
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
			rg_scorer_note_tld(self, rule->ascii, 2);
			continue;
		}
		unicode = g_hostname_to_unicode(rule->ascii);
		id = rg_scorer_add_anchor(self, rule->ascii, unicode);
		g_array_index(self->infos, RgAnchorInfo, id).protected = TRUE;
		g_array_index(self->infos, RgAnchorInfo, id).strong = TRUE;
		rg_scorer_note_tld(self, rule->ascii, 2);
	}
	self->generation = generation;
	self->epoch = epoch;
	self->index_ready = TRUE;
}

/* ------------------------------------------------------------------ messages */

/* a sentence that names what we know of a domain, for the end of a reason */
static char *
rg_scorer_evidence(RgScorer *self, guint anchor)
{
	const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, anchor);
	const RgAnchorInfo *info = &g_array_index(self->infos, RgAnchorInfo, anchor);

	if (info->sent > 0)
		/* TRANSLATORS: %1$s is a domain name, %2$u a number of messages */
		return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                   "you have written to %1$s %2$u time",
		                                   "you have written to %1$s %2$u times",
		                                   info->sent),
		                       a->unicode,
		                       info->sent);
	if (info->received > 0)
		/* TRANSLATORS: %1$s is a domain name, %2$u a number of messages */
		return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                   "you have had %2$u message from %1$s",
		                                   "you have had %2$u messages from %1$s",
		                                   info->received),
		                       a->unicode,
		                       info->received);
	if (info->identity)
		/* TRANSLATORS: %s is a domain name */
		return g_strdup_printf(_("%s is your own domain"), a->unicode);
	if (info->protected)
		/* TRANSLATORS: %s is a domain name */
		return g_strdup_printf(_("%s is protected by your organization's policy"),
		                       a->unicode);
	if (info->n_addresses > 0)
		/* TRANSLATORS: %1$s is a domain name, %2$u a number of people */
		return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                   "you know %2$u person at %1$s",
		                                   "you know %2$u people at %1$s",
		                                   info->n_addresses),
		                       a->unicode,
		                       info->n_addresses);
	/* TRANSLATORS: %s is a domain name */
	return g_strdup_printf(_("%s is a domain you trust"), a->unicode);
}

static char *
rg_scorer_describe_edit(const RgMatch *m)
{
	switch (m->kind) {
	case RG_SIMILAR_OMISSION:
		return g_strdup(_("a letter is missing"));
	case RG_SIMILAR_ADDITION:
		return g_strdup(_("a letter was added at the end"));
	case RG_SIMILAR_INSERTION:
		return g_strdup(m->keyboard ? _("a neighboring key was pressed as well")
		                            : _("a letter was inserted"));
	case RG_SIMILAR_REPLACEMENT:
		return g_strdup(m->keyboard
		                    ? _("a letter was replaced by its neighbor on the keyboard")
		                    : _("a letter was replaced"));
	case RG_SIMILAR_TRANSPOSITION:
		return g_strdup(_("two letters are swapped"));
	case RG_SIMILAR_REPETITION:
		return g_strdup(_("a letter is doubled"));
	case RG_SIMILAR_BITSQUATTING:
		return g_strdup(_("one letter differs by a single bit"));
	case RG_SIMILAR_VOWEL_SWAP:
		return g_strdup(_("a vowel was changed"));
	case RG_SIMILAR_HYPHENATION:
		return g_strdup(_("a hyphen was added or dropped"));
	case RG_SIMILAR_SUBDOMAIN:
		return g_strdup(_("a dot was inserted into the name"));
	case RG_SIMILAR_EMBEDDING:
		return g_strdup(_("the top-level domain was run into the name"));
	case RG_SIMILAR_AFFIX:
		/* TRANSLATORS: %s is a word such as "login" added to a domain name */
		return g_strdup_printf(_("the word “%s” was added"), m->affix);
	case RG_SIMILAR_HOMOGLYPH:
		return g_strdup(
		    _("it uses look-alike letters with accents or from other alphabets"));
	case RG_SIMILAR_CONFUSABLE:
		return g_strdup(_("its letters look the same but are different characters"));
	case RG_SIMILAR_TLD_SWAP:
		return g_strdup(_("the top-level domain is different"));
	case RG_SIMILAR_NONE:
	default:
		return g_strdup(_("it differs slightly"));
	}
}

/* ------------------------------------------------------------------ scoring */

static const char *const rg_affix_words[] = {
    "access",   "account",  "accounts", "admin",    "alert",        "app",      "auth",
    "billing",  "claim",    "click",    "cloud",    "confirm",      "connect",  "contact",
    "customer", "data",     "docs",     "download", "drive",        "email",    "file",
    "files",    "global",   "group",    "help",     "home",         "hr",       "id",
    "info",     "inbox",    "it",       "login",    "logon",        "mail",     "member",
    "mobile",   "my",       "net",      "new",      "news",         "office",   "official",
    "online",   "pay",      "payment",  "portal",   "recovery",     "register", "reset",
    "secure",   "security", "service",  "services", "share",        "signin",   "sso",
    "staff",    "support",  "team",     "update",   "user",         "verify",   "web",
    "webmail",  "www",      "agree",    "choose",   "confirmation", "sign",     "password",
    "auth",     "corp",     NULL,
};

static gboolean
rg_affix_is_word(const char *affix)
{
	for (guint i = 0; rg_affix_words[i] != NULL; i++) {
		if (strcmp(affix, rg_affix_words[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* local parts shared by unrelated organisations say nothing about who is meant */
static gboolean
rg_local_part_is_generic(const char *local)
{
	static const char *const generic[] = {
	    "abuse",     "accounts", "admin",    "billing",    "careers", "contact",
	    "enquiries", "help",     "hello",    "hostmaster", "hr",      "info",
	    "inquiries", "jobs",     "mail",     "marketing",  "news",    "newsletter",
	    "no-reply",  "noreply",  "office",   "postmaster", "press",   "reception",
	    "root",      "sales",    "security", "service",    "support", "team",
	    "webmaster", NULL,
	};
	if (g_utf8_strlen(local, -1) < 3)
		return TRUE;
	for (guint i = 0; generic[i] != NULL; i++)
		if (g_ascii_strcasecmp(local, generic[i]) == 0)
			return TRUE;
	return FALSE;
}

static guint
rg_scorer_match_score(RgScorer *self, const RgMatch *m, const char *local)
{
	const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	const RgAnchorInfo *info = &g_array_index(self->infos, RgAnchorInfo, m->anchor);
	gsize n = strlen(a->label);
	gint score;

	switch (m->kind) {
	case RG_SIMILAR_CONFUSABLE:
		return 95;
	case RG_SIMILAR_HOMOGLYPH:
		score = 80;
		break;
	case RG_SIMILAR_TLD_SWAP:
		score = m->suffix_near ? 80 : 60;
		break;
	case RG_SIMILAR_SUBDOMAIN:
	case RG_SIMILAR_EMBEDDING:
		score = 75;
		break;
	case RG_SIMILAR_HYPHENATION:
		score = n >= 4 ? 70 : 55;
		break;
	case RG_SIMILAR_AFFIX:
		if (rg_affix_is_word(m->affix))
			score = n >= 4 ? 65 : 50;
		else if (m->separated)
			score = n >= 4 ? 55 : 35;
		else
			score = n >= 4 ? 40 : 30;
		break;
	case RG_SIMILAR_OMISSION:
	case RG_SIMILAR_ADDITION:
	case RG_SIMILAR_INSERTION:
	case RG_SIMILAR_REPLACEMENT:
	case RG_SIMILAR_TRANSPOSITION:
	case RG_SIMILAR_REPETITION:
	case RG_SIMILAR_BITSQUATTING:
	case RG_SIMILAR_VOWEL_SWAP:
		/* short names have many real neighbours: one edit from "gd" is "gb", "ge"… */
		if (n >= 6)
			score = 70;
		else if (n == 5)
			score = 65;
		else if (n == 4)
			score = 60;
		else if (n == 3)
			score = 45;
		else
			score = 40;
		if (m->keyboard || m->kind == RG_SIMILAR_BITSQUATTING ||
		    m->kind == RG_SIMILAR_TRANSPOSITION || m->kind == RG_SIMILAR_REPETITION)
			score += 5;
		break;
	case RG_SIMILAR_NONE:
	default:
		return 0;
	}
	if (info->protected)
		score += 10;
	if (info->sent >= 5)
		score += 5;
	if (!m->same_sub)
		score -= 5;
	if (local != NULL) {
		g_autofree char *key = g_utf8_strdown(local, -1);
		if (!rg_local_part_is_generic(key) &&
		    rg_history_lookup_address(self->history, local, a->ascii) != NULL)
			score += 20;
	}
	return (guint)CLAMP(score, 0, 89);
}

static void
rg_signal_clear(RgSignal *s)
{
	g_clear_pointer(&s->message, g_free);
	g_clear_pointer(&s->suggestion_domain, g_free);
}

static void
rg_signals_add(GArray *signals,
               const char *code,
               guint score,
               guint anchor,
               char *message,
               const char *suggestion_domain)
{
	RgSignal s = {code, score, anchor, message, g_strdup(suggestion_domain)};
	for (guint i = 0; i < signals->len; i++) {
		RgSignal *o = &g_array_index(signals, RgSignal, i);
		if (strcmp(o->code, code) != 0)
			continue;
		if (o->score >= score) {
			rg_signal_clear(&s);
			return;
		}
		rg_signal_clear(o);
		*o = s;
		return;
	}
	g_array_append_val(signals, s);
}

static char *
rg_scorer_message_for_match(RgScorer *self,
                            const RgAddress *addr,
                            const RgMatch *m,
                            const char **code)
{
	const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	g_autofree char *evidence = rg_scorer_evidence(self, m->anchor);
	const char *domain = rg_address_get_domain(addr);
	const char *tld = rg_tld_of(rg_address_get_domain_ascii(addr));

	if (m->kind == RG_SIMILAR_TLD_SWAP) {
		g_autofree char *country = rg_countries_name_for_tld(self->countries, tld);
		*code = m->suffix_near ? "tld-typo" : "tld-swap";
		if (country != NULL)
			/* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a country
			 * name such as "Mali", %3$s a sentence such as "you have written to
			 * army.mil 42 times" */
			return g_strdup_printf(_("“.%1$s” is the country domain of %2$s; %3$s."),
			                       tld,
			                       country,
			                       evidence);
		/* TRANSLATORS: %1$s is a domain typed by the user, %2$s a known domain with the
		 * same name under another top-level domain, %3$s a sentence such as "you have
		 * written to army.mil 42 times" */
		return g_strdup_printf(_("%1$s is not %2$s: the same name under a top-level domain "
		                         "you have never written to; %3$s."),
		                       domain,
		                       a->unicode,
		                       evidence);
	}
	if (m->kind == RG_SIMILAR_CONFUSABLE) {
		*code = "confusable";
		/* TRANSLATORS: %1$s is a domain typed by the user, %2$s the known domain it
		 * imitates, %3$s a sentence such as "you have written to army.mil 42 times" */
		return g_strdup_printf(_("%1$s is written with characters that only look like "
		                         "those of %2$s; %3$s."),
		                       domain,
		                       a->unicode,
		                       evidence);
	}
	{
		g_autofree char *edit = rg_scorer_describe_edit(m);
		*code = "lookalike";
		/* TRANSLATORS: %1$s is a domain typed by the user, %2$s a known domain it
		 * resembles, %3$s how they differ, such as "two letters are swapped", %4$s a
		 * sentence such as "you have written to army.mil 42 times" */
		return g_strdup_printf(
		    _("%1$s looks like %2$s (%3$s); %4$s."), domain, a->unicode, edit, evidence);
	}
}

/* the built-in pairs: a ccTLD one letter from a generic TLD */
static const char *
rg_scorer_risky_partner(const char *tld)
{
	static const char *const pairs[][2] = {
	    {"ml", "mil"},
	    {"il", "mil"},
	    {"co", "com"},
	    {"cm", "com"},
	    {"om", "com"},
	    {"ne", "net"},
	    {"et", "net"},
	    {"eu", "edu"},
	    {"in", "int"},
	    {"it", "int"},
	    {"mi", "mil"},
	    {"go", "gov"},
	    {"gv", "gov"},
	    {"or", "org"},
	    {"og", "org"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++)
		if (strcmp(tld, pairs[i][0]) == 0)
			return pairs[i][1];
	return NULL;
}

static guint rg_scorer_match_score(RgScorer *self, const RgMatch *m, const char *local);

/* whether @ascii looks like another domain known from real mail or the policy */
static gboolean
rg_scorer_resembles_strong(RgScorer *self, const char *ascii, const char *unicode)
{
	g_autoptr(GArray) matches = rg_lookalike_index_find(self->index, ascii, unicode);

	for (guint i = 0; i < matches->len; i++) {
		const RgMatch *m = &g_array_index(matches, RgMatch, i);
		const RgAnchorInfo *info = &g_array_index(self->infos, RgAnchorInfo, m->anchor);
		if (info->strong && rg_scorer_match_score(self, m, NULL) >= 50)
			return TRUE;
	}
	return FALSE;
}

static gboolean
rg_scorer_domain_is_known(RgScorer *self, const char *ascii, const char *unicode)
{
	g_autofree char *reg = NULL;
	const RgHistoryDomain *d = rg_history_lookup_domain(self->history, ascii);

	if (rg_history_domain_counts(d) && d->strong)
		return TRUE;
	if (rg_policy_match_protected(self->policy, ascii) != NULL)
		return TRUE;
	reg = rg_scorer_registrable(self, ascii);
	if (g_hash_table_contains(self->registrable, reg))
		return TRUE;
	/* known only from sends the user confirmed here: one "Send Anyway" to army.ml must not
	 * make everyone at army.ml known while army.mil is where the real mail goes */
	return rg_history_domain_counts(d) && !rg_scorer_resembles_strong(self, ascii, unicode);
}

static void
rg_scorer_unknown_tld(RgScorer *self, const RgAddress *addr, GArray *matches, GArray *signals)
{
	const char *ascii = rg_address_get_domain_ascii(addr);
	const char *tld = rg_tld_of(ascii);
	const char *best = NULL;
	guint best_d = G_MAXUINT;
	guint best_use = 0;
	GHashTableIter iter;
	gpointer key, value;

	/* a known domain with the same name wins; else the nearest TLD the user writes to */
	for (guint i = 0; i < matches->len; i++) {
		const RgMatch *m = &g_array_index(matches, RgMatch, i);
		const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
		guint d;
		if (m->kind != RG_SIMILAR_TLD_SWAP)
			continue;
		d = rg_lookalike_damerau(tld, rg_tld_of(a->ascii), 2);
		if (d < best_d) {
			best_d = d;
			best = a->unicode;
		}
	}
	if (best != NULL && best_d <= 2) {
		rg_signals_add(
		    signals,
		    "unknown-tld",
		    75,
		    G_MAXUINT,
		    /* TRANSLATORS: %1$s is a top-level domain such as "con", %2$s a domain
		     * name the user probably meant */
		    g_strdup_printf(_("“.%1$s” is not an existing top-level domain; did you "
		                      "mean %2$s?"),
		                    tld,
		                    best),
		    best);
		return;
	}
	best = NULL;
	g_hash_table_iter_init(&iter, self->tld_use);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		guint d = rg_lookalike_damerau(tld, key, 1);
		if (d > 1)
			continue;
		if (best == NULL || GPOINTER_TO_UINT(value) > best_use) {
			best = key;
			best_use = GPOINTER_TO_UINT(value);
		}
	}
	if (best != NULL) {
		g_autofree char *head = g_strndup(ascii, strlen(ascii) - strlen(tld));
		g_autofree char *fixed_ascii = g_strconcat(head, best, NULL);
		g_autofree char *fixed = g_hostname_to_unicode(fixed_ascii);
		rg_signals_add(
		    signals,
		    "unknown-tld",
		    70,
		    G_MAXUINT,
		    g_strdup_printf(_("“.%1$s” is not an existing top-level domain; did you "
		                      "mean %2$s?"),
		                    tld,
		                    fixed),
		    fixed);
		return;
	}
	rg_signals_add(signals,
	               "unknown-tld",
	               70,
	               G_MAXUINT,
	               /* TRANSLATORS: %s is a top-level domain such as "con" */
	               g_strdup_printf(_("“.%s” is not an existing top-level domain."), tld),
	               NULL);
}

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

static gboolean
rg_scorer_finish(RgScorer *self, RgVerdict *v, const RgAddress *addr, GArray *signals)
{
	guint best = 0;
	const RgSignal *fix = NULL;
	RgLevel verdict_level = RG_LEVEL_OK;
	gboolean enabled = rg_policy_get_enabled(self->policy);
	gboolean hidden = FALSE;
	g_autofree char *local = rg_address_strip_hidden(rg_address_get_local_part(addr));
	g_autofree char *suggestion = NULL;

	for (guint i = 0; enabled && i < signals->len; i++) {
		RgSignal *s = &g_array_index(signals, RgSignal, i);
		RgLevel level = rg_level_for_score(s->score);
		/* the policy may set the level of a reason; "off" drops it */
		if (rg_policy_get_level_override(self->policy, s->code, &level) &&
		    level == RG_LEVEL_OK)
			continue;
		verdict_level = MAX(verdict_level, level);
		hidden |= strcmp(s->code, "hidden-character") == 0;
		rg_verdict_add_reason(v,
		                      s->code,
		                      level,
		                      s->score,
		                      s->suggestion_domain,
		                      g_steal_pointer(&s->message));
		best = MAX(best, s->score);
		/* the fix comes from the strongest signal that has one: a policy block of .ml
		 * names no domain, the TLD typo beside it does (army.mil) */
		if (s->suggestion_domain != NULL && s->score >= 50 &&
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
		suggestion = g_strdup_printf("%s@%s", local, rg_address_get_domain(addr));
	if (suggestion != NULL && verdict_level >= RG_LEVEL_WARN &&
	    strcmp(suggestion, rg_address_get_addr_spec(addr)) != 0 &&
	    rg_scorer_suggestion_is_valid(addr, local, suggestion))
		rg_verdict_set_suggestion(v, suggestion);
	for (guint i = 0; i < signals->len; i++)
		rg_signal_clear(&g_array_index(signals, RgSignal, i));
	return TRUE;
}

/* pick the strongest match; ties go to the better-known anchor */
static const RgMatch *
rg_scorer_best_match(RgScorer *self, GArray *matches, const char *local, guint *out_score)
{
	const RgMatch *best = NULL;
	guint best_score = 0;
	guint best_weight = 0;

	for (guint i = 0; i < matches->len; i++) {
		const RgMatch *m = &g_array_index(matches, RgMatch, i);
		const RgAnchorInfo *info = &g_array_index(self->infos, RgAnchorInfo, m->anchor);
		guint score = rg_scorer_match_score(self, m, local);
		guint weight = info->sent * 4 + info->received + info->n_addresses +
		               (info->protected ? 1000000 : 0);
		if (best == NULL || score > best_score ||
		    (score == best_score && weight > best_weight)) {
			best = m;
			best_score = score;
			best_weight = weight;
		}
	}
	*out_score = best_score;
	return best;
}

static void
rg_scorer_check_one(RgScorer *self,
                    const RgAddress *addr,
                    GHashTable *message_domains,
                    RgLookalikeIndex *message_index,
                    RgReport *report)
{
	g_autoptr(RgVerdict) v = rg_verdict_new(addr);
	g_autoptr(GArray) signals = g_array_new(FALSE, TRUE, sizeof(RgSignal));
	g_autoptr(GArray) matches = NULL;
	const char *ascii = rg_address_get_domain_ascii(addr);
	const char *domain = rg_address_get_domain(addr);
	const char *local = rg_address_get_local_part(addr);
	const char *tld = rg_tld_of(ascii);
	const RgPolicyRule *rule;
	const RgMatch *best;
	guint best_score = 0;
	gboolean tld_known;
	const char *suffix = ascii + rg_psl_suffix_offset(self->psl, ascii);
	/* judged apart from everything else: a known domain does not excuse an address that
	 * hides part of itself */
	g_autofree char *hidden = rg_address_describe_hidden(rg_address_get_raw_spec(addr));

	/* policy first: an administrator's block beats everything, their trust beats the rest */
	rule = rg_policy_match_blocked(self->policy, ascii);
	if (rule != NULL) {
		if (strchr(rule->ascii, '.') == NULL)
			rg_signals_add(
			    signals,
			    "blocked-tld",
			    100,
			    G_MAXUINT,
			    /* TRANSLATORS: %s is a top-level domain such as "ml" */
			    g_strdup_printf(_("Your organization's policy blocks mail to the "
			                      "top-level domain “.%s”."),
			                    rule->ascii),
			    NULL);
		else
			rg_signals_add(
			    signals,
			    "blocked-domain",
			    100,
			    G_MAXUINT,
			    /* TRANSLATORS: %s is a domain name or pattern */
			    g_strdup_printf(_("Your organization's policy blocks mail to %s."),
			                    rule->pattern),
			    NULL);
	}
	if (signals->len == 0 && rg_policy_match_trusted(self->policy, local, ascii) != NULL)
		goto done;
	if (signals->len == 0 && rg_scorer_domain_is_known(self, ascii, domain))
		goto done;
	{
		const RgHistoryEntry *e = rg_history_lookup_address(self->history, local, ascii);
		if (signals->len == 0 && e != NULL && (e->flags & RG_HISTORY_FLAG_JUNK) == 0)
			goto done;
	}

	matches = rg_lookalike_index_find(self->index, ascii, domain);
	best = rg_scorer_best_match(self, matches, local, &best_score);
	if (best != NULL && best_score > 0) {
		const char *code = NULL;
		char *message = rg_scorer_message_for_match(self, addr, best, &code);
		const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, best->anchor);
		rg_signals_add(signals, code, best_score, best->anchor, message, a->unicode);
	}

	tld_known = rg_psl_tld_is_known(self->psl, ascii);
	if (!tld_known) {
		/* the unknown TLD says it better than "the same name under another TLD" */
		for (guint i = 0; i < signals->len; i++) {
			RgSignal *s = &g_array_index(signals, RgSignal, i);
			if (strcmp(s->code, "tld-swap") == 0 || strcmp(s->code, "tld-typo") == 0) {
				rg_signal_clear(s);
				g_array_remove_index(signals, i);
				break;
			}
		}
		rg_scorer_unknown_tld(self, addr, matches, signals);
	}

	if (rg_confusable_is_mixed_script(self->confusable, domain))
		rg_signals_add(signals,
		               "mixed-script",
		               60,
		               G_MAXUINT,
		               /* TRANSLATORS: %s is a domain name */
		               g_strdup_printf(_("%s mixes letters from different alphabets, a "
		                                 "common disguise."),
		                               domain),
		               NULL);

	/* a ccTLD next to a generic TLD the organisation or the user relies on; only a bare
	 * ccTLD: nobody mistypes army.mil as tau.ac.il */
	if (tld_known && rg_tld_is_country_code(tld) && strchr(suffix, '.') == NULL &&
	    (best == NULL || best->kind != RG_SIMILAR_TLD_SWAP)) {
		const char *partner = rg_policy_risky_partner(self->policy, tld);
		guint use;
		if (partner == NULL || !g_hash_table_contains(self->tld_use, partner))
			partner = rg_scorer_risky_partner(tld);
		use = partner != NULL
		          ? GPOINTER_TO_UINT(g_hash_table_lookup(self->tld_use, partner))
		          : 0;
		if (use != 0) {
			g_autofree char *country = rg_countries_name_for_tld(self->countries, tld);
			rg_signals_add(
			    signals,
			    "risky-tld",
			    (use & 2) ? 55 : 35,
			    G_MAXUINT,
			    /* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a
			     * country name such as "Mali", %3$s a top-level domain such
			     * as "mil" */
			    g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one "
			                      "letter away from “.%3$s”, which you use."),
			                    tld,
			                    country != NULL ? country : tld,
			                    partner),
			    NULL);
		}
	}

	/* the same local part at a known domain: j.doe@army.mil typed as j.doe@armyy.mil */
	if (!rg_local_part_is_generic(local)) {
		GPtrArray *elsewhere = rg_history_domains_for_local_part(self->history, local);
		const RgAnchor *best_anchor =
		    best != NULL ? rg_lookalike_index_get_anchor(self->index, best->anchor) : NULL;
		for (guint i = 0; elsewhere != NULL && i < elsewhere->len; i++) {
			const RgHistoryDomain *d = g_ptr_array_index(elsewhere, i);
			g_autofree char *their_suffix = NULL;
			if (!rg_history_domain_counts(d))
				continue;
			/* already part of the lookalike's score */
			if (best_anchor != NULL && best_score >= 50 &&
			    strcmp(best_anchor->ascii, d->domain) == 0)
				break;
			/* an internationalised domain under the same suffix as the person's known
			 * one: bob@bbc.co.uk written as bob@ƅdc.co.uk */
			their_suffix =
			    g_strdup(d->domain + rg_psl_suffix_offset(self->psl, d->domain));
			if (strstr(ascii, "xn--") != NULL && strcmp(their_suffix, suffix) == 0) {
				rg_signals_add(
				    signals,
				    "known-local-part",
				    60,
				    G_MAXUINT,
				    /* TRANSLATORS: %1$s is the part of an address before the
				     * @, %2$s the domain where it is known, %3$s the
				     * internationalized domain typed */
				    g_strdup_printf(_("You know “%1$s” at %2$s; %3$s uses "
				                      "letters that are not plain Latin "
				                      "ones."),
				                    local,
				                    d->domain_unicode,
				                    domain),
				    d->domain_unicode);
				break;
			}
			rg_signals_add(
			    signals,
			    "known-local-part",
			    30,
			    G_MAXUINT,
			    /* TRANSLATORS: %1$s is the part of an address before the @,
			     * %2$s the domain where it is known, %3$s the domain typed */
			    g_strdup_printf(_("You know “%1$s” at %2$s, not at %3$s."),
			                    local,
			                    d->domain_unicode,
			                    domain),
			    NULL);
			break;
		}
	}

	/* another recipient of the same message at a near-miss of this domain */
	if (message_index != NULL) {
		g_autoptr(GArray) near = rg_lookalike_index_find(message_index, ascii, domain);
		guint mine = GPOINTER_TO_UINT(g_hash_table_lookup(message_domains, ascii));

		for (guint i = 0; i < near->len; i++) {
			const RgMatch *m = &g_array_index(near, RgMatch, i);
			const RgAnchor *a = rg_lookalike_index_get_anchor(message_index, m->anchor);
			guint theirs =
			    GPOINTER_TO_UINT(g_hash_table_lookup(message_domains, a->ascii));
			gboolean other_known;
			gboolean cc_for_generic;
			g_autofree char *edit = NULL;
			guint score;

			if (strcmp(a->ascii, ascii) == 0)
				continue;
			/* the lookalike reason already names that domain */
			if (best != NULL && best_score >= 50 &&
			    strcmp(rg_lookalike_index_get_anchor(self->index, best->anchor)->ascii,
			           a->ascii) == 0)
				continue;
			if (m->kind == RG_SIMILAR_AFFIX ||
			    (m->kind == RG_SIMILAR_TLD_SWAP && !m->suffix_near))
				continue;
			other_known = rg_scorer_domain_is_known(self, a->ascii, a->unicode);
			cc_for_generic = m->kind == RG_SIMILAR_TLD_SWAP && m->suffix_near &&
			                 rg_tld_is_country_code(tld) &&
			                 !rg_tld_is_country_code(rg_tld_of(a->ascii));
			score = (other_known || theirs > mine || cc_for_generic) ? 65 : 35;
			edit = rg_scorer_describe_edit(m);
			rg_signals_add(
			    signals,
			    "same-message",
			    score,
			    G_MAXUINT,
			    /* TRANSLATORS: %1$s is a domain of another recipient of the
			     * same message, %2$s the domain typed here, %3$s how they
			     * differ, such as "a letter is missing" */
			    g_strdup_printf(_("Another recipient of this message is at %1$s, "
			                      "which differs from %2$s: %3$s."),
			                    a->unicode,
			                    domain,
			                    edit),
			    a->unicode);
			break;
		}
	}

	if (signals->len == 0 || best_score < 50)
		rg_signals_add(
		    signals,
		    "first-contact",
		    25,
		    G_MAXUINT,
		    /* TRANSLATORS: %s is a domain name */
		    g_strdup_printf(_("You have never written to anyone at %s."), domain),
		    NULL);
done:
	if (hidden != NULL)
		rg_signals_add(
		    signals,
		    "hidden-character",
		    70,
		    G_MAXUINT,
		    /* TRANSLATORS: %s lists characters spelled out, such as "<U+202E>, \x1b" */
		    g_strdup_printf(_("The address contains characters that cannot be seen or "
		                      "that change how it is shown: %s."),
		                    hidden),
		    NULL);
	rg_scorer_finish(self, v, addr, signals);
	rg_report_add_verdict(report, g_steal_pointer(&v));
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
	g_autoptr(RgReport) report = rg_report_new();
	g_autoptr(GHashTable) message_domains = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(RgLookalikeIndex) message_index = NULL;
	GPtrArray *problems;

	g_return_val_if_fail(RG_IS_SCORER(self), NULL);
	g_return_val_if_fail(addresses != NULL, NULL);

	rg_scorer_ensure_index(self);
	problems = rg_policy_get_problems(self->policy);
	for (guint i = 0; i < problems->len; i++) {
		/* TRANSLATORS: %s is a technical description such as "FILE: key: problem" */
		g_autofree char *msg =
		    g_strdup_printf(_("The policy has a problem and was applied "
		                      "without the faulty entry: %s"),
		                    (const char *)g_ptr_array_index(problems, i));
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
			message_index = rg_lookalike_index_new(self->psl, self->confusable);
			for (guint i = 0; i < unknown->len; i++) {
				RgAddress *a = g_ptr_array_index(unknown, i);
				rg_lookalike_index_add(message_index,
				                       rg_address_get_domain_ascii(a),
				                       rg_address_get_domain(a),
				                       NULL);
			}
		}
	}
	for (guint i = 0; i < addresses->len; i++)
		rg_scorer_check_one(
		    self, g_ptr_array_index(addresses, i), message_domains, message_index, report);
	return g_steal_pointer(&report);
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
