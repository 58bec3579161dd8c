/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The only file that talks to libpsl. Only the ICANN section counts: the private section lists
 * hosting platforms (user.github.io), which are not where mail is typed to by mistake. */
#include "config.h"

#include <libpsl.h>
#include <string.h>

#include "rg-error.h"
#include "rg-psl.h"

struct _RgPsl {
	psl_ctx_t *ctx;
	gboolean owned;
};

/*
 * rg_psl_new:
 * @path: (nullable): a public suffix list file, or %NULL for the newest of the system list
 *   and libpsl's built-in copy
 */
RgPsl *
rg_psl_new(const char *path, GError **error)
{
	g_autofree RgPsl *self = g_new0(RgPsl, 1);

	if (path != NULL) {
		self->ctx = psl_load_file(path);
		if (self->ctx == NULL) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_DATA,
			            "cannot load public suffix list %s",
			            path);
			return NULL;
		}
		self->owned = TRUE;
	} else {
		self->ctx = psl_latest(NULL);
		self->owned = TRUE;
		if (self->ctx == NULL) {
			/* psl_builtin() is static data and never freed */
			self->ctx = (psl_ctx_t *)psl_builtin();
			self->owned = FALSE;
		}
		if (self->ctx == NULL) {
			g_set_error_literal(
			    error, RG_ERROR, RG_ERROR_NOT_FOUND, "no public suffix list available");
			return NULL;
		}
	}
	return g_steal_pointer(&self);
}

void
rg_psl_free(RgPsl *self)
{
	if (self == NULL)
		return;
	if (self->owned)
		psl_free(self->ctx);
	g_free(self);
}

/*
 * rg_psl_suffix_offset:
 * Returns: the byte offset of the longest ICANN public suffix in @ascii_domain (0 when the
 *   whole domain is a suffix). An unlisted TLD counts as a one-label suffix ("*" rule).
 */
gsize
rg_psl_suffix_offset(RgPsl *self, const char *ascii_domain)
{
	const char *p = ascii_domain;

	for (;;) {
		if (psl_is_public_suffix2(self->ctx, p, PSL_TYPE_ICANN))
			return (gsize)(p - ascii_domain);
		p = strchr(p, '.');
		if (p == NULL)
			break;
		p++;
	}
	p = strrchr(ascii_domain, '.');
	return p != NULL ? (gsize)(p + 1 - ascii_domain) : 0;
}

/* whether @ascii_suffix is itself a listed ICANN suffix, without the implicit "*" rule */
gboolean
rg_psl_is_known_suffix(RgPsl *self, const char *ascii_suffix)
{
	return psl_is_public_suffix2(
	           self->ctx, ascii_suffix, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* whether the last label of @ascii_domain is a real top-level domain */
gboolean
rg_psl_tld_is_known(RgPsl *self, const char *ascii_domain)
{
	/* some TLDs are only listed below their second level (org.za, not za) */
	for (const char *p = ascii_domain; p != NULL; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (rg_psl_is_known_suffix(self, p))
			return TRUE;
	}
	return FALSE;
}
