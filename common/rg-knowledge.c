/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in knowledge at run time: the compiled file (rg-knowledge-private.h) is mapped
 * read-only and binary-searched where it lies, so loading parses nothing and a lookup
 * allocates nothing. Mapping beats reading: a new process pays a page fault for every page of
 * a buffer it reads into, but only for the pages of a mapping that its lookups touch, and the
 * compiled file keeps each table's keys together so that those are few
 * (tests/bench/bench-knowledge.c measures it). The
 * versioned sources are the .tsv files of common/data (README.md there); the build compiles them
 * with rg-knowledge-compile. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rg-error.h"
#include "rg-knowledge-private.h"
#include "rg-knowledge.h"
#include "rg-paths.h"

typedef struct {
	const guint32 *rows;
	guint32 n_rows;
	guint32 row_words;
} RgTableView;

typedef struct {
	const char *tld;
	const char *kind;
	char **cctlds;
	char **others;
	gboolean neighbour_notice;
} RgTldRow;

typedef struct {
	char *cctld;
	GPtrArray *restricted; /* borrowed strings, NULL-terminated */
} RgCctldRow;

struct _RgKnowledge {
	gatomicrefcount ref;
	GMappedFile *file;
	const char *pool;
	guint32 pool_size;
	RgTableView tables[RG_KNOWLEDGE_N_TABLES]; /* by RgKnowledgeTable - 1 */
	GArray *tlds;                              /* RgTldRow: the four restricted TLDs */
	GArray *cctlds;                            /* RgCctldRow, sorted: the reverse of tlds */
};

/**
 * rg_knowledge_get_default_dir:
 *
 * Returns: the data directory: the installed `$datadir/rcptguard`, or the build tree's
 *   `common/data` when this librcptguard runs uninstalled (rg_path_get()). The tests pass
 *   the build tree's to rg_knowledge_new() as `RCPTGUARD_DATA_DIR`.
 */
const char *
rg_knowledge_get_default_dir(void)
{
	return rg_path_get(RG_PATH_DATADIR);
}

static guint32
rg_word(const guint32 *p)
{
	return GUINT32_FROM_LE(*p);
}

/* a string of the pool; a damaged offset reads as the empty string rather than out of bounds */
static const char *
rg_knowledge_str(RgKnowledge *self, guint32 offset)
{
	return offset < self->pool_size ? self->pool + offset : "";
}

static const guint32 *
rg_knowledge_row(RgKnowledge *self, RgKnowledgeTable id, guint32 i)
{
	return self->tables[id - 1].rows + (gsize)i * self->tables[id - 1].row_words;
}

/* the words a row of each table has in this version */
static const guint32 rg_knowledge_row_words[RG_KNOWLEDGE_N_TABLES] = {
    [RG_KNOWLEDGE_TABLE_TLDS - 1] = 5,
    [RG_KNOWLEDGE_TABLE_STAKES - 1] = 4,
    [RG_KNOWLEDGE_TABLE_PROVIDERS - 1] = 4,
    [RG_KNOWLEDGE_TABLE_KEYS - 1] = 3,
    [RG_KNOWLEDGE_TABLE_POSTINGS - 1] = 1,
    [RG_KNOWLEDGE_TABLE_KEY_SLOTS - 1] = 1,
};

static gboolean
rg_knowledge_bad(GError **error, const char *path, const char *what)
{
	g_set_error(error,
	            RG_ERROR,
	            RG_ERROR_INVALID_DATA,
	            "%s: %s (rebuild it from common/data with rg-knowledge-compile)",
	            path,
	            what);
	return FALSE;
}

/* the structure is checked once; the rows' string offsets are checked as they are read */
static gboolean
rg_knowledge_map_tables(RgKnowledge *self, const char *path, GError **error)
{
	const char *data = g_mapped_file_get_contents(self->file);
	gsize size = g_mapped_file_get_length(self->file);
	const RgKnowledgeHeader *h = (const RgKnowledgeHeader *)data;
	guint32 pool_offset;

	if (size < sizeof *h || memcmp(h->magic, RG_KNOWLEDGE_MAGIC, 4) != 0)
		return rg_knowledge_bad(error, path, "not a compiled rcptguard knowledge file");
	if (rg_word(&h->version) != RG_KNOWLEDGE_VERSION)
		return rg_knowledge_bad(error, path, "written by another version of rcptguard");
	if (rg_word(&h->file_size) != size)
		return rg_knowledge_bad(error, path, "truncated");
	pool_offset = rg_word(&h->pool_offset);
	self->pool_size = rg_word(&h->pool_size);
	if (pool_offset < sizeof *h || pool_offset > size || self->pool_size == 0 ||
	    self->pool_size > size - pool_offset || data[pool_offset + self->pool_size - 1] != '\0')
		return rg_knowledge_bad(error, path, "damaged string pool");
	self->pool = data + pool_offset;
	for (guint i = 0; i < RG_KNOWLEDGE_N_TABLES; i++) {
		guint32 id = rg_word(&h->tables[i].id);
		guint32 n = rg_word(&h->tables[i].n_rows);
		guint32 at = rg_word(&h->tables[i].rows_offset);
		guint32 words = rg_word(&h->tables[i].row_words);
		if (id < 1 || id > RG_KNOWLEDGE_N_TABLES || self->tables[id - 1].rows != NULL ||
		    words != rg_knowledge_row_words[id - 1] || at % 4 != 0 || at < sizeof *h ||
		    at > pool_offset || n > (pool_offset - at) / (words * 4))
			return rg_knowledge_bad(error, path, "damaged table directory");
		self->tables[id - 1].rows = (const guint32 *)(data + at);
		self->tables[id - 1].n_rows = n;
		self->tables[id - 1].row_words = words;
	}
	return TRUE;
}

static char **
rg_knowledge_split_tlds(const char *list)
{
	return *list != '\0' ? g_strsplit(list, ",", -1) : g_new0(char *, 1);
}

static void
rg_knowledge_tld_row_clear(gpointer data)
{
	RgTldRow *row = data;
	g_strfreev(row->cctlds);
	g_strfreev(row->others);
}

static void
rg_knowledge_cctld_row_clear(gpointer data)
{
	RgCctldRow *row = data;
	g_free(row->cctld);
	g_ptr_array_unref(row->restricted);
}

static int
rg_knowledge_cctld_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(((const RgCctldRow *)a)->cctld, ((const RgCctldRow *)b)->cctld);
}

static RgCctldRow *
rg_knowledge_cctld_row(RgKnowledge *self, const char *cctld)
{
	RgCctldRow row = {g_strdup(cctld), g_ptr_array_new()};

	for (guint k = 0; k < self->cctlds->len; k++) {
		RgCctldRow *c = &g_array_index(self->cctlds, RgCctldRow, k);
		if (strcmp(c->cctld, cctld) == 0) {
			g_free(row.cctld);
			g_ptr_array_unref(row.restricted);
			return c;
		}
	}
	g_ptr_array_add(row.restricted, NULL);
	g_array_append_val(self->cctlds, row);
	return &g_array_index(self->cctlds, RgCctldRow, self->cctlds->len - 1);
}

/* the restricted TLDs (a handful of rows) and, for each ccTLD, the ones it is one edit from */
static void
rg_knowledge_index_tlds(RgKnowledge *self)
{
	self->tlds = g_array_new(FALSE, FALSE, sizeof(RgTldRow));
	g_array_set_clear_func(self->tlds, rg_knowledge_tld_row_clear);
	self->cctlds = g_array_new(FALSE, FALSE, sizeof(RgCctldRow));
	g_array_set_clear_func(self->cctlds, rg_knowledge_cctld_row_clear);
	for (guint32 i = 0; i < self->tables[RG_KNOWLEDGE_TABLE_TLDS - 1].n_rows; i++) {
		const guint32 *w = rg_knowledge_row(self, RG_KNOWLEDGE_TABLE_TLDS, i);
		RgTldRow row = {rg_knowledge_str(self, rg_word(&w[0])),
		                rg_knowledge_str(self, rg_word(&w[1])),
		                rg_knowledge_split_tlds(rg_knowledge_str(self, rg_word(&w[2]))),
		                rg_knowledge_split_tlds(rg_knowledge_str(self, rg_word(&w[3]))),
		                strcmp(rg_knowledge_str(self, rg_word(&w[4])), "notice") == 0};
		g_array_append_val(self->tlds, row);
		for (guint j = 0; row.cctlds[j] != NULL; j++) {
			RgCctldRow *c = rg_knowledge_cctld_row(self, row.cctlds[j]);
			/* before the trailing NULL */
			g_ptr_array_insert(
			    c->restricted, (int)c->restricted->len - 1, (gpointer)row.tld);
		}
	}
	g_array_sort(self->cctlds, rg_knowledge_cctld_cmp);
}

/**
 * rg_knowledge_new:
 * @data_dir: (nullable): the directory holding the compiled `knowledge.bin`; %NULL for
 *   rg_knowledge_get_default_dir()
 * @error: return location for a #GError
 *
 * Maps the compiled knowledge (built from common/data by rg-knowledge-compile). Cheap:
 * nothing is parsed, and a page is read when a lookup first needs it.
 *
 * Returns: (transfer full) (nullable): the knowledge, or %NULL with @error set:
 *   %RG_ERROR_NOT_FOUND when the file is missing, %RG_ERROR_IO when it cannot be read,
 *   %RG_ERROR_INVALID_DATA when it is not a compiled knowledge file of this version
 */
RgKnowledge *
rg_knowledge_new(const char *data_dir, GError **error)
{
	g_autoptr(RgKnowledge) self = g_new0(RgKnowledge, 1);
	g_autofree char *path = NULL;
	g_autoptr(GError) error_local = NULL;

	g_atomic_ref_count_init(&self->ref);
	if (data_dir == NULL)
		data_dir = rg_knowledge_get_default_dir();
	path = g_build_filename(data_dir, RG_KNOWLEDGE_FILE, NULL);
	self->file = g_mapped_file_new(path, FALSE, &error_local);
	if (self->file == NULL) {
		g_set_error(error,
		            RG_ERROR,
		            g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
		                ? RG_ERROR_NOT_FOUND
		                : RG_ERROR_IO,
		            "cannot read built-in knowledge %s: %s",
		            path,
		            error_local->message);
		return NULL;
	}
	if (!rg_knowledge_map_tables(self, path, error))
		return NULL;
	rg_knowledge_index_tlds(self);
	return g_steal_pointer(&self);
}

/**
 * rg_knowledge_ref:
 * @self: the knowledge
 *
 * Returns: (transfer full): @self, with one more reference: one mapping can serve every
 *   scorer of a process
 */
RgKnowledge *
rg_knowledge_ref(RgKnowledge *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_ref_count_inc(&self->ref);
	return self;
}

/**
 * rg_knowledge_free:
 * @self: (nullable): the knowledge
 *
 * Drops a reference; the last one frees @self, and every string its lookups returned dies
 * with it.
 */
void
rg_knowledge_free(RgKnowledge *self)
{
	if (self == NULL || !g_atomic_ref_count_dec(&self->ref))
		return;
	g_clear_pointer(&self->tlds, g_array_unref);
	g_clear_pointer(&self->cctlds, g_array_unref);
	g_clear_pointer(&self->file, g_mapped_file_unref);
	g_free(self);
}

/* the index of the row whose key is @key, or -1 */
static gssize
rg_knowledge_find(RgKnowledge *self, RgKnowledgeTable id, const char *key)
{
	gsize lo = 0, hi = self->tables[id - 1].n_rows;

	while (lo < hi) {
		gsize mid = lo + (hi - lo) / 2;
		const guint32 *w = rg_knowledge_row(self, id, (guint32)mid);
		int c = strcmp(key, rg_knowledge_str(self, rg_word(&w[0])));
		if (c == 0)
			return (gssize)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static void
rg_knowledge_fill_stakes(RgKnowledge *self, guint32 i, RgHighStakes *entry)
{
	const guint32 *w = rg_knowledge_row(self, RG_KNOWLEDGE_TABLE_STAKES, i);

	entry->domain = rg_knowledge_str(self, rg_word(&w[0]));
	entry->tld = rg_knowledge_str(self, rg_word(&w[1]));
	entry->kind = rg_knowledge_str(self, rg_word(&w[2]));
	entry->organisation = rg_knowledge_str(self, rg_word(&w[3]));
}

static void
rg_knowledge_fill_provider(RgKnowledge *self, guint32 i, RgProvider *p, const char **domain)
{
	const guint32 *w = rg_knowledge_row(self, RG_KNOWLEDGE_TABLE_PROVIDERS, i);
	guint32 typo = rg_word(&w[3]);

	p->rank = rg_word(&w[1]);
	p->band = rg_word(&w[2]);
	p->typo_of = typo != 0 ? rg_knowledge_str(self, typo) : NULL;
	if (domain != NULL)
		*domain = rg_knowledge_str(self, rg_word(&w[0]));
}

/**
 * rg_knowledge_lookup_high_stakes:
 * @self: the knowledge
 * @ascii_domain: a lower-case domain in A-label form
 * @entry: (out caller-allocates) (optional): the matching entry
 *
 * Finds the well-known domain @ascii_domain is, or sits below (dot-boundary match, the longest
 * entry wins): "hq.army.mil" matches "army.mil", "notarmy.mil" does not.
 *
 * Returns: whether an entry matched; the strings in @entry are owned by @self
 */
gboolean
rg_knowledge_lookup_high_stakes(RgKnowledge *self, const char *ascii_domain, RgHighStakes *entry)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(ascii_domain != NULL, FALSE);

	/* no entry is a bare TLD */
	for (const char *p = ascii_domain; strchr(p, '.') != NULL; p = strchr(p, '.') + 1) {
		gssize i = rg_knowledge_find(self, RG_KNOWLEDGE_TABLE_STAKES, p);
		if (i >= 0) {
			if (entry != NULL)
				rg_knowledge_fill_stakes(self, (guint32)i, entry);
			return TRUE;
		}
	}
	return FALSE;
}

static const RgTldRow *
rg_knowledge_find_tld(RgKnowledge *self, const char *tld)
{
	for (guint i = 0; i < self->tlds->len; i++) {
		const RgTldRow *row = &g_array_index(self->tlds, RgTldRow, i);
		if (strcmp(row->tld, tld) == 0)
			return row;
	}
	return NULL;
}

/**
 * rg_knowledge_get_restricted_tld:
 * @self: the knowledge
 * @ascii_domain: a lower-case domain in A-label form
 *
 * Returns: (nullable): the restricted TLD ("mil", "gov", "edu", "int") @ascii_domain sits
 *   under, owned by @self; %NULL when it is under none
 */
const char *
rg_knowledge_get_restricted_tld(RgKnowledge *self, const char *ascii_domain)
{
	const char *dot;
	const RgTldRow *row;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(ascii_domain != NULL, NULL);

	dot = strrchr(ascii_domain, '.');
	row = rg_knowledge_find_tld(self, dot != NULL ? dot + 1 : ascii_domain);
	return row != NULL ? row->tld : NULL;
}

/**
 * rg_knowledge_get_tld_kind:
 * @self: the knowledge
 * @restricted_tld: a TLD without its dot
 *
 * Returns: (nullable): who may register under @restricted_tld ("us-military", "us-government",
 *   "us-education", "international"), owned by @self; %NULL when it is not restricted
 */
const char *
rg_knowledge_get_tld_kind(RgKnowledge *self, const char *restricted_tld)
{
	const RgTldRow *row;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(restricted_tld != NULL, NULL);

	row = rg_knowledge_find_tld(self, restricted_tld);
	return row != NULL ? row->kind : NULL;
}

/**
 * rg_knowledge_get_cctld_neighbours:
 * @self: the knowledge
 * @restricted_tld: a TLD without its dot: "mil"
 *
 * The neighbours come from the public suffix list (build-aux/gen-restricted-tlds.py).
 *
 * Returns: (nullable) (array zero-terminated=1): the real ccTLDs one edit from
 *   @restricted_tld ({"il", "ml"} for "mil"; empty for "gov"), owned by @self; %NULL when
 *   @restricted_tld is not restricted
 */
const char *const *
rg_knowledge_get_cctld_neighbours(RgKnowledge *self, const char *restricted_tld)
{
	const RgTldRow *row;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(restricted_tld != NULL, NULL);

	row = rg_knowledge_find_tld(self, restricted_tld);
	return row != NULL ? (const char *const *)row->cctlds : NULL;
}

/**
 * rg_knowledge_get_restricted_for_cctld:
 * @self: the knowledge
 * @cctld: a ccTLD without its dot: "ml"
 *
 * Returns: (nullable) (array zero-terminated=1): the restricted TLDs @cctld is one edit from
 *   ({"mil"} for "ml", {"int"} for "it"), owned by @self; %NULL when there is none
 */
const char *const *
rg_knowledge_get_restricted_for_cctld(RgKnowledge *self, const char *cctld)
{
	RgCctldRow key = {(char *)cctld, NULL};
	const RgCctldRow *row;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(cctld != NULL, NULL);

	/* bsearch() wants a base even for no rows */
	if (self->cctlds->len == 0)
		return NULL;
	row = bsearch(&key,
	              self->cctlds->data,
	              self->cctlds->len,
	              sizeof(RgCctldRow),
	              rg_knowledge_cctld_cmp);
	return row != NULL ? (const char *const *)row->restricted->pdata : NULL;
}

/**
 * rg_knowledge_get_neighbour_notice:
 * @self: the knowledge
 * @restricted_tld: a TLD without its dot: "mil"
 *
 * Returns: whether a first contact under one of the ccTLD neighbours of @restricted_tld is
 *   worth a notice even when no well-known domain has its name (restricted-tlds.tsv,
 *   `neighbour_first_contact`)
 */
gboolean
rg_knowledge_get_neighbour_notice(RgKnowledge *self, const char *restricted_tld)
{
	const RgTldRow *row;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(restricted_tld != NULL, FALSE);

	row = rg_knowledge_find_tld(self, restricted_tld);
	return row != NULL && row->neighbour_notice;
}

/**
 * rg_knowledge_lookup_provider:
 * @self: the knowledge
 * @ascii_domain: a lower-case mail domain in A-label form (exact match: no subdomains)
 * @provider: (out caller-allocates) (optional): its rank, band and typo mark
 *
 * A listed domain may be a typo itself (hotmial.com is on public free-mail lists):
 * @provider->typo_of then names the far more popular domain it is one edit from, and the
 * entry is no evidence that @ascii_domain is a real provider.
 *
 * Returns: whether @ascii_domain is listed
 */
gboolean
rg_knowledge_lookup_provider(RgKnowledge *self, const char *ascii_domain, RgProvider *provider)
{
	gssize i;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(ascii_domain != NULL, FALSE);

	i = rg_knowledge_find(self, RG_KNOWLEDGE_TABLE_PROVIDERS, ascii_domain);
	if (i < 0)
		return FALSE;
	if (provider != NULL)
		rg_knowledge_fill_provider(self, (guint32)i, provider, NULL);
	return TRUE;
}

/**
 * rg_knowledge_get_provider_rank:
 * @self: the knowledge
 * @ascii_domain: a lower-case mail domain in A-label form
 *
 * Returns: the popularity rank of @ascii_domain (1 is the most popular), or 0 when it is not
 *   listed or its entry is marked as a typo of another provider
 */
guint
rg_knowledge_get_provider_rank(RgKnowledge *self, const char *ascii_domain)
{
	RgProvider p;

	if (!rg_knowledge_lookup_provider(self, ascii_domain, &p) || p.typo_of != NULL)
		return 0;
	return p.rank;
}

/**
 * rg_knowledge_foreach_provider:
 * @self: the knowledge
 * @max_band: the least popular band to visit (1-5)
 * @func: called with each domain (owned by @self) and its entry, in domain order
 * @user_data: for @func
 *
 * Visits the providers of band @max_band or better that are not marked as typos, so that a
 * caller can index them as known domains.
 */
void
rg_knowledge_foreach_provider(RgKnowledge *self,
                              guint max_band,
                              RgProviderFunc func,
                              gpointer user_data)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(func != NULL);

	for (guint32 i = 0; i < self->tables[RG_KNOWLEDGE_TABLE_PROVIDERS - 1].n_rows; i++) {
		RgProvider p;
		const char *domain;
		rg_knowledge_fill_provider(self, i, &p, &domain);
		if (p.band <= max_band && p.typo_of == NULL)
			func(domain, &p, user_data);
	}
}

/**
 * rg_knowledge_foreach_high_stakes:
 * @self: the knowledge
 * @func: called with each entry (its strings owned by @self), in domain order
 * @user_data: for @func
 */
void
rg_knowledge_foreach_high_stakes(RgKnowledge *self, RgHighStakesFunc func, gpointer user_data)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(func != NULL);

	for (guint32 i = 0; i < self->tables[RG_KNOWLEDGE_TABLE_STAKES - 1].n_rows; i++) {
		RgHighStakes e;
		rg_knowledge_fill_stakes(self, i, &e);
		func(&e, user_data);
	}
}

/* the row of the look-alike key @key, through the keys' hash; -1 when absent */
static gssize
rg_knowledge_find_key(RgKnowledge *self, const char *key)
{
	const RgTableView *slots = &self->tables[RG_KNOWLEDGE_TABLE_KEY_SLOTS - 1];
	guint32 n = slots->n_rows;
	guint32 n_keys = self->tables[RG_KNOWLEDGE_TABLE_KEYS - 1].n_rows;

	/* a power of two, never full; anything else is a damaged file: search the sorted keys */
	if (n == 0 || (n & (n - 1)) != 0 || n_keys >= n)
		return rg_knowledge_find(self, RG_KNOWLEDGE_TABLE_KEYS, key);
	for (guint32 i = rg_knowledge_key_hash(key) & (n - 1), tries = 0; tries < n;
	     i = (i + 1) & (n - 1), tries++) {
		guint32 row = rg_word(&slots->rows[i]);
		const guint32 *w;
		if (row == 0)
			return -1;
		if (row > n_keys)
			continue;
		w = rg_knowledge_row(self, RG_KNOWLEDGE_TABLE_KEYS, row - 1);
		if (strcmp(key, rg_knowledge_str(self, rg_word(&w[0]))) == 0)
			return row - 1;
	}
	return -1;
}

/**
 * rg_knowledge_foreach_candidate:
 * @self: the knowledge
 * @key: a look-alike key (rg_lookalike_probe_keys())
 * @filter: (nullable): called first with each domain alone; %FALSE skips it
 * @func: called with each domain stored under @key that @filter lets through, and its entry
 * @user_data: for @filter and @func
 *
 * Visits the well-known domains and the providers (not those marked as typos) that have @key
 * among their look-alike keys (rg_lookalike_anchor_keys(), computed when the knowledge was
 * compiled). A domain can be both; @func then gets it once from each table. The strings are
 * owned by @self.
 *
 * Returns: how many domains were visited
 */
guint
rg_knowledge_foreach_candidate(RgKnowledge *self,
                               const char *key,
                               RgCandidateFilter filter,
                               RgCandidateFunc func,
                               gpointer user_data)
{
	const RgTableView *postings;
	const guint32 *w;
	guint32 first, n;
	guint visited = 0;
	gssize i;

	g_return_val_if_fail(self != NULL, 0);
	g_return_val_if_fail(key != NULL, 0);
	g_return_val_if_fail(func != NULL, 0);

	i = rg_knowledge_find_key(self, key);
	if (i < 0)
		return 0;
	postings = &self->tables[RG_KNOWLEDGE_TABLE_POSTINGS - 1];
	w = rg_knowledge_row(self, RG_KNOWLEDGE_TABLE_KEYS, (guint32)i);
	first = rg_word(&w[1]);
	n = rg_word(&w[2]);
	/* a damaged file reads as fewer candidates, never out of bounds */
	if (first > postings->n_rows || n > postings->n_rows - first)
		return 0;
	for (guint32 p = first; p < first + n; p++) {
		guint32 ref = rg_word(&postings->rows[p]);
		guint32 table = RG_KNOWLEDGE_REF_TABLE(ref);
		guint32 row = RG_KNOWLEDGE_REF_ROW(ref);
		RgCandidate c = {NULL};
		RgHighStakes stakes;
		RgProvider provider;
		if ((table != RG_KNOWLEDGE_TABLE_STAKES && table != RG_KNOWLEDGE_TABLE_PROVIDERS) ||
		    row >= self->tables[table - 1].n_rows)
			continue;
		/* the domain is the first word of either row */
		c.entry = rg_knowledge_row(self, table, row);
		c.domain = rg_knowledge_str(self, rg_word(c.entry));
		if (filter != NULL && !filter(c.domain, user_data))
			continue;
		if (table == RG_KNOWLEDGE_TABLE_STAKES) {
			rg_knowledge_fill_stakes(self, row, &stakes);
			c.stakes = &stakes;
		} else {
			rg_knowledge_fill_provider(self, row, &provider, NULL);
			c.provider = &provider;
		}
		func(&c, user_data);
		visited++;
	}
	return visited;
}

/**
 * rg_knowledge_get_provenance:
 * @self: the knowledge
 *
 * Returns: the header lines of the data files the compiled knowledge was built from (their
 *   sources, licences and dates), owned by @self
 */
const char *
rg_knowledge_get_provenance(RgKnowledge *self)
{
	const RgKnowledgeHeader *h;

	g_return_val_if_fail(self != NULL, NULL);

	h = (const RgKnowledgeHeader *)g_mapped_file_get_contents(self->file);
	return rg_knowledge_str(self, rg_word(&h->provenance));
}
