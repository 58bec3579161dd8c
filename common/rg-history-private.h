/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-address.h"
#include "rg-history.h"

/* the largest file of known correspondents read (about a million addresses); a bigger one
 * is a mistake (or /dev/zero), not an address book */
#define RG_HISTORY_MAX_KNOWN_FILE (64 * 1024 * 1024)

/* The evidence model (RgEvidence in rg-history.h): every address keeps its counts per kind
 * of evidence and the strongest kind they make; a domain sums its addresses and takes the
 * strongest of theirs, but for an address book's: an entry vouches for its own address
 * only, never for the others at its domain. An address the user sent to with "Send Anyway" while it
 * was flagged (sent_anyway) gets nothing from its sends, whether rcptguard recorded them or the
 * mail store shows them later (the message sent anyway lands in the Sent folder too): only what
 * others sent from it, or the user's trust, can vouch for it. */

/* per full domain, summed over its addresses */
typedef struct {
	char *domain; /* ASCII form, the key */
	char *domain_unicode;
	guint sent; /* mail the user sent, of every address */
	guint received;
	guint confirmed; /* sends rcptguard recorded */
	guint n_addresses;
	RgHistoryFlags flags; /* TRUSTED: the whole domain; IDENTITY; JUNK while nothing else */
	RgEvidence evidence;  /* the strongest of its addresses' */
	gboolean written;     /* the user sent there, recorded or not, anyway or not */
} RgHistoryDomain;

typedef struct {
	char *address; /* local@ascii-domain, local part lower-cased */
	guint hash;    /* of address, for the address table */
	guint sent;
	guint received;
	guint confirmed;
	gint64 sent_anyway;   /* the last "Send Anyway" while it was flagged, in seconds since the
	                       * epoch; 0 for never */
	RgHistoryFlags flags; /* TRUSTED, IDENTITY, KNOWN, ADDRESS_BOOK; JUNK while nothing else */
	RgEvidence evidence;
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
/* the evidence of an address, and of a domain, without trust (RG_EVIDENCE_NONE for none) */
RgEvidence rg_history_entry_get_evidence(const RgHistoryEntry *e);
RgEvidence rg_history_domain_get_evidence(const RgHistoryDomain *d);
/* counts one more recorded send to @address that the user sent anyway while it was flagged,
 * at @when (seconds since the epoch); @address as rg_history_add() takes it */
gboolean
rg_history_add_sent_anyway(RgHistory *self, const char *address, gint64 when, GError **error);
/* the same for a normalised key, as the store loads it */
void rg_history_mark_sent_anyway_normalized(RgHistory *self, const char *address, gint64 when);

/* fast path for the store: @address is already normalised (local part lower-cased,
 * "@", ASCII domain), as rg_history_normalize() makes it */
void rg_history_add_normalized(
    RgHistory *self, const char *address, guint sent, guint received, RgHistoryFlags flags);
char *rg_history_normalize(const RgAddress *addr);
GPtrArray *rg_history_get_address_keys(RgHistory *self);
