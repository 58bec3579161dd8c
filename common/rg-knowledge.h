/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: the built-in knowledge shipped as data files (common/data/, compiled at build time
 * and installed under $datadir/rcptguard): high-stakes namespaces, their well-known domains,
 * popular mail providers with a rank. Read-only once loaded, so one instance may serve several
 * threads. */

typedef struct _RgKnowledge RgKnowledge;

/* a well-known domain under a restricted TLD; every string is owned by the RgKnowledge */
typedef struct {
	const char *domain;       /* the entry that matched: "army.mil" for "hq.army.mil" */
	const char *tld;          /* "mil", "gov", "edu" or "int" */
	const char *kind;         /* "us-military", "us-federal", "education", "international" */
	const char *organisation; /* a proper name, English, no article: "US Army" */
} RgHighStakes;

/* a listed mail provider; typo_of is owned by the RgKnowledge */
typedef struct {
	guint rank;          /* 1 is the most popular */
	guint band;          /* 1-2 hand-curated, 3-5 by how many lists carry it */
	const char *typo_of; /* (nullable) the far more popular domain this entry is a typo of */
} RgProvider;

/* a domain found under a look-alike key: a well-known one (@stakes) or a provider */
typedef struct {
	const char *domain;
	const RgHighStakes *stakes; /* (nullable) */
	const RgProvider *provider; /* (nullable) */
	gconstpointer entry;        /* the same for every visit of the same entry */
} RgCandidate;

typedef void (*RgProviderFunc)(const char *domain, const RgProvider *provider, gpointer user_data);
typedef void (*RgCandidateFunc)(const RgCandidate *candidate, gpointer user_data);
typedef gboolean (*RgCandidateFilter)(const char *domain, gpointer user_data);
typedef void (*RgHighStakesFunc)(const RgHighStakes *entry, gpointer user_data);

RgKnowledge *rg_knowledge_new(const char *data_dir, GError **error);
RgKnowledge *rg_knowledge_ref(RgKnowledge *self);
void rg_knowledge_free(RgKnowledge *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgKnowledge, rg_knowledge_free)

const char *rg_knowledge_get_default_dir(void);
const char *rg_knowledge_get_provenance(RgKnowledge *self);

gboolean
rg_knowledge_lookup_high_stakes(RgKnowledge *self, const char *ascii_domain, RgHighStakes *entry);
const char *rg_knowledge_get_restricted_tld(RgKnowledge *self, const char *ascii_domain);
const char *rg_knowledge_get_tld_kind(RgKnowledge *self, const char *restricted_tld);
const char *const *rg_knowledge_get_cctld_neighbours(RgKnowledge *self, const char *restricted_tld);
const char *const *rg_knowledge_get_restricted_for_cctld(RgKnowledge *self, const char *cctld);
gboolean rg_knowledge_get_neighbour_notice(RgKnowledge *self, const char *restricted_tld);

gboolean
rg_knowledge_lookup_provider(RgKnowledge *self, const char *ascii_domain, RgProvider *provider);
guint rg_knowledge_get_provider_rank(RgKnowledge *self, const char *ascii_domain);
void rg_knowledge_foreach_provider(RgKnowledge *self,
                                   guint max_band,
                                   RgProviderFunc func,
                                   gpointer user_data);
void rg_knowledge_foreach_high_stakes(RgKnowledge *self, RgHighStakesFunc func, gpointer user_data);
guint rg_knowledge_foreach_candidate(RgKnowledge *self,
                                     const char *key,
                                     RgCandidateFilter filter,
                                     RgCandidateFunc func,
                                     gpointer user_data);
