/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "rg-confusable.h"
#include "rg-domain.h"

/* internal: how a typed domain differs from a known one, and an index that finds the known
 * domains a typed one may have been meant as without scanning them all */

typedef enum {
	RG_SIMILAR_NONE,
	RG_SIMILAR_TLD_SWAP,
	RG_SIMILAR_OMISSION,
	RG_SIMILAR_ADDITION,
	RG_SIMILAR_INSERTION,
	RG_SIMILAR_REPLACEMENT,
	RG_SIMILAR_TRANSPOSITION,
	RG_SIMILAR_REPETITION,
	RG_SIMILAR_BITSQUATTING,
	RG_SIMILAR_VOWEL_SWAP,
	RG_SIMILAR_HYPHENATION,
	RG_SIMILAR_SUBDOMAIN,
	RG_SIMILAR_EMBEDDING,
	RG_SIMILAR_AFFIX,
	RG_SIMILAR_HOMOGLYPH,
	RG_SIMILAR_CONFUSABLE,
} RgSimilarKind;

typedef struct {
	char *ascii;
	char *unicode;
	char *name;   /* everything before the public suffix: "us.navy" */
	char *label;  /* the last label of name: "navy" */
	char *suffix; /* the public suffix: "mil" */
	gpointer data;
} RgAnchor;

typedef struct {
	guint anchor;
	RgSimilarKind kind;
	gboolean keyboard;    /* replacement or insertion by a neighbouring key */
	gboolean suffix_near; /* TLD swap: suffix one edit or one label away */
	gboolean same_sub;    /* the labels left of the matched one agree too */
	gboolean separated;   /* affix: the extra word is set off by a hyphen */
	char affix[64];       /* the extra word, for RG_SIMILAR_AFFIX */
} RgMatch;

typedef struct _RgLookalikeIndex RgLookalikeIndex;

/* the longest label the index looks into; longer ones are only matched whole */
#define RG_LOOKALIKE_MAX_LABEL 256

/* what a key of a known domain stands for (rg_lookalike_anchor_keys()) */
typedef enum {
	RG_LOOKALIKE_KEY_NAME,     /* everything before the public suffix */
	RG_LOOKALIKE_KEY_LABEL,    /* the last label of the name */
	RG_LOOKALIKE_KEY_DELETION, /* the label, or the label with one character deleted */
	RG_LOOKALIKE_KEY_DERIVED,  /* the name run into the suffix: armymil, army-mil */
} RgLookalikeKeyKind;

typedef void (*RgLookalikeKeyFunc)(RgLookalikeKeyKind kind, const char *key, gpointer user_data);

/* one key to look up for a typed domain, and what a domain found under it must be like to be
 * a candidate (rg_lookalike_probe_fits()) */
typedef enum {
	RG_LOOKALIKE_PROBE_ANY,      /* the same name or label, or a derived form */
	RG_LOOKALIKE_PROBE_ONE_EDIT, /* one edit of the label, under the same suffix */
	RG_LOOKALIKE_PROBE_FOLD,     /* the same letters after folding, or one off, same suffix */
} RgLookalikeProbeKind;

typedef struct {
	RgLookalikeProbeKind kind;
	const char *key;
	const char *label;  /* of the typed domain */
	const char *suffix; /* of the typed domain */
} RgLookalikeProbe;

typedef void (*RgLookalikeProbeFunc)(const RgLookalikeProbe *probe, gpointer user_data);

void rg_lookalike_anchor_keys(const char *name,
                              const char *label,
                              const char *suffix,
                              RgLookalikeKeyFunc func,
                              gpointer user_data);
void rg_lookalike_probe_keys(RgDomains *domains,
                             RgConfusable *confusable,
                             const char *ascii,
                             const char *unicode,
                             RgLookalikeProbeFunc func,
                             gpointer user_data);
gboolean rg_lookalike_probe_fits(const RgLookalikeProbe *probe, const char *candidate_ascii);

RgLookalikeIndex *rg_lookalike_index_new(RgDomains *domains, RgConfusable *confusable);
void rg_lookalike_index_free(RgLookalikeIndex *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgLookalikeIndex, rg_lookalike_index_free)

guint rg_lookalike_index_add(RgLookalikeIndex *self,
                             const char *ascii,
                             const char *unicode,
                             gpointer data);
gboolean rg_lookalike_index_lookup(RgLookalikeIndex *self, const char *ascii, guint *id);
guint rg_lookalike_index_get_n_anchors(RgLookalikeIndex *self);
const RgAnchor *rg_lookalike_index_get_anchor(RgLookalikeIndex *self, guint id);
GArray *rg_lookalike_index_find(RgLookalikeIndex *self, const char *ascii, const char *unicode);

/* building blocks, exposed for tests and the scorer */
RgSimilarKind rg_lookalike_classify_edit(const char *typed, const char *known, gboolean *keyboard);
guint rg_lookalike_damerau(const char *a, const char *b, guint max);
gboolean rg_keyboard_adjacent(char a, char b);
gboolean rg_suffix_is_near(const char *typed, const char *known);
const char *rg_similar_kind_to_string(RgSimilarKind kind);
gboolean rg_similar_is_one_character(RgSimilarKind kind);
