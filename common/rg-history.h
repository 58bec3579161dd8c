/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_TYPE_HISTORY (rg_history_get_type())
RG_API G_DECLARE_FINAL_TYPE(RgHistory, rg_history, RG, HISTORY, GObject)

    /**
     * RgEvidence:
     * @RG_EVIDENCE_NONE: nothing vouches for it: unknown, seen only on junk, or only sent to
     *   with "Send Anyway" while it was flagged
     * @RG_EVIDENCE_CONFIRMED: only sends that rcptguard recorded, which the user confirmed
     *   through a front end: the weakest kind. It keeps a routine first contact from being
     *   announced again, but never silences a warning, and a domain known only this way is
     *   never held up as the right one against a domain that the built-in knowledge, the
     *   policy or stronger evidence supports.
     * @RG_EVIDENCE_ADDRESS_BOOK: an entry in one of the user's address books; it vouches for
     *   that address only, never for the others at its domain
     * @RG_EVIDENCE_RECEIVED: mail received from it that was not junk
     * @RG_EVIDENCE_SENT: mail the user really sent to it (from one of their identities), a
     *   known correspondent the user named, or one of the user's own addresses: the strongest
     *
     * How strongly the user's own history vouches for an address or a domain, weakest first,
     * so that evidence can be compared with `<`. A typo signal against a domain with stronger
     * evidence outweighs a weaker vouch for the typed one: one message received from
     * win@army-mil.com does not vouch for army-mil.com against army.mil, where the user writes
     * every day. The built-in knowledge ranks between %RG_EVIDENCE_CONFIRMED and
     * %RG_EVIDENCE_ADDRESS_BOOK: it is weaker than anything the user's own mail shows. An
     * explicit trust is no evidence but a decision: it silences the address or domain
     * (%RG_HISTORY_FLAG_TRUSTED).
     */
    typedef enum {
	    RG_EVIDENCE_NONE,
	    RG_EVIDENCE_CONFIRMED,
	    RG_EVIDENCE_ADDRESS_BOOK,
	    RG_EVIDENCE_RECEIVED,
	    RG_EVIDENCE_SENT,
    } RgEvidence;

/**
 * RgHistoryFlags:
 * @RG_HISTORY_FLAG_NONE: nothing special; with no counts, a known correspondent
 *   (%RG_HISTORY_FLAG_KNOWN)
 * @RG_HISTORY_FLAG_TRUSTED: the user trusted this address or domain explicitly
 * @RG_HISTORY_FLAG_IDENTITY: one of the user's own addresses
 * @RG_HISTORY_FLAG_JUNK: only seen on mail the user marked as spam or deleted; the counts are
 *   no evidence and the address never counts as known
 * @RG_HISTORY_FLAG_CONFIRMED: the sends counted are ones rcptguard recorded
 *   (%RG_EVIDENCE_CONFIRMED), not mail the user's mail store shows
 * @RG_HISTORY_FLAG_KNOWN: a known correspondent the user named (a known-correspondents file),
 *   as strong as mail sent
 * @RG_HISTORY_FLAG_ADDRESS_BOOK: an entry in one of the user's address books
 *   (%RG_EVIDENCE_ADDRESS_BOOK, for this address only)
 *
 * What one piece of evidence passed to rg_history_add() is.
 */
typedef enum {
	RG_HISTORY_FLAG_NONE = 0,
	RG_HISTORY_FLAG_TRUSTED = 1 << 0,
	RG_HISTORY_FLAG_IDENTITY = 1 << 1,
	RG_HISTORY_FLAG_JUNK = 1 << 2,
	RG_HISTORY_FLAG_CONFIRMED = 1 << 3,
	RG_HISTORY_FLAG_KNOWN = 1 << 4,
	RG_HISTORY_FLAG_ADDRESS_BOOK = 1 << 5,
} RgHistoryFlags;

RG_API RgHistory *rg_history_new(void);
RG_API gboolean rg_history_add(RgHistory *self,
                               const char *address,
                               guint sent,
                               guint received,
                               RgHistoryFlags flags,
                               GError **error);
RG_API gboolean rg_history_add_identity(RgHistory *self, const char *address, GError **error);
RG_API gboolean rg_history_trust_domain(RgHistory *self, const char *domain, GError **error);
RG_API gboolean rg_history_load_known_file(RgHistory *self, const char *path, GError **error);
RG_API guint rg_history_get_n_addresses(RgHistory *self);
RG_API guint rg_history_get_n_domains(RgHistory *self);
RG_API RgEvidence rg_history_get_evidence(RgHistory *self, const char *address_or_domain);

G_END_DECLS
