/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: the compiled form of the built-in knowledge, shared by its writer
 * (rg-knowledge-data.c, at build time) and its reader (rg-knowledge.c).
 *
 * One file, little-endian 32-bit words: a header, tables of fixed-size rows, and a pool of
 * NUL-terminated strings that the rows point into (offset 0 is the empty string, which stands
 * for "none"). The first three tables are the data files, sorted by their key; the keys of
 * each table come first in the pool, in row order, so that a binary search touches few pages.
 * The last three are the look-alike keys of the well-known domains and of the providers a typed
 * domain is compared with (rg_lookalike_anchor_keys(): name, label, one-deletion neighbourhood,
 * derived forms), so that a typed domain's candidates are found without building an index at
 * start-up: the keys sorted, their postings, and an open-addressing hash of the keys (a typed
 * domain asks a dozen keys, most of them absent). Mapped read-only; nothing is parsed at load. */

#define RG_KNOWLEDGE_FILE "knowledge.bin"
#define RG_KNOWLEDGE_MAGIC "RGKB"
#define RG_KNOWLEDGE_VERSION 2

typedef enum {
	/* tld, kind, cctld list, other list (lists comma-joined), neighbour_first_contact */
	RG_KNOWLEDGE_TABLE_TLDS = 1,
	RG_KNOWLEDGE_TABLE_STAKES,    /* domain, tld, kind, organisation */
	RG_KNOWLEDGE_TABLE_PROVIDERS, /* domain, rank, band, typo_of */
	RG_KNOWLEDGE_TABLE_KEYS,      /* look-alike key, first posting, number of postings */
	RG_KNOWLEDGE_TABLE_POSTINGS,  /* one reference: RG_KNOWLEDGE_REF() */
	RG_KNOWLEDGE_TABLE_KEY_SLOTS, /* a power of two of slots: a key row + 1, or 0 */
} RgKnowledgeTable;

#define RG_KNOWLEDGE_N_TABLES 6

/* the providers of this band or better are the ones a typed domain is compared with (their
 * look-alike keys are compiled); the others are listed, for what a typed domain is */
#define RG_KNOWLEDGE_KEYED_BAND 3

/* where a key's slot search starts: FNV-1a, the same at build and at run time */
static inline guint32
rg_knowledge_key_hash(const char *key)
{
	guint32 h = 2166136261u;
	for (const guchar *p = (const guchar *)key; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}
#define RG_KNOWLEDGE_MAX_ROW_WORDS 5

/* a row of the high-stakes or the providers table, as a posting */
#define RG_KNOWLEDGE_REF(table, row) (((guint32)(table) << 24) | (guint32)(row))
#define RG_KNOWLEDGE_REF_TABLE(ref) ((ref) >> 24)
#define RG_KNOWLEDGE_REF_ROW(ref) ((ref)&0xffffff)

typedef struct {
	guint32 id;
	guint32 n_rows;
	guint32 rows_offset; /* from the start of the file, a multiple of 4 */
	guint32 row_words;   /* the words in one row */
} RgKnowledgeTableEntry;

typedef struct {
	char magic[4];
	guint32 version;
	guint32 file_size;
	guint32 pool_offset;
	guint32 pool_size;  /* the pool ends with a NUL */
	guint32 provenance; /* pool offset: the source files' header lines */
	RgKnowledgeTableEntry tables[RG_KNOWLEDGE_N_TABLES];
} RgKnowledgeHeader;

G_STATIC_ASSERT(sizeof(RgKnowledgeHeader) == 24 + 16 * RG_KNOWLEDGE_N_TABLES);
