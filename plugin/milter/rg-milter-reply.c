/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What goes back to the MTA, made to fit: SMTP replies are one line of ASCII, libmilter takes
 * at most 980 bytes and treats '%' as a format character (Sendmail does; Postfix undoes the
 * doubling), Postfix keeps 100 bytes of a quarantine reason, and a header added to the
 * message is read by every recipient. The words themselves come from the core. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "rg-milter.h"

#define RG_MILTER_ELLIPSIS "..."

/* the language the core's sentences are in, for the rules of its letters (German "ä" is
 * "ae"); NULL: English */
static char *rg_milter_reply_language = NULL;

/**
 * rg_milter_set_reply_language:
 * @language: (nullable): a gettext language code such as "de", or NULL or "" for English
 *
 * Makes the replies the milter gives (the core's sentences, through rcptguard's catalogue)
 * be in @language. An SMTP reply is read by the sender's mail program and shown to a
 * person the server knows nothing about, and it must be ASCII: by default it is English,
 * whatever the locale the milter was started in; an organisation whose users all read
 * another language sets server-reply-language. Call it once, before libmilter starts its
 * threads: it sets LANGUAGE and the locale of messages for the whole process.
 */
void
rg_milter_set_reply_language(const char *language)
{
	g_clear_pointer(&rg_milter_reply_language, g_free);
	if (language == NULL || language[0] == '\0') {
		/* gettext ignores LANGUAGE while the messages' locale is C */
		setlocale(LC_MESSAGES, "C");
		return;
	}
	rg_milter_reply_language = g_strdup(language);
	g_setenv("LANGUAGE", language, TRUE);
	/* LANGUAGE counts only when the messages' locale is not C: C.UTF-8 is always there */
	if (g_strcmp0(setlocale(LC_MESSAGES, NULL), "C") == 0 ||
	    g_strcmp0(setlocale(LC_MESSAGES, NULL), "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
}

/* ASCII, one line: the closest ASCII for what is not (“.ml” and „.ml“ become ".ml", the
 * reply language's rules for letters), controls and line breaks as spaces */
static char *
rg_milter_ascii_line(const char *text)
{
	static const char *const quotes[] = {"“", "”", "„", "«", "»", "‹", "›"};
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	char *ascii;

	/* the quotation marks of every language as plain ones, before the letters: a German
	 * „ is not two commas */
	for (guint i = 0; i < G_N_ELEMENTS(quotes); i++) {
		g_auto(GStrv) parts = g_strsplit(valid, quotes[i], -1);
		g_free(valid);
		valid = g_strjoinv("\"", parts);
	}
	ascii = g_str_to_ascii(valid, rg_milter_reply_language);

	for (char *p = ascii; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
			*p = ' ';
	}
	return ascii;
}

/**
 * rg_milter_reply_text:
 * @text: what the core says, UTF-8 of any length
 * @max: the most bytes the result may have
 *
 * Returns: (transfer full): @text as the text of one SMTP reply: ASCII, no CR or LF, every
 *   '%' doubled for libmilter, at most @max bytes; a longer text is cut at a space and ends
 *   in "..."
 */
char *
rg_milter_reply_text(const char *text, gsize max)
{
	g_autofree char *line = rg_milter_ascii_line(text);
	g_autoptr(GString) out = g_string_new(NULL);
	gsize len = 0;

	g_return_val_if_fail(max > strlen(RG_MILTER_ELLIPSIS) + 1, NULL);
	for (const char *p = line; *p != '\0'; p++)
		len += *p == '%' ? 2 : 1;
	/* when it is too long, room for the ellipsis; an escape is never split */
	for (const char *p = line; *p != '\0'; p++) {
		gsize need = *p == '%' ? 2 : 1;
		if (len > max && out->len + need > max - strlen(RG_MILTER_ELLIPSIS))
			break;
		g_string_append_len(out, p, 1);
		if (*p == '%')
			g_string_append_c(out, '%');
	}
	if (len <= max)
		return g_string_free(g_steal_pointer(&out), FALSE);
	{
		const char *space = strrchr(out->str, ' ');
		if (space != NULL && space > out->str)
			g_string_truncate(out, (gsize)(space - out->str));
	}
	g_string_append(out, RG_MILTER_ELLIPSIS);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * rg_milter_envelope_address:
 * @arg: the first argument of MAIL FROM or RCPT TO, as the MTA passes it
 *
 * Returns: (transfer full): the address without the angle brackets and without an RFC 821
 *   source route ("<@relay:user@host>"); "" for the null address
 */
char *
rg_milter_envelope_address(const char *arg)
{
	g_autofree char *s = g_strstrip(g_strdup(arg != NULL ? arg : ""));
	gsize len = strlen(s);
	const char *start = s;

	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s[len - 1] = '\0';
		start = s + 1;
	}
	if (start[0] == '@' && strchr(start, ':') != NULL)
		start = strchr(start, ':') + 1;
	return g_strdup(start);
}

/**
 * rg_milter_quarantine_reason:
 * @verdicts: (element-type RgServerVerdict): the recipients that hold the message
 *
 * Returns: (transfer full): why the message is held, for the administrator who releases it
 *   ("rcptguard: gen.smith@army.ml (tld-typo)"), within what Postfix keeps
 */
char *
rg_milter_quarantine_reason(GPtrArray *verdicts)
{
	g_autoptr(GString) why = g_string_new("rcptguard:");

	for (guint i = 0; i < verdicts->len; i++) {
		RgServerVerdict *v = g_ptr_array_index(verdicts, i);
		if (i > 0)
			g_string_append_c(why, ',');
		g_string_append_printf(why,
		                       " %s (%s)",
		                       rg_server_verdict_get_address(v),
		                       rg_server_verdict_get_codes(v));
	}
	{
		g_autofree char *line = rg_milter_ascii_line(why->str);
		if (strlen(line) <= RG_MILTER_QUARANTINE_MAX)
			return g_steal_pointer(&line);
		line[RG_MILTER_QUARANTINE_MAX - strlen(RG_MILTER_ELLIPSIS)] = '\0';
		return g_strconcat(line, RG_MILTER_ELLIPSIS, NULL);
	}
}

/**
 * rg_milter_tag_value:
 * @verdicts: (element-type RgServerVerdict): the recipients the policy tags
 *
 * The value of the X-Rcptguard header: the highest level, the reason codes and how many
 * recipients, and no address, since every recipient reads the header and a flagged one may
 * be a Bcc ("warn; reasons=tld-typo; recipients=1").
 *
 * Returns: (transfer full): the header value
 */
char *
rg_milter_tag_value(GPtrArray *verdicts)
{
	g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) value = g_string_new(NULL);
	g_autofree char *joined = NULL;
	RgLevel level = RG_LEVEL_OK;

	for (guint i = 0; i < verdicts->len; i++) {
		RgServerVerdict *v = g_ptr_array_index(verdicts, i);
		g_auto(GStrv) these = g_strsplit(rg_server_verdict_get_codes(v), ",", -1);
		level = MAX(level, rg_server_verdict_get_level(v));
		for (guint c = 0; these[c] != NULL; c++) {
			if (these[c][0] != '\0' &&
			    !g_ptr_array_find_with_equal_func(codes, these[c], g_str_equal, NULL))
				g_ptr_array_add(codes, g_strdup(these[c]));
		}
	}
	g_ptr_array_add(codes, NULL);
	joined = g_strjoinv(",", (char **)codes->pdata);
	g_string_append_printf(value,
	                       "%s; reasons=%s; recipients=%u",
	                       rg_level_to_string(level),
	                       joined,
	                       verdicts->len);
	return g_string_free(g_steal_pointer(&value), FALSE);
}
