/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typo classes between domains, after the families dnstwist names, and the index that finds
 * candidates for a typed domain in time independent of how many domains are known: exact
 * maps for names, labels and derived forms, and a one-deletion neighbourhood map (the
 * symmetric-delete trick) for single edits. */
#include "config.h"

#include <string.h>

#include "rg-lookalike.h"

/* a string → list of anchor ids multimap; keys live in one string chunk */
typedef struct {
	guint anchor;
	guint next; /* 1-based index of the next node, 0 at the end */
} RgPosting;

typedef struct {
	GHashTable *heads; /* key → GUINT_TO_POINTER(1-based index into first) */
	GArray *first;     /* guint per key: 1-based index of its first node */
	GArray *nodes;
	GStringChunk *keys;
} RgMultimap;

static void
rg_multimap_init(RgMultimap *m)
{
	m->heads = g_hash_table_new(g_str_hash, g_str_equal);
	m->first = g_array_new(FALSE, FALSE, sizeof(guint));
	m->nodes = g_array_new(FALSE, FALSE, sizeof(RgPosting));
	m->keys = g_string_chunk_new(4096);
}

static void
rg_multimap_clear(RgMultimap *m)
{
	if (m->heads == NULL)
		return;
	g_hash_table_unref(m->heads);
	g_array_unref(m->first);
	g_array_unref(m->nodes);
	g_string_chunk_free(m->keys);
	m->heads = NULL;
}

/* The index adds a dozen keys per domain, for every domain of the history and of each
 * message: a key is hashed once when it is there already (its first node is updated in
 * place) and twice when it is new. */
static void
rg_multimap_add(RgMultimap *m, const char *key, guint anchor)
{
	guint slot = GPOINTER_TO_UINT(g_hash_table_lookup(m->heads, key));
	RgPosting p = {anchor, 0};

	if (slot != 0) {
		guint *head = &g_array_index(m->first, guint, slot - 1);
		/* the same anchor is often added under one key twice (e.g. two deletions alike) */
		if (g_array_index(m->nodes, RgPosting, *head - 1).anchor == anchor)
			return;
		p.next = *head;
		g_array_append_val(m->nodes, p);
		*head = m->nodes->len;
		return;
	}
	g_array_append_val(m->nodes, p);
	g_array_append_val(m->first, m->nodes->len);
	g_hash_table_insert(
	    m->heads, g_string_chunk_insert(m->keys, key), GUINT_TO_POINTER(m->first->len));
}

/* the 1-based index of the first node under @key, 0 for none */
static guint
rg_multimap_first(RgMultimap *m, const char *key)
{
	guint slot = GPOINTER_TO_UINT(g_hash_table_lookup(m->heads, key));
	return slot != 0 ? g_array_index(m->first, guint, slot - 1) : 0;
}

/* calls @func for every anchor stored under @key */
#define RG_MULTIMAP_FOREACH(m, key, var)                                                           \
	for (guint _n = rg_multimap_first((m), (key)), var = 0;                                    \
	     _n != 0 && ((var = g_array_index((m)->nodes, RgPosting, _n - 1).anchor), TRUE);       \
	     _n = g_array_index((m)->nodes, RgPosting, _n - 1).next)

struct _RgLookalikeIndex {
	RgDomains *domains;       /* borrowed */
	RgConfusable *confusable; /* borrowed */
	GPtrArray *anchors;       /* RgAnchor */
	GHashTable *by_ascii;     /* ascii → id + 1 */
	RgMultimap names;
	RgMultimap labels; /* of groups, as are deletes, folds and fold_deletes */
	RgMultimap derived;
	RgMultimap deletes;
	/* Anchors with the same label and suffix (host1.example.com, host2.example.com) form a
	 * group, and the maps keyed by the label hold the group once: a typed domain is judged
	 * once per group, and ten thousand subdomains of one domain in a message cost ten
	 * thousand lookups, not a hundred million comparisons. */
	GHashTable *group_by_key; /* "label\x1fsuffix" → group id + 1 */
	GArray *group_first;      /* group id → its first anchor */
	GArray *group_head;       /* group id → its latest anchor */
	GArray *anchor_next;      /* anchor id → the anchor added before it to its group, or
	                           * RG_NO_ANCHOR */
	/* built on first use: ICU folds of every group's label, and their deletions */
	gboolean folds_ready;
	guint folds_done; /* groups folded */
	RgMultimap folds;
	RgMultimap fold_deletes;
	GPtrArray *fold_of; /* group id → char * fold of the label */
};

#define RG_NO_ANCHOR G_MAXUINT

/* the members of group @gid, latest first */
#define RG_GROUP_FOREACH(self, gid, var)                                                           \
	for (guint var = g_array_index((self)->group_head, guint, (gid)); var != RG_NO_ANCHOR;     \
	     var = g_array_index((self)->anchor_next, guint, var))

static const RgAnchor *
rg_group_anchor(RgLookalikeIndex *self, guint gid)
{
	return g_ptr_array_index(self->anchors, g_array_index(self->group_first, guint, gid));
}

static void
rg_anchor_free(RgAnchor *a)
{
	g_free(a->ascii);
	g_free(a->unicode);
	g_free(a->name);
	g_free(a->label);
	g_free(a->suffix);
	g_free(a);
}

RgLookalikeIndex *
rg_lookalike_index_new(RgDomains *domains, RgConfusable *confusable)
{
	RgLookalikeIndex *self = g_new0(RgLookalikeIndex, 1);
	self->domains = domains;
	self->confusable = confusable;
	self->anchors = g_ptr_array_new_with_free_func((GDestroyNotify)rg_anchor_free);
	self->by_ascii = g_hash_table_new(g_str_hash, g_str_equal);
	rg_multimap_init(&self->names);
	rg_multimap_init(&self->labels);
	rg_multimap_init(&self->derived);
	rg_multimap_init(&self->deletes);
	self->fold_of = g_ptr_array_new_with_free_func(g_free);
	self->group_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->group_first = g_array_new(FALSE, FALSE, sizeof(guint));
	self->group_head = g_array_new(FALSE, FALSE, sizeof(guint));
	self->anchor_next = g_array_new(FALSE, FALSE, sizeof(guint));
	return self;
}

void
rg_lookalike_index_free(RgLookalikeIndex *self)
{
	if (self == NULL)
		return;
	rg_multimap_clear(&self->names);
	rg_multimap_clear(&self->labels);
	rg_multimap_clear(&self->derived);
	rg_multimap_clear(&self->deletes);
	rg_multimap_clear(&self->folds);
	rg_multimap_clear(&self->fold_deletes);
	g_hash_table_unref(self->by_ascii);
	g_ptr_array_unref(self->anchors);
	g_ptr_array_unref(self->fold_of);
	g_hash_table_unref(self->group_by_key);
	g_array_unref(self->group_first);
	g_array_unref(self->group_head);
	g_array_unref(self->anchor_next);
	g_free(self);
}

/* the last label of the part of @unicode before its last @n_suffix_labels labels; found
 * from the end, without splitting the whole name */
static char *
rg_unicode_label(const char *unicode, guint n_suffix_labels)
{
	const char *end = unicode + strlen(unicode);
	const char *start;

	/* past the suffix's labels: @end stops at the dot before them */
	for (guint i = 0; i < n_suffix_labels; i++) {
		while (end > unicode && end[-1] != '.')
			end--;
		if (end == unicode)
			return g_strdup("");
		end--;
	}
	for (start = end; start > unicode && start[-1] != '.'; start--)
		;
	return g_strndup(start, end - start);
}

static guint
rg_count_labels(const char *s)
{
	guint n = 1;
	for (; *s != '\0'; s++)
		if (*s == '.')
			n++;
	return n;
}

static char *
rg_strip_char(const char *s, char c)
{
	GString *out = g_string_sized_new(strlen(s));
	for (; *s != '\0'; s++)
		if (*s != c)
			g_string_append_c(out, *s);
	return g_string_free(out, FALSE);
}

/* calls @func with @key and every string one deletion from it (the symmetric-delete keys);
 * nothing for an empty key or one longer than the index looks into */
static void
rg_foreach_deletion(const char *key, RgLookalikeKeyFunc func, gpointer user_data)
{
	gsize len = strlen(key);
	char buf[RG_LOOKALIKE_MAX_LABEL];

	if (len == 0 || len >= sizeof(buf))
		return;
	func(RG_LOOKALIKE_KEY_DELETION, key, user_data);
	for (gsize i = 0; i < len; i++) {
		memcpy(buf, key, i);
		memcpy(buf + i, key + i + 1, len - i);
		func(RG_LOOKALIKE_KEY_DELETION, buf, user_data);
	}
}

typedef struct {
	RgMultimap *map;
	guint id;
} RgMultimapAdd;

static void
rg_multimap_add_cb(RgLookalikeKeyKind kind, const char *key, gpointer user_data)
{
	RgMultimapAdd *add = user_data;
	rg_multimap_add(add->map, key, add->id);
}

static void
rg_add_deletions(RgMultimap *m, const char *label, guint id)
{
	RgMultimapAdd add = {m, id};
	rg_foreach_deletion(label, rg_multimap_add_cb, &add);
}

/*
 * rg_lookalike_anchor_keys:
 * @name: everything before the public suffix ("us.navy")
 * @label: the last label of @name ("navy")
 * @suffix: the public suffix ("mil")
 * @func: called with each key and what kind of key it is
 *
 * The keys a known domain is found under: its name and label, the one-deletion
 * neighbourhood of its label, and the forms that run the name into the suffix (army-mil,
 * armymil, usaf, oxac, tonline). The index below keeps them in memory; the compiled built-in
 * knowledge stores the same keys for its domains, so that both find a typed domain's
 * candidates through the same keys (rg_lookalike_probe_keys()).
 */
void
rg_lookalike_anchor_keys(const char *name,
                         const char *label,
                         const char *suffix,
                         RgLookalikeKeyFunc func,
                         gpointer user_data)
{
	g_autofree char *suffix_nodots = NULL;

	if (name[0] == '\0')
		return;
	func(RG_LOOKALIKE_KEY_NAME, name, user_data);
	func(RG_LOOKALIKE_KEY_LABEL, label, user_data);
	rg_foreach_deletion(label, func, user_data);
	suffix_nodots = rg_strip_char(suffix, '.');
	{
		g_autofree char *joined = g_strconcat(label, suffix_nodots, NULL);
		g_autofree char *hyphened = g_strconcat(label, "-", suffix_nodots, NULL);
		func(RG_LOOKALIKE_KEY_DERIVED, joined, user_data);
		func(RG_LOOKALIKE_KEY_DERIVED, hyphened, user_data);
	}
	if (strchr(suffix, '.') != NULL) {
		g_autofree char *head = g_strndup(suffix, strcspn(suffix, "."));
		g_autofree char *joined_head = g_strconcat(label, head, NULL);
		func(RG_LOOKALIKE_KEY_DERIVED, joined_head, user_data);
	}
	if (strchr(name, '.') != NULL) {
		g_autofree char *name_nodots = rg_strip_char(name, '.');
		g_autofree char *name_hyphen = g_strdelimit(g_strdup(name), ".", '-');
		func(RG_LOOKALIKE_KEY_DERIVED, name_nodots, user_data);
		func(RG_LOOKALIKE_KEY_DERIVED, name_hyphen, user_data);
	}
	if (strchr(label, '-') != NULL) {
		g_autofree char *unhyphened = rg_strip_char(label, '-');
		func(RG_LOOKALIKE_KEY_DERIVED, unhyphened, user_data);
	}
}

typedef struct {
	RgLookalikeIndex *index;
	guint id;
	guint group;
	gboolean new_group; /* the label's keys are the group's, added with its first anchor */
} RgIndexAdd;

static void
rg_lookalike_index_add_key_cb(RgLookalikeKeyKind kind, const char *key, gpointer user_data)
{
	RgIndexAdd *add = user_data;
	RgLookalikeIndex *self = add->index;

	switch (kind) {
	case RG_LOOKALIKE_KEY_NAME:
		rg_multimap_add(&self->names, key, add->id);
		break;
	case RG_LOOKALIKE_KEY_LABEL:
		if (add->new_group)
			rg_multimap_add(&self->labels, key, add->group);
		break;
	case RG_LOOKALIKE_KEY_DELETION:
		if (add->new_group)
			rg_multimap_add(&self->deletes, key, add->group);
		break;
	case RG_LOOKALIKE_KEY_DERIVED:
	default:
		rg_multimap_add(&self->derived, key, add->id);
		break;
	}
}

/*
 * rg_lookalike_index_add:
 * Adds a known or protected domain. Adding the same domain again returns the first id.
 *
 * Returns: the anchor id
 */
guint
rg_lookalike_index_add(RgLookalikeIndex *self,
                       const char *ascii,
                       const char *unicode,
                       gpointer data)
{
	gpointer existing = g_hash_table_lookup(self->by_ascii, ascii);
	RgAnchor *a;
	RgIndexAdd add = {self, 0, 0, FALSE};
	g_autofree char *group_key = NULL;
	gpointer group;
	guint none = RG_NO_ANCHOR;

	if (existing != NULL)
		return GPOINTER_TO_UINT(existing) - 1;

	a = g_new0(RgAnchor, 1);
	a->ascii = g_strdup(ascii);
	a->unicode = g_strdup(unicode != NULL ? unicode : ascii);
	a->data = data;
	rg_domains_split(self->domains, ascii, &a->name, &a->label, &a->suffix);
	add.id = self->anchors->len;
	g_ptr_array_add(self->anchors, a);
	g_hash_table_insert(self->by_ascii, a->ascii, GUINT_TO_POINTER(add.id + 1));
	group_key = g_strconcat(
	    a->label != NULL ? a->label : "", "\x1f", a->suffix != NULL ? a->suffix : "", NULL);
	group = g_hash_table_lookup(self->group_by_key, group_key);
	if (group == NULL) {
		add.group = self->group_first->len;
		add.new_group = TRUE;
		g_array_append_val(self->group_first, add.id);
		g_array_append_val(self->group_head, none);
		g_hash_table_insert(self->group_by_key,
		                    g_steal_pointer(&group_key),
		                    GUINT_TO_POINTER(add.group + 1));
	} else {
		add.group = GPOINTER_TO_UINT(group) - 1;
	}
	g_array_append_val(self->anchor_next, g_array_index(self->group_head, guint, add.group));
	g_array_index(self->group_head, guint, add.group) = add.id;
	rg_lookalike_anchor_keys(a->name, a->label, a->suffix, rg_lookalike_index_add_key_cb, &add);
	self->folds_ready = FALSE;
	return add.id;
}

/*
 * rg_lookalike_index_lookup:
 * Returns: whether @ascii is an anchor already, with its id in @id
 */
gboolean
rg_lookalike_index_lookup(RgLookalikeIndex *self, const char *ascii, guint *id)
{
	gpointer existing = g_hash_table_lookup(self->by_ascii, ascii);

	if (existing == NULL)
		return FALSE;
	if (id != NULL)
		*id = GPOINTER_TO_UINT(existing) - 1;
	return TRUE;
}

guint
rg_lookalike_index_get_n_anchors(RgLookalikeIndex *self)
{
	return self->anchors->len;
}

const RgAnchor *
rg_lookalike_index_get_anchor(RgLookalikeIndex *self, guint id)
{
	g_return_val_if_fail(id < self->anchors->len, NULL);
	return g_ptr_array_index(self->anchors, id);
}

/* A fold as one byte per character: every non-ASCII character becomes \x01, so that the
 * deletion neighbourhood and the edit distance count characters, not UTF-8 bytes. */
static char *
rg_fold_key(const char *fold)
{
	GString *out = g_string_sized_new(strlen(fold));
	for (const char *p = fold; *p != '\0'; p = g_utf8_next_char(p))
		g_string_append_c(out, (guchar)*p < 0x80 ? *p : '\x01');
	return g_string_free(out, FALSE);
}

static gboolean
rg_has_digit(const char *s)
{
	for (; *s != '\0'; s++)
		if (g_ascii_isdigit(*s))
			return TRUE;
	return FALSE;
}

static void
rg_lookalike_index_ensure_folds(RgLookalikeIndex *self)
{
	if (self->folds_ready)
		return;
	if (self->folds.heads == NULL) {
		rg_multimap_init(&self->folds);
		rg_multimap_init(&self->fold_deletes);
	}
	/* groups only ever get appended: fold the new ones */
	for (guint id = self->folds_done; id < self->group_first->len; id++) {
		const RgAnchor *a = rg_group_anchor(self, id);
		g_autofree char *ulabel = rg_unicode_label(a->unicode, rg_count_labels(a->suffix));
		g_autofree char *fold =
		    ulabel[0] != '\0' ? rg_confusable_fold(self->confusable, ulabel) : NULL;
		g_autofree char *key = NULL;
		g_ptr_array_add(self->fold_of, fold != NULL ? rg_fold_key(fold) : NULL);
		if (fold == NULL)
			continue;
		rg_multimap_add(&self->folds, fold, id);
		key = rg_fold_key(fold);
		rg_add_deletions(&self->fold_deletes, key, id);
	}
	self->folds_done = self->group_first->len;
	self->folds_ready = TRUE;
}

static gboolean
rg_is_vowel(char c)
{
	return strchr("aeiouy", c) != NULL && c != '\0';
}

static const char *const rg_keyboards[][4] = {
    {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"}, /* QWERTY */
    {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"},  /* QWERTZ */
    {"1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"},  /* AZERTY */
};

/* whether @a and @b are neighbouring keys on a QWERTY, QWERTZ or AZERTY keyboard */
gboolean
rg_keyboard_adjacent(char a, char b)
{
	a = g_ascii_tolower(a);
	b = g_ascii_tolower(b);
	if (a == b || a == '\0' || b == '\0')
		return FALSE;
	for (guint k = 0; k < G_N_ELEMENTS(rg_keyboards); k++) {
		for (gint r = 0; r < 4; r++) {
			const char *pa = strchr(rg_keyboards[k][r], a);
			gint ia;
			if (pa == NULL)
				continue;
			ia = (gint)(pa - rg_keyboards[k][r]);
			/* rows are staggered: a key touches i-1, i+1 in its row, i, i+1 above and
			 * i-1, i below */
			for (gint dr = -1; dr <= 1; dr++) {
				const char *row;
				const char *pb;
				gint ib;
				if (r + dr < 0 || r + dr > 3)
					continue;
				row = rg_keyboards[k][r + dr];
				pb = strchr(row, b);
				if (pb == NULL)
					continue;
				ib = (gint)(pb - row);
				if (dr == 0 && (ib == ia - 1 || ib == ia + 1))
					return TRUE;
				if (dr == -1 && (ib == ia || ib == ia + 1))
					return TRUE;
				if (dr == 1 && (ib == ia || ib == ia - 1))
					return TRUE;
			}
		}
	}
	return FALSE;
}

/* optimal string alignment distance, stopping early above @max */
guint
rg_lookalike_damerau(const char *a, const char *b, guint max)
{
	gsize la = strlen(a);
	gsize lb = strlen(b);
	/* the matrix of two labels fits on the stack; longer text gets one from the heap */
	guint stack[32 * 32];
	g_autofree guint *heap = NULL;
	guint *d = stack;
	gsize w = lb + 1;

	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	if ((la + 1) * (lb + 1) > G_N_ELEMENTS(stack))
		d = heap = g_new(guint, (la + 1) * (lb + 1));
	for (gsize i = 0; i <= la; i++)
		d[i * w] = i;
	for (gsize j = 0; j <= lb; j++)
		d[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint row_min = G_MAXUINT;
		for (gsize j = 1; j <= lb; j++) {
			guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
			guint v = MIN(MIN(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1),
			              d[(i - 1) * w + j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				v = MIN(v, d[(i - 2) * w + j - 2] + 1);
			d[i * w + j] = v;
			row_min = MIN(row_min, v);
		}
		if (row_min > max)
			return max + 1;
	}
	return d[la * w + lb];
}

/*
 * rg_lookalike_classify_edit:
 * Names the single edit that turns @known into @typed, or %RG_SIMILAR_NONE when they are not
 * exactly one edit apart.
 */
RgSimilarKind
rg_lookalike_classify_edit(const char *typed, const char *known, gboolean *keyboard)
{
	gsize lt = strlen(typed);
	gsize lk = strlen(known);
	gsize p = 0;
	gboolean kb = FALSE;
	RgSimilarKind kind = RG_SIMILAR_NONE;

	while (p < lt && p < lk && typed[p] == known[p])
		p++;
	if (lt == lk + 1) {
		char c = typed[p];
		if (strcmp(typed + p + 1, known + p) != 0) {
			/* the insertion may sit later in a run of equal letters */
			if (rg_lookalike_damerau(typed, known, 1) != 1)
				return RG_SIMILAR_NONE;
		}
		if (c == '-')
			kind = RG_SIMILAR_HYPHENATION;
		else if ((p > 0 && typed[p - 1] == c) || typed[p + 1] == c)
			kind = RG_SIMILAR_REPETITION;
		else if (p == lk)
			kind = RG_SIMILAR_ADDITION;
		else {
			kind = RG_SIMILAR_INSERTION;
			kb = (p > 0 && rg_keyboard_adjacent(c, typed[p - 1])) ||
			     rg_keyboard_adjacent(c, typed[p + 1]);
		}
	} else if (lk == lt + 1) {
		if (strcmp(typed + p, known + p + 1) != 0 &&
		    rg_lookalike_damerau(typed, known, 1) != 1)
			return RG_SIMILAR_NONE;
		kind = known[p] == '-' ? RG_SIMILAR_HYPHENATION : RG_SIMILAR_OMISSION;
	} else if (lt == lk && p < lt) {
		char a = typed[p];
		char b = known[p];
		if (strcmp(typed + p + 1, known + p + 1) == 0) {
			guint x = (guchar)a ^ (guchar)b;
			if (rg_is_vowel(a) && rg_is_vowel(b))
				kind = RG_SIMILAR_VOWEL_SWAP;
			else if ((x & (x - 1)) == 0)
				kind = RG_SIMILAR_BITSQUATTING;
			else
				kind = RG_SIMILAR_REPLACEMENT;
			kb = rg_keyboard_adjacent(a, b);
		} else if (p + 1 < lt && typed[p] == known[p + 1] && typed[p + 1] == known[p] &&
		           strcmp(typed + p + 2, known + p + 2) == 0) {
			kind = RG_SIMILAR_TRANSPOSITION;
		}
	}
	if (keyboard != NULL)
		*keyboard = kb;
	return kind;
}

/* whether a TLD swap is a near one: one edit apart ("ml"/"mil"), or one label of a
 * multi-label suffix dropped or added ("uk"/"co.uk") */
gboolean
rg_suffix_is_near(const char *typed, const char *known)
{
	gsize lt = strlen(typed);
	gsize lk = strlen(known);

	if (rg_lookalike_damerau(typed, known, 1) <= 1)
		return TRUE;
	if (lk > lt && (g_str_has_suffix(known, typed) && known[lk - lt - 1] == '.'))
		return TRUE;
	if (lk > lt && (g_str_has_prefix(known, typed) && known[lt] == '.'))
		return TRUE;
	if (lt > lk && (g_str_has_suffix(typed, known) && typed[lt - lk - 1] == '.'))
		return TRUE;
	if (lt > lk && (g_str_has_prefix(typed, known) && typed[lk] == '.'))
		return TRUE;
	return FALSE;
}

static void
rg_matches_add(GArray *out, GHashTable *seen, RgMatch *m)
{
	/* keep the first (strongest) match per anchor; callers add the strongest kinds first */
	if (g_hash_table_contains(seen, GUINT_TO_POINTER(m->anchor + 1)))
		return;
	g_hash_table_add(seen, GUINT_TO_POINTER(m->anchor + 1));
	g_array_append_val(out, *m);
}

static gboolean
rg_same_sub(const char *typed_name, const RgAnchor *a)
{
	const char *td = strrchr(typed_name, '.');
	const char *ad = strrchr(a->name, '.');
	gsize tl = td != NULL ? (gsize)(td - typed_name) : 0;
	gsize al = ad != NULL ? (gsize)(ad - a->name) : 0;
	return tl == al && strncmp(typed_name, a->name, tl) == 0;
}

/* every member of group @gid as a match of @kind, latest first */
static void
rg_matches_add_group(RgLookalikeIndex *self,
                     GArray *out,
                     GHashTable *seen,
                     guint gid,
                     const char *typed_name,
                     RgSimilarKind kind,
                     gboolean suffix_near)
{
	RG_GROUP_FOREACH(self, gid, id)
	{
		RgMatch m = {id, kind};
		m.suffix_near = suffix_near;
		m.same_sub = rg_same_sub(typed_name, g_ptr_array_index(self->anchors, id));
		rg_matches_add(out, seen, &m);
	}
}

/* the deletion neighbourhood of a typed label or fold, as probes */
typedef struct {
	RgLookalikeProbe probe;
	RgLookalikeProbeFunc func;
	gpointer user_data;
} RgProbeEmit;

static void
rg_probe_emit_cb(RgLookalikeKeyKind kind, const char *key, gpointer user_data)
{
	RgProbeEmit *e = user_data;
	e->probe.key = key;
	e->func(&e->probe, e->user_data);
}

static void
rg_probe(RgProbeEmit *e, RgLookalikeProbeKind kind, const char *key, gboolean deletions)
{
	e->probe.kind = kind;
	if (deletions) {
		rg_foreach_deletion(key, rg_probe_emit_cb, e);
		return;
	}
	e->probe.key = key;
	e->func(&e->probe, e->user_data);
}

/*
 * rg_lookalike_probe_keys:
 * @ascii: the typed domain, ASCII form
 * @unicode: the same, Unicode form
 * @func: called with each key and what a domain found under it must be like
 *
 * The keys (rg_lookalike_anchor_keys()) under which a known domain that @ascii may be a typo
 * of is stored, for every kind of match rg_lookalike_index_find() knows except a word added
 * to a name. A superset: a store of keys (the compiled built-in knowledge) hands over the
 * domains found under them that rg_lookalike_probe_fits() lets through, and the index judges
 * those. For look-alike letters the fold of the label is probed with its sequences turned
 * back into plain letters ("arrny" → "army"), since the stored keys are the plain names; a
 * fold one letter off is probed only where the index looks for one (internationalised names,
 * digits). Keys may repeat.
 */
void
rg_lookalike_probe_keys(RgDomains *domains,
                        RgConfusable *confusable,
                        const char *ascii,
                        const char *unicode,
                        RgLookalikeProbeFunc func,
                        gpointer user_data)
{
	g_autofree char *name = NULL;
	g_autofree char *label = NULL;
	g_autofree char *suffix = NULL;
	g_autofree char *ulabel = NULL;
	g_autofree char *fold = NULL;
	RgProbeEmit e = {{0}, func, user_data};

	if (!rg_domains_split(domains, ascii, &name, &label, &suffix))
		return;
	e.probe.label = label;
	e.probe.suffix = suffix;
	/* the same name or label under another suffix; the name run into the suffix */
	rg_probe(&e, RG_LOOKALIKE_PROBE_ANY, name, FALSE);
	rg_probe(&e, RG_LOOKALIKE_PROBE_ANY, label, FALSE);
	/* a dot inside the name, a hyphen added */
	if (strchr(name, '.') != NULL) {
		g_autofree char *joined = rg_strip_char(name, '.');
		rg_probe(&e, RG_LOOKALIKE_PROBE_ANY, joined, FALSE);
	}
	if (strchr(label, '-') != NULL) {
		g_autofree char *unhyphened = rg_strip_char(label, '-');
		rg_probe(&e, RG_LOOKALIKE_PROBE_ANY, unhyphened, FALSE);
	}
	/* one edit in the label */
	rg_probe(&e, RG_LOOKALIKE_PROBE_ONE_EDIT, label, TRUE);
	/* look-alike letters: the same fold, or one character off where the index looks */
	ulabel = rg_unicode_label(unicode != NULL ? unicode : ascii, rg_count_labels(suffix));
	fold = ulabel[0] != '\0' ? rg_confusable_fold(confusable, ulabel) : NULL;
	if (fold != NULL) {
		g_autofree char *key = rg_fold_key(fold);
		g_autofree char *plain = rg_confusable_unfold(confusable, key);
		gboolean one_off = g_str_has_prefix(label, "xn--") ||
		                   strstr(ascii, "xn--") != NULL || rg_has_digit(label);
		if (one_off && strcmp(key, label) != 0)
			rg_probe(&e, RG_LOOKALIKE_PROBE_FOLD, key, TRUE);
		if (strcmp(plain, label) != 0 && strcmp(plain, key) != 0)
			rg_probe(&e, RG_LOOKALIKE_PROBE_FOLD, plain, one_off);
	}
}

/*
 * rg_lookalike_probe_fits:
 * @probe: a probe of rg_lookalike_probe_keys()
 * @candidate_ascii: a domain found under its key
 *
 * A cheap first sifting, before the index judges: a one-edit or look-alike candidate must sit
 * under the typed domain's suffix, and a one-edit one's name must be one edit away.
 *
 * Returns: whether @candidate_ascii may be a match
 */
/* whether @a (@la bytes) and @b (@lb bytes) are at most one insertion, deletion,
 * replacement or swap of neighbours apart; no allocation, for sifting many candidates */
static gboolean
rg_within_one_edit(const char *a, gsize la, const char *b, gsize lb)
{
	gsize p = 0;

	if (la > lb + 1 || lb > la + 1)
		return FALSE;
	while (p < la && p < lb && a[p] == b[p])
		p++;
	if (la == lb) {
		if (p == la)
			return TRUE;
		/* replaced, or swapped with the next */
		if (memcmp(a + p + 1, b + p + 1, la - p - 1) == 0)
			return TRUE;
		return p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] &&
		       memcmp(a + p + 2, b + p + 2, la - p - 2) == 0;
	}
	/* one more character in the longer one */
	if (la > lb)
		return memcmp(a + p + 1, b + p, lb - p) == 0;
	return memcmp(a + p, b + p + 1, la - p) == 0;
}

gboolean
rg_lookalike_probe_fits(const RgLookalikeProbe *probe, const char *candidate_ascii)
{
	gsize n = strlen(candidate_ascii);
	gsize sl = strlen(probe->suffix);
	const char *end;
	const char *start;

	if (probe->kind == RG_LOOKALIKE_PROBE_ANY)
		return TRUE;
	if (n <= sl + 1 || candidate_ascii[n - sl - 1] != '.' ||
	    strcmp(candidate_ascii + n - sl, probe->suffix) != 0)
		return FALSE;
	if (probe->kind == RG_LOOKALIKE_PROBE_FOLD)
		return TRUE;
	/* the candidate's last label before the suffix */
	end = candidate_ascii + n - sl - 1;
	for (start = end; start > candidate_ascii && start[-1] != '.'; start--)
		;
	return rg_within_one_edit(probe->label, strlen(probe->label), start, (gsize)(end - start));
}

/* a word added before or after a known name: access-army.mil, chaseclick.com. The label is
 * cut at every place into the known part and the word, in two buffers made once: copies per
 * cut were most of the allocations of a check. */
static void
rg_lookalike_index_find_affix(RgLookalikeIndex *self,
                              GArray *out,
                              GHashTable *seen,
                              const char *name,
                              const char *label,
                              const char *suffix)
{
	gsize ll = strlen(label);
	g_autofree char *known = NULL;
	g_autofree char *word = NULL;

	if (ll < 4)
		return;
	known = g_malloc(ll + 1);
	word = g_malloc(ll + 1);
	for (gsize i = 2; i + 2 <= ll; i++) {
		for (guint side = 0; side < 2; side++) {
			const char *k = side == 0 ? label + i : label;
			gsize kl = side == 0 ? ll - i : i;
			const char *extra = side == 0 ? label : label + i;
			gsize el = side == 0 ? i : ll - i;
			/* the hyphen belongs to neither */
			if (side == 0 && k[0] == '-') {
				k++;
				kl--;
			}
			if (side == 1 && k[kl - 1] == '-')
				kl--;
			memcpy(known, k, kl);
			known[kl] = '\0';
			memcpy(word, extra, el);
			word[el] = '\0';
			g_strdelimit(word, "-", ' ');
			g_strstrip(word);
			if (kl < 2 || strlen(word) < 2)
				continue;
			RG_MULTIMAP_FOREACH (&self->labels, known, gid) {
				if (strcmp(rg_group_anchor(self, gid)->suffix, suffix) != 0)
					continue;
				RG_GROUP_FOREACH(self, gid, id)
				{
					RgMatch m = {id, RG_SIMILAR_AFFIX};
					g_strlcpy(m.affix, word, sizeof(m.affix));
					m.separated = memchr(extra, '-', el) != NULL;
					m.same_sub =
					    rg_same_sub(name, g_ptr_array_index(self->anchors, id));
					rg_matches_add(out, seen, &m);
				}
			}
		}
	}
}

/*
 * rg_lookalike_index_find:
 * @ascii: the typed domain, ASCII form
 * @unicode: the same, Unicode form
 *
 * Returns: (transfer full) (element-type RgMatch): the known domains @ascii is a lookalike
 *   of, strongest kind first per anchor; empty when none
 */
GArray *
rg_lookalike_index_find(RgLookalikeIndex *self, const char *ascii, const char *unicode)
{
	g_autoptr(GArray) out = g_array_new(FALSE, TRUE, sizeof(RgMatch));
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	g_autofree char *name = NULL;
	g_autofree char *label = NULL;
	g_autofree char *suffix = NULL;
	g_autofree char *ulabel = NULL;
	gsize ll;
	gboolean is_idn;

	if (!rg_domains_split(self->domains, ascii, &name, &label, &suffix))
		return g_steal_pointer(&out);
	ll = strlen(label);
	is_idn = g_str_has_prefix(label, "xn--") || strstr(ascii, "xn--") != NULL;

	/* confusables and homoglyphs: compare ICU folds of the label */
	if (self->anchors->len > 0) {
		g_autofree char *fold = NULL;
		ulabel = rg_unicode_label(unicode, rg_count_labels(suffix));
		rg_lookalike_index_ensure_folds(self);
		fold = rg_confusable_fold(self->confusable, ulabel);
		if (fold != NULL) {
			RG_MULTIMAP_FOREACH (&self->folds, fold, gid) {
				const RgAnchor *g = rg_group_anchor(self, gid);
				if (strcmp(g->label, label) == 0)
					continue;
				if (strcmp(g->suffix, suffix) != 0)
					continue;
				rg_matches_add_group(
				    self, out, seen, gid, name, RG_SIMILAR_CONFUSABLE, FALSE);
			}
			/* one character off after folding: IDN homoglyphs (ьоѕсһ for bosch), and
			 * ASCII digits for letters (te1ekom) */
			if (is_idn || rg_has_digit(label)) {
				g_autofree char *key = rg_fold_key(fold);
				char buf[256];
				gsize fl = strlen(key);
				for (gsize i = 0; i <= fl && fl < sizeof(buf); i++) {
					if (i == fl) {
						g_strlcpy(buf, key, sizeof(buf));
					} else {
						memcpy(buf, key, i);
						memcpy(buf + i, key + i + 1, fl - i);
					}
					RG_MULTIMAP_FOREACH (&self->fold_deletes, buf, gid) {
						const RgAnchor *g = rg_group_anchor(self, gid);
						const char *gkey =
						    g_ptr_array_index(self->fold_of, gid);
						if (gkey == NULL || strcmp(g->suffix, suffix) != 0)
							continue;
						if (strcmp(g->label, label) == 0)
							continue;
						/* short names have too many ASCII neighbours (b9,
						 * bt) */
						if (!is_idn && strlen(g->label) < 4)
							continue;
						if (rg_lookalike_damerau(key, gkey, 1) > 1)
							continue;
						rg_matches_add_group(self,
						                     out,
						                     seen,
						                     gid,
						                     name,
						                     RG_SIMILAR_HOMOGLYPH,
						                     FALSE);
					}
				}
			}
		}
	}

	/* the same name under another suffix */
	RG_MULTIMAP_FOREACH (&self->names, name, id) {
		const RgAnchor *a = g_ptr_array_index(self->anchors, id);
		RgMatch m = {id, RG_SIMILAR_TLD_SWAP};
		if (strcmp(a->suffix, suffix) == 0)
			continue;
		m.suffix_near = rg_suffix_is_near(suffix, a->suffix);
		m.same_sub = TRUE;
		rg_matches_add(out, seen, &m);
	}
	RG_MULTIMAP_FOREACH (&self->labels, label, gid) {
		const RgAnchor *g = rg_group_anchor(self, gid);
		gboolean near;
		if (strcmp(g->suffix, suffix) == 0)
			continue;
		near = rg_suffix_is_near(suffix, g->suffix);
		/* project.github.io is a host under a platform, not army.mil mistyped: a typo
		 * drops labels or keeps them, it does not invent new ones; so only the member
		 * with the same labels on the left counts, unless none were typed */
		if (strcmp(name, label) == 0) {
			rg_matches_add_group(self, out, seen, gid, name, RG_SIMILAR_TLD_SWAP, near);
		} else {
			g_autofree char *twin = g_strconcat(name, ".", g->suffix, NULL);
			guint id;
			if (rg_lookalike_index_lookup(self, twin, &id)) {
				RgMatch m = {id, RG_SIMILAR_TLD_SWAP};
				m.same_sub = TRUE;
				m.suffix_near = near;
				rg_matches_add(out, seen, &m);
			}
		}
	}

	/* a dot inside the name: g.mail.com, m.it.edu */
	if (strchr(name, '.') != NULL) {
		g_autofree char *joined = rg_strip_char(name, '.');
		RG_MULTIMAP_FOREACH (&self->labels, joined, gid) {
			RG_GROUP_FOREACH(self, gid, id)
			{
				RgMatch m = {id, RG_SIMILAR_SUBDOMAIN};
				m.same_sub = TRUE;
				rg_matches_add(out, seen, &m);
			}
		}
		RG_MULTIMAP_FOREACH (&self->names, joined, id) {
			RgMatch m = {id, RG_SIMILAR_SUBDOMAIN};
			m.same_sub = TRUE;
			rg_matches_add(out, seen, &m);
		}
	}

	/* name and suffix run together: army-mil.com, armymil.mil, usaf.mil, oxac.uk */
	RG_MULTIMAP_FOREACH (&self->derived, label, id) {
		const RgAnchor *a = g_ptr_array_index(self->anchors, id);
		g_autofree char *unhyphened = rg_strip_char(a->label, '-');
		RgMatch m = {id, RG_SIMILAR_EMBEDDING};
		/* t-online → tonline is a dropped hyphen, not an embedding */
		if (strcmp(unhyphened, label) == 0)
			m.kind = RG_SIMILAR_HYPHENATION;
		m.same_sub = TRUE;
		rg_matches_add(out, seen, &m);
	}

	/* hyphens added: boei-ng.com */
	if (strchr(label, '-') != NULL) {
		g_autofree char *unhyphened = rg_strip_char(label, '-');
		RG_MULTIMAP_FOREACH (&self->labels, unhyphened, gid) {
			if (strcmp(rg_group_anchor(self, gid)->suffix, suffix) != 0)
				continue;
			rg_matches_add_group(
			    self, out, seen, gid, name, RG_SIMILAR_HYPHENATION, FALSE);
		}
	}

	/* one edit in the label: probe the label and its deletions */
	if (ll > 0 && ll < 256) {
		char buf[256];
		for (gsize i = 0; i <= ll; i++) {
			if (i == ll) {
				g_strlcpy(buf, label, sizeof(buf));
			} else {
				memcpy(buf, label, i);
				memcpy(buf + i, label + i + 1, ll - i);
			}
			RG_MULTIMAP_FOREACH (&self->deletes, buf, gid) {
				const RgAnchor *g = rg_group_anchor(self, gid);
				RgSimilarKind kind;
				gboolean keyboard = FALSE;
				if (strcmp(g->suffix, suffix) != 0)
					continue;
				kind = rg_lookalike_classify_edit(label, g->label, &keyboard);
				if (kind == RG_SIMILAR_NONE)
					continue;
				RG_GROUP_FOREACH(self, gid, id)
				{
					RgMatch m = {id, kind, keyboard};
					m.same_sub =
					    rg_same_sub(name, g_ptr_array_index(self->anchors, id));
					rg_matches_add(out, seen, &m);
				}
			}
		}
	}

	rg_lookalike_index_find_affix(self, out, seen, name, label, suffix);
	return g_steal_pointer(&out);
}

/* whether @kind is one character inserted, deleted, replaced or moved */
gboolean
rg_similar_is_one_character(RgSimilarKind kind)
{
	switch (kind) {
	case RG_SIMILAR_OMISSION:
	case RG_SIMILAR_ADDITION:
	case RG_SIMILAR_INSERTION:
	case RG_SIMILAR_REPLACEMENT:
	case RG_SIMILAR_TRANSPOSITION:
	case RG_SIMILAR_REPETITION:
	case RG_SIMILAR_BITSQUATTING:
	case RG_SIMILAR_VOWEL_SWAP:
		return TRUE;
	default:
		return FALSE;
	}
}

const char *
rg_similar_kind_to_string(RgSimilarKind kind)
{
	static const char *const names[] = {
	    "none",
	    "tld-swap",
	    "omission",
	    "addition",
	    "insertion",
	    "replacement",
	    "transposition",
	    "repetition",
	    "bitsquatting",
	    "vowel-swap",
	    "hyphenation",
	    "subdomain",
	    "embedding",
	    "affix",
	    "homoglyph",
	    "confusable",
	};
	if ((guint)kind >= G_N_ELEMENTS(names))
		return "unknown";
	return names[kind];
}
