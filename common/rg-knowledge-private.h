/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: the compiled form of the built-in knowledge, shared by its writer
 * (rg-knowledge-data.c, at build time) and its reader (rg-knowledge.c).
 *
 * One file, little-endian 32-bit words: a header, three tables of fixed-size rows sorted by
 * their key, and a pool of NUL-terminated strings that the rows point into (offset 0 is the
 * empty string, which stands for "none"). The keys of each table come first in the pool, in
 * row order, so that a binary search touches few pages. Mapped read-only; nothing is parsed at
 * load. */

#define RG_KNOWLEDGE_FILE "knowledge.bin"
#define RG_KNOWLEDGE_MAGIC "RGKB"
#define RG_KNOWLEDGE_VERSION 1

typedef enum {
	RG_KNOWLEDGE_TABLE_TLDS = 1,  /* tld, kind, cctld list, other list (lists comma-joined) */
	RG_KNOWLEDGE_TABLE_STAKES,    /* domain, tld, kind, organisation */
	RG_KNOWLEDGE_TABLE_PROVIDERS, /* domain, rank, band, typo_of */
} RgKnowledgeTable;

#define RG_KNOWLEDGE_N_TABLES 3
#define RG_KNOWLEDGE_ROW_WORDS 4

typedef struct {
	guint32 id;
	guint32 n_rows;
	guint32 rows_offset; /* from the start of the file, a multiple of 4 */
	guint32 reserved;
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
