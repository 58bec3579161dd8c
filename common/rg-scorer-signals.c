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
#define RG_SCORE_LONG_LOCAL_PART 60
/* RFC 5321, 4.5.3.1.1: the longest local part every server must accept, in octets */
#define RG_LOCAL_PART_MAX_OCTETS 64
#define RG_SCORE_ADDRESS_BOOK 30
#define RG_SCORE_SIBLING 35             /* two popular providers' domains look alike */
#define RG_SCORE_NEAR_RESTRICTED_TLD 30 /* .ml, one letter from .mil */
#define RG_SCORE_SENT_ANYWAY 30
/* a provider that only the public lists carry weighs less than a hand-curated one */
#define RG_SCORE_LISTED_PROVIDER_PENALTY 25
/* Under a restricted TLD only vetted organisations register, so a one-letter slip of a short
 * well-known name there (njit.edu for nyit.edu, pnl.gov for pnnl.gov) is as likely another
 * real organisation, unlisted, as a typo, and mail to it reaches no squatter: from the
 * knowledge alone it is a notice. Labels this long or shorter are short. */
#define RG_RESTRICTED_SHORT_LABEL 3

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
G_STATIC_ASSERT(RG_SCORE_IS_WARN(RG_SCORE_LONG_LOCAL_PART));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_ADDRESS_BOOK));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_SIBLING));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_NEAR_RESTRICTED_TLD));
G_STATIC_ASSERT(RG_SCORE_IS_NOTICE(RG_SCORE_SENT_ANYWAY));

/* ------------------------------------------------------------------ messages */

/* what the built-in knowledge says of a domain, as the end of a reason */
static char *
rg_scorer_knowledge_evidence(const char *domain, const RgAnchorInfo *info)
{
	const char *kind = info->stakes_kind;
	const char *org = info->organisation;

	if (g_strcmp0(kind, "us-military") == 0)
		/* TRANSLATORS: %1$s is a domain name, %2$s the organisation's English name, such
		 * as "US Army" */
		return g_strdup_printf(_("%1$s is a US military domain (%2$s)"), domain, org);
	if (g_strcmp0(kind, "us-federal") == 0)
		/* TRANSLATORS: %1$s is a domain name, %2$s the organisation's English name, such
		 * as "Department of State" */
		return g_strdup_printf(_("%1$s is a US government domain (%2$s)"), domain, org);
	if (g_strcmp0(kind, "education") == 0)
		return g_strdup_printf(
		    /* TRANSLATORS: %1$s is a domain name, %2$s the institution's English name */
		    _("%1$s is the domain of an educational institution (%2$s)"),
		    domain,
		    org);
	if (kind != NULL)
		return g_strdup_printf(
		    /* TRANSLATORS: %1$s is a domain name, %2$s the organisation's English name,
		     * such as "NATO" */
		    _("%1$s is the domain of an international organization (%2$s)"),
		    domain,
		    org);
	if (info->provider_band == 1)
		/* TRANSLATORS: %s is a domain name such as gmail.com */
		return g_strdup_printf(_("%s is one of the most used mail providers"), domain);
	if (info->provider_band == 2)
		/* TRANSLATORS: %s is a domain name such as web.de */
		return g_strdup_printf(_("%s is a well-known mail provider"), domain);
	/* TRANSLATORS: %s is a domain name */
	return g_strdup_printf(_("%s is a mail provider"), domain);
}

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
	if (info->n_addresses > 0 && info->known)
		return g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE,
		                /* TRANSLATORS: %1$s is a domain name, %2$u a number of people */
		                "you know %2$u person at %1$s",
		                "you know %2$u people at %1$s",
		                info->n_addresses),
		    a->unicode,
		    info->n_addresses);
	if (info->stakes_kind != NULL || info->provider_band > 0)
		return rg_scorer_knowledge_evidence(a->unicode, info);
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

static gboolean
rg_str_is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((guchar)*s >= 0x80)
			return FALSE;
	return TRUE;
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
	if (rg_similar_is_one_character(m->kind)) {
		/* short names have many real neighbours: one edit from "gd" is "gb", "ge"… */
		static const gint by_length[] = {40, 40, 40, 45, 60, 65};
		gint weight = label_len < G_N_ELEMENTS(by_length) ? by_length[label_len] : 70;
		if (m->keyboard || m->kind == RG_SIMILAR_BITSQUATTING ||
		    m->kind == RG_SIMILAR_TRANSPOSITION || m->kind == RG_SIMILAR_REPETITION)
			weight += 5;
		return weight;
	}
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
	case RG_SIMILAR_CONFUSABLE:
	case RG_SIMILAR_NONE:
	default:
		return 0;
	}
}

/* a one-character slip of a short name under a restricted TLD (RG_RESTRICTED_SHORT_LABEL) */
static gboolean
rg_scorer_is_short_restricted_slip(RgScorer *self, const RgMatch *m, const RgAnchor *a)
{
	/* the shorter of the two names: the typed one lacks a letter after an omission */
	gsize len = strlen(a->label) - (m->kind == RG_SIMILAR_OMISSION ? 1 : 0);

	if (self->knowledge == NULL || len > RG_RESTRICTED_SHORT_LABEL ||
	    rg_knowledge_get_restricted_tld(self->knowledge, a->ascii) == NULL)
		return FALSE;
	return rg_similar_is_one_character(m->kind) || m->kind == RG_SIMILAR_HOMOGLYPH;
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
	if (rg_scorer_anchor_only_knowledge(info)) {
		/* a provider only the public lists carry */
		if (info->provider_band > RG_PROVIDER_BAND_POPULAR && info->stakes_kind == NULL)
			score -= RG_SCORE_LISTED_PROVIDER_PENALTY;
		if (rg_scorer_is_short_restricted_slip(self, m, a))
			score = MIN(score, RG_SCORE_WARN - 1);
	}
	if (!m->same_sub)
		score -= 5;
	if (local != NULL) {
		/* the generic names are ASCII and compared without case: only a local part with
		 * other letters needs lower-casing first (asked for every match) */
		g_autofree char *lower = rg_str_is_ascii(local) ? NULL : g_utf8_strdown(local, -1);
		const char *key = lower != NULL ? lower : local;
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

/* whether the typed domain and the one it resembles are both among the most popular mail
 * providers: yahoo.co.uk is no typo of yahoo.com, nor gmx.net of gmx.de (asked of the knowledge
 * itself: the anchor may be the user's own, which no probe brought in) */
static gboolean
rg_check_best_is_sibling(RgScorer *self, const RgCheck *c)
{
	const RgAnchor *a;
	RgProvider p;

	if (c->best == NULL || c->best->kind == RG_SIMILAR_CONFUSABLE || c->provider_band == 0 ||
	    c->provider_band > RG_PROVIDER_BAND_POPULAR || self->knowledge == NULL)
		return FALSE;
	a = rg_lookalike_index_get_anchor(self->index, c->best->anchor);
	return rg_knowledge_lookup_provider(self->knowledge, a->ascii, &p) && p.typo_of == NULL &&
	       p.band <= RG_PROVIDER_BAND_POPULAR;
}

/* the TLD typo's sentence: the country behind the typed TLD, how near it is to the known one */
static char *
rg_signal_tld_message(RgScorer *self, RgCheck *c, const RgAnchor *a, const char *evidence)
{
	g_autofree char *country = rg_domains_country_name(self->domains, c->tld);
	const char *their_tld = rg_domain_tld(a->ascii);

	if (country == NULL)
		/* TRANSLATORS: %1$s is a domain typed by the user, %2$s a known domain with the
		 * same name under another top-level domain, %3$s a sentence such as "you have
		 * written to army.mil 42 times" */
		return g_strdup_printf(_("%1$s is not %2$s: the same name under a top-level "
		                         "domain you have never written to; %3$s."),
		                       c->domain,
		                       a->unicode,
		                       evidence);
	if (strchr(c->suffix, '.') == NULL && strchr(a->suffix, '.') == NULL &&
	    rg_lookalike_damerau(c->tld, their_tld, 1) == 1)
		/* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a country name as
		 * it reads in a sentence, such as "Mali" or "the United Kingdom", %3$s the
		 * top-level domain one letter away, such as "mil", %4$s a sentence such as
		 * "army.mil is a US military domain (US Army)" */
		return g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one letter away "
		                         "from “.%3$s”; %4$s."),
		                       c->tld,
		                       country,
		                       their_tld,
		                       evidence);
	return g_strdup_printf(
	    /* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a country name as it
	     * reads in a sentence, such as "Mali" or "the United Kingdom", %3$s a sentence
	     * such as "you have written to army.mil 42 times" */
	    _("“.%1$s” is the country domain of %2$s; %3$s."),
	    c->tld,
	    country,
	    evidence);
}

/* tld-typo, tld-swap, confusable, lookalike: the strongest known domain this one resembles */
void
rg_signal_lookalike(RgScorer *self, RgCheck *c)
{
	const RgMatch *m = c->best;
	const RgAnchor *a;
	g_autofree char *evidence = NULL;

	if (m == NULL || c->best_score == 0 || rg_check_best_is_sibling(self, c))
		return;
	a = rg_lookalike_index_get_anchor(self->index, m->anchor);
	evidence = rg_scorer_evidence(self, m->anchor);
	if (m->kind == RG_SIMILAR_TLD_SWAP) {
		rg_check_add(c,
		             m->suffix_near ? RG_REASON_TLD_TYPO : RG_REASON_TLD_SWAP,
		             c->best_score,
		             rg_signal_tld_message(self, c, a, evidence),
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

/* sibling-domain: two of the most popular providers' domains look alike; the typed one is
 * real, and only new to the user */
void
rg_signal_sibling(RgScorer *self, RgCheck *c)
{
	const RgAnchor *a;
	g_autofree char *evidence = NULL;

	if (!rg_check_best_is_sibling(self, c) || c->best_score < RG_SCORE_WARN)
		return;
	a = rg_lookalike_index_get_anchor(self->index, c->best->anchor);
	evidence = rg_scorer_evidence(self, c->best->anchor);
	rg_check_add(c,
	             RG_REASON_SIBLING,
	             RG_SCORE_SIBLING,
	             /* TRANSLATORS: %1$s is a domain typed by the user, %2$s a known domain that
	              * looks like it, %3$s a sentence such as "you have written to yahoo.com 12
	              * times" */
	             g_strdup_printf(_("%1$s is a well-known mail domain of its own, not %2$s, "
	                               "and you have never written to it; %3$s."),
	                             c->domain,
	                             a->unicode,
	                             evidence),
	             NULL);
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
	/* a known domain with the same name wins; else the nearest TLD the user writes to, or
	 * the one the knowledge's domains clearly use most (the fix is judged in turn: gnail.con
	 * → gnail.com, which looks like gmail.com) */
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
	tld = rg_scorer_nearest_tld(self, c->tld);
	if (tld != NULL) {
		g_autofree char *head = g_strndup(c->ascii, strlen(c->ascii) - strlen(c->tld));
		g_autofree char *fixed_ascii = g_strconcat(head, tld, NULL);
		g_autofree char *fixed = g_hostname_to_unicode(fixed_ascii);
		/* the name may hold a typo too: gnail.con is gmail.com, not gnail.com */
		g_autofree char *settled = rg_scorer_settle_fix(self, c, fixed, RG_SCORE_NOTICE);
		if (settled != NULL) {
			rg_check_add(
			    c,
			    RG_REASON_UNKNOWN_TLD,
			    RG_SCORE_UNKNOWN_TLD,
			    g_strdup_printf(_("“.%1$s” is not an existing top-level domain; "
			                      "did you mean %2$s?"),
			                    c->tld,
			                    settled),
			    settled);
			return;
		}
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

/* the sentence for a bare ccTLD one letter from a restricted TLD, by who may register there */
static char *
rg_signal_near_restricted_message(const char *tld,
                                  const char *country,
                                  const char *restricted,
                                  const char *kind)
{
	if (g_strcmp0(kind, "us-military") == 0)
		/* TRANSLATORS: %1$s is a top-level domain such as "ml", %2$s a country name as
		 * it reads in a sentence, such as "Mali", %3$s a top-level domain such as "mil" */
		return g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one letter away "
		                         "from “.%3$s”, the top-level domain of the US military."),
		                       tld,
		                       country,
		                       restricted);
	if (g_strcmp0(kind, "us-government") == 0)
		return g_strdup_printf(
		    /* TRANSLATORS: as above, for "gov" */
		    _("“.%1$s” is the country domain of %2$s, one letter away "
		      "from “.%3$s”, the top-level domain of the US government."),
		    tld,
		    country,
		    restricted);
	if (g_strcmp0(kind, "us-education") == 0)
		/* TRANSLATORS: as above, for "edu" */
		return g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one letter away "
		                         "from “.%3$s”, the top-level domain of US colleges and "
		                         "universities."),
		                       tld,
		                       country,
		                       restricted);
	/* TRANSLATORS: as above, for "int" */
	return g_strdup_printf(_("“.%1$s” is the country domain of %2$s, one letter away from "
	                         "“.%3$s”, the top-level domain of international treaty "
	                         "organizations."),
	                       tld,
	                       country,
	                       restricted);
}

/* near-restricted-tld: a first contact under a bare ccTLD one letter from a restricted TLD
 * whose neighbours the knowledge marks (.ml and .il, next to .mil), when nothing says more */
void
rg_signal_near_restricted_tld(RgScorer *self, RgCheck *c)
{
	const char *const *restricted;
	g_autofree char *country = NULL;

	if (self->knowledge == NULL || !c->tld_known || !rg_domain_tld_is_country_code(c->tld) ||
	    strchr(c->suffix, '.') != NULL || c->written)
		return;
	if (rg_check_best_warns(c))
		return;
	for (guint i = 0; i < c->signals->len; i++)
		if (g_array_index(c->signals, RgSignal, i).code == RG_REASON_RISKY_TLD)
			return;
	restricted = rg_knowledge_get_restricted_for_cctld(self->knowledge, c->tld);
	for (guint i = 0; restricted != NULL && restricted[i] != NULL; i++) {
		if (!rg_knowledge_get_neighbour_notice(self->knowledge, restricted[i]))
			continue;
		country = rg_domains_country_name(self->domains, c->tld);
		rg_check_add(c,
		             RG_REASON_NEAR_RESTRICTED_TLD,
		             RG_SCORE_NEAR_RESTRICTED_TLD,
		             rg_signal_near_restricted_message(
		                 c->tld,
		                 country != NULL ? country : c->tld,
		                 restricted[i],
		                 rg_knowledge_get_tld_kind(self->knowledge, restricted[i])),
		             NULL);
		return;
	}
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
		/* the person known here is no reason, nor what only a Send Anyway recorded */
		if (rg_history_domain_get_evidence(d) == RG_EVIDENCE_NONE ||
		    strcmp(d->domain, c->ascii) == 0)
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

	/* a well-known domain is no near miss of a new one beside it */
	if (c->message_index == NULL || c->standing >= RG_STANDING_KNOWLEDGE)
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
	/* sent to before, anyway perhaps: not the first contact, whatever it is worth */
	if (c->written)
		return;
	/* the sibling's reason says so already, and beside a warning it says nothing more */
	for (guint i = 0; i < c->signals->len; i++) {
		const RgSignal *s = &g_array_index(c->signals, RgSignal, i);
		if (s->code == RG_REASON_SIBLING || s->score >= RG_SCORE_WARN)
			return;
	}
	rg_check_add(c,
	             RG_REASON_FIRST_CONTACT,
	             RG_SCORE_FIRST_CONTACT,
	             /* TRANSLATORS: %s is a domain name */
	             g_strdup_printf(_("You have never written to anyone at %s."), c->domain),
	             NULL);
}

/* address-book: the address is in an address book and still warned about (the address book
 * lost to a typo of a domain known from real mail): say so, since that is why it looked
 * familiar */
void
rg_signal_address_book(RgScorer *self, RgCheck *c)
{
	const RgHistoryEntry *e = c->entry;
	gboolean warned = FALSE;

	if (e == NULL || (e->flags & RG_HISTORY_FLAG_ADDRESS_BOOK) == 0)
		return;
	for (guint i = 0; i < c->signals->len; i++)
		warned |= g_array_index(c->signals, RgSignal, i).score >= RG_SCORE_WARN;
	if (!warned)
		return;
	rg_check_add(c,
	             RG_REASON_ADDRESS_BOOK,
	             RG_SCORE_ADDRESS_BOOK,
	             g_strdup(_("This address is in your address book, but that does not make it "
	                        "right: an address saved with a typo is offered again every time "
	                        "you type the name.")),
	             NULL);
}

/* sent-anyway: the address was flagged before and sent as typed; it is flagged again, and the
 * reason says when, so that nobody takes the earlier send for proof */
void
rg_signal_sent_anyway(RgScorer *self, RgCheck *c, RgVerdict *v)
{
	g_autoptr(GDateTime) when = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autofree char *date = NULL;
	RgLevel level = RG_LEVEL_NOTICE;

	if (c->entry == NULL || c->entry->sent_anyway == 0)
		return;
	if (rg_policy_get_reason_level(self->policy, RG_REASON_SENT_ANYWAY, &level) &&
	    level == RG_LEVEL_OK)
		return;
	/* a store that lost the date */
	if (c->entry->sent_anyway == 1) {
		rg_verdict_add_reason(v,
		                      RG_REASON_SENT_ANYWAY,
		                      level,
		                      RG_SCORE_SENT_ANYWAY,
		                      NULL,
		                      g_strdup(_("You sent to this address anyway before; that "
		                                 "does not make it right.")));
		return;
	}
	when = g_date_time_new_from_unix_local(c->entry->sent_anyway);
	now = g_date_time_new_from_unix_local(
	    (self->env != NULL ? rg_environment_get_real_time(self->env) : g_get_real_time()) /
	    G_USEC_PER_SEC);
	if (when == NULL || now == NULL)
		return;
	date = g_date_time_format(when,
	                          g_date_time_get_year(when) == g_date_time_get_year(now)
	                              /* TRANSLATORS: a date in a sentence, as
	                               * g_date_time_format() writes it: "3 December" */
	                              ? _("%-d %B")
	                              /* TRANSLATORS: a date with its year in a sentence, as
	                               * g_date_time_format() writes it: "3 December 2025" */
	                              : _("%-d %B %Y"));
	if (date == NULL)
		return;
	rg_verdict_add_reason(v,
	                      RG_REASON_SENT_ANYWAY,
	                      level,
	                      RG_SCORE_SENT_ANYWAY,
	                      NULL,
	                      /* TRANSLATORS: %s is a date such as "3 December" */
	                      g_strdup_printf(_("You sent to this address anyway on %s; that "
	                                        "does not make it right."),
	                                      date));
}

/* the second question before trusting a typo of a domain the policy protects or a well-known
 * high-stakes one; NULL when trusting needs none */
char *
rg_signal_trust_warning(RgScorer *self, RgCheck *c)
{
	const RgAnchorInfo *info;
	const RgAnchor *a;
	RgAnchorInfo known = {0};
	RgHighStakes stakes;
	g_autofree char *evidence = NULL;

	if (!rg_check_best_warns(c))
		return NULL;
	info = rg_scorer_anchor_info(self, c->best->anchor);
	a = rg_lookalike_index_get_anchor(self->index, c->best->anchor);
	if (info->protected)
		/* TRANSLATORS: %1$s is a domain typed by the user, %2$s the domain it looks like */
		return g_strdup_printf(_("%1$s looks like %2$s, which your organization's policy "
		                         "protects. Once trusted, mail to %1$s is never checked "
		                         "again."),
		                       c->domain,
		                       a->unicode);
	/* asked of the knowledge itself: the anchor may be the user's own, which no probe
	 * brought in */
	if (self->knowledge == NULL ||
	    !rg_knowledge_lookup_high_stakes(self->knowledge, a->ascii, &stakes))
		return NULL;
	known.stakes_kind = stakes.kind;
	known.organisation = stakes.organisation;
	evidence = rg_scorer_knowledge_evidence(a->unicode, &known);
	/* TRANSLATORS: %1$s is a domain typed by the user, %2$s the domain it looks like, %3$s a
	 * sentence such as "army.mil is a US military domain (US Army)" */
	return g_strdup_printf(_("%1$s looks like %2$s: %3$s. Once trusted, mail to %1$s is "
	                         "never checked again."),
	                       c->domain,
	                       a->unicode,
	                       evidence);
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

/* long-local-part: more octets before the @ than RFC 5321 obliges a server to accept; such
 * mail may bounce, and a part that long is more often something pasted by mistake */
void
rg_signal_long_local_part(RgScorer *self, RgCheck *c)
{
	gsize octets = strlen(rg_address_get_local_part(c->addr));

	if (octets <= RG_LOCAL_PART_MAX_OCTETS)
		return;
	rg_check_add(c,
	             RG_REASON_LONG_LOCAL_PART,
	             RG_SCORE_LONG_LOCAL_PART,
	             /* TRANSLATORS: %1$u is a number of bytes (over 64), %2$u the limit (64) */
	             g_strdup_printf(_("The part before the @ is %1$u bytes long. Mail servers "
	                               "only have to accept %2$u, so this message may bounce."),
	                             (guint)octets,
	                             (guint)RG_LOCAL_PART_MAX_OCTETS),
	             NULL);
}
