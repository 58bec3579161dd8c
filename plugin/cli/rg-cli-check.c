/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard check: the contract of DESIGN.md §5 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rg-cli.h"

typedef struct {
	gboolean json;
	gboolean dialog;
	gboolean color;
	char *policy;
	char *notmuch;
	char **known;
	char **identities;
	gboolean flagged;
} RgCli;

static void
rg_cli_clear(RgCli *cli)
{
	g_free(cli->policy);
	g_free(cli->notmuch);
	g_strfreev(cli->known);
	g_strfreev(cli->identities);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgCli, rg_cli_clear)

static const char *
rg_cli_level_label(RgLevel level)
{
	switch (level) {
	case RG_LEVEL_OK:
		/* TRANSLATORS: a level in the report; keep it short */
		return _("ok");
	case RG_LEVEL_NOTICE:
		/* TRANSLATORS: a level in the report; keep it short */
		return _("notice");
	case RG_LEVEL_WARN:
		/* TRANSLATORS: a level in the report; keep it short */
		return _("WARNING");
	case RG_LEVEL_BLOCK:
		/* TRANSLATORS: a level in the report; keep it short */
		return _("BLOCKED");
	default:
		return "?";
	}
}

/* the width of the level column, in characters: the widest translated label, at least 8 */
static guint
rg_cli_level_width(void)
{
	guint width = 8;
	for (RgLevel level = RG_LEVEL_OK; level <= RG_LEVEL_BLOCK; level++)
		width = MAX(width, (guint)g_utf8_strlen(rg_cli_level_label(level), -1));
	return width;
}

static const char *
rg_cli_level_color(RgLevel level)
{
	switch (level) {
	case RG_LEVEL_NOTICE:
		return "\033[36m";
	case RG_LEVEL_WARN:
		return "\033[1;33m";
	case RG_LEVEL_BLOCK:
		return "\033[1;31m";
	case RG_LEVEL_OK:
	default:
		return "\033[32m";
	}
}

static void
rg_cli_print_verdict(RgCli *cli, RgVerdict *v)
{
	RgLevel level = rg_verdict_get_level(v);
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	const char *on = cli->color ? rg_cli_level_color(level) : "";
	const char *off = cli->color ? "\033[0m" : "";
	g_autofree char *address = NULL;
	const char *label;
	guint width;

	if (level >= RG_LEVEL_WARN)
		cli->flagged = TRUE;
	if (cli->json) {
		g_autofree char *json = rg_verdict_to_json(v);
		rg_cli_print_raw(json);
		rg_cli_print_raw("\n");
		return;
	}
	address = rg_address_make_visible(rg_verdict_get_address(v), NULL);
	label = rg_cli_level_label(level);
	width = rg_cli_level_width();
	/* the colour codes are the only escape sequences that reach the terminal as they are */
	rg_cli_print_raw(on);
	g_print("%s", label);
	rg_cli_print_raw(off);
	/* padded by characters, not bytes: a translated label may hold "É" */
	g_print("%*s %s\n", (int)(width - g_utf8_strlen(label, -1)), "", address);
	for (guint i = 0; i < reasons->len; i++) {
		RgReason *r = g_ptr_array_index(reasons, i);
		g_autofree char *message = rg_address_make_visible(rg_reason_get_message(r), NULL);
		g_print("%*s%s\n", (int)width + 1, "", message);
	}
	if (rg_verdict_get_suggestion(v) != NULL) {
		g_autofree char *suggestion =
		    rg_address_make_visible(rg_verdict_get_suggestion(v), NULL);
		/* TRANSLATORS: %s is an e-mail address the user probably meant */
		g_autofree char *hint = g_strdup_printf(_("Did you mean %s?"), suggestion);
		g_print("%*s", (int)width + 1, "");
		rg_cli_print_raw(cli->color ? "\033[1m" : "");
		g_print("%s", hint);
		rg_cli_print_raw(off);
		g_print("\n");
	}
}

/* the report's notices, but those about the sources only once, at load */
static void
rg_cli_print_report(RgCli *cli, RgSession *session, RgReport *report)
{
	GPtrArray *notices = rg_report_get_notices(report);
	GPtrArray *said = rg_session_get_notices(session);
	for (guint i = 0; i < notices->len; i++) {
		const char *notice = g_ptr_array_index(notices, i);
		if (!g_ptr_array_find_with_equal_func(said, notice, g_str_equal, NULL))
			rg_cli_printerr_visible("rcptguard: ", notice);
	}
	for (guint i = 0; i < rg_report_get_n_verdicts(report); i++)
		rg_cli_print_verdict(cli, rg_report_get_verdict(report, i));
}

static void
rg_cli_stdin_error(guint lineno, const GError *error)
{
	g_autofree char *msg = rg_address_make_visible(error->message, NULL);
	/* TRANSLATORS: %1$u is a line number, %2$s an error message */
	g_printerr(_("rcptguard: stdin line %1$u: %2$s\n"), lineno, msg);
}

/* one line of standard input: NULL with @error set when it is not text an address list can be
 * read from. A NUL byte or a byte that is not UTF-8 makes the whole line an input error, so
 * that nothing after it is silently cut off. */
static char *
rg_cli_stdin_text(const char *line, gsize len, GError **error)
{
	const char *bad = NULL;

	if (memchr(line, '\0', len) != NULL) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_INVALID_ADDRESS, "the line holds a NUL byte");
		return NULL;
	}
	if (!g_utf8_validate_len(line, len, &bad)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "the line is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")",
		            (gsize)(bad - line) + 1);
		return NULL;
	}
	return g_strstrip(g_strndup(line, len));
}

/* whether the next line is read already, so that reading it cannot block */
static gboolean
rg_cli_stdin_has_line(GBufferedInputStream *in)
{
	gsize n = 0;
	const void *buf = g_buffered_input_stream_peek_buffer(in, &n);
	return n > 0 && memchr(buf, '\n', n) != NULL;
}

/**
 * rg_cli_check_lines:
 * @session: a loaded session
 * @in: what `rcptguard check -` reads: one address list per line
 * @json: print as --json does
 * @color: print the levels in colour
 * @flagged: (inout): set to %TRUE when a recipient needs attention
 *
 * Checks each line of @in as a message of its own and prints the verdicts on stdout; a line
 * that cannot be read is said on stderr and the lines after it are checked all the same.
 *
 * Returns: %EXIT_CLEAN, or %EXIT_USAGE when a line could not be read
 */
int
rg_cli_check_lines(
    RgSession *session, GInputStream *in, gboolean json, gboolean color, gboolean *flagged)
{
	RgCli out = {.json = json, .color = color, .flagged = *flagged};
	RgCli *cli = &out;
	g_autoptr(GDataInputStream) data = g_data_input_stream_new(in);
	int status = EXIT_CLEAN;
	guint lineno = 0;

	/* lines are read as bytes and judged here: the stream's own UTF-8 check stops inside a
	 * bad line and would take the next line for the rest of it */
	for (;;) {
		g_autoptr(GError) error = NULL;
		gsize len = 0;
		g_autofree char *raw = NULL;
		g_autofree char *line = NULL;
		g_autoptr(GPtrArray) addresses = NULL;
		g_autoptr(RgReport) report = NULL;

		/* the answers so far go out before a read that may wait: a program that writes a
		 * line and waits gets its answer at once, and a list piped in is answered in a few
		 * big writes instead of one per line (1 write per line was ~10 % of a batch) */
		if (!rg_cli_stdin_has_line(G_BUFFERED_INPUT_STREAM(data)))
			fflush(stdout);
		raw = g_data_input_stream_read_line(data, &len, NULL, &error);

		if (raw == NULL) {
			if (error != NULL) {
				rg_cli_stdin_error(lineno + 1, error);
				status = EXIT_USAGE;
			}
			break;
		}
		lineno++;
		line = rg_cli_stdin_text(raw, len, &error);
		if (line == NULL) {
			rg_cli_stdin_error(lineno, error);
			status = EXIT_USAGE;
			continue;
		}
		if (line[0] == '\0')
			continue;
		/* every line is a message of its own */
		addresses = rg_address_list_parse(line, &error);
		if (addresses == NULL) {
			rg_cli_stdin_error(lineno, error);
			status = EXIT_USAGE;
			continue;
		}
		/* read already: the session checks it, with the policy's log-only rule */
		report = rg_session_check_addresses(session, addresses);
		rg_cli_print_report(cli, session, report);
	}
	*flagged = cli->flagged;
	return status;
}

int
rg_cli_check(int argc, char **argv)
{
	g_auto(RgCli) cli = {0};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RgSession) session = rg_session_new();
	g_autoptr(GPtrArray) recipients = g_ptr_array_new();
	g_auto(GStrv) argv_copy = g_strdupv(argv);
	int status = EXIT_CLEAN;
	gboolean from_stdin = FALSE;
	GOptionEntry entries[] = {
	    {"policy",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &cli.policy,
	     N_("Use FILE as the system policy"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {"notmuch",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &cli.notmuch,
	     N_("Read history from the notmuch database at DBPATH"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("DBPATH")},
	    {"known",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &cli.known,
	     N_("Add the addresses in FILE as known correspondents"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {"identity",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &cli.identities,
	     N_("Count ADDRESS as one of your own addresses"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("ADDRESS")},
	    {"json",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &cli.json,
	     N_("Print one JSON object per recipient"),
	     NULL},
	    {"dialog",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &cli.dialog,
	     N_("Show the confirm-or-fix dialog and print the decision as JSON "
	        "(exit 0 send, 1 edit)"),
	     NULL},
	    {NULL},
	};

	ctx = g_option_context_new(_("ADDRESS… | -"));
	g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
	g_option_context_set_summary(
	    ctx,
	    _("Checks e-mail recipients for typos and lookalike domains.\n"
	      "Exit status: 0 when all are fine, 1 when one needs attention, "
	      "2 on errors.\nWith “-”, reads one address list per line from "
	      "standard input; each line is checked as a message of its own."));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		rg_cli_printerr_visible("rcptguard check: ", error->message);
		return EXIT_USAGE;
	}
	if (cli.dialog)
		return rg_cli_check_dialog(argv_copy);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			continue;
		if (strcmp(argv[i], "-") == 0)
			from_stdin = TRUE;
		else
			g_ptr_array_add(recipients, argv[i]);
	}
	if (from_stdin && recipients->len > 0) {
		g_printerr(_("rcptguard check: give addresses or “-”, not both\n"));
		return EXIT_USAGE;
	}
	if (!from_stdin && recipients->len == 0) {
		g_printerr(_("rcptguard check: no address given; try --help\n"));
		return EXIT_USAGE;
	}
	cli.color = !cli.json && isatty(STDOUT_FILENO) && g_getenv("NO_COLOR") == NULL;

	rg_session_set_policy_file(session, cli.policy);
	rg_session_set_notmuch_path(session, cli.notmuch);
	for (guint i = 0; cli.known != NULL && cli.known[i] != NULL; i++)
		rg_session_add_known_file(session, cli.known[i]);
	for (guint i = 0; cli.identities != NULL && cli.identities[i] != NULL; i++)
		rg_session_add_identity(session, cli.identities[i]);
	if (!rg_session_load(session, &error)) {
		rg_cli_printerr_visible("rcptguard check: ", error->message);
		return EXIT_USAGE;
	}
	/* problems with default sources do not stop the check, but are said */
	for (guint i = 0; i < rg_session_get_notices(session)->len; i++)
		rg_cli_printerr_visible("rcptguard: ",
		                        g_ptr_array_index(rg_session_get_notices(session), i));
	/* the session's check, so that log-only and the decision log apply here too */
	if (from_stdin) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new(STDIN_FILENO, FALSE);
		status = rg_cli_check_lines(session, in, cli.json, cli.color, &cli.flagged);
	} else {
		g_autoptr(RgReport) report = NULL;
		/* the contract: an input that is not an address is a usage error, and nothing is
		 * checked (a mail client checks the rest and asks about it) */
		for (guint i = 0; i < recipients->len; i++) {
			g_autoptr(GPtrArray) parsed =
			    rg_address_list_parse(g_ptr_array_index(recipients, i), &error);
			if (parsed == NULL) {
				rg_cli_printerr_visible("rcptguard check: ", error->message);
				return EXIT_USAGE;
			}
		}
		g_ptr_array_add(recipients, NULL);
		report = rg_session_check(session, (const char *const *)recipients->pdata, NULL);
		rg_cli_print_report(&cli, session, report);
	}
	if (status != EXIT_CLEAN)
		return status;
	return cli.flagged ? EXIT_FLAGGED : EXIT_CLEAN;
}
