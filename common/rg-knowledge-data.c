/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in knowledge at build time: reads and checks the versioned data files
 * (common/data, made by the generators in build-aux) and compiles them into
 * the compiled file that rg-knowledge.c maps (rg-knowledge-private.h describes it). Nothing here
 * runs when a message is checked. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rg-domain.h"
#include "rg-error.h"
#include "rg-knowledge-data.h"
#include "rg-knowledge-private.h"
#include "rg-lookalike.h"

#define RG_DATA_MAX_FIELDS 8

typedef struct {
	const char *name; /* the "# rcptguard data:" name; the file is NAME.tsv */
	guint format;     /* the layout version of this kind of file */
	const char *const *columns;
	RgKnowledgeTable id;
} RgTableSchema;

static const char *const tld_columns[] = {
    "tld", "kind", "cctld_neighbours", "other_neighbours", "neighbour_first_contact", NULL};
static const char *const stakes_columns[] = {"domain", "tld", "kind", "organisation", NULL};
static const char *const provider_columns[] = {"domain", "rank", "band", "lists", "typo_of", NULL};

/* restricted-tlds format 1 had no neighbour_first_contact column */
static const RgTableSchema tld_schema = {
    "restricted-tlds", 2, tld_columns, RG_KNOWLEDGE_TABLE_TLDS};
static const RgTableSchema stakes_schema = {
    "high-stakes", 1, stakes_columns, RG_KNOWLEDGE_TABLE_STAKES};
static const RgTableSchema provider_schema = {
    "providers", 1, provider_columns, RG_KNOWLEDGE_TABLE_PROVIDERS};
static const RgTableSchema *const schemas[] = {&tld_schema, &stakes_schema, &provider_schema};

/* takes one data row's fields (split in place); %FALSE with @error when it is malformed */
typedef gboolean (*RgRowFunc)(char **fields, gpointer user_data, GError **error);

static gboolean
rg_data_valid_domain(const char *s)
{
	gboolean label_start = TRUE;

	if (*s == '\0')
		return FALSE;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label_start)
				return FALSE;
			label_start = TRUE;
			continue;
		}
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '-')
			return FALSE;
		label_start = FALSE;
	}
	return !label_start;
}

static gboolean
rg_data_parse_uint(const char *s, guint max, guint *out)
{
	guint64 v;
	char *end = NULL;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		return FALSE;
	*out = (guint)v;
	return TRUE;
}

/* "# key: value" → value, when the line has that key */
static const char *
rg_data_header_value(const char *line, const char *key)
{
	gsize n = strlen(key);

	if (strncmp(line, "# ", 2) != 0 || strncmp(line + 2, key, n) != 0 || line[2 + n] != ':')
		return NULL;
	line += 3 + n;
	while (*line == ' ')
		line++;
	return line;
}

static gboolean
rg_data_check_columns(const char *value, const RgTableSchema *schema)
{
	g_auto(GStrv) names = g_strsplit(value, "\t", -1);
	return g_strv_equal((const char *const *)names, schema->columns);
}

static gboolean
rg_data_check_date(const char *value)
{
	int y, m, d;
	char rest;

	if (strlen(value) != 10 || sscanf(value, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3)
		return FALSE;
	return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

typedef struct {
	const char *path;
	guint lineno;
	gboolean name, format, source, licence, date, columns;
} RgHeader;

/* sets @error to "FILE:LINE: message" and returns %FALSE */
G_GNUC_PRINTF(3, 4)
static gboolean
rg_data_fail(const RgHeader *h, GError **error, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(
	    error, RG_ERROR, RG_ERROR_INVALID_DATA, "%s:%u: %s", h->path, h->lineno, message);
	return FALSE;
}

static gboolean
rg_data_header_line(RgHeader *h, const char *line, const RgTableSchema *schema, GError **error)
{
	const char *v;

	if ((v = rg_data_header_value(line, "rcptguard data")) != NULL) {
		if (strcmp(v, schema->name) != 0)
			return rg_data_fail(
			    h, error, "holds \"%s\", expected \"%s\"", v, schema->name);
		h->name = TRUE;
	} else if (h->lineno == 1)
		return rg_data_fail(
		    h, error, "not an rcptguard data file (no \"# rcptguard data:\" line)");
	else if ((v = rg_data_header_value(line, "format")) != NULL) {
		guint format = 0;
		if (!rg_data_parse_uint(v, G_MAXUINT, &format) || format != schema->format)
			return rg_data_fail(
			    h,
			    error,
			    "format %s is not format %u, the one this version reads",
			    v,
			    schema->format);
		h->format = TRUE;
	} else if ((v = rg_data_header_value(line, "source")) != NULL) {
		h->source = h->source || *v != '\0';
	} else if ((v = rg_data_header_value(line, "licence")) != NULL) {
		h->licence = *v != '\0';
	} else if ((v = rg_data_header_value(line, "date")) != NULL) {
		if (!rg_data_check_date(v))
			return rg_data_fail(h, error, "date \"%s\" is not YYYY-MM-DD", v);
		h->date = TRUE;
	} else if ((v = rg_data_header_value(line, "columns")) != NULL) {
		if (!rg_data_check_columns(v, schema)) {
			g_autofree char *want = g_strjoinv(" ", (char **)schema->columns);
			return rg_data_fail(h, error, "columns are not: %s", want);
		}
		h->columns = TRUE;
	}
	/* other comment lines are notes for people */
	return TRUE;
}

static gboolean
rg_data_header_complete(const RgHeader *h, GError **error)
{
	const char *missing = NULL;

	if (!h->name)
		missing = "rcptguard data";
	else if (!h->format)
		missing = "format";
	else if (!h->source)
		missing = "source";
	else if (!h->licence)
		missing = "licence";
	else if (!h->date)
		missing = "date";
	else if (!h->columns)
		missing = "columns";
	if (missing == NULL)
		return TRUE;
	g_set_error(error,
	            RG_ERROR,
	            RG_ERROR_INVALID_DATA,
	            "%s: the header has no \"# %s:\" line",
	            h->path,
	            missing);
	return FALSE;
}

/*
 * rg_data_parse:
 * @text: the file's contents, NUL-terminated; split into fields in place
 *
 * Checks the header, then hands each data row to @func. The first column is the key and must
 * be strictly ascending in byte order, which is what lets lookups binary-search.
 */
static gboolean
rg_data_parse(const char *path,
              char *text,
              const RgTableSchema *schema,
              RgRowFunc func,
              gpointer user_data,
              GError **error)
{
	RgHeader h = {.path = path};
	guint ncolumns = g_strv_length((char **)schema->columns);
	const char *prev = NULL;
	gboolean in_header = TRUE;
	char *line = text;

	while (*line != '\0') {
		char *nl = strchr(line, '\n');
		char *fields[RG_DATA_MAX_FIELDS + 1];
		guint n = 0;

		h.lineno++;
		if (nl == NULL)
			return rg_data_fail(
			    &h, error, "the last line has no newline (truncated file?)");
		*nl = '\0';
		if (line[0] == '#') {
			if (!in_header)
				return rg_data_fail(&h, error, "a comment after the data");
			if (!rg_data_header_line(&h, line, schema, error))
				return FALSE;
			line = nl + 1;
			continue;
		}
		if (h.lineno == 1) {
			/* reuses the message for a missing name line */
			return rg_data_header_line(&h, line, schema, error);
		}
		if (in_header) {
			if (!rg_data_header_complete(&h, error))
				return FALSE;
			in_header = FALSE;
		}
		for (char *f = line; n <= RG_DATA_MAX_FIELDS; n++) {
			char *tab = strchr(f, '\t');
			fields[n] = f;
			if (tab == NULL) {
				n++;
				break;
			}
			*tab = '\0';
			f = tab + 1;
		}
		if (n != ncolumns)
			return rg_data_fail(&h, error, "%u fields, expected %u", n, ncolumns);
		for (guint i = 0; i < n; i++) {
			if (fields[i][0] == '\0')
				return rg_data_fail(
				    &h, error, "field %s is empty", schema->columns[i]);
		}
		if (prev != NULL && strcmp(prev, fields[0]) >= 0)
			return rg_data_fail(&h,
			                    error,
			                    "\"%s\" is not after \"%s\" (the file must be sorted, "
			                    "without duplicates)",
			                    fields[0],
			                    prev);
		prev = fields[0];
		if (!func(fields, user_data, error)) {
			g_prefix_error(error, "%s:%u: ", path, h.lineno);
			return FALSE;
		}
		line = nl + 1;
	}
	if (in_header)
		return rg_data_header_complete(&h, error);
	return TRUE;
}

static gboolean
rg_data_bad_field(GError **error, const char *column, const char *value)
{
	g_set_error(error, RG_ERROR, RG_ERROR_INVALID_DATA, "bad %s \"%s\"", column, value);
	return FALSE;
}

static gboolean
rg_knowledge_check_tld(const char *s)
{
	return rg_data_valid_domain(s) && strchr(s, '.') == NULL;
}

/* "ml,il" or "-" (none) */
static gboolean
rg_data_check_tld_list(const char *list, gboolean two_letters)
{
	g_auto(GStrv) tlds = NULL;

	if (strcmp(list, "-") == 0)
		return TRUE;
	tlds = g_strsplit(list, ",", -1);
	for (guint i = 0; tlds[i] != NULL; i++) {
		if (!rg_knowledge_check_tld(tlds[i]) || (two_letters && strlen(tlds[i]) != 2))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rg_knowledge_tld_row(char **f, gpointer user_data, GError **error)
{
	if (!rg_knowledge_check_tld(f[0]))
		return rg_data_bad_field(error, "tld", f[0]);
	if (!rg_data_check_tld_list(f[2], TRUE))
		return rg_data_bad_field(error, "cctld_neighbours", f[2]);
	if (!rg_data_check_tld_list(f[3], FALSE))
		return rg_data_bad_field(error, "other_neighbours", f[3]);
	if (strcmp(f[4], "notice") != 0 && strcmp(f[4], "-") != 0)
		return rg_data_bad_field(error, "neighbour_first_contact", f[4]);
	return TRUE;
}

static gboolean
rg_knowledge_stakes_row(char **f, gpointer user_data, GError **error)
{
	const char *dot = strrchr(f[0], '.');

	if (!rg_data_valid_domain(f[0]) || dot == NULL)
		return rg_data_bad_field(error, "domain", f[0]);
	if (strcmp(dot + 1, f[1]) != 0)
		return rg_data_bad_field(error, "tld", f[1]);
	return TRUE;
}

static gboolean
rg_knowledge_provider_row(char **f, gpointer user_data, GError **error)
{
	guint rank, band;

	if (!rg_data_valid_domain(f[0]) || strchr(f[0], '.') == NULL)
		return rg_data_bad_field(error, "domain", f[0]);
	if (!rg_data_parse_uint(f[1], G_MAXINT32, &rank))
		return rg_data_bad_field(error, "rank", f[1]);
	if (!rg_data_parse_uint(f[2], 5, &band))
		return rg_data_bad_field(error, "band", f[2]);
	if (strcmp(f[4], "-") != 0 && (!rg_data_valid_domain(f[4]) || strcmp(f[4], f[0]) == 0))
		return rg_data_bad_field(error, "typo_of", f[4]);
	return TRUE;
}

static RgRowFunc
rg_data_row_func(const RgTableSchema *schema)
{
	switch (schema->id) {
	case RG_KNOWLEDGE_TABLE_TLDS:
		return rg_knowledge_tld_row;
	case RG_KNOWLEDGE_TABLE_STAKES:
		return rg_knowledge_stakes_row;
	case RG_KNOWLEDGE_TABLE_PROVIDERS:
	default:
		return rg_knowledge_provider_row;
	}
}

/* one parsed file: its text split in place, and each row's fields */
typedef struct {
	char *text;
	char *header;    /* the "# " lines, for the compiled file's provenance */
	GPtrArray *rows; /* char ** (the fields of one row, pointing into text) */
	guint ncolumns;
} RgDataTable;

static void
rg_data_table_free(RgDataTable *t)
{
	if (t == NULL)
		return;
	g_free(t->text);
	g_free(t->header);
	g_clear_pointer(&t->rows, g_ptr_array_unref);
	g_free(t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgDataTable, rg_data_table_free)

typedef struct {
	RgRowFunc check;
	RgDataTable *table;
} RgCollect;

static gboolean
rg_data_collect_row(char **fields, gpointer user_data, GError **error)
{
	RgCollect *c = user_data;

	if (!c->check(fields, NULL, error))
		return FALSE;
	g_ptr_array_add(c->table->rows, g_memdup2(fields, sizeof(char *) * c->table->ncolumns));
	return TRUE;
}

static gboolean
rg_data_read(const char *path, char **text, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (g_file_get_contents(path, text, NULL, &error_local))
		return TRUE;
	g_set_error(error,
	            RG_ERROR,
	            g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
	                ? RG_ERROR_NOT_FOUND
	                : RG_ERROR_IO,
	            "cannot read %s: %s",
	            path,
	            error_local->message);
	return FALSE;
}

static char *
rg_data_header_text(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p == '#';) {
		const char *nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		g_string_append_len(s, p, nl + 1 - p);
		p = nl + 1;
	}
	return g_string_free(s, FALSE);
}

static RgDataTable *
rg_data_load(const char *path, const RgTableSchema *schema, GError **error)
{
	g_autoptr(RgDataTable) t = g_new0(RgDataTable, 1);
	RgCollect c = {rg_data_row_func(schema), t};

	if (!rg_data_read(path, &t->text, error))
		return NULL;
	t->header = rg_data_header_text(t->text);
	t->rows = g_ptr_array_new_with_free_func(g_free);
	t->ncolumns = g_strv_length((char **)schema->columns);
	if (!rg_data_parse(path, t->text, schema, rg_data_collect_row, &c, error))
		return NULL;
	return g_steal_pointer(&t);
}

/**
 * rg_knowledge_data_check_file:
 * @path: a data file (`*.tsv`)
 * @error: return location for a #GError
 *
 * Checks one versioned data file, choosing its schema by its `# rcptguard data:` line: the
 * header (name, format, source, licence, date, columns), every row's fields, and the order of
 * the rows (strictly ascending by the first column).
 *
 * Returns: %TRUE when the file is well formed; otherwise %FALSE with @error set:
 *   %RG_ERROR_NOT_FOUND, %RG_ERROR_IO, or %RG_ERROR_INVALID_DATA with file:line
 */
gboolean
rg_knowledge_data_check_file(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(RgDataTable) t = NULL;
	const RgTableSchema *schema = NULL;
	const char *name;
	const char *nl;

	g_return_val_if_fail(path != NULL, FALSE);

	if (!rg_data_read(path, &text, error))
		return FALSE;
	name = rg_data_header_value(text, "rcptguard data");
	if (name == NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "%s:1: not an rcptguard data file (no \"# rcptguard data:\" line)",
		            path);
		return FALSE;
	}
	nl = strchr(name, '\n');
	for (guint i = 0; nl != NULL && i < G_N_ELEMENTS(schemas); i++) {
		if (strncmp(name, schemas[i]->name, (gsize)(nl - name)) == 0 &&
		    schemas[i]->name[nl - name] == '\0')
			schema = schemas[i];
	}
	if (schema == NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "%s:1: unknown kind of data file",
		            path);
		return FALSE;
	}
	t = rg_data_load(path, schema, error);
	return t != NULL;
}

/* the string pool of the compiled file; equal strings are stored once */
typedef struct {
	GString *bytes;
	GHashTable *offsets; /* string → offset */
} RgPool;

static RgPool *
rg_pool_new(void)
{
	RgPool *pool = g_new0(RgPool, 1);
	/* offset 0 is the empty string, which stands for "none" */
	pool->bytes = g_string_new_len("", 1);
	pool->offsets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return pool;
}

static void
rg_pool_free(RgPool *pool)
{
	g_string_free(pool->bytes, TRUE);
	g_hash_table_unref(pool->offsets);
	g_free(pool);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgPool, rg_pool_free)

static guint32
rg_pool_add(RgPool *pool, const char *s)
{
	gpointer found;

	if (s == NULL || *s == '\0' || strcmp(s, "-") == 0)
		return 0;
	if (g_hash_table_lookup_extended(pool->offsets, s, NULL, &found))
		return GPOINTER_TO_UINT(found);
	found = GUINT_TO_POINTER(pool->bytes->len);
	g_hash_table_insert(pool->offsets, g_strdup(s), found);
	g_string_append_len(pool->bytes, s, (gssize)strlen(s) + 1);
	return GPOINTER_TO_UINT(found);
}

static void
rg_put_u32(GByteArray *out, gsize at, guint32 v)
{
	guint32 le = GUINT32_TO_LE(v);
	memcpy(out->data + at, &le, sizeof le);
}

static guint32
rg_data_field_word(RgPool *pool, RgKnowledgeTable id, guint column, const char *value)
{
	/* the providers' rank and band are numbers; everything else is a string */
	if (id == RG_KNOWLEDGE_TABLE_PROVIDERS && (column == 1 || column == 2))
		return (guint32)g_ascii_strtoull(value, NULL, 10);
	return rg_pool_add(pool, value);
}

/* the columns of each data table's compiled row (the providers' "lists" is for people
 * only), and how many there are */
static const guint row_columns[][RG_KNOWLEDGE_MAX_ROW_WORDS] = {
    [RG_KNOWLEDGE_TABLE_TLDS - 1] = {0, 1, 2, 3, 4},
    [RG_KNOWLEDGE_TABLE_STAKES - 1] = {0, 1, 2, 3},
    [RG_KNOWLEDGE_TABLE_PROVIDERS - 1] = {0, 1, 2, 4},
};
static const guint row_words[] = {
    [RG_KNOWLEDGE_TABLE_TLDS - 1] = 5,
    [RG_KNOWLEDGE_TABLE_STAKES - 1] = 4,
    [RG_KNOWLEDGE_TABLE_PROVIDERS - 1] = 4,
    [RG_KNOWLEDGE_TABLE_KEYS - 1] = 3,
    [RG_KNOWLEDGE_TABLE_POSTINGS - 1] = 1,
    [RG_KNOWLEDGE_TABLE_KEY_SLOTS - 1] = 1,
};

/* appends one table's rows to @out; returns where they start */
static gsize
rg_data_write_rows(GByteArray *out, RgPool *pool, const RgTableSchema *schema, RgDataTable *t)
{
	const guint *cols = row_columns[schema->id - 1];
	guint words = row_words[schema->id - 1];
	gsize at = out->len;

	g_byte_array_set_size(out, at + (gsize)t->rows->len * words * 4);
	for (guint r = 0; r < t->rows->len; r++) {
		char **f = g_ptr_array_index(t->rows, r);
		for (guint w = 0; w < words; w++)
			rg_put_u32(out,
			           at + ((gsize)r * words + w) * 4,
			           rg_data_field_word(pool, schema->id, cols[w], f[cols[w]]));
	}
	return at;
}

/* ------------------------------------------------------------------ look-alike keys */

/* key → GArray of guint32 references, while the keys are collected */
typedef struct {
	GHashTable *postings;
	guint32 ref;
} RgKeyCollect;

static void
rg_data_key_cb(RgLookalikeKeyKind kind, const char *key, gpointer user_data)
{
	RgKeyCollect *c = user_data;
	GArray *refs = g_hash_table_lookup(c->postings, key);

	if (refs == NULL) {
		refs = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_hash_table_insert(c->postings, g_strdup(key), refs);
	}
	/* one domain gives the same key more than once (two deletions alike) */
	if (refs->len == 0 || g_array_index(refs, guint32, refs->len - 1) != c->ref)
		g_array_append_val(refs, c->ref);
}

static void
rg_data_collect_keys(RgDomains *domains, RgKeyCollect *c, RgKnowledgeTable id, RgDataTable *t)
{
	for (guint r = 0; r < t->rows->len; r++) {
		char **f = g_ptr_array_index(t->rows, r);
		g_autofree char *name = NULL;
		g_autofree char *label = NULL;
		g_autofree char *suffix = NULL;
		/* a listed typo is no domain a typed one should be taken for, nor one the
		 * public lists carry with little agreement */
		if (id == RG_KNOWLEDGE_TABLE_PROVIDERS &&
		    (strcmp(f[4], "-") != 0 ||
		     g_ascii_strtoull(f[2], NULL, 10) > RG_KNOWLEDGE_KEYED_BAND))
			continue;
		if (!rg_domains_split(domains, f[0], &name, &label, &suffix))
			continue;
		c->ref = RG_KNOWLEDGE_REF(id, r);
		rg_lookalike_anchor_keys(name, label, suffix, rg_data_key_cb, c);
	}
}

static int
rg_data_compare_keys(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* appends the hash of the keys: at most half the slots are used */
static void
rg_data_write_key_slots(GByteArray *out, GPtrArray *keys, RgKnowledgeHeader *h, guint slots_i)
{
	guint32 n = 64;
	gsize at = out->len;

	while (n < keys->len * 2)
		n *= 2;
	g_byte_array_set_size(out, at + (gsize)n * 4);
	memset(out->data + at, 0, (gsize)n * 4);
	for (guint k = 0; k < keys->len; k++) {
		guint32 i = rg_knowledge_key_hash(g_ptr_array_index(keys, k)) & (n - 1);
		guint32 le;
		for (;; i = (i + 1) & (n - 1)) {
			memcpy(&le, out->data + at + (gsize)i * 4, 4);
			if (le == 0)
				break;
		}
		rg_put_u32(out, at + (gsize)i * 4, k + 1);
	}
	h->tables[slots_i] = (RgKnowledgeTableEntry){RG_KNOWLEDGE_TABLE_KEY_SLOTS, n, at, 1};
}

/* appends the keys table, the postings table and the keys' hash */
static void
rg_data_write_keys(GByteArray *out,
                   RgPool *pool,
                   GHashTable *postings,
                   RgKnowledgeHeader *h,
                   guint keys_i,
                   guint postings_i,
                   guint slots_i)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_sized_new(g_hash_table_size(postings));
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(guint32));
	GHashTableIter iter;
	gpointer each;
	gsize at;

	g_hash_table_iter_init(&iter, postings);
	while (g_hash_table_iter_next(&iter, &each, NULL))
		g_ptr_array_add(keys, each);
	g_ptr_array_sort(keys, rg_data_compare_keys);
	at = out->len;
	g_byte_array_set_size(out, at + (gsize)keys->len * 3 * 4);
	for (guint k = 0; k < keys->len; k++) {
		const char *key = g_ptr_array_index(keys, k);
		GArray *refs = g_hash_table_lookup(postings, key);
		rg_put_u32(out, at + (gsize)k * 12, rg_pool_add(pool, key));
		rg_put_u32(out, at + (gsize)k * 12 + 4, all->len);
		rg_put_u32(out, at + (gsize)k * 12 + 8, refs->len);
		g_array_append_vals(all, refs->data, refs->len);
	}
	h->tables[keys_i] = (RgKnowledgeTableEntry){RG_KNOWLEDGE_TABLE_KEYS, keys->len, at, 3};
	at = out->len;
	g_byte_array_set_size(out, at + (gsize)all->len * 4);
	for (guint i = 0; i < all->len; i++)
		rg_put_u32(out, at + (gsize)i * 4, g_array_index(all, guint32, i));
	h->tables[postings_i] =
	    (RgKnowledgeTableEntry){RG_KNOWLEDGE_TABLE_POSTINGS, all->len, at, 1};
	rg_data_write_key_slots(out, keys, h, slots_i);
}

static void
rg_data_write_header(GByteArray *out, const RgKnowledgeHeader *h)
{
	memcpy(out->data, RG_KNOWLEDGE_MAGIC, 4);
	rg_put_u32(out, G_STRUCT_OFFSET(RgKnowledgeHeader, version), RG_KNOWLEDGE_VERSION);
	rg_put_u32(out, G_STRUCT_OFFSET(RgKnowledgeHeader, file_size), out->len);
	rg_put_u32(out, G_STRUCT_OFFSET(RgKnowledgeHeader, pool_offset), h->pool_offset);
	rg_put_u32(out, G_STRUCT_OFFSET(RgKnowledgeHeader, pool_size), h->pool_size);
	rg_put_u32(out, G_STRUCT_OFFSET(RgKnowledgeHeader, provenance), h->provenance);
	for (guint i = 0; i < RG_KNOWLEDGE_N_TABLES; i++) {
		gsize at =
		    G_STRUCT_OFFSET(RgKnowledgeHeader, tables) + i * sizeof(RgKnowledgeTableEntry);
		rg_put_u32(out, at, h->tables[i].id);
		rg_put_u32(out, at + 4, h->tables[i].n_rows);
		rg_put_u32(out, at + 8, h->tables[i].rows_offset);
		rg_put_u32(out, at + 12, h->tables[i].row_words);
	}
}

/**
 * rg_knowledge_data_compile:
 * @src_dir: the directory of the versioned data files (`common/data`)
 * @output: the compiled file to write
 * @error: return location for a #GError
 *
 * Checks every data file as rg_knowledge_data_check_file() does and writes the compiled form
 * that rg_knowledge_new() maps, carrying the files' headers as its provenance. The look-alike
 * keys of the domains are cut at the public suffix of the system's list, the one the checks
 * use.
 *
 * Returns: %TRUE on success; otherwise %FALSE with @error set as for
 *   rg_knowledge_data_check_file(), %RG_ERROR_NOT_FOUND when no public suffix list is
 *   available, or %RG_ERROR_IO when @output cannot be written
 */
gboolean
rg_knowledge_data_compile(const char *src_dir, const char *output, GError **error)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GString) provenance = g_string_new(NULL);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RgPool) pool = rg_pool_new();
	g_autoptr(RgDomains) domains = NULL;
	g_autoptr(GHashTable) postings =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
	RgKeyCollect keys = {postings, 0};
	RgKnowledgeHeader h = {{0}};

	g_return_val_if_fail(src_dir != NULL, FALSE);
	g_return_val_if_fail(output != NULL, FALSE);

	domains = rg_domains_new(NULL, NULL, error);
	if (domains == NULL)
		return FALSE;
	g_byte_array_set_size(out, sizeof h);
	for (guint i = 0; i < G_N_ELEMENTS(schemas); i++) {
		g_autofree char *file = g_strconcat(schemas[i]->name, ".tsv", NULL);
		g_autofree char *path = g_build_filename(src_dir, file, NULL);
		g_autoptr(RgDataTable) t = rg_data_load(path, schemas[i], error);

		if (t == NULL)
			return FALSE;
		/* the keys first, in row order: a binary search then stays on few pages */
		for (guint r = 0; r < t->rows->len; r++)
			rg_pool_add(pool, ((char **)g_ptr_array_index(t->rows, r))[0]);
		g_string_append_printf(provenance, "== %s\n%s", file, t->header);
		h.tables[i].id = schemas[i]->id;
		h.tables[i].n_rows = t->rows->len;
		h.tables[i].rows_offset = (guint32)rg_data_write_rows(out, pool, schemas[i], t);
		h.tables[i].row_words = row_words[schemas[i]->id - 1];
		if (schemas[i]->id != RG_KNOWLEDGE_TABLE_TLDS)
			rg_data_collect_keys(domains, &keys, schemas[i]->id, t);
	}
	rg_data_write_keys(out,
	                   pool,
	                   postings,
	                   &h,
	                   G_N_ELEMENTS(schemas),
	                   G_N_ELEMENTS(schemas) + 1,
	                   G_N_ELEMENTS(schemas) + 2);
	h.provenance = rg_pool_add(pool, provenance->str);
	h.pool_offset = out->len;
	h.pool_size = pool->bytes->len;
	g_byte_array_append(out, (const guint8 *)pool->bytes->str, pool->bytes->len);
	if (out->len > G_MAXUINT32) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_DATA, "%s: the data is too big", src_dir);
		return FALSE;
	}
	rg_data_write_header(out, &h);
	if (!g_file_set_contents(output, (const char *)out->data, out->len, &error_local)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot write %s: %s",
		            output,
		            error_local->message);
		return FALSE;
	}
	return TRUE;
}
