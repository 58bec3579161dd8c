/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-i18n.h"
#include "rg-report-private.h"

struct _RgReason {
	const RgReasonInfo *info;
	char *message;
	char *evidence;
	RgLevel level;
	guint score;
};

G_DEFINE_BOXED_TYPE(RgReason, rg_reason, rg_reason_copy, rg_reason_free)

/**
 * rg_level_to_string:
 * @level: an #RgLevel
 *
 * Returns: the stable name used in JSON output: "ok", "notice", "warn" or "block"
 */
const char *
rg_level_to_string(RgLevel level)
{
	switch (level) {
	case RG_LEVEL_OK:
		return "ok";
	case RG_LEVEL_NOTICE:
		return "notice";
	case RG_LEVEL_WARN:
		return "warn";
	case RG_LEVEL_BLOCK:
		return "block";
	default:
		return "unknown";
	}
}

RgLevel
rg_level_for_score(guint score)
{
	if (score >= RG_SCORE_BLOCK)
		return RG_LEVEL_BLOCK;
	if (score >= RG_SCORE_WARN)
		return RG_LEVEL_WARN;
	if (score >= RG_SCORE_NOTICE)
		return RG_LEVEL_NOTICE;
	return RG_LEVEL_OK;
}

/**
 * rg_reason_copy:
 * @self: an #RgReason
 *
 * Returns: (transfer full): a copy of @self
 */
RgReason *
rg_reason_copy(const RgReason *self)
{
	RgReason *copy = g_new0(RgReason, 1);
	copy->info = self->info;
	copy->message = g_strdup(self->message);
	copy->evidence = g_strdup(self->evidence);
	copy->level = self->level;
	copy->score = self->score;
	return copy;
}

/**
 * rg_reason_free:
 * @self: an #RgReason
 */
void
rg_reason_free(RgReason *self)
{
	if (self == NULL)
		return;
	g_free(self->message);
	g_free(self->evidence);
	g_free(self);
}

/**
 * rg_reason_get_code:
 * @self: an #RgReason
 *
 * Returns: the stable, untranslated code of the reason, such as "tld-typo"
 */
const char *
rg_reason_get_code(const RgReason *self)
{
	return self->info->code;
}

/**
 * rg_reason_get_title:
 * @self: an #RgReason
 *
 * Returns: a short translated title of the reason's code, the same for every reason with
 *   that code (see rg_reason_code_get_title())
 */
const char *
rg_reason_get_title(const RgReason *self)
{
	rg_i18n_init();
	return g_dgettext(GETTEXT_PACKAGE, self->info->title);
}

/**
 * rg_reason_get_message:
 * @self: an #RgReason
 *
 * Returns: a translated sentence that names the evidence
 */
const char *
rg_reason_get_message(const RgReason *self)
{
	return self->message;
}

/**
 * rg_reason_get_level:
 * @self: an #RgReason
 *
 * Returns: the level this reason alone calls for
 */
RgLevel
rg_reason_get_level(const RgReason *self)
{
	return self->level;
}

/**
 * rg_reason_get_evidence:
 * @self: an #RgReason
 *
 * Returns: (nullable): the known domain or rule the reason compares with, if any
 */
const char *
rg_reason_get_evidence(const RgReason *self)
{
	return self->evidence;
}

struct _RgVerdict {
	GObject parent_instance;
	char *input;
	char *address;
	char *name;
	char *domain;
	char *domain_ascii;
	RgLevel level;
	guint score;
	GPtrArray *reasons;
	char *suggestion;
	char *trust_warning;
};

G_DEFINE_TYPE(RgVerdict, rg_verdict, G_TYPE_OBJECT)

static void
rg_verdict_finalize(GObject *object)
{
	RgVerdict *self = RG_VERDICT(object);
	g_free(self->input);
	g_free(self->address);
	g_free(self->name);
	g_free(self->domain);
	g_free(self->domain_ascii);
	g_free(self->suggestion);
	g_free(self->trust_warning);
	g_ptr_array_unref(self->reasons);
	G_OBJECT_CLASS(rg_verdict_parent_class)->finalize(object);
}

static void
rg_verdict_class_init(RgVerdictClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_verdict_finalize;
}

static void
rg_verdict_init(RgVerdict *self)
{
	self->reasons = g_ptr_array_new_with_free_func((GDestroyNotify)rg_reason_free);
}

RgVerdict *
rg_verdict_new(const RgAddress *addr)
{
	RgVerdict *self = g_object_new(RG_TYPE_VERDICT, NULL);
	self->input = g_strdup(rg_address_get_input(addr));
	self->address = g_strdup(rg_address_get_addr_spec(addr));
	self->name = g_strdup(rg_address_get_name(addr));
	self->domain = g_strdup(rg_address_get_domain(addr));
	self->domain_ascii = g_strdup(rg_address_get_domain_ascii(addr));
	return self;
}

/* takes @message; keeps reasons ordered from the most to the least serious */
void
rg_verdict_add_reason(RgVerdict *self,
                      RgReasonCode code,
                      RgLevel level,
                      guint score,
                      const char *evidence,
                      char *message)
{
	RgReason *reason = g_new0(RgReason, 1);
	guint pos = 0;

	reason->info = rg_reason_info(code);
	reason->message = message;
	reason->evidence = g_strdup(evidence);
	reason->level = level;
	reason->score = score;
	while (pos < self->reasons->len &&
	       ((RgReason *)g_ptr_array_index(self->reasons, pos))->score >= score)
		pos++;
	g_ptr_array_insert(self->reasons, pos, reason);
}

void
rg_verdict_set_suggestion(RgVerdict *self, const char *suggestion)
{
	g_free(self->suggestion);
	self->suggestion = g_strdup(suggestion);
}

/* takes @warning */
void
rg_verdict_set_trust_warning(RgVerdict *self, char *warning)
{
	g_free(self->trust_warning);
	self->trust_warning = warning;
}

void
rg_verdict_set_score(RgVerdict *self, guint score)
{
	self->score = MIN(score, RG_SCORE_MAX);
}

void
rg_verdict_set_level(RgVerdict *self, RgLevel level)
{
	self->level = level;
}

/**
 * rg_verdict_get_input:
 * @self: an #RgVerdict
 *
 * Returns: the text the recipient was parsed from
 */
const char *
rg_verdict_get_input(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->input;
}

/**
 * rg_verdict_get_address:
 * @self: an #RgVerdict
 *
 * Returns: the normalised address, `local@domain` with a Unicode domain
 */
const char *
rg_verdict_get_address(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->address;
}

/**
 * rg_verdict_get_name:
 * @self: an #RgVerdict
 *
 * Returns: (nullable): the display name that came with the address
 */
const char *
rg_verdict_get_name(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->name;
}

/**
 * rg_verdict_get_domain:
 * @self: an #RgVerdict
 *
 * Returns: the domain in Unicode form
 */
const char *
rg_verdict_get_domain(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->domain;
}

/**
 * rg_verdict_get_domain_ascii:
 * @self: an #RgVerdict
 *
 * Returns: the domain in ASCII (A-label) form
 */
const char *
rg_verdict_get_domain_ascii(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->domain_ascii;
}

/**
 * rg_verdict_get_level:
 * @self: an #RgVerdict
 *
 * Returns: the most serious level of the reasons
 */
RgLevel
rg_verdict_get_level(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), RG_LEVEL_OK);
	return self->level;
}

/**
 * rg_verdict_get_score:
 * @self: an #RgVerdict
 *
 * Returns: the risk score, 0 (fine) to 100 (certainly wrong)
 */
guint
rg_verdict_get_score(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), 0);
	return self->score;
}

/**
 * rg_verdict_get_reasons:
 * @self: an #RgVerdict
 *
 * Returns: (transfer none) (element-type RgReason): the reasons, most serious first; valid
 *   as long as @self
 */
GPtrArray *
rg_verdict_get_reasons(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->reasons;
}

RgLevel
rg_verdict_get_reasons_level(RgVerdict *self, GString *codes)
{
	RgLevel level;

	g_return_val_if_fail(RG_IS_VERDICT(self), RG_LEVEL_OK);
	level = self->level;
	for (guint i = 0; i < self->reasons->len; i++) {
		RgReason *r = g_ptr_array_index(self->reasons, i);
		level = MAX(level, rg_reason_get_level(r));
		if (codes == NULL)
			continue;
		if (codes->len > 0)
			g_string_append_c(codes, ',');
		g_string_append(codes, rg_reason_get_code(r));
	}
	return level;
}

/**
 * rg_verdict_get_suggestion:
 * @self: an #RgVerdict
 *
 * Returns: (nullable): the address the user most likely meant, when one candidate clearly wins
 */
const char *
rg_verdict_get_suggestion(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->suggestion;
}

/**
 * rg_verdict_get_trust_warning:
 * @self: an #RgVerdict
 *
 * What to say before the user trusts this recipient, when it is a typo of a domain the policy
 * protects or a well-known high-stakes one (army.ml for army.mil): a front end asks once more
 * then, with this sentence, before it trusts the address or its domain.
 *
 * Returns: (nullable): a translated sentence, or %NULL when trusting needs no second question
 */
const char *
rg_verdict_get_trust_warning(RgVerdict *self)
{
	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);
	return self->trust_warning;
}

/* JSON written directly into one buffer: a builder, a node tree and a generator per verdict
 * were ~40 % of a batch check. */

static void
rg_json_append_escape(GString *out, gunichar c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = {'\\',
	             'u',
	             hex[(c >> 12) & 0xF],
	             hex[(c >> 8) & 0xF],
	             hex[(c >> 4) & 0xF],
	             hex[c & 0xF]};
	g_string_append_len(out, u, sizeof(u));
}

/* Appends @s as a JSON string. Quotes, backslashes and every control character are escaped
 * (\b \f \n \r \t by name, the others and DEL as \u00XX), as JSON requires. JSON Lines are
 * read on terminals too, so the characters that cannot be seen or act on the text around
 * them (bidi overrides, zero-width characters, U+2028; rg_address_char_is_hidden()) become
 * \u escapes, outside the BMP as a UTF-16 surrogate pair. Everything else is copied as it
 * is; so is a byte that is not part of valid UTF-8 (a verdict's strings are valid UTF-8, so
 * none should reach here). %NULL is written as null. */
static void
rg_json_append_string(GString *out, const char *s)
{
	const char *run;
	const char *p;

	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	for (run = p = s; *p != '\0';) {
		guchar b = (guchar)*p;
		const char *esc = NULL;
		gunichar c;
		const char *next;

		if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
			p++;
			continue;
		}
		if (b < 0x80) {
			g_string_append_len(out, run, p - run);
			switch (b) {
			case '"':
				esc = "\\\"";
				break;
			case '\\':
				esc = "\\\\";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			default:
				break;
			}
			if (esc != NULL)
				g_string_append(out, esc);
			else
				rg_json_append_escape(out, b);
			run = ++p;
			continue;
		}
		c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		if (rg_address_char_is_hidden(c)) {
			g_string_append_len(out, run, p - run);
			if (c <= 0xFFFF) {
				rg_json_append_escape(out, c);
			} else {
				c -= 0x10000;
				rg_json_append_escape(out, 0xD800 + (c >> 10));
				rg_json_append_escape(out, 0xDC00 + (c & 0x3FF));
			}
			run = next;
		}
		p = next;
	}
	g_string_append_len(out, run, p - run);
	g_string_append_c(out, '"');
}

static void
rg_json_append_member(GString *out, const char *name, const char *value)
{
	g_string_append_c(out, '"');
	g_string_append(out, name);
	g_string_append(out, "\":");
	rg_json_append_string(out, value);
}

/**
 * rg_verdict_to_json:
 * @self: an #RgVerdict
 *
 * Serialises @self as one line of the CLI's JSON Lines contract: `input`, `address`,
 * `domain` (Unicode), `ascii` (only when it differs), `level`, `score`, `reasons` (each with
 * `code`, `title`, `message` and `level`) and `suggestion` (or null).
 *
 * Returns: (transfer full): one line of JSON, without a newline
 */
char *
rg_verdict_to_json(RgVerdict *self)
{
	GString *out;

	g_return_val_if_fail(RG_IS_VERDICT(self), NULL);

	out = g_string_sized_new(256);
	g_string_append_c(out, '{');
	rg_json_append_member(out, "input", self->input);
	g_string_append_c(out, ',');
	rg_json_append_member(out, "address", self->address);
	g_string_append_c(out, ',');
	rg_json_append_member(out, "domain", self->domain);
	if (g_strcmp0(self->domain, self->domain_ascii) != 0) {
		g_string_append_c(out, ',');
		rg_json_append_member(out, "ascii", self->domain_ascii);
	}
	g_string_append_c(out, ',');
	rg_json_append_member(out, "level", rg_level_to_string(self->level));
	g_string_append_printf(out, ",\"score\":%u,\"reasons\":[", self->score);
	for (guint i = 0; i < self->reasons->len; i++) {
		RgReason *r = g_ptr_array_index(self->reasons, i);
		g_string_append(out, i > 0 ? ",{" : "{");
		rg_json_append_member(out, "code", r->info->code);
		g_string_append_c(out, ',');
		rg_json_append_member(out, "title", rg_reason_get_title(r));
		g_string_append_c(out, ',');
		rg_json_append_member(out, "message", r->message);
		g_string_append_c(out, ',');
		rg_json_append_member(out, "level", rg_level_to_string(r->level));
		g_string_append_c(out, '}');
	}
	g_string_append(out, "],");
	rg_json_append_member(out, "suggestion", self->suggestion);
	if (self->trust_warning != NULL) {
		g_string_append_c(out, ',');
		rg_json_append_member(out, "trust_warning", self->trust_warning);
	}
	g_string_append_c(out, '}');
	return g_string_free(out, FALSE);
}

struct _RgReport {
	GObject parent_instance;
	GPtrArray *verdicts;
	GPtrArray *notices;
	GPtrArray *unchecked;
};

G_DEFINE_TYPE(RgReport, rg_report, G_TYPE_OBJECT)

static void
rg_report_finalize(GObject *object)
{
	RgReport *self = RG_REPORT(object);
	g_ptr_array_unref(self->verdicts);
	g_ptr_array_unref(self->notices);
	g_ptr_array_unref(self->unchecked);
	G_OBJECT_CLASS(rg_report_parent_class)->finalize(object);
}

static void
rg_report_class_init(RgReportClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_report_finalize;
}

static void
rg_report_init(RgReport *self)
{
	self->verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	self->notices = g_ptr_array_new_with_free_func(g_free);
	self->unchecked = g_ptr_array_new_with_free_func(g_free);
}

RgReport *
rg_report_new(void)
{
	return g_object_new(RG_TYPE_REPORT, NULL);
}

/* takes @verdict */
void
rg_report_add_verdict(RgReport *self, RgVerdict *verdict)
{
	g_ptr_array_add(self->verdicts, verdict);
}

void
rg_report_add_notice(RgReport *self, const char *notice)
{
	g_ptr_array_add(self->notices, g_strdup(notice));
}

void
rg_report_add_unchecked(RgReport *self, const char *recipient)
{
	g_ptr_array_add(self->unchecked, g_strdup(recipient));
}

/**
 * rg_report_get_n_verdicts:
 * @self: an #RgReport
 *
 * Returns: the number of recipients, in input order
 */
guint
rg_report_get_n_verdicts(RgReport *self)
{
	g_return_val_if_fail(RG_IS_REPORT(self), 0);
	return self->verdicts->len;
}

/**
 * rg_report_get_verdict:
 * @self: an #RgReport
 * @idx: index, below rg_report_get_n_verdicts()
 *
 * Returns: (transfer none): the verdict on one recipient, valid as long as @self
 */
RgVerdict *
rg_report_get_verdict(RgReport *self, guint idx)
{
	g_return_val_if_fail(RG_IS_REPORT(self), NULL);
	g_return_val_if_fail(idx < self->verdicts->len, NULL);
	return g_ptr_array_index(self->verdicts, idx);
}

/**
 * rg_report_get_level:
 * @self: an #RgReport
 *
 * Returns: the most serious level over all recipients
 */
RgLevel
rg_report_get_level(RgReport *self)
{
	RgLevel level = RG_LEVEL_OK;
	g_return_val_if_fail(RG_IS_REPORT(self), RG_LEVEL_OK);
	for (guint i = 0; i < self->verdicts->len; i++)
		level = MAX(level, rg_verdict_get_level(g_ptr_array_index(self->verdicts, i)));
	return level;
}

/**
 * rg_report_needs_decision:
 * @self: an #RgReport
 *
 * Returns: whether the user must decide before the message goes out: a recipient is at warn
 *   or block (front ends ask, in a dialog or at a terminal; notices never interrupt)
 */
gboolean
rg_report_needs_decision(RgReport *self)
{
	g_return_val_if_fail(RG_IS_REPORT(self), FALSE);
	return rg_report_get_level(self) >= RG_LEVEL_WARN;
}

/**
 * rg_report_get_notices:
 * @self: an #RgReport
 *
 * Returns: (transfer none) (element-type utf8): translated remarks about the check itself,
 *   such as a policy problem or an unavailable history; empty when all went well
 */
GPtrArray *
rg_report_get_notices(RgReport *self)
{
	g_return_val_if_fail(RG_IS_REPORT(self), NULL);
	return self->notices;
}

/**
 * rg_report_get_unchecked:
 * @self: an #RgReport
 *
 * What rg_session_check() was given but could not read as an address, as it was typed: it
 * has no verdict, and a notice says why. A front end treats it as a check that failed for
 * that recipient (the policy's `on-error`); the other recipients are checked all the same.
 *
 * Returns: (transfer none) (element-type utf8): the recipients that were not checked; empty
 *   when every one was
 */
GPtrArray *
rg_report_get_unchecked(RgReport *self)
{
	g_return_val_if_fail(RG_IS_REPORT(self), NULL);
	return self->unchecked;
}

/**
 * rg_report_is_complete:
 * @self: an #RgReport
 * @error: return location for a #GError
 *
 * Whether every recipient was checked. When some could not be read, a front end treats them
 * as a check that failed (the policy's `on-error`), with @error as what failed.
 *
 * Returns: %TRUE when nothing is in rg_report_get_unchecked(); else %FALSE with
 *   %RG_ERROR_INVALID_ADDRESS set, naming the recipients as typed, with what cannot be seen
 *   spelled out
 */
gboolean
rg_report_is_complete(RgReport *self, GError **error)
{
	g_autoptr(GString) list = NULL;

	g_return_val_if_fail(RG_IS_REPORT(self), FALSE);
	if (self->unchecked->len == 0)
		return TRUE;
	list = g_string_new(NULL);
	for (guint i = 0; i < self->unchecked->len; i++) {
		g_autofree char *shown =
		    rg_address_make_visible(g_ptr_array_index(self->unchecked, i), NULL);
		g_string_append_printf(list, "%s“%s”", i > 0 ? ", " : "", shown);
	}
	g_set_error(error,
	            RG_ERROR,
	            RG_ERROR_INVALID_ADDRESS,
	            "not an address that can be read: %s",
	            list->str);
	return FALSE;
}
