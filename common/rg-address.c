/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The only file that talks to GMime: RFC 5322 address lists are parsed by GMime, never by hand. */
#include "config.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(InternetAddressList, g_object_unref)

struct _RgAddress {
	gatomicrefcount refcount;
	char *input;
	char *name;
	char *local_part;
	char *domain;
	char *domain_ascii;
	char *addr_spec;
	char *raw_spec; /* the addr-spec exactly as it came, before any normalisation */
};

G_DEFINE_BOXED_TYPE(RgAddress, rg_address, rg_address_ref, rg_address_unref)

static void
rg_address_init_gmime(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
}

/**
 * rg_address_ref:
 * @self: an #RgAddress
 *
 * Returns: (transfer full): @self, with one more reference
 */
RgAddress *
rg_address_ref(RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_ref_count_inc(&self->refcount);
	return self;
}

/**
 * rg_address_unref:
 * @self: an #RgAddress
 *
 * Drops one reference; frees @self with the last one.
 */
void
rg_address_unref(RgAddress *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_ref_count_dec(&self->refcount))
		return;
	g_free(self->input);
	g_free(self->name);
	g_free(self->local_part);
	g_free(self->domain);
	g_free(self->domain_ascii);
	g_free(self->addr_spec);
	g_free(self->raw_spec);
	g_free(self);
}

static gboolean
rg_address_ascii_label_is_valid(const char *label, gsize len)
{
	if (len == 0 || len > 63)
		return FALSE;
	if (label[0] == '-' || label[len - 1] == '-')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		char c = label[i];
		if (!g_ascii_isalnum(c) && c != '-')
			return FALSE;
	}
	return TRUE;
}

/* The forms of the domains normalised so far, in this process: a list repeats its domains,
 * and lower-casing and two IDNA conversions per address were 6 % of a batch. Only the forms
 * of valid domains are kept; the cache starts again past RG_DOMAIN_FORMS_MAX. */
typedef struct {
	char *unicode;
	char *ascii;
} RgDomainForms;

#define RG_DOMAIN_FORMS_MAX 65536

static GMutex rg_domain_forms_lock;
static GHashTable *rg_domain_forms; /* domain as given → RgDomainForms */

static void
rg_domain_forms_free(RgDomainForms *f)
{
	g_free(f->unicode);
	g_free(f->ascii);
	g_free(f);
}

static gboolean
rg_domain_forms_lookup(const char *domain, char **out_unicode, char **out_ascii)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&rg_domain_forms_lock);
	const RgDomainForms *f =
	    rg_domain_forms != NULL ? g_hash_table_lookup(rg_domain_forms, domain) : NULL;

	if (f == NULL)
		return FALSE;
	if (out_unicode != NULL)
		*out_unicode = g_strdup(f->unicode);
	if (out_ascii != NULL)
		*out_ascii = g_strdup(f->ascii);
	return TRUE;
}

static void
rg_domain_forms_add(const char *domain, const char *unicode, const char *ascii)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&rg_domain_forms_lock);
	RgDomainForms *f = g_new(RgDomainForms, 1);

	if (rg_domain_forms == NULL)
		rg_domain_forms = g_hash_table_new_full(
		    g_str_hash, g_str_equal, g_free, (GDestroyNotify)rg_domain_forms_free);
	if (g_hash_table_size(rg_domain_forms) >= RG_DOMAIN_FORMS_MAX)
		g_hash_table_remove_all(rg_domain_forms);
	f->unicode = g_strdup(unicode);
	f->ascii = g_strdup(ascii);
	g_hash_table_insert(rg_domain_forms, g_strdup(domain), f);
}

static gboolean rg_address_normalize_domain_uncached(const char *domain,
                                                     char **out_unicode,
                                                     char **out_ascii,
                                                     GError **error);

/*
 * rg_address_normalize_domain:
 * Lower-cases, drops one trailing dot and converts to both IDNA forms. Sets @error when the
 * result is not a syntactically valid host name.
 */
gboolean
rg_address_normalize_domain(const char *domain,
                            char **out_unicode,
                            char **out_ascii,
                            GError **error)
{
	g_autofree char *unicode = NULL;
	g_autofree char *ascii = NULL;

	if (rg_domain_forms_lookup(domain, out_unicode, out_ascii))
		return TRUE;
	if (!rg_address_normalize_domain_uncached(domain, &unicode, &ascii, error))
		return FALSE;
	rg_domain_forms_add(domain, unicode, ascii);
	if (out_unicode != NULL)
		*out_unicode = g_steal_pointer(&unicode);
	if (out_ascii != NULL)
		*out_ascii = g_steal_pointer(&ascii);
	return TRUE;
}

static gboolean
rg_address_normalize_domain_uncached(const char *domain,
                                     char **out_unicode,
                                     char **out_ascii,
                                     GError **error)
{
	g_autofree char *tmp = NULL;
	g_autofree char *ascii = NULL;
	g_autofree char *unicode = NULL;
	gsize len;
	const char *p;

	if (!g_utf8_validate(domain, -1, NULL)) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "domain is not valid UTF-8");
		return FALSE;
	}
	tmp = g_utf8_strdown(domain, -1);
	g_strstrip(tmp);
	len = strlen(tmp);
	if (len > 0 && tmp[len - 1] == '.')
		tmp[--len] = '\0';
	if (len == 0) {
		g_set_error_literal(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "empty domain");
		return FALSE;
	}
	if (tmp[0] == '[') {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "domain literal %s is not supported",
		            tmp);
		return FALSE;
	}
	ascii = g_hostname_to_ascii(tmp);
	if (ascii == NULL) {
		g_set_error(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "invalid domain %s", tmp);
		return FALSE;
	}
	/* g_hostname_to_ascii() keeps ASCII as it is; lower-case once more for mixed input */
	for (char *c = ascii; *c != '\0'; c++)
		*c = g_ascii_tolower(*c);
	if (strlen(ascii) > 253) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "domain %s is too long", tmp);
		return FALSE;
	}
	p = ascii;
	for (;;) {
		const char *dot = strchr(p, '.');
		gsize llen = dot != NULL ? (gsize)(dot - p) : strlen(p);
		if (!rg_address_ascii_label_is_valid(p, llen)) {
			g_set_error(
			    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "invalid domain %s", tmp);
			return FALSE;
		}
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	unicode = g_hostname_to_unicode(ascii);
	/* GLib's Punycode decoder (2.74) lets a label decode to UTF-16 surrogates, which are
	 * not characters: such a label is invalid IDNA, and its "Unicode form" is not UTF-8 */
	if (unicode == NULL || !g_utf8_validate(unicode, -1, NULL)) {
		g_set_error(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "invalid domain %s", tmp);
		return FALSE;
	}
	if (out_unicode != NULL)
		*out_unicode = g_steal_pointer(&unicode);
	if (out_ascii != NULL)
		*out_ascii = g_steal_pointer(&ascii);
	return TRUE;
}

RgAddress *
rg_address_new_from_parts(const char *input,
                          const char *name,
                          const char *addr_spec,
                          GError **error)
{
	g_autoptr(RgAddress) self = NULL;
	const char *at;
	g_autofree char *local = NULL;

	g_return_val_if_fail(addr_spec != NULL, NULL);

	at = strrchr(addr_spec, '@');
	if (at == NULL) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "%s has no domain part", addr_spec);
		return NULL;
	}
	local = g_strndup(addr_spec, at - addr_spec);
	g_strstrip(local);
	if (local[0] == '\0') {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "%s has no local part", addr_spec);
		return NULL;
	}
	if (!g_utf8_validate(local, -1, NULL)) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "local part is not valid UTF-8");
		return NULL;
	}

	self = g_new0(RgAddress, 1);
	g_atomic_ref_count_init(&self->refcount);
	if (!rg_address_normalize_domain(at + 1, &self->domain, &self->domain_ascii, error)) {
		g_prefix_error(error, "%s: ", addr_spec);
		return NULL;
	}
	self->input = g_strdup(input != NULL ? input : addr_spec);
	self->name = name != NULL && name[0] != '\0' ? g_strdup(name) : NULL;
	self->local_part = g_steal_pointer(&local);
	self->addr_spec = g_strconcat(self->local_part, "@", self->domain, NULL);
	self->raw_spec = g_strdup(addr_spec);
	return g_steal_pointer(&self);
}

static gboolean
rg_address_collect(InternetAddressList *list, GPtrArray *out, gboolean single, GError **error)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			if (members != NULL && !rg_address_collect(members, out, FALSE, error))
				return FALSE;
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
			const char *spec = internet_address_mailbox_get_addr(mb);
			g_autofree char *shown = NULL;
			RgAddress *addr;

			if (spec == NULL || spec[0] == '\0')
				continue;
			/* a list of one keeps the whole input instead (see below) */
			if (!(single && n == 1))
				shown = internet_address_to_string(ia, NULL, FALSE);
			addr = rg_address_new_from_parts(
			    shown, internet_address_get_name(ia), spec, error);
			if (addr == NULL)
				return FALSE;
			g_ptr_array_add(out, addr);
		}
	}
	return TRUE;
}

/* How many addr-spec "@" the text holds: outside quoted strings and comments, and not in
 * a display name before "<". GMime quietly drops what follows a second "@" (a@b@c.com
 * parses as a@b), so the caller compares this with the number of mailboxes it got.
 * @unclosed (optional) gets where a comment starts that is still open at the end of the
 * text, or NULL. */
static guint
rg_address_count_ats(const char *text, const char **unclosed)
{
	guint total = 0;
	guint pending = 0;
	gboolean quoted = FALSE;
	guint comment = 0;
	const char *comment_start = NULL;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (quoted) {
			if (*p == '"')
				quoted = FALSE;
			continue;
		}
		if (comment > 0) {
			if (*p == '(')
				comment++;
			else if (*p == ')')
				comment--;
			continue;
		}
		switch (*p) {
		case '"':
			quoted = TRUE;
			break;
		case '(':
			comment = 1;
			comment_start = p;
			break;
		case '<':
			pending = 0; /* what came before was a display name */
			break;
		case '@':
			pending++;
			break;
		case ',':
		case ';':
		case ':':
		case '>':
			total += pending;
			pending = 0;
			break;
		default:
			break;
		}
	}
	if (unclosed != NULL)
		*unclosed = comment > 0 ? comment_start : NULL;
	return total + pending;
}

/* GMime 3.2.13 (Debian 12) loses the addr-spec it read when a comment after it is never
 * closed (`a@b.com (Jane`; fixed upstream in 3.2.15), which a long-running milter would pay
 * for on every such header: no text with such a comment reaches internet_address_list_parse().
 * Returns: where that comment starts in @text, or NULL */
static const char *
rg_address_find_unclosed_comment(const char *text)
{
	const char *unclosed;

	rg_address_count_ats(text, &unclosed);
	return unclosed;
}

static void
rg_address_set_unclosed_error(GError **error, const char *text)
{
	g_set_error(
	    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "a comment is not closed in \"%s\"", text);
}

/**
 * rg_address_list_parse:
 * @text: an address list as a person types it (`"Name" <a@b>, c@d`, groups, comments)
 * @error: return location for a #GError
 *
 * Parses every mailbox in @text, including group members. The whole list fails when one
 * mailbox is malformed, so that no recipient is silently left unchecked.
 *
 * Returns: (transfer full) (element-type RgAddress): the mailboxes, never empty, or %NULL with
 *   %RG_ERROR_INVALID_ADDRESS set
 */
GPtrArray *
rg_address_list_parse(const char *text, GError **error)
{
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(InternetAddressList) list = NULL;
	g_autofree char *trimmed = NULL;
	const char *unclosed;
	guint n_ats;

	g_return_val_if_fail(text != NULL, NULL);

	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "input is not valid UTF-8");
		return NULL;
	}
	trimmed = g_strstrip(g_strdup(text));
	n_ats = rg_address_count_ats(trimmed, &unclosed);
	if (unclosed != NULL) {
		rg_address_set_unclosed_error(error, trimmed);
		return NULL;
	}
	rg_address_init_gmime();
	out = g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	list = internet_address_list_parse(NULL, trimmed);
	if (list != NULL && !rg_address_collect(list, out, TRUE, error))
		return NULL;
	if (out->len > 0 && n_ats > out->len) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "malformed address in \"%s\"",
		            trimmed);
		return NULL;
	}
	if (out->len == 0) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "no address in \"%s\"", trimmed);
		return NULL;
	}
	/* a list of one keeps what the user typed, so reports can be matched to input */
	if (out->len == 1) {
		RgAddress *only = g_ptr_array_index(out, 0);
		g_free(only->input);
		only->input = g_strdup(trimmed);
	}
	return g_steal_pointer(&out);
}

/* @text cut at the commas between its mailboxes (not those in quoted strings, comments or
 * angle brackets), each piece trimmed, empty ones left out: what a front end checks piece by
 * piece when the whole list cannot be read, so one bad mailbox does not hide the others */
GPtrArray *
rg_address_list_split(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *start = text;
	gboolean quoted = FALSE;
	guint comment = 0;
	gboolean angle = FALSE;

	for (const char *p = text;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '\0' || (*p == ',' && !quoted && comment == 0 && !angle)) {
			g_autofree char *piece = g_strstrip(g_strndup(start, (gsize)(p - start)));
			if (piece[0] != '\0')
				g_ptr_array_add(out, g_steal_pointer(&piece));
			if (*p == '\0')
				break;
			start = p + 1;
			continue;
		}
		if (quoted)
			quoted = *p != '"';
		else if (comment > 0 && *p == '(')
			comment++;
		else if (comment > 0 && *p == ')')
			comment--;
		else if (comment > 0)
			continue;
		else if (*p == '"')
			quoted = TRUE;
		else if (*p == '(')
			comment = 1;
		else if (*p == '<')
			angle = TRUE;
		else if (*p == '>')
			angle = FALSE;
	}
	return out;
}

/**
 * rg_address_parse:
 * @text: exactly one mailbox
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the mailbox, or %NULL with %RG_ERROR_INVALID_ADDRESS set when
 *   @text holds no mailbox, more than one, or a malformed one
 */
RgAddress *
rg_address_parse(const char *text, GError **error)
{
	g_autoptr(GPtrArray) list = rg_address_list_parse(text, error);

	if (list == NULL)
		return NULL;
	if (list->len != 1) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "expected one address, got %u",
		            list->len);
		return NULL;
	}
	return rg_address_ref(g_ptr_array_index(list, 0));
}

/**
 * rg_address_get_input:
 * @self: an #RgAddress
 *
 * Returns: the text this address was parsed from (the whole input for a list of one)
 */
const char *
rg_address_get_input(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->input;
}

/**
 * rg_address_get_name:
 * @self: an #RgAddress
 *
 * Returns: (nullable): the display name
 */
const char *
rg_address_get_name(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->name;
}

/**
 * rg_address_get_local_part:
 * @self: an #RgAddress
 *
 * Returns: the local part, as typed
 */
const char *
rg_address_get_local_part(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->local_part;
}

/**
 * rg_address_get_domain:
 * @self: an #RgAddress
 *
 * Returns: the domain, lower-case, in Unicode form
 */
const char *
rg_address_get_domain(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->domain;
}

/**
 * rg_address_get_domain_ascii:
 * @self: an #RgAddress
 *
 * Returns: the domain in ASCII (IDNA A-label) form
 */
const char *
rg_address_get_domain_ascii(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->domain_ascii;
}

/**
 * rg_address_get_addr_spec:
 * @self: an #RgAddress
 *
 * Returns: `local@domain` with the normalised Unicode domain
 */
const char *
rg_address_get_addr_spec(const RgAddress *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->addr_spec;
}

/**
 * rg_address_with_domain:
 * @self: an #RgAddress
 * @domain: another domain
 *
 * Returns: (transfer full): the local part of @self at @domain
 */
char *
rg_address_with_domain(const RgAddress *self, const char *domain)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(domain != NULL, NULL);
	return g_strconcat(self->local_part, "@", domain, NULL);
}

/* ------------------------------------------------------------------ what cannot be seen */

/* Characters that show nothing, or change how the text around them is shown: controls (Cc),
 * format characters (Cf: the bidirectional overrides and isolates, zero-width spaces and
 * joiners, the soft hyphen, tag characters), line and paragraph separators, and the Hangul
 * fillers, letters that are drawn as blanks. */
gboolean
rg_address_char_is_hidden(gunichar c)
{
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONTROL:
	case G_UNICODE_FORMAT:
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
		return TRUE;
	default:
		return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0;
	}
}

/* `\x1b` for ASCII, `<U+202E>` for the rest */
static void
rg_address_append_spelled(GString *out, gunichar c)
{
	if (c < 0x80)
		g_string_append_printf(out, "\\x%02x", c);
	else
		g_string_append_printf(out, "<U+%04X>", c);
}

/**
 * rg_address_make_visible:
 * @text: text for a person to read: an address, a message that quotes one, a path
 * @keep: (nullable): characters to leave as they are, such as "\n" for text printed line by
 *   line
 *
 * Spells out every character that would be invisible, or would act on a terminal or on the
 * text around it: control characters as `\x1b`, bidirectional overrides, zero-width and
 * other format characters as `<U+202E>`, bytes that are not UTF-8 as `\xff`. Everything
 * else is kept. Front ends pass what they show through this, so that an address can neither
 * hide what it is nor write escape sequences to a terminal.
 *
 * Returns: (transfer full): the visible text, valid UTF-8
 */
char *
rg_address_make_visible(const char *text, const char *keep)
{
	GString *out;

	g_return_val_if_fail(text != NULL, NULL);

	out = g_string_sized_new(strlen(text));
	for (const char *p = text; *p != '\0';) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (guchar)*p);
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		if (rg_address_char_is_hidden(c) &&
		    (keep == NULL || c >= 0x80 || strchr(keep, (int)c) == NULL))
			rg_address_append_spelled(out, c);
		else
			g_string_append_len(out, p, next - p);
		p = next;
	}
	return g_string_free(out, FALSE);
}

/* the hidden characters of valid UTF-8 @text, each once and spelled out, joined with ", ";
 * NULL when there are none */
char *
rg_address_describe_hidden(const char *text)
{
	g_autoptr(GString) out = NULL;
	g_autoptr(GArray) seen = NULL;
	const char *p = text;

	/* most addresses are printable ASCII, where nothing hides: asked of every recipient */
	while (*p >= 0x20 && *p < 0x7F)
		p++;
	if (*p == '\0')
		return NULL;
	out = g_string_new(NULL);
	seen = g_array_new(FALSE, FALSE, sizeof(gunichar));
	for (p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		gboolean again = FALSE;
		if (!rg_address_char_is_hidden(c))
			continue;
		for (guint i = 0; i < seen->len && !again; i++)
			again = g_array_index(seen, gunichar, i) == c;
		if (again)
			continue;
		g_array_append_val(seen, c);
		if (out->len > 0)
			g_string_append(out, ", ");
		rg_address_append_spelled(out, c);
	}
	return out->len > 0 ? g_string_free(g_steal_pointer(&out), FALSE) : NULL;
}

/* valid UTF-8 @text without its hidden characters */
char *
rg_address_strip_hidden(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		if (!rg_address_char_is_hidden(g_utf8_get_char(p)))
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(out, FALSE);
}

/* the addr-spec as it was given, before the domain was normalised (IDNA drops zero-width
 * characters from a domain, so only this still shows them) */
const char *
rg_address_get_raw_spec(const RgAddress *self)
{
	return self->raw_spec;
}

static gboolean
rg_address_replace_in(InternetAddressList *list,
                      const char *old_spec,
                      const char *new_spec,
                      guint *n)
{
	int len = internet_address_list_length(list);

	for (int i = 0; i < len; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			if (members != NULL)
				rg_address_replace_in(members, old_spec, new_spec, n);
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
			const char *spec = internet_address_mailbox_get_addr(mb);
			g_autoptr(RgAddress) parsed = NULL;
			if (spec == NULL)
				continue;
			parsed = rg_address_new_from_parts(NULL, NULL, spec, NULL);
			if (parsed == NULL ||
			    g_strcmp0(rg_address_get_addr_spec(parsed), old_spec) != 0)
				continue;
			internet_address_mailbox_set_addr(mb, new_spec);
			(*n)++;
		}
	}
	return TRUE;
}

/**
 * rg_address_list_replace:
 * @text: an address list as typed, such as a header field's value
 * @old_addr_spec: the normalised address to replace, as rg_address_get_addr_spec() gives it
 * @new_addr_spec: the address to put in its place
 * @error: return location for a #GError
 *
 * Replaces a mailbox's address and keeps its display name, for applying a fix the user
 * chose. The list is written back in RFC 5322 form.
 *
 * Returns: (transfer full): the new list, or %NULL with %RG_ERROR_INVALID_ADDRESS set when
 *   @text cannot be parsed or does not hold @old_addr_spec
 */
char *
rg_address_list_replace(const char *text,
                        const char *old_addr_spec,
                        const char *new_addr_spec,
                        GError **error)
{
	g_autoptr(InternetAddressList) list = NULL;
	g_autoptr(RgAddress) old_parsed = NULL;
	guint n = 0;

	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(old_addr_spec != NULL, NULL);
	g_return_val_if_fail(new_addr_spec != NULL, NULL);

	old_parsed = rg_address_parse(old_addr_spec, error);
	if (old_parsed == NULL)
		return NULL;
	/* a rewrite of what GMime reads before the comment would drop the rest */
	if (rg_address_find_unclosed_comment(text) != NULL) {
		rg_address_set_unclosed_error(error, text);
		return NULL;
	}
	rg_address_init_gmime();
	list = internet_address_list_parse(NULL, text);
	if (list == NULL) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "no address in \"%s\"", text);
		return NULL;
	}
	rg_address_replace_in(list, rg_address_get_addr_spec(old_parsed), new_addr_spec, &n);
	if (n == 0) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "%s is not in \"%s\"",
		            old_addr_spec,
		            text);
		return NULL;
	}
	return internet_address_list_to_string(list, NULL, FALSE);
}

/* every well-formed mailbox of @list, groups flattened; malformed ones are skipped and
 * counted, since history is evidence and one odd header must not hide the rest */
static void
rg_address_collect_lenient(InternetAddressList *list, GPtrArray *out, guint *n_skipped)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			if (members != NULL)
				rg_address_collect_lenient(members, out, n_skipped);
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *spec =
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
			RgAddress *addr = NULL;

			if (spec == NULL || spec[0] == '\0')
				continue;
			/* U+FFFD stands for a byte that was not text (see below): not an address */
			if (g_utf8_validate(spec, -1, NULL) && strstr(spec, "\xef\xbf\xbd") == NULL)
				addr = rg_address_new_from_parts(
				    NULL, internet_address_get_name(ia), spec, NULL);
			if (addr != NULL)
				g_ptr_array_add(out, addr);
			else if (n_skipped != NULL)
				(*n_skipped)++;
		}
	}
}

/* Returns: (transfer full) (element-type RgAddress): the well-formed mailboxes of a header
 * value of @len bytes (-1: NUL-terminated) as found in stored mail (RFC 2047 words decoded),
 * possibly none. A NUL byte or a byte that is not UTF-8 only costs the mailbox it is in:
 * they become U+FFFD before GMime sees the text, which would stop at a NUL. @n_skipped
 * (optional) counts the mailboxes that could not be read. */
GPtrArray *
rg_address_list_parse_lenient(const char *text, gssize len, guint *n_skipped)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(InternetAddressList) list = NULL;
	g_autofree char *valid = NULL;
	const char *unclosed;

	g_return_val_if_fail(text != NULL, NULL);
	if (len < 0)
		len = (gssize)strlen(text);
	if (!g_utf8_validate_len(text, (gsize)len, NULL))
		text = valid = g_utf8_make_valid(text, len);
	else if (text[len] != '\0')
		text = valid = g_strndup(text, (gsize)len);
	/* a comment never closed is left out: only a comment, never a mailbox, is cut */
	unclosed = rg_address_find_unclosed_comment(text);
	if (unclosed != NULL) {
		char *head = g_strndup(text, (gsize)(unclosed - text));
		g_free(valid);
		text = valid = head;
	}
	rg_address_init_gmime();
	list = internet_address_list_parse(NULL, text);
	if (list != NULL)
		rg_address_collect_lenient(list, out, n_skipped);
	return g_steal_pointer(&out);
}

/* Reads only the header block of the message file at @path and returns the mailboxes of its
 * To, Cc and Bcc fields; @n_skipped (optional) counts those that could not be read. Returns:
 * (transfer full) (element-type RgAddress): possibly empty, or %NULL with %RG_ERROR_IO set */
GPtrArray *
rg_address_read_recipients(const char *path, guint *n_skipped, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(GString) field = g_string_sized_new(256);
	g_autofree char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	g_return_val_if_fail(path != NULL, NULL);

	f = fopen(path, "re");
	if (f == NULL) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: %s", path, g_strerror(errno));
		return NULL;
	}
	rg_address_init_gmime();
	/* Only the header block is read (the body never is), and only To, Cc and Bcc are
	 * parsed; building a whole GMimeMessage for each sent message would cost more than
	 * the rest of an import. Folded lines are joined first. */
	for (;;) {
		gboolean end;

		len = getline(&line, &cap, f);
		end = len <= 0 || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n');
		if (!end && (line[0] == ' ' || line[0] == '\t')) {
			g_string_append_len(field, line, len);
			continue;
		}
		if (field->len > 0) {
			const char *colon = memchr(field->str, ':', field->len);
			gsize name_len = colon != NULL ? (gsize)(colon - field->str) : 0;
			while (name_len > 0 && g_ascii_isspace(field->str[name_len - 1]))
				name_len--;
			if (colon != NULL &&
			    ((name_len == 2 && g_ascii_strncasecmp(field->str, "to", 2) == 0) ||
			     (name_len == 2 && g_ascii_strncasecmp(field->str, "cc", 2) == 0) ||
			     (name_len == 3 && g_ascii_strncasecmp(field->str, "bcc", 3) == 0))) {
				/* the field's real length: a NUL byte in it must not hide the
				 * mailboxes after it */
				gsize off = (gsize)(colon + 1 - field->str);
				g_autoptr(GPtrArray) found = rg_address_list_parse_lenient(
				    colon + 1, (gssize)(field->len - off), n_skipped);
				g_ptr_array_extend_and_steal(out, g_steal_pointer(&found));
			}
			g_string_truncate(field, 0);
		}
		if (end)
			break;
		g_string_append_len(field, line, len);
	}
	fclose(f);
	return g_steal_pointer(&out);
}

/* The header field "NAME: VALUE" with the mailboxes whose normalised address is a key of
 * @replacements (original → corrected addr-spec) replaced, display names kept, encoded and
 * folded as GMime writes headers, ending with a line break (CRLF when @crlf). %NULL when the
 * field holds none of them, or has a comment never closed (a rewrite of what GMime reads
 * before it would drop the rest). @n_replaced is increased by the number of mailboxes
 * replaced. */
char *
rg_address_header_replace(
    const char *name, const char *value, GHashTable *replacements, gboolean crlf, guint *n_replaced)
{
	g_autoptr(InternetAddressList) list = NULL;
	GMimeFormatOptions *options;
	GHashTableIter iter;
	gpointer old_spec, new_spec;
	guint n = 0;
	GString *out;

	g_return_val_if_fail(name != NULL && value != NULL && replacements != NULL, NULL);

	if (rg_address_find_unclosed_comment(value) != NULL)
		return NULL;
	rg_address_init_gmime();
	list = internet_address_list_parse(NULL, value);
	if (list == NULL)
		return NULL;
	g_hash_table_iter_init(&iter, replacements);
	while (g_hash_table_iter_next(&iter, &old_spec, &new_spec))
		rg_address_replace_in(list, old_spec, new_spec, &n);
	if (n == 0)
		return NULL;
	if (n_replaced != NULL)
		*n_replaced += n;
	options = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(
	    options, crlf ? GMIME_NEWLINE_FORMAT_DOS : GMIME_NEWLINE_FORMAT_UNIX);
	out = g_string_new(name);
	g_string_append(out, ": ");
	internet_address_list_encode(list, options, out);
	g_mime_format_options_free(options);
	if (!g_str_has_suffix(out->str, "\n"))
		g_string_append(out, crlf ? "\r\n" : "\n");
	return g_string_free(out, FALSE);
}

/* the address of the first mailbox of a header value such as From (RFC 2047 words decoded),
 * or %NULL when it holds none */
char *
rg_address_list_first_spec(const char *text)
{
	g_autoptr(GPtrArray) list = NULL;

	g_return_val_if_fail(text != NULL, NULL);
	list = rg_address_list_parse_lenient(text, -1, NULL);
	if (list->len == 0)
		return NULL;
	return g_strdup(rg_address_get_addr_spec(g_ptr_array_index(list, 0)));
}
