/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The only file that talks to ICU: Unicode TR39 skeletons (uspoof) and a looser fold that
 * also drops diacritics and maps Latin letters without a decomposition (ł, đ, ħ) to ASCII,
 * for homoglyph domains that are not TR39 confusables. */
#include "config.h"

#include <string.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "rg-confusable.h"
#include "rg-error.h"

struct _RgConfusable {
	USpoofChecker *spoof;
	UTransliterator *fold; /* opened on first use */
	gboolean fold_failed;
	GHashTable *fold_cache; /* label → fold; labels repeat across messages */
	/* the ASCII letters whose fold is longer than themselves ("m" → "rn"), made on first use
	 * from ICU's own data: fold → letter, longest folds first */
	GPtrArray *letter_folds;
	GPtrArray *letter_of;
};

#define RG_CONFUSABLE_CACHE_MAX 65536

RgConfusable *
rg_confusable_new(GError **error)
{
	g_autoptr(RgConfusable) self = g_new0(RgConfusable, 1);
	UErrorCode status = U_ZERO_ERROR;

	self->fold_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->spoof = uspoof_open(&status);
	if (U_FAILURE(status)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_FAILED,
		            "cannot open ICU spoof checker: %s",
		            u_errorName(status));
		return NULL;
	}
	/* the transliterator is opened on first use (rg_confusable_get_fold()): building ICU's
	 * transliterator registry was 83 % of a check's start-up, and only non-ASCII text needs
	 * it */
	return g_steal_pointer(&self);
}

/* the looser fold's transliterator, opened on first use; NULL (said once) when ICU cannot */
static UTransliterator *
rg_confusable_get_fold(RgConfusable *self)
{
	static const char fold_id[] = "NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; Lower; NFC";
	UChar id[sizeof(fold_id)];
	UErrorCode status = U_ZERO_ERROR;

	if (self->fold != NULL || self->fold_failed)
		return self->fold;
	u_uastrcpy(id, fold_id);
	self->fold = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
	if (U_FAILURE(status)) {
		/* not a user's sentence: ICU's data is broken; the TR39 skeleton still applies */
		g_warning("cannot open ICU transliterator: %s", u_errorName(status));
		self->fold = NULL;
		self->fold_failed = TRUE;
	}
	return self->fold;
}

void
rg_confusable_free(RgConfusable *self)
{
	if (self == NULL)
		return;
	if (self->spoof != NULL)
		uspoof_close(self->spoof);
	if (self->fold != NULL)
		utrans_close(self->fold);
	if (self->fold_cache != NULL)
		g_hash_table_unref(self->fold_cache);
	g_clear_pointer(&self->letter_folds, g_ptr_array_unref);
	g_clear_pointer(&self->letter_of, g_ptr_array_unref);
	g_free(self);
}

static UChar *
rg_confusable_to_uchar(const char *utf8, int32_t *len)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = 0;
	UChar *buf;

	u_strFromUTF8(NULL, 0, &n, utf8, -1, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	status = U_ZERO_ERROR;
	buf = g_new0(UChar, n + 1);
	u_strFromUTF8(buf, n + 1, len, utf8, -1, &status);
	if (U_FAILURE(status)) {
		g_free(buf);
		return NULL;
	}
	return buf;
}

static char *
rg_confusable_to_utf8(const UChar *s, int32_t len)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = 0;
	char *buf;

	u_strToUTF8(NULL, 0, &n, s, len, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	status = U_ZERO_ERROR;
	buf = g_new0(char, n + 1);
	u_strToUTF8(buf, n + 1, NULL, s, len, &status);
	if (U_FAILURE(status)) {
		g_free(buf);
		return NULL;
	}
	return buf;
}

/*
 * rg_confusable_skeleton:
 * Returns: (transfer full) (nullable): the lower-cased TR39 skeleton of @utf8
 */
char *
rg_confusable_skeleton(RgConfusable *self, const char *utf8)
{
	UErrorCode status = U_ZERO_ERROR;
	g_autofree UChar *src = NULL;
	g_autofree UChar *dst = NULL;
	g_autofree char *out = NULL;
	int32_t len = 0;
	int32_t n;

	src = rg_confusable_to_uchar(utf8, &len);
	if (src == NULL)
		return NULL;
	n = uspoof_getSkeleton(self->spoof, 0, src, len, NULL, 0, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	status = U_ZERO_ERROR;
	dst = g_new0(UChar, n + 1);
	uspoof_getSkeleton(self->spoof, 0, src, len, dst, n + 1, &status);
	if (U_FAILURE(status))
		return NULL;
	out = rg_confusable_to_utf8(dst, n);
	if (out == NULL)
		return NULL;
	/* skeletons keep case distinctions (0 → O); domains have none */
	return g_utf8_strdown(out, -1);
}

/*
 * rg_confusable_fold:
 * Returns: (transfer full) (nullable): @utf8 without diacritics, transliterated to ASCII where
 *   ICU knows how, then reduced to its skeleton
 */
static gboolean
rg_is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((guchar)*s >= 0x80)
			return FALSE;
	return TRUE;
}

static char *
rg_confusable_fold_uncached(RgConfusable *self, const char *utf8)
{
	UErrorCode status = U_ZERO_ERROR;
	g_autofree UChar *buf = NULL;
	g_autofree char *folded = NULL;
	g_autofree char *skel = NULL;
	int32_t len = 0;
	int32_t cap;
	int32_t limit;
	UTransliterator *fold;

	/* skeleton first, so Cyrillic and Greek lookalikes become Latin before accents go */
	skel = rg_confusable_skeleton(self, utf8);
	if (skel == NULL)
		return NULL;
	/* the transliteration only changes non-ASCII text */
	if (rg_is_ascii(skel))
		return g_steal_pointer(&skel);
	fold = rg_confusable_get_fold(self);
	if (fold == NULL)
		return NULL;
	buf = rg_confusable_to_uchar(skel, &len);
	if (buf == NULL)
		return NULL;
	cap = len * 4 + 16;
	buf = g_renew(UChar, g_steal_pointer(&buf), cap);
	limit = len;
	utrans_transUChars(fold, buf, &len, cap, 0, &limit, &status);
	if (U_FAILURE(status))
		return NULL;
	folded = rg_confusable_to_utf8(buf, len);
	if (folded == NULL)
		return NULL;
	return rg_confusable_skeleton(self, folded);
}

/*
 * rg_confusable_fold:
 * Returns: (transfer full) (nullable): @utf8 without diacritics, transliterated to ASCII where
 *   ICU knows how, then reduced to its skeleton
 */
char *
rg_confusable_fold(RgConfusable *self, const char *utf8)
{
	const char *cached = g_hash_table_lookup(self->fold_cache, utf8);
	char *fold;

	if (cached != NULL)
		return g_strdup(cached);
	fold = rg_confusable_fold_uncached(self, utf8);
	if (fold == NULL)
		return NULL;
	/* an in-memory cache for this process only; nothing is ever written out */
	if (g_hash_table_size(self->fold_cache) >= RG_CONFUSABLE_CACHE_MAX)
		g_hash_table_remove_all(self->fold_cache);
	g_hash_table_insert(self->fold_cache, g_strdup(utf8), g_strdup(fold));
	return fold;
}

static void
rg_confusable_ensure_letter_folds(RgConfusable *self)
{
	if (self->letter_folds != NULL)
		return;
	self->letter_folds = g_ptr_array_new_with_free_func(g_free);
	self->letter_of = g_ptr_array_new_with_free_func(g_free);
	for (char c = 'a'; c <= 'z'; c++) {
		char letter[2] = {c, '\0'};
		g_autofree char *fold = rg_confusable_fold(self, letter);
		if (fold == NULL || strlen(fold) < 2 || !rg_is_ascii(fold))
			continue;
		g_ptr_array_add(self->letter_folds, g_steal_pointer(&fold));
		g_ptr_array_add(self->letter_of, g_strdup(letter));
	}
}

/*
 * rg_confusable_unfold:
 * @fold: a fold from rg_confusable_fold()
 *
 * The plainest ASCII text with that fold: every sequence that is the fold of one ASCII letter
 * becomes that letter again ("arrny" → "army"), so that a fold can be looked up among plain
 * names without folding them all.
 *
 * Returns: (transfer full): @fold with those sequences replaced
 */
char *
rg_confusable_unfold(RgConfusable *self, const char *fold)
{
	GString *out = g_string_sized_new(strlen(fold));

	rg_confusable_ensure_letter_folds(self);
	for (const char *p = fold; *p != '\0';) {
		gboolean replaced = FALSE;
		for (guint i = 0; i < self->letter_folds->len; i++) {
			const char *f = g_ptr_array_index(self->letter_folds, i);
			if (g_str_has_prefix(p, f)) {
				g_string_append(out, g_ptr_array_index(self->letter_of, i));
				p += strlen(f);
				replaced = TRUE;
				break;
			}
		}
		if (!replaced)
			g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}

/* whether one label of @utf8 mixes letters of more than one script (Common and Inherited do
 * not count); a Cyrillic name under a Latin TLD is not mixed */
gboolean
rg_confusable_is_mixed_script(RgConfusable *self, const char *utf8)
{
	UScriptCode first = USCRIPT_INVALID_CODE;
	const char *p = utf8;

	while (*p != '\0') {
		gunichar c = g_utf8_get_char(p);
		UErrorCode status = U_ZERO_ERROR;
		UScriptCode script;
		p = g_utf8_next_char(p);
		if (c == '.') {
			first = USCRIPT_INVALID_CODE;
			continue;
		}
		script = uscript_getScript((UChar32)c, &status);
		if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED)
			continue;
		if (first == USCRIPT_INVALID_CODE)
			first = script;
		else if (script != first)
			return TRUE;
	}
	return FALSE;
}
