/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The in-memory view of who the user corresponds with. The scorer only reads this; the
 * persistent store and the notmuch importer fill it. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-private.h"

struct _RgHistory {
	GObject parent_instance;
	GHashTable *addresses; /* "local@ascii" → RgHistoryEntry */
	GHashTable *domains;   /* ascii domain → RgHistoryDomain */
	GHashTable
	    *local_parts; /* lower-case local part → GPtrArray of RgHistoryDomain (borrowed) */
	guint generation; /* bumped on every change, so indexes know when to update */
	guint epoch;      /* bumped on removals, so indexes know when to rebuild */
};

G_DEFINE_TYPE(RgHistory, rg_history, G_TYPE_OBJECT)

static void
rg_history_entry_free(RgHistoryEntry *e)
{
	g_free(e->address);
	g_free(e);
}

static void
rg_history_domain_free(RgHistoryDomain *d)
{
	g_free(d->domain);
	g_free(d->domain_unicode);
	g_free(d);
}

static void
rg_history_finalize(GObject *object)
{
	RgHistory *self = RG_HISTORY(object);
	g_hash_table_unref(self->local_parts);
	g_hash_table_unref(self->addresses);
	g_hash_table_unref(self->domains);
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
	self->addresses = g_hash_table_new_full(
	    g_str_hash, g_str_equal, NULL, (GDestroyNotify)rg_history_entry_free);
	self->domains = g_hash_table_new_full(
	    g_str_hash, g_str_equal, NULL, (GDestroyNotify)rg_history_domain_free);
	self->local_parts = g_hash_table_new_full(
	    g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
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
	RgHistoryDomain *d = g_hash_table_lookup(self->domains, ascii);
	if (d == NULL) {
		d = g_new0(RgHistoryDomain, 1);
		d->domain = g_strdup(ascii);
		d->domain_unicode = g_strdup(unicode);
		d->flags = RG_HISTORY_FLAG_JUNK; /* cleared by the first real evidence */
		g_hash_table_insert(self->domains, d->domain, d);
	}
	return d;
}

static void
rg_history_merge(
    RgHistory *self, const RgAddress *addr, guint sent, guint received, RgHistoryFlags flags)
{
	g_autofree char *key =
	    rg_history_key(rg_address_get_local_part(addr), rg_address_get_domain_ascii(addr));
	RgHistoryEntry *e = g_hash_table_lookup(self->addresses, key);
	RgHistoryDomain *d = rg_history_ensure_domain(
	    self, rg_address_get_domain_ascii(addr), rg_address_get_domain(addr));

	if (e == NULL) {
		GPtrArray *doms;
		g_autofree char *local = g_utf8_strdown(rg_address_get_local_part(addr), -1);

		e = g_new0(RgHistoryEntry, 1);
		e->address = g_steal_pointer(&key);
		e->flags = RG_HISTORY_FLAG_JUNK;
		g_hash_table_insert(self->addresses, e->address, e);
		d->n_addresses++;
		doms = g_hash_table_lookup(self->local_parts, local);
		if (doms == NULL) {
			doms = g_ptr_array_new();
			g_hash_table_insert(self->local_parts, g_steal_pointer(&local), doms);
		}
		if (!g_ptr_array_find(doms, d, NULL))
			g_ptr_array_add(doms, d);
	}
	e->sent += sent;
	e->received += received;
	d->sent += sent;
	d->received += received;
	if ((flags & RG_HISTORY_FLAG_JUNK) == 0) {
		e->flags &= ~RG_HISTORY_FLAG_JUNK;
		d->flags &= ~RG_HISTORY_FLAG_JUNK;
	}
	e->flags |= flags & ~RG_HISTORY_FLAG_JUNK;
	d->flags |= flags & RG_HISTORY_FLAG_IDENTITY;
	self->generation++;
}

/**
 * rg_history_add:
 * @self: an #RgHistory
 * @address: one mailbox
 * @sent: messages the user sent to it
 * @received: messages the user received from it
 * @flags: #RgHistoryFlags; with %RG_HISTORY_FLAG_JUNK the evidence does not make the address
 *   or its domain known (a spammer must not whitelist a lookalike)
 * @error: return location for a #GError
 *
 * Adds evidence; adding the same address again sums the counts.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS set when @address is malformed
 */
gboolean
rg_history_add(RgHistory *self,
               const char *address,
               guint sent,
               guint received,
               RgHistoryFlags flags,
               GError **error)
{
	g_autoptr(RgAddress) addr = NULL;

	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(address != NULL, FALSE);

	addr = rg_address_parse(address, error);
	if (addr == NULL)
		return FALSE;
	rg_history_merge(self, addr, sent, received, flags);
	return TRUE;
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

/**
 * rg_history_load_known_file:
 * @self: an #RgHistory
 * @path: a text file with one address per line; `#` starts a comment
 * @error: return location for a #GError
 *
 * Adds every address as a known correspondent (with no message counts). Nothing is added when
 * a line is malformed: the error names the file and line.
 *
 * Returns: %FALSE with %RG_ERROR_IO or %RG_ERROR_INVALID_DATA set on failure
 */
gboolean
rg_history_load_known_file(RgHistory *self, const char *path, GError **error)
{
	g_autofree char *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) parsed =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_HISTORY(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	if (!g_file_get_contents(path, &contents, NULL, &error_local)) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: %s", path, error_local->message);
		return FALSE;
	}
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *line = lines[i];
		char *hash = strchr(line, '#');
		g_autoptr(GPtrArray) addrs = NULL;

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
			            i + 1,
			            error_local->message);
			return FALSE;
		}
		g_ptr_array_extend_and_steal(parsed, g_steal_pointer(&addrs));
	}
	for (guint i = 0; i < parsed->len; i++)
		rg_history_merge(self, g_ptr_array_index(parsed, i), 0, 0, RG_HISTORY_FLAG_NONE);
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
	return g_hash_table_size(self->addresses);
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
	return g_hash_table_lookup(self->addresses, key);
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
	return g_hash_table_lookup(self->local_parts, local);
}

guint
rg_history_get_generation(RgHistory *self)
{
	return self->generation;
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
