/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: the scorer's parts. rg-scorer.c holds the object, the index of known domains
 * and the pipeline that runs the signals for each recipient; rg-scorer-signals.c holds one
 * function per signal, with its scores and messages. */

#include "rg-address.h"
#include "rg-confusable.h"
#include "rg-domain.h"
#include "rg-environment.h"
#include "rg-history-private.h"
#include "rg-knowledge.h"
#include "rg-lookalike.h"
#include "rg-policy.h"
#include "rg-reasons.h"
#include "rg-report-private.h"
#include "rg-scorer.h"

/* What vouches for a domain, weakest first: the user's evidence (RgEvidence) with the built-in
 * knowledge in its place between a confirmed send and an address-book entry, and the policy's
 * protected domains and the user's own ones at the top. A typo signal against an anchor counts
 * only when the anchor stands higher than the typed domain. */
typedef enum {
	RG_STANDING_NONE,
	RG_STANDING_CONFIRMED, /* only sends rcptguard recorded, or the user's trust */
	RG_STANDING_KNOWLEDGE, /* a well-known domain, or a listed provider */
	RG_STANDING_ADDRESS_BOOK,
	RG_STANDING_RECEIVED,
	RG_STANDING_SENT, /* also: protected by the policy, one of the user's own domains */
} RgStanding;

/* the most popular providers (hand-curated bands): two of them are never typos of each other */
#define RG_PROVIDER_BAND_POPULAR 2
/* the least popular band whose domains a typed one is compared with */
#define RG_PROVIDER_BAND_ANCHOR 3

/* what the index knows about one anchor (a known, protected or well-known domain) */
typedef struct {
	guint sent; /* every kind of send, for the messages */
	guint received;
	guint n_addresses;
	gboolean known;      /* in the history */
	RgEvidence evidence; /* what the history shows */
	gboolean protected;
	gboolean identity;
	gboolean trusted; /* the user trusts the whole domain */
	/* the built-in knowledge; the strings belong to it */
	guint provider_band; /* 0: not a provider (listed typos never count) */
	guint provider_rank;
	const char *stakes_kind; /* (nullable) a well-known domain's kind: "us-military" */
	const char *organisation;
} RgAnchorInfo;

struct _RgScorer {
	GObject parent_instance;
	RgHistory *history;
	RgPolicy *policy;
	RgDomains *domains;
	RgConfusable *confusable;
	RgKnowledge *knowledge;      /* nullable: no built-in knowledge */
	RgEnvironment *env;          /* nullable: its clock dates what is shown */
	RgLookalikeIndex *index;     /* history, policy, and the knowledge a check has needed */
	GArray *infos;               /* anchor id → RgAnchorInfo */
	GHashTable *registrable;     /* registrable domain → GUINT_TO_POINTER(RgEvidence + 1) */
	GHashTable *tld_use;         /* TLD → GUINT_TO_POINTER(1 history, 2 protected, 3 both) */
	GHashTable *tld_weight;      /* TLD → how many listed domains use it; made on first use */
	GHashTable *knowledge_added; /* the knowledge's entries in the index (RgCandidate.entry) */
	GHashTable *knowledge_probed; /* "ascii\x1funicode" of the domains probed already */
	guint generation;
	guint epoch;
	gboolean index_ready;
};

/* bits of RgScorer.tld_use */
#define RG_TLD_USED_IN_HISTORY 1
#define RG_TLD_USED_BY_POLICY 2

/* a reason waiting to be added: the scorer keeps the strongest per code */
typedef struct {
	RgReasonCode code;
	guint score;
	char *message;
	char *suggestion_domain;
} RgSignal;

/* one recipient being checked: what every signal looks at, and what they found */
typedef struct {
	const RgAddress *addr;
	const RgHistoryEntry *entry; /* nullable: the address in the history */
	RgEvidence evidence;         /* what the user's history shows for the recipient */
	RgStanding standing;         /* the evidence, or the knowledge when that is higher */
	gboolean written;            /* the user sent to the address or its domain before */
	guint provider_band;         /* of the typed domain; 0 when not a listed provider */
	const char *ascii;           /* the domain, A-labels */
	const char *domain;          /* the domain, Unicode */
	const char *local;
	const char *tld;
	const char *suffix;              /* the public suffix */
	gboolean tld_known;              /* the TLD exists */
	GHashTable *message_domains;     /* ASCII domain → how many recipients of the message */
	RgLookalikeIndex *message_index; /* nullable: the message's other unknown domains */
	GArray *matches;                 /* RgMatch: known domains this one resembles */
	const RgMatch *best;             /* nullable: the strongest of them */
	guint best_score;
	GArray *signals; /* RgSignal */
} RgCheck;

const RgAnchorInfo *rg_scorer_anchor_info(RgScorer *self, guint anchor);
RgStanding rg_scorer_anchor_standing(const RgAnchorInfo *info);
gboolean rg_scorer_anchor_only_knowledge(const RgAnchorInfo *info);
/* judges only the last of @addresses (RgAddress), the others being the rest of its message */
RgReport *rg_scorer_check_last(RgScorer *self, GPtrArray *addresses);
gboolean rg_scorer_domain_is_known(RgScorer *self, const char *ascii, const char *unicode);
/* the TLD one edit from @tld that the user, the policy or (failing those, when it clearly
 * wins) the built-in knowledge uses most, or NULL */
const char *rg_scorer_nearest_tld(RgScorer *self, const char *tld);

/* the domain to suggest instead of @fix (Unicode form) when @fix looks like a domain that
 * stands higher at @min_score or more, @fix when it does not, NULL when it cannot be suggested */
char *rg_scorer_settle_fix(RgScorer *self, const RgCheck *c, const char *fix, guint min_score);

void rg_scorer_set_knowledge(RgScorer *self, RgKnowledge *knowledge);
void rg_scorer_set_environment(RgScorer *self, RgEnvironment *env);
void rg_check_add(RgCheck *c, RgReasonCode code, guint score, char *message, const char *fix);
void rg_signal_clear(RgSignal *s);

/* whether the look-alike found is convincing on its own: it warns */
static inline gboolean
rg_check_best_warns(const RgCheck *c)
{
	return c->best != NULL && c->best_score >= RG_SCORE_WARN;
}

/* the signals, in the order the pipeline runs them (rg-scorer-signals.c) */
void rg_signal_policy_block(RgScorer *self, RgCheck *c);
void rg_signal_lookalike(RgScorer *self, RgCheck *c);
void rg_signal_unknown_tld(RgScorer *self, RgCheck *c);
void rg_signal_mixed_script(RgScorer *self, RgCheck *c);
void rg_signal_risky_tld(RgScorer *self, RgCheck *c);
void rg_signal_known_local_part(RgScorer *self, RgCheck *c);
void rg_signal_same_message(RgScorer *self, RgCheck *c);
void rg_signal_sibling(RgScorer *self, RgCheck *c);
void rg_signal_near_restricted_tld(RgScorer *self, RgCheck *c);
void rg_signal_first_contact(RgScorer *self, RgCheck *c);
void rg_signal_address_book(RgScorer *self, RgCheck *c);
void rg_signal_hidden_character(RgScorer *self, RgCheck *c);
void rg_signal_long_local_part(RgScorer *self, RgCheck *c);
void rg_signal_sent_anyway(RgScorer *self, RgCheck *c, RgVerdict *v);
char *rg_signal_trust_warning(RgScorer *self, RgCheck *c);

/* how strongly a match suggests a typo of its anchor; @local adds weight when the person is
 * known there. Never blocks on its own. */
guint rg_scorer_match_score(RgScorer *self, const RgMatch *m, const char *local);
