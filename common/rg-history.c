/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The in-memory view of who the user corresponds with. The scorer only reads this; the
 * persistent store and the notmuch importer fill it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-private.h"

#define RG_HISTORY_BLOCK 1024 /* entries per allocation */

/* Entries and strings are never removed one by one, so they live in blocks and a string
 * chunk: loading 100,000 addresses must not cost 100,000 mallocs each. */
struct _RgHistory {
	GObject parent_instance;
	/* "local@ascii" → RgHistoryEntry: open addressing, linear probing, at most half full;
	 * a GHashTable cannot be sized up front and spent most of a 100k-address load growing */
	RgHistoryEntry **slots;
	guint *slot_hashes; /* probing compares these without touching the entries */
	guint n_slots;      /* a power of two */
	guint n_addresses;
	GHashTable *domains;      /* ascii domain → RgHistoryDomain */
	GHashTable *local_single; /* lower-case local part → its one RgHistoryDomain (borrowed) */
	GHashTable *local_multi;  /* lower-case local part → GPtrArray of RgHistoryDomain */
	GStringChunk *strings;
	GPtrArray *blocks; /* of RgHistoryEntry[RG_HISTORY_BLOCK] */
	guint block_used;
	gboolean local_indexed; /* the local-part index is built on first use */
	RgHistoryDomain *last_domain;
	guint generation; /* bumped on every change, so indexes know when to update */
	guint epoch;      /* bumped on removals, so indexes know when to rebuild */
};

G_DEFINE_TYPE(RgHistory, rg_history, G_TYPE_OBJECT)

static void
rg_history_finalize(GObject *object)
{
	RgHistory *self = RG_HISTORY(object);
	g_hash_table_unref(self->local_single);
	g_hash_table_unref(self->local_multi);
	g_free(self->slots);
	g_free(self->slot_hashes);
	g_hash_table_unref(self->domains);
	g_ptr_array_unref(self->blocks);
	g_string_chunk_free(self->strings);
	G_OBJECT_CLASS(rg_history_parent_class)->finalize(object);
}

static void
rg_history_class_init(RgHistoryClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_history_finalize;
}

static void
rg_history_init(RgHistory *self)
{
	self->n_slots = 64;
	self->slots = g_new0(RgHistoryEntry *, self->n_slots);
	self->slot_hashes = g_new0(guint, self->n_slots);
	self->domains = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	self->local_single = g_hash_table_new(g_str_hash, g_str_equal);
	self->local_multi =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	self->strings = g_string_chunk_new(64 * 1024);
	self->blocks = g_ptr_array_new_with_free_func(g_free);
	self->block_used = RG_HISTORY_BLOCK;
}

static RgHistoryEntry *
rg_history_new_entry(RgHistory *self)
{
	if (self->block_used == RG_HISTORY_BLOCK) {
		g_ptr_array_add(self->blocks, g_new0(RgHistoryEntry, RG_HISTORY_BLOCK));
		self->block_used = 0;
	}
	return (RgHistoryEntry *)g_ptr_array_index(self->blocks, self->blocks->len - 1) +
	       self->block_used++;
}

static RgHistoryEntry *
rg_history_table_lookup(RgHistory *self, const char *key, guint hash)
{
	guint mask = self->n_slots - 1;

	for (guint i = hash & mask;; i = (i + 1) & mask) {
		RgHistoryEntry *e = self->slots[i];
		if (e == NULL)
			return NULL;
		if (self->slot_hashes[i] == hash && strcmp(e->address, key) == 0)
			return e;
	}
}

static void
rg_history_table_put(RgHistoryEntry **slots, guint *hashes, guint n_slots, RgHistoryEntry *e)
{
	guint mask = n_slots - 1;
	guint i = e->hash & mask;

	while (slots[i] != NULL)
		i = (i + 1) & mask;
	slots[i] = e;
	hashes[i] = e->hash;
}

static void
rg_history_table_resize(RgHistory *self, guint want)
{
	guint n = self->n_slots;
	RgHistoryEntry **slots;
	guint *hashes;

	while (n < want * 2)
		n *= 2;
	if (n == self->n_slots)
		return;
	slots = g_new0(RgHistoryEntry *, n);
	hashes = g_new0(guint, n);
	for (guint i = 0; i < self->n_slots; i++)
		if (self->slots[i] != NULL)
			rg_history_table_put(slots, hashes, n, self->slots[i]);
	g_free(self->slots);
	g_free(self->slot_hashes);
	self->slots = slots;
	self->slot_hashes = hashes;
	self->n_slots = n;
}

void
rg_history_reserve(RgHistory *self, guint n)
{
	rg_history_table_resize(self, self->n_addresses + n);
}

/**
 * rg_history_new:
 *
 * Returns: (transfer full): an empty history
 */
RgHistory *
rg_history_new(void)
{
	return g_object_new(RG_TYPE_HISTORY, NULL);
}

static char *
rg_history_key(const char *local_part, const char *ascii_domain)
{
	g_autofree char *local = g_utf8_strdown(local_part, -1);
	return g_strdup_printf("%s@%s", local, ascii_domain);
}

/* whether a domain counts as known: junk-only evidence never does */
gboolean
rg_history_domain_counts(const RgHistoryDomain *d)
{
	return d != NULL && (d->flags & RG_HISTORY_FLAG_JUNK) == 0;
}

static RgHistoryDomain *
rg_history_ensure_domain(RgHistory *self, const char *ascii, const char *unicode)
{
	RgHistoryDomain *d;

	/* the store hands over the addresses of one domain together */
	if (self->last_domain != NULL && strcmp(self->last_domain->domain, ascii) == 0)
		return self->last_domain;
	d = g_hash_table_lookup(self->domains, ascii);
	if (d == NULL) {
		g_autofree char *converted = NULL;

		d = g_new0(RgHistoryDomain, 1);
		d->domain = g_string_chunk_insert(self->strings, ascii);
		if (unicode == NULL && strstr(ascii, "xn--") != NULL)
			unicode = converted = g_hostname_to_unicode(ascii);
		d->domain_unicode = unicode != NULL && strcmp(unicode, ascii) != 0
		                        ? g_string_chunk_insert(self->strings, unicode)
		                        : d->domain;
		d->flags = RG_HISTORY_FLAG_JUNK; /* cleared by the first real evidence */
		g_hash_table_insert(self->domains, d->domain, d);
	}
	self->last_domain = d;
	return d;
}

/* remembers that @local (NUL-terminated, lower-case) is known at @d */
static void
rg_history_index_local(RgHistory *self, const char *local, RgHistoryDomain *d)
{
	GPtrArray *doms = g_hash_table_lookup(self->local_multi, local);
	gpointer key = NULL;
	gpointer single = NULL;

	if (doms != NULL) {
		if (!g_ptr_array_find(doms, d, NULL))
			g_ptr_array_add(doms, d);
		return;
	}
	if (!g_hash_table_lookup_extended(self->local_single, local, &key, &single)) {
		g_hash_table_insert(
		    self->local_single, g_string_chunk_insert(self->strings, local), d);
		return;
	}
	if (single == d)
		return;
	/* most local parts are known at one domain only: an array only for the others */
	doms = g_ptr_array_sized_new(2);
	g_ptr_array_add(doms, single);
	g_ptr_array_add(doms, d);
	g_hash_table_steal(self->local_single, local);
	g_hash_table_insert(self->local_multi, key, doms);
}

static void
rg_history_index_entry(RgHistory *self, const char *address, gsize local_len, RgHistoryDomain *d)
{
	char buf[128];
	char *local = local_len < sizeof buf ? buf : g_malloc(local_len + 1);

	memcpy(local, address, local_len);
	local[local_len] = '\0';
	rg_history_index_local(self, local, d);
	if (local != buf)
		g_free(local);
}

/* The local-part index serves only the lookalike check of unknown domains, so it is built
 * when first asked for, not at load: a start-up with 100,000 addresses stays fast. */
static void
rg_history_ensure_local_index(RgHistory *self)
{
	if (self->local_indexed)
		return;
	for (guint b = 0; b < self->blocks->len; b++) {
		RgHistoryEntry *block = g_ptr_array_index(self->blocks, b);
		guint n = b + 1 == self->blocks->len ? self->block_used : RG_HISTORY_BLOCK;
		for (guint i = 0; i < n; i++) {
			const char *at = strrchr(block[i].address, '@');
			rg_history_index_entry(self,
			                       block[i].address,
			                       at - block[i].address,
			                       g_hash_table_lookup(self->domains, at + 1));
		}
	}
	self->local_indexed = TRUE;
}

/* the strongest kind of evidence the counts and flags of one address make */
static RgEvidence
rg_history_compute_evidence(const RgHistoryEntry *e)
{
	gboolean anyway = e->sent_anyway != 0;

	if ((e->flags & (RG_HISTORY_FLAG_IDENTITY | RG_HISTORY_FLAG_KNOWN)) != 0)
		return RG_EVIDENCE_SENT;
	/* what the user sent anyway says nothing for the address: only others' mail does */
	if (e->sent > 0 && !anyway)
		return RG_EVIDENCE_SENT;
	if (e->received > 0)
		return RG_EVIDENCE_RECEIVED;
	if (anyway)
		return RG_EVIDENCE_NONE;
	if ((e->flags & RG_HISTORY_FLAG_ADDRESS_BOOK) != 0)
		return RG_EVIDENCE_ADDRESS_BOOK;
	if (e->confirmed > 0)
		return RG_EVIDENCE_CONFIRMED;
	return RG_EVIDENCE_NONE;
}

RgEvidence
rg_history_entry_get_evidence(const RgHistoryEntry *e)
{
	return e != NULL && (e->flags & RG_HISTORY_FLAG_JUNK) == 0 ? e->evidence : RG_EVIDENCE_NONE;
}

RgEvidence
rg_history_domain_get_evidence(const RgHistoryDomain *d)
{
	return rg_history_domain_counts(d) ? d->evidence : RG_EVIDENCE_NONE;
}

/* what an address lends its domain: an address book vouches for its entry only, so that a
 * contact saved at army.ml does not make every address there look right */
static RgEvidence
rg_history_entry_domain_evidence(const RgHistoryEntry *e)
{
	RgEvidence evidence = rg_history_entry_get_evidence(e);
	return evidence == RG_EVIDENCE_ADDRESS_BOOK ? RG_EVIDENCE_NONE : evidence;
}

/* the domain's evidence is the strongest of its addresses'; an address only ever gains
 * evidence, except when it is sent anyway, which makes its domain's figure again */
static void
rg_history_update_domain(RgHistory *self, RgHistoryDomain *d, const RgHistoryEntry *e)
{
	if ((d->flags & RG_HISTORY_FLAG_IDENTITY) != 0)
		d->evidence = RG_EVIDENCE_SENT;
	d->evidence = MAX(d->evidence, rg_history_entry_domain_evidence(e));
	d->written |= e->sent > 0 || e->confirmed > 0;
}

/* counts stop at the largest value: a store edited to hold huge ones must not wrap a
 * domain round to "never written" */
static void
rg_count_add(guint *count, guint n)
{
	*count = n > G_MAXUINT - *count ? G_MAXUINT : *count + n;
}

/* @key is "local@ascii" with the local part lower-cased; @local_len is the length of the
 * local part in it */
static RgHistoryEntry *
rg_history_merge_key(RgHistory *self,
                     const char *key,
                     gsize local_len,
                     const char *unicode,
                     guint sent,
                     guint received,
                     RgHistoryFlags flags)
{
	const char *ascii = key + local_len + 1;
	guint hash = g_str_hash(key);
	RgHistoryEntry *e = rg_history_table_lookup(self, key, hash);
	RgHistoryDomain *d = rg_history_ensure_domain(self, ascii, unicode);
	gboolean junk = (flags & RG_HISTORY_FLAG_JUNK) != 0;

	if (e == NULL) {
		e = rg_history_new_entry(self);
		e->address = g_string_chunk_insert(self->strings, key);
		e->flags = RG_HISTORY_FLAG_JUNK;
		e->hash = hash;
		rg_history_table_resize(self, self->n_addresses + 1);
		rg_history_table_put(self->slots, self->slot_hashes, self->n_slots, e);
		self->n_addresses++;
		d->n_addresses++;
		if (self->local_indexed)
			rg_history_index_entry(self, e->address, local_len, d);
	}
	/* what only junk shows is no evidence */
	if (!junk) {
		/* with no counts and no kind, a known correspondent (a known file) */
		if (sent == 0 && received == 0 &&
		    (flags & (RG_HISTORY_FLAG_TRUSTED | RG_HISTORY_FLAG_IDENTITY |
		              RG_HISTORY_FLAG_CONFIRMED | RG_HISTORY_FLAG_ADDRESS_BOOK)) == 0)
			flags |= RG_HISTORY_FLAG_KNOWN;
		if ((flags & RG_HISTORY_FLAG_CONFIRMED) != 0) {
			rg_count_add(&e->confirmed, sent);
			rg_count_add(&d->confirmed, sent);
		} else {
			rg_count_add(&e->sent, sent);
			rg_count_add(&d->sent, sent);
		}
		rg_count_add(&e->received, received);
		rg_count_add(&d->received, received);
		e->flags &= ~RG_HISTORY_FLAG_JUNK;
		d->flags &= ~RG_HISTORY_FLAG_JUNK;
		e->flags |= flags & (RG_HISTORY_FLAG_TRUSTED | RG_HISTORY_FLAG_IDENTITY |
		                     RG_HISTORY_FLAG_KNOWN | RG_HISTORY_FLAG_ADDRESS_BOOK);
		d->flags |= flags & RG_HISTORY_FLAG_IDENTITY;
		e->evidence = rg_history_compute_evidence(e);
		rg_history_update_domain(self, d, e);
	}
	self->generation++;
	return e;
}

/* the domain's evidence after one of its addresses lost its own: the strongest of the rest */
static void
rg_history_recompute_domain(RgHistory *self, RgHistoryDomain *d)
{
	g_autofree char *suffix = g_strconcat("@", d->domain, NULL);

	d->evidence =
	    (d->flags & RG_HISTORY_FLAG_IDENTITY) != 0 ? RG_EVIDENCE_SENT : RG_EVIDENCE_NONE;
	for (guint i = 0; i < self->n_slots; i++) {
		const RgHistoryEntry *e = self->slots[i];
		if (e != NULL && g_str_has_suffix(e->address, suffix))
			d->evidence = MAX(d->evidence, rg_history_entry_domain_evidence(e));
	}
}

static void
rg_history_mark_sent_anyway(RgHistory *self, RgHistoryEntry *e, gint64 when)
{
	const char *at = strrchr(e->address, '@');
	RgHistoryDomain *d = g_hash_table_lookup(self->domains, at + 1);
	RgEvidence before = e->evidence;

	e->sent_anyway = MAX(e->sent_anyway, MAX(when, 1));
	e->evidence = rg_history_compute_evidence(e);
	/* the domain held this address's evidence perhaps: find the strongest of the others */
	if (e->evidence < before && d->evidence == before)
		rg_history_recompute_domain(self, d);
	/* a domain known only this way is no longer known: indexes rebuild */
	rg_history_bump_epoch(self);
}

void
rg_history_mark_sent_anyway_normalized(RgHistory *self, const char *address, gint64 when)
{
	const char *at = strrchr(address, '@');
	RgHistoryEntry *e;

	g_return_if_fail(RG_IS_HISTORY(self));
	g_return_if_fail(at != NULL && at != address && at[1] != '\0');
	e = rg_history_table_lookup(self, address, g_str_hash(address));
	if (e == NULL)
		e = rg_history_merge_key(
		    self, address, at - address, NULL, 0, 0, RG_HISTORY_FLAG_JUNK);
	rg_history_mark_sent_anyway(self, e, when);
}

/* the key the store and the in-memory index share: lower-cased local part, "@", A-label
 * domain */
char *
rg_history_normalize(const RgAddress *addr)
{
	return rg_history_key(rg_address_get_local_part(addr), rg_address_get_domain_ascii(addr));
}

static RgHistoryEntry *
rg_history_merge(
    RgHistory *self, const RgAddress *addr, guint sent, guint received, RgHistoryFlags flags)
{
	g_autofree char *key = rg_history_normalize(addr);
	const char *at = strrchr(key, '@');
	return rg_history_merge_key(
	    self, key, at - key, rg_address_get_domain(addr), sent, received, flags);
}

void
rg_history_add_normalized(
    RgHistory *self, const char *address, guint sent, guint received, RgHistoryFlags flags)
{
	const char *at = strrchr(address, '@');

	g_return_if_fail(RG_IS_HISTORY(self));
	g_return_if_fail(at != NULL && at != address && at[1] != '\0');
	(void)rg_history_merge_key(self, address, at - address, NULL, sent, received, flags);
}

/**
 * rg_history_add:
 * @self: an #RgHistory
 * @address: one mailbox
 * @sent: messages the user sent to it
 * @received: messages the user received from it
 * @flags: #RgHistoryFlags: what kind of evidence this is; with %RG_HISTORY_FLAG_JUNK it does
 *   not make the address or its domain known (a spammer must not whitelist a lookalike);
 *   with %RG_HISTORY_FLAG_CONFIRMED @sent counts sends that rcptguard recorded
 * @error: return location for a #GError
 *
 * Adds evidence; adding the same address again sums the counts, and the address's evidence
 * (rg_history_get_evidence()) is the strongest kind it has.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS set when @address is malformed
 */
static RgHistoryEntry *
rg_history_add_entry(RgHistory *self,
                     const char *address,
                     guint sent,
                     guint received,
                     RgHistoryFlags flags,
                     GError **error)
{
	g_autoptr(RgAddress) addr = rg_address_parse(address, error);
	return addr != NULL ? rg_history_merge(self, addr, sent, received, flags) : NULL;
}

gboolean
rg_history_add(RgHistory *self,
               const char *address,
               guint sent,
               guint received,
               RgHistoryFlags flags,
               GError **error)
{
	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(address != NULL, FALSE);
	return rg_history_add_entry(self, address, sent, received, flags, error) != NULL;
}

gboolean
rg_history_add_sent_anyway(RgHistory *self, const char *address, gint64 when, GError **error)
{
	RgHistoryEntry *e;

	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(address != NULL, FALSE);
	e = rg_history_add_entry(self, address, 1, 0, RG_HISTORY_FLAG_CONFIRMED, error);
	if (e == NULL)
		return FALSE;
	rg_history_mark_sent_anyway(self, e, when);
	return TRUE;
}

/**
 * rg_history_get_evidence:
 * @self: an #RgHistory
 * @address_or_domain: an address, or a domain
 *
 * How strongly the history vouches for an address (its own evidence) or a domain (the
 * strongest of its addresses', but for address-book entries, which vouch for their own
 * address only). Trust is not counted: it is a decision, not evidence.
 *
 * Returns: the #RgEvidence; %RG_EVIDENCE_NONE for what is unknown or malformed
 */
RgEvidence
rg_history_get_evidence(RgHistory *self, const char *address_or_domain)
{
	g_autoptr(RgAddress) addr = NULL;
	g_autofree char *unicode = NULL;
	g_autofree char *ascii = NULL;

	g_return_val_if_fail(RG_IS_HISTORY(self), RG_EVIDENCE_NONE);
	g_return_val_if_fail(address_or_domain != NULL, RG_EVIDENCE_NONE);

	if (strchr(address_or_domain, '@') != NULL) {
		addr = rg_address_parse(address_or_domain, NULL);
		return addr != NULL ? rg_history_entry_get_evidence(rg_history_lookup_address(
		                          self,
		                          rg_address_get_local_part(addr),
		                          rg_address_get_domain_ascii(addr)))
		                    : RG_EVIDENCE_NONE;
	}
	if (!rg_address_normalize_domain(address_or_domain, &unicode, &ascii, NULL))
		return RG_EVIDENCE_NONE;
	return rg_history_domain_get_evidence(rg_history_lookup_domain(self, ascii));
}

/**
 * rg_history_add_identity:
 * @self: an #RgHistory
 * @address: one of the user's own addresses
 * @error: return location for a #GError
 *
 * The user's own addresses and their domains are always known.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS set when @address is malformed
 */
gboolean
rg_history_add_identity(RgHistory *self, const char *address, GError **error)
{
	return rg_history_add(self, address, 0, 0, RG_HISTORY_FLAG_IDENTITY, error);
}

/**
 * rg_history_trust_domain:
 * @self: an #RgHistory
 * @domain: a domain the user trusts
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS set when @domain is malformed
 */
gboolean
rg_history_trust_domain(RgHistory *self, const char *domain, GError **error)
{
	g_autofree char *unicode = NULL;
	g_autofree char *ascii = NULL;
	RgHistoryDomain *d;

	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(domain != NULL, FALSE);

	if (!rg_address_normalize_domain(domain, &unicode, &ascii, error))
		return FALSE;
	d = rg_history_ensure_domain(self, ascii, unicode);
	d->flags &= ~RG_HISTORY_FLAG_JUNK;
	d->flags |= RG_HISTORY_FLAG_TRUSTED;
	self->generation++;
	return TRUE;
}

/* the whole of @path, refused unless it is a regular file of at most @max bytes: a device
 * (/dev/zero) or a FIFO would read forever or block the mail client */
static char *
rg_history_read_bounded(const char *path, gsize max, gsize *len, GError **error)
{
	g_autofree char *buf = NULL;
	struct stat st;
	gsize got = 0;
	int fd;

	/* non-blocking, so that opening a FIFO with no writer returns at once */
	fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0) {
		int errsv = errno;
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: %s", path, g_strerror(errsv));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((guint64)st.st_size > max) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "cannot read %s: too large (%" G_GUINT64_FORMAT
		            " bytes; at most %" G_GSIZE_FORMAT ")",
		            path,
		            (guint64)st.st_size,
		            max);
		close(fd);
		return NULL;
	}
	/* one byte more than allowed tells a file that grew since the stat */
	buf = g_malloc((gsize)st.st_size + 2);
	while (got <= (gsize)st.st_size) {
		gssize n = read(fd, buf + got, (gsize)st.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_IO,
			            "cannot read %s: %s",
			            path,
			            g_strerror(errsv));
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		got += (gsize)n;
	}
	close(fd);
	if (got > (gsize)st.st_size) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: it changed while read", path);
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return g_steal_pointer(&buf);
}

/**
 * rg_history_load_known_file:
 * @self: an #RgHistory
 * @path: a text file with one address per line; `#` starts a comment
 * @error: return location for a #GError
 *
 * Adds every address as a known correspondent (%RG_HISTORY_FLAG_KNOWN). Nothing is added when
 * a line is malformed (no address list, not UTF-8, or holding a NUL byte): the error names
 * the file and line. Only a regular file of at most %RG_HISTORY_MAX_KNOWN_FILE bytes is read.
 *
 * Returns: %FALSE with %RG_ERROR_IO or %RG_ERROR_INVALID_DATA set on failure
 */
gboolean
rg_history_load_known_file(RgHistory *self, const char *path, GError **error)
{
	g_autofree char *contents = NULL;
	g_autoptr(GPtrArray) parsed =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	guint lineno = 0;

	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	contents = rg_history_read_bounded(path, RG_HISTORY_MAX_KNOWN_FILE, &len, error);
	if (contents == NULL)
		return FALSE;
	/* line by line with the real length: a NUL byte must not end the file early */
	for (const char *p = contents; p < contents + len; lineno++) {
		const char *nl = memchr(p, '\n', (gsize)(contents + len - p));
		gsize n = nl != NULL ? (gsize)(nl - p) : (gsize)(contents + len - p);
		g_autofree char *line = NULL;
		g_autoptr(GPtrArray) addrs = NULL;
		char *hash;

		if (memchr(p, '\0', n) != NULL) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_DATA,
			            "%s:%u: the line holds a NUL byte",
			            path,
			            lineno + 1);
			return FALSE;
		}
		line = g_strndup(p, n);
		p += n + 1;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		g_strstrip(line);
		if (line[0] == '\0')
			continue;
		addrs = rg_address_list_parse(line, &error_local);
		if (addrs == NULL) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_DATA,
			            "%s:%u: %s",
			            path,
			            lineno + 1,
			            error_local->message);
			return FALSE;
		}
		g_ptr_array_extend_and_steal(parsed, g_steal_pointer(&addrs));
	}
	for (guint i = 0; i < parsed->len; i++)
		rg_history_merge(self, g_ptr_array_index(parsed, i), 0, 0, RG_HISTORY_FLAG_KNOWN);
	return TRUE;
}

/**
 * rg_history_get_n_addresses:
 * @self: an #RgHistory
 *
 * Returns: how many distinct addresses are held
 */
guint
rg_history_get_n_addresses(RgHistory *self)
{
	g_return_val_if_fail(RG_IS_HISTORY(self), 0);
	return self->n_addresses;
}

/**
 * rg_history_get_n_domains:
 * @self: an #RgHistory
 *
 * Returns: how many distinct domains are held
 */
guint
rg_history_get_n_domains(RgHistory *self)
{
	g_return_val_if_fail(RG_IS_HISTORY(self), 0);
	return g_hash_table_size(self->domains);
}

const RgHistoryEntry *
rg_history_lookup_address(RgHistory *self, const char *local_part, const char *ascii_domain)
{
	g_autofree char *key = rg_history_key(local_part, ascii_domain);
	return rg_history_table_lookup(self, key, g_str_hash(key));
}

const RgHistoryDomain *
rg_history_lookup_domain(RgHistory *self, const char *ascii_domain)
{
	return g_hash_table_lookup(self->domains, ascii_domain);
}

/* Returns: (transfer container) (element-type RgHistoryDomain): every domain, borrowed */
GPtrArray *
rg_history_get_domains(RgHistory *self)
{
	GPtrArray *out = g_ptr_array_sized_new(g_hash_table_size(self->domains));
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->domains);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(out, value);
	return out;
}

/* Returns: (transfer none) (nullable): the domains where @local_part is known */
GPtrArray *
rg_history_domains_for_local_part(RgHistory *self, const char *local_part)
{
	g_autofree char *local = g_utf8_strdown(local_part, -1);
	GPtrArray *doms;
	gpointer key = NULL;
	gpointer single = NULL;

	rg_history_ensure_local_index(self);
	doms = g_hash_table_lookup(self->local_multi, local);
	if (doms != NULL)
		return doms;
	if (!g_hash_table_lookup_extended(self->local_single, local, &key, &single))
		return NULL;
	/* the caller wants an array that lives as long as the history: make it now */
	doms = g_ptr_array_sized_new(1);
	g_ptr_array_add(doms, single);
	g_hash_table_steal(self->local_single, local);
	g_hash_table_insert(self->local_multi, key, doms);
	return doms;
}

guint
rg_history_get_generation(RgHistory *self)
{
	return self->generation;
}

/* Returns: (transfer container) (element-type utf8): every normalised address, borrowed */
GPtrArray *
rg_history_get_address_keys(RgHistory *self)
{
	GPtrArray *out = g_ptr_array_sized_new(self->n_addresses);

	for (guint i = 0; i < self->n_slots; i++)
		if (self->slots[i] != NULL)
			g_ptr_array_add(out, self->slots[i]->address);
	return out;
}

guint
rg_history_get_epoch(RgHistory *self)
{
	return self->epoch;
}

void
rg_history_bump_epoch(RgHistory *self)
{
	self->epoch++;
	self->generation++;
}
