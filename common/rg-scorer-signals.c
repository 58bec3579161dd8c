/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The signals the scorer weighs, one function each: what it looks for, how much it weighs
 * and the sentence that says why. Each adds at most one reason to the check; the pipeline in
 * rg-scorer.c decides which run and turns their scores into levels. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-policy-private.h"
#include "rg-scorer-private.h"

/* The scores of the signals with a fixed weight, each inside the band of the level it is
 * meant to give. The look-alike scores are a scale of their own (rg_scorer_match_score()). */
#define RG_SCORE_POLICY_BLOCK RG_SCORE_MAX
#define RG_SCORE_CONFUSABLE 95
#define RG_SCORE_UNKNOWN_TLD_KNOWN_NAME 75 /* a known domain with that name exists */
#define RG_SCORE_UNKNOWN_TLD 70
#define RG_SCORE_MIXED_SCRIPT 60
#define RG_SCORE_RISKY_TLD_PROTECTED 55 /* the generic TLD is the organisation's */
#define RG_SCORE_RISKY_TLD_USED 35      /* the user writes to the generic TLD */
#define RG_SCORE_KNOWN_LOCAL_PART_IDN 60
#define RG_SCORE_KNOWN_LOCAL_PART 30
#define RG_SCORE_SAME_MESSAGE_STRONG 65
#define RG_SCORE_SAME_MESSAGE 35
#define RG_SCORE_FIRST_CONTACT 25
#define RG_SCORE_HIDDEN_CHARACTER 70

#define RG_SCORE_IS_NOTICE(s) ((s) >= RG_SCORE_NOTICE && (s) < RG_SCORE_WARN)
#define RG_SCORE_IS_WARN(s) ((s) >= RG_SCORE_WARN && (s) < RG_SCORE_BLOCK)
#define RG_SCORE_IS_BLOCK(s) ((s) >= RG_SCORE_BLOCK && (s) <= RG_SCORE_MAX)
G_STATIC_ASSERT(RG_SCORE_IS_BLOCK(RG_SCORE_POLICY_BLOCK));
G_STATIC_ASSERT(RG_SCORE_IS_BLOCK(RG_SCORE_CONFUSABLE));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_UNKNOWN_TLD_KNOWN_NAME));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_UNKNOWN_TLD));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_MIXED_SCRIPT));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_RISKY_TLD_PROTECTED));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_RISKY_TLD_USED));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_KNOWN_LOCAL_PART_IDN));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_KNOWN_LOCAL_PART));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_SAME_MESSAGE_STRONG));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_SAME_MESSAGE));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_FIRST_CONTACT));
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_HIDDEN_CHARACTER));

/* ------------------------------------------------------------------ messages */

/* a sentence that names what we know of a domain, for the end of a reason */
static char *
rg_scorer_evidence(RgScorer *self, guint anchor)
{
	const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, anchor);
	const RgAnchorInfo *info = rg_scorer_anchor_info(self, anchor);

	if (info->sent > 0)
		return g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE,
		                /* TRANSLATORS: %1$s is a domain name, %2$u a number of messages */
		                "you have written to %1$s %2$u time",
		                "you have written to %1$s %2$u times",
		                info->sent),
		    a->unicode,
		    info->sent);
	if (info->received > 0)
		return g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE,
		                /* TRANSLATORS: %1$s is a domain name, %2$u a number of messages */
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
		return g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE,
		                /* TRANSLATORS: %1$s is a domain name, %2$u a number of people */
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

/* ------------------------------------------------------------------ look-alike scale */

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

/* the base weight of one kind of edit, before what is known of the anchor adjusts it */
static gint
rg_scorer_edit_weight(const RgMatch *m, gsize label_len)
{
	switch (m->kind) {
	case RG_SIMILAR_HOMOGLYPH:
		return 80;
	case RG_SIMILAR_TLD_SWAP:
		return m->suffix_near ? 80 : 60;
	case RG_SIMILAR_SUBDOMAIN:
	case RG_SIMILAR_EMBEDDING:
		return 75;
	case RG_SIMILAR_HYPHENATION:
		return label_len >= 4 ? 70 : 55;
	case RG_SIMILAR_AFFIX:
		if (rg_affix_is_word(m->affix))
			return label_len >= 4 ? 65 : 50;
		if (m->separated)
			return label_len >= 4 ? 55 : 35;
		return label_len >= 4 ? 40 : 30;
	case RG_SIMILAR_OMISSION:
	case RG_SIMILAR_ADDITION:
	case RG_SIMILAR_INSERTION:
	case RG_SIMILAR_REPLACEMENT:
	case RG_SIMILAR_TRANSPOSITION:
	case RG_SIMILAR_REPETITION:
	case RG_SIMILAR_BITSQUATTING:
	case RG_SIMILAR_VOWEL_SWAP: {
		/* short names have many real neighbours: one edit from "gd" is "gb", "ge"… */
		static const gint by_length[] = {40, 40, 40, 45, 60, 65};
		gint weight = label_len < G_N_ELEMENTS(by_length) ? by_length[label_len] : 70;
		if (m->keyboard || m->kind == RG_SIMILAR_BITSQUATTING ||
		    m->kind == RG_SIMILAR_TRANSPOSITION || m->kind == RG_SIMILAR_REPETITION)
			weight += 5;
		return weight;
	}
	case RG_SIMILAR_CONFUSABLE:
	case RG_SIMILAR_NONE:
	default:
		return 0;
	}
}

guint
rg_scorer_match_score(RgScorer *self, const RgMatch *m, const char *local)
{
	const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	const RgAnchorInfo *info = rg_scorer_anchor_info(self, m->anchor);
	gint score;

	/* the same skeleton is not a typo but a disguise */
	if (m->kind == RG_SIMILAR_CONFUSABLE)
		return RG_SCORE_CONFUSABLE;
	score = rg_scorer_edit_weight(m, strlen(a->label));
	if (score == 0)
		return 0;
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
	return (guint)CLAMP(score, 0, RG_SCORE_BELOW_BLOCK);
}

/* ------------------------------------------------------------------ the signals */

/* blocked-tld, blocked-domain: an administrator's block beats everything */
void
rg_signal_policy_block(RgScorer *self, RgCheck *c)
{
	const RgPolicyRule *rule = rg_policy_match_blocked(self->policy, c->ascii);

	if (rule == NULL)
		return;
	if (strchr(rule->ascii, '.') == NULL)
		rg_check_add(c,
		             RG_REASON_BLOCKED_TLD,
		             RG_SCORE_POLICY_BLOCK,
		             /* TRANSLATORS: %s is a top-level domain such as "ml" */
		             g_strdup_printf(_("Your organization's policy blocks mail to the "
		                               "top-level domain “.%s”."),
		                             rule->ascii),
		             NULL);
	else
		rg_check_add(c,
		             RG_REASON_BLOCKED_DOMAIN,
		             RG_SCORE_POLICY_BLOCK,
		             /* TRANSLATORS: %s is a domain name or pattern */
		             g_strdup_printf(_("Your organization's policy blocks mail to %s."),
		                             rule->pattern),
		             NULL);
}

/* tld-typo, tld-swap, confusable, lookalike: the strongest known domain this one resembles */
void
rg_signal_lookalike(RgScorer *self, RgCheck *c)
{
	const RgMatch *m = c->best;
	const RgAnchor *a;
	g_autofree char *evidence = NULL;

	if (m == NULL || c->best_score == 0)
		return;
	a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	evidence = rg_scorer_evidence(self, m->anchor);
	if (m->kind == RG_SIMILAR_TLD_SWAP) {
		g_autofree char *country = rg_domains_country_name(self->domains, c->tld);
		RgReasonCode code = m->suffix_near ? RG_REASON_TLD_TYPO : RG_REASON_TLD_SWAP;
		if (country != NULL)
			rg_check_add(
			    c,
			    code,
			    c->best_score,
			    /* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s
			     * a country name such as "Mali", %3$s a sentence such as
			     * "you have written to army.mil 42 times" */
			    g_strdup_printf(_("“.%1$s” is the country domain of %2$s; %3$s."),
			                    c->tld,
			                    country,
			                    evidence),
			    a->unicode);
		else
			rg_check_add(
			    c,
			    code,
			    c->best_score,
			    /* TRANSLATORS: %1$s is a domain typed by the user, %2$s a
			     * known domain with the same name under another top-level
			     * domain, %3$s a sentence such as "you have written to
			     * army.mil 42 times" */
			    g_strdup_printf(_("%1$s is not %2$s: the same name under a "
			                      "top-level domain you have never written to; "
			                      "%3$s."),
			                    c->domain,
			                    a->unicode,
			                    evidence),
			    a->unicode);
		return;
	}
	if (m->kind == RG_SIMILAR_CONFUSABLE) {
		rg_check_add(c,
		             RG_REASON_CONFUSABLE,
		             c->best_score,
		             /* TRANSLATORS: %1$s is a domain typed by the user, %2$s the known
		              * domain it imitates, %3$s a sentence such as "you have written to
		              * army.mil 42 times" */
		             g_strdup_printf(_("%1$s is written with characters that only look "
		                               "like those of %2$s; %3$s."),
		                             c->domain,
		                             a->unicode,
		                             evidence),
		             a->unicode);
		return;
	}
	{
		g_autofree char *edit = rg_scorer_describe_edit(m);
		rg_check_add(c,
		             RG_REASON_LOOKALIKE,
		             c->best_score,
		             /* TRANSLATORS: %1$s is a domain typed by the user, %2$s a known
		              * domain it resembles, %3$s how they differ, such as "two letters
		              * are swapped", %4$s a sentence such as "you have written to
		              * army.mil 42 times" */
		             g_strdup_printf(_("%1$s looks like %2$s (%3$s); %4$s."),
		                             c->domain,
		                             a->unicode,
		                             edit,
		                             evidence),
		             a->unicode);
	}
}

/* the known domain with the same name and the nearest TLD, or NULL */
static const char *
rg_signal_unknown_tld_same_name(RgScorer *self, RgCheck *c)
{
	const char *best = NULL;
	guint best_d = G_MAXUINT;

	for (guint i = 0; i < c->matches->len; i++) {
		const RgMatch *m = &g_array_index(c->matches, RgMatch, i);
		const RgAnchor *a = rg_lookalike_index_get_anchor(self->index, m->anchor);
		guint d;
		if (m->kind != RG_SIMILAR_TLD_SWAP)
			continue;
		d = rg_lookalike_damerau(c->tld, rg_domain_tld(a->ascii), 2);
		if (d < best_d) {
			best_d = d;
			best = a->unicode;
		}
	}
	return best_d <= 2 ? best : NULL;
}

/* the TLD one edit away that the user or the policy uses most, or NULL */
static const char *
rg_signal_unknown_tld_nearest_used(RgScorer *self, RgCheck *c)
{
	const char *best = NULL;
	guint best_use = 0;
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init(&iter, self->tld_use);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (rg_lookalike_damerau(c->tld, key, 1) > 1)
			continue;
		if (best == NULL || GPOINTER_TO_UINT(value) > best_use) {
			best = key;
			best_use = GPOINTER_TO_UINT(value);
		}
	}
	return best;
}

/* unknown-tld: the last label is not a TLD at all (gmail.con) */
void
rg_signal_unknown_tld(RgScorer *self, RgCheck *c)
{
	const char *fix;
	const char *tld;

	if (c->tld_known)
		return;
	/* the unknown TLD says it better than "the same name under another TLD" */
	for (guint i = 0; i < c->signals->len; i++) {
		RgSignal *s = &g_array_index(c->signals, RgSignal, i);
		if (s->code == RG_REASON_TLD_SWAP || s->code == RG_REASON_TLD_TYPO) {
			rg_signal_clear(s);
			g_array_remove_index(c->signals, i);
			break;
		}
	}
	/* a known domain with the same name wins; else the nearest TLD the user writes to */
	fix = rg_signal_unknown_tld_same_name(self, c);
	if (fix != NULL) {
		rg_check_add(c,
		             RG_REASON_UNKNOWN_TLD,
		             RG_SCORE_UNKNOWN_TLD_KNOWN_NAME,
		             /* TRANSLATORS: %1$s is a top-level domain such as "con", %2$s a
		              * domain name the user probably meant */
		             g_strdup_printf(_("“.%1$s” is not an existing top-level domain; did "
		                               "you mean %2$s?"),
		                             c->tld,
		                             fix),
		             fix);
		return;
	}
	tld = rg_signal_unknown_tld_nearest_used(self, c);
	if (tld != NULL) {
		g_autofree char *head = g_strndup(c->ascii, strlen(c->ascii) - strlen(c->tld));
		g_autofree char *fixed_ascii = g_strconcat(head, tld, NULL);
		g_autofree char *fixed = g_hostname_to_unicode(fixed_ascii);
		rg_check_add(c,
		             RG_REASON_UNKNOWN_TLD,
		             RG_SCORE_UNKNOWN_TLD,
		             g_strdup_printf(_("“.%1$s” is not an existing top-level domain; did "
		                               "you mean %2$s?"),
		                             c->tld,
		                             fixed),
		             fixed);
		return;
	}
	rg_check_add(c,
	             RG_REASON_UNKNOWN_TLD,
	             RG_SCORE_UNKNOWN_TLD,
	             /* TRANSLATORS: %s is a top-level domain such as "con" */
	             g_strdup_printf(_("“.%s” is not an existing top-level domain."), c->tld),
	             NULL);
}

/* mixed-script: one label mixes alphabets, a common disguise */
void
rg_signal_mixed_script(RgScorer *self, RgCheck *c)
{
	if (!rg_confusable_is_mixed_script(self->confusable, c->domain))
		return;
	rg_check_add(c,
	             RG_REASON_MIXED_SCRIPT,
	             RG_SCORE_MIXED_SCRIPT,
	             /* TRANSLATORS: %s is a domain name */
	             g_strdup_printf(_("%s mixes letters from different alphabets, a common "
	                               "disguise."),
	                             c->domain),
	             NULL);
}

/* the built-in pairs: a ccTLD one letter from a generic TLD */
static const char *
rg_signal_builtin_risky_partner(const char *tld)
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

/* risky-tld: a bare ccTLD next to a generic TLD the organisation or the user relies on;
 * only a bare one: nobody mistypes army.mil as tau.ac.il */
void
rg_signal_risky_tld(RgScorer *self, RgCheck *c)
{
	const char *partner;
	guint use;
	g_autofree char *country = NULL;

	if (!c->tld_known || !rg_domain_tld_is_country_code(c->tld) ||
	    strchr(c->suffix, '.') != NULL)
		return;
	/* the TLD typo of a known name says more */
	if (c->best != NULL && c->best->kind == RG_SIMILAR_TLD_SWAP)
		return;
	partner = rg_policy_risky_partner(self->policy, c->tld);
	if (partner == NULL || !g_hash_table_contains(self->tld_use, partner))
		partner = rg_signal_builtin_risky_partner(c->tld);
	use = partner != NULL ? GPOINTER_TO_UINT(g_hash_table_lookup(self->tld_use, partner)) : 0;
	if (use == 0)
		return;
	country = rg_domains_country_name(self->domains, c->tld);
	rg_check_add(c,
	             RG_REASON_RISKY_TLD,
	             (use & RG_TLD_USED_BY_POLICY) ? RG_SCORE_RISKY_TLD_PROTECTED
	                                           : RG_SCORE_RISKY_TLD_USED,
	             /* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a country
	              * name such as "Mali", %3$s a top-level domain such as "mil" */
	             g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one letter "
	                               "away from “.%3$s”, which you use."),
	                             c->tld,
	                             country != NULL ? country : c->tld,
	                             partner),
	             NULL);
}

/* known-local-part: the same person at a known domain: j.doe@army.mil typed as
 * j.doe@armyy.mil */
void
rg_signal_known_local_part(RgScorer *self, RgCheck *c)
{
	GPtrArray *elsewhere;
	const RgAnchor *best_anchor;

	if (rg_local_part_is_generic(c->local))
		return;
	elsewhere = rg_history_domains_for_local_part(self->history, c->local);
	best_anchor =
	    c->best != NULL ? rg_lookalike_index_get_anchor(self->index, c->best->anchor) : NULL;
	for (guint i = 0; elsewhere != NULL && i < elsewhere->len; i++) {
		const RgHistoryDomain *d = g_ptr_array_index(elsewhere, i);
		const char *their_suffix;
		if (!rg_history_domain_counts(d))
			continue;
		/* already part of the lookalike's score */
		if (rg_check_best_warns(c) && strcmp(best_anchor->ascii, d->domain) == 0)
			return;
		/* an internationalised domain under the same suffix as the person's known one:
		 * bob@bbc.co.uk written as bob@ƅdc.co.uk */
		their_suffix = d->domain + rg_domains_suffix_offset(self->domains, d->domain);
		if (strstr(c->ascii, "xn--") != NULL && strcmp(their_suffix, c->suffix) == 0) {
			rg_check_add(c,
			             RG_REASON_KNOWN_LOCAL_PART,
			             RG_SCORE_KNOWN_LOCAL_PART_IDN,
			             /* TRANSLATORS: %1$s is the part of an address before the @,
			              * %2$s the domain where it is known, %3$s the
			              * internationalized domain typed */
			             g_strdup_printf(_("You know “%1$s” at %2$s; %3$s uses letters "
			                               "that are not plain Latin ones."),
			                             c->local,
			                             d->domain_unicode,
			                             c->domain),
			             d->domain_unicode);
			return;
		}
		rg_check_add(c,
		             RG_REASON_KNOWN_LOCAL_PART,
		             RG_SCORE_KNOWN_LOCAL_PART,
		             /* TRANSLATORS: %1$s is the part of an address before the @, %2$s
		              * the domain where it is known, %3$s the domain typed */
		             g_strdup_printf(_("You know “%1$s” at %2$s, not at %3$s."),
		                             c->local,
		                             d->domain_unicode,
		                             c->domain),
		             NULL);
		return;
	}
}

/* same-message: another recipient of the same message at a near miss of this domain */
void
rg_signal_same_message(RgScorer *self, RgCheck *c)
{
	g_autoptr(GArray) near = NULL;
	guint mine;

	if (c->message_index == NULL)
		return;
	near = rg_lookalike_index_find(c->message_index, c->ascii, c->domain);
	mine = GPOINTER_TO_UINT(g_hash_table_lookup(c->message_domains, c->ascii));
	for (guint i = 0; i < near->len; i++) {
		const RgMatch *m = &g_array_index(near, RgMatch, i);
		const RgAnchor *a = rg_lookalike_index_get_anchor(c->message_index, m->anchor);
		guint theirs = GPOINTER_TO_UINT(g_hash_table_lookup(c->message_domains, a->ascii));
		gboolean stronger;
		g_autofree char *edit = NULL;

		if (strcmp(a->ascii, c->ascii) == 0)
			continue;
		/* the lookalike reason already names that domain */
		if (rg_check_best_warns(c) &&
		    strcmp(rg_lookalike_index_get_anchor(self->index, c->best->anchor)->ascii,
		           a->ascii) == 0)
			continue;
		if (m->kind == RG_SIMILAR_AFFIX ||
		    (m->kind == RG_SIMILAR_TLD_SWAP && !m->suffix_near))
			continue;
		/* the other one is known, more frequent here, or the generic-TLD side of a
		 * ccTLD pair */
		stronger = rg_scorer_domain_is_known(self, a->ascii, a->unicode) || theirs > mine ||
		           (m->kind == RG_SIMILAR_TLD_SWAP && m->suffix_near &&
		            rg_domain_tld_is_country_code(c->tld) &&
		            !rg_domain_tld_is_country_code(rg_domain_tld(a->ascii)));
		edit = rg_scorer_describe_edit(m);
		rg_check_add(c,
		             RG_REASON_SAME_MESSAGE,
		             stronger ? RG_SCORE_SAME_MESSAGE_STRONG : RG_SCORE_SAME_MESSAGE,
		             /* TRANSLATORS: %1$s is a domain of another recipient of the same
		              * message, %2$s the domain typed here, %3$s how they differ, such
		              * as "a letter is missing" */
		             g_strdup_printf(_("Another recipient of this message is at %1$s, "
		                               "which differs from %2$s: %3$s."),
		                             a->unicode,
		                             c->domain,
		                             edit),
		             a->unicode);
		return;
	}
}

/* first-contact: nothing else convincing was found, and the domain is new */
void
rg_signal_first_contact(RgScorer *self, RgCheck *c)
{
	if (c->signals->len > 0 && rg_check_best_warns(c))
		return;
	rg_check_add(c,
	             RG_REASON_FIRST_CONTACT,
	             RG_SCORE_FIRST_CONTACT,
	             /* TRANSLATORS: %s is a domain name */
	             g_strdup_printf(_("You have never written to anyone at %s."), c->domain),
	             NULL);
}

/* hidden-character: the address itself holds characters that cannot be seen or that change
 * how it is shown (bidi overrides, zero-width characters, controls) */
void
rg_signal_hidden_character(RgScorer *self, RgCheck *c)
{
	g_autofree char *hidden = rg_address_describe_hidden(rg_address_get_raw_spec(c->addr));

	if (hidden == NULL)
		return;
	rg_check_add(c,
	             RG_REASON_HIDDEN_CHARACTER,
	             RG_SCORE_HIDDEN_CHARACTER,
	             /* TRANSLATORS: %s lists characters spelled out, such as "<U+202E>, \x1b" */
	             g_strdup_printf(_("The address contains characters that cannot be seen or "
	                               "that change how it is shown: %s."),
	                             hidden),
	             NULL);
}
