/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-address.h"
#include "rg-history.h"

/* per registrable-or-full domain, summed over its addresses */
typedef struct {
	char *domain; /* ASCII form, the key */
	char *domain_unicode;
	guint sent;
	guint received;
	guint n_addresses;
	RgHistoryFlags flags;
	/* known from real mail, a known-correspondents file, an identity or the user's trust
	 * in the whole domain; not only from confirmed sends or trusted single addresses */
	gboolean strong;
} RgHistoryDomain;

typedef struct {
	char *address; /* local@ascii-domain, local part lower-cased */
	guint hash;    /* of address, for the address table */
	guint sent;
	guint received;
	RgHistoryFlags flags;
	/* known from real mail, a known-correspondents file or as an identity; not only from
	 * an address book, confirmed sends or trust */
	gboolean strong;
} RgHistoryEntry;

const RgHistoryEntry *
rg_history_lookup_address(RgHistory *self, const char *local_part, const char *ascii_domain);
const RgHistoryDomain *rg_history_lookup_domain(RgHistory *self, const char *ascii_domain);
GPtrArray *rg_history_get_domains(RgHistory *self);
/* room for @n more addresses, so that a bulk load does not grow the table step by step */
void rg_history_reserve(RgHistory *self, guint n);
GPtrArray *rg_history_domains_for_local_part(RgHistory *self, const char *local_part);
guint rg_history_get_generation(RgHistory *self);
/* bumped when something is removed or made less known; indexes then rebuild instead of
 * adding what is new */
guint rg_history_get_epoch(RgHistory *self);
void rg_history_bump_epoch(RgHistory *self);
gboolean rg_history_domain_counts(const RgHistoryDomain *d);

/* fast path for the store: @address is already normalised (local part lower-cased,
 * "@", ASCII domain), as rg_history_normalize() makes it */
void rg_history_add_normalized(
    RgHistory *self, const char *address, guint sent, guint received, RgHistoryFlags flags);
char *rg_history_normalize(const RgAddress *addr);
GPtrArray *rg_history_get_address_keys(RgHistory *self);
