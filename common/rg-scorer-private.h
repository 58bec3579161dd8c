/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: the scorer's parts. rg-scorer.c holds the object, the index of known domains
 * and the pipeline that runs the signals for each recipient; rg-scorer-signals.c holds one
 * function per signal, with its scores and messages. */

#include "rg-address.h"
#include "rg-confusable.h"
#include "rg-domain.h"
#include "rg-history.h"
#include "rg-lookalike.h"
#include "rg-policy.h"
#include "rg-reasons.h"
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
	RgDomains *domains;
	RgConfusable *confusable;
	RgLookalikeIndex *index;
	GArray *infos;           /* anchor id → RgAnchorInfo */
	GHashTable *registrable; /* registrable domain of every known anchor → id + 1 */
	GHashTable *tld_use;     /* TLD → GUINT_TO_POINTER(1 history, 2 protected, 3 both) */
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
	const char *ascii;  /* the domain, A-labels */
	const char *domain; /* the domain, Unicode */
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
/* judges only the last of @addresses (RgAddress), the others being the rest of its message */
RgReport *rg_scorer_check_last(RgScorer *self, GPtrArray *addresses);
gboolean rg_scorer_domain_is_known(RgScorer *self, const char *ascii, const char *unicode);
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
void rg_signal_first_contact(RgScorer *self, RgCheck *c);
void rg_signal_hidden_character(RgScorer *self, RgCheck *c);

/* how strongly a match suggests a typo of its anchor; @local adds weight when the person is
 * known there. Never blocks on its own. */
guint rg_scorer_match_score(RgScorer *self, const RgMatch *m, const char *local);
