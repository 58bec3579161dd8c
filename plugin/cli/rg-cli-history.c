/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard history: look at, fill and erase the history store. Built on the public API. */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rg-cli.h"

/* a command the user runs on purpose may wait for another process's lock a little longer
 * than a send would */
#define RG_CLI_HISTORY_BUSY_TIMEOUT 5000 /* ms */

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
} RgCliHistoryCommand;

static void
rg_cli_printerr_command(const char *command, const char *message)
{
	g_autofree char *prefix = g_strdup_printf("rcptguard history %s: ", command);
	rg_cli_printerr_visible(prefix, message);
}

static void
rg_cli_history_say_moved(RgStore *store)
{
	if (rg_store_get_moved_aside_path(store) != NULL)
		/* TRANSLATORS: %s is the path of a file */
		g_printerr(_("rcptguard: Your history store was damaged. It was moved to %s and a "
		             "new one was started.\n"),
		           rg_store_get_moved_aside_path(store));
}

static RgStore *
rg_cli_history_open(const char *command)
{
	g_autoptr(GError) error = NULL;
	/* the open waits as long: another process may be creating the schema */
	g_autoptr(RgStore) store = rg_store_open_full(NULL, RG_CLI_HISTORY_BUSY_TIMEOUT, &error);

	if (store == NULL) {
		rg_cli_printerr_command(command, error->message);
		return NULL;
	}
	rg_cli_history_say_moved(store);
	return g_steal_pointer(&store);
}

static gboolean
rg_cli_history_parse(const char *command,
                     const char *params,
                     const char *summary,
                     GOptionEntry *entries,
                     int *argc,
                     char ***argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autoptr(GError) error = NULL;

	g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
	g_option_context_set_summary(ctx, summary);
	if (entries != NULL)
		g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		rg_cli_printerr_command(command, error->message);
		return FALSE;
	}
	return TRUE;
}

static void
rg_cli_history_progress(guint done, guint total, gpointer user_data)
{
	/* back to the start of the line: the figure is written over the last one */
	g_printerr("\r");
	/* TRANSLATORS: progress of a long import; %u is a percentage, "%%" a percent sign */
	g_printerr(_("Reading your mail: %u%%"), total > 0 ? (guint)(done * 100ull / total) : 100);
	if (done == total)
		g_printerr("\n");
}

/* @text as a JSON string; a path that is not UTF-8 gets U+FFFD where it is not */
static void
rg_cli_json_string(GString *out, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);

	g_string_append_c(out, '"');
	for (const char *p = valid; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if ((guchar)*p < 0x20)
			g_string_append_printf(out, "\\u%04x", (guchar)*p);
		else
			g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* what one import did, in words or as one JSON line; @what names the source */
static void
rg_cli_history_print_result(const char *kind,
                            const char *what,
                            const RgImportResult *result,
                            gboolean json)
{
	if (json) {
		g_autoptr(GString) where = g_string_new(NULL);
		g_autofree char *line = NULL;

		if (what != NULL) {
			g_string_append_printf(where, "\"source\": \"%s\", \"path\": ", kind);
			rg_cli_json_string(where, what);
			g_string_append(where, ", ");
		}
		line = g_strdup_printf(
		    "{%s\"full\": %s, \"messages\": %u, \"files_read\": %u, \"sent\": %u, "
		    "\"received\": %u, \"junk\": %u, \"skipped\": %u, \"unreadable\": %u, "
		    "\"revision\": %" G_GUINT64_FORMAT "}\n",
		    where->str,
		    result->full ? "true" : "false",
		    result->n_messages,
		    result->n_files_read,
		    result->n_sent,
		    result->n_received,
		    result->n_junk,
		    result->n_skipped,
		    result->n_unreadable,
		    result->revision);
		rg_cli_print_raw(line);
		return;
	}
	if (what != NULL)
		g_print("%s:\n  ", what);
	if (result->n_messages == 0) {
		g_print("%s\n", _("Nothing new since the last import."));
	} else {
		g_print(
		    g_dngettext(GETTEXT_PACKAGE,
		                /* TRANSLATORS: %u is a number of messages; more sentences follow */
		                "Read %u message: ",
		                "Read %u messages: ",
		                result->n_messages),
		    result->n_messages);
		/* TRANSLATORS: the three numbers are message counts */
		g_print(_("%1$u sent by you, %2$u received, %3$u spam or deleted.\n"),
		        result->n_sent,
		        result->n_received,
		        result->n_junk);
	}
	if (result->n_skipped > 0)
		g_print(g_dngettext(GETTEXT_PACKAGE,
		                    /* TRANSLATORS: %u is a number of addresses in the headers of
		                     * mail */
		                    "%u address could not be read and was skipped; the others "
		                    "in the same headers count.\n",
		                    "%u addresses could not be read and were skipped; the others "
		                    "in the same headers count.\n",
		                    result->n_skipped),
		        result->n_skipped);
	if (result->n_unreadable > 0)
		g_print(g_dngettext(GETTEXT_PACKAGE,
		                    /* TRANSLATORS: %u is a number of messages */
		                    "%u message could not be read now (it was being written or "
		                    "moved); it is read the next time.\n",
		                    "%u messages could not be read now (they were being written or "
		                    "moved); they are read the next time.\n",
		                    result->n_unreadable),
		        result->n_unreadable);
	if (what != NULL && result->n_sent == 0 && result->n_received > 0)
		g_print("%s\n",
		        _("None of these messages is from one of your addresses, so their "
		          "recipients do not count as people you wrote to. If you sent them, "
		          "import again with --identity and your address."));
}

/* the mailboxes given with --mbox and --maildir, one after the other, through the session */
static gboolean
rg_cli_history_import_mailboxes(
    char **mboxes, char **maildirs, char **identities, gboolean progress, gboolean json)
{
	g_autoptr(RgSession) session = rg_session_new();
	g_autoptr(GError) error = NULL;
	struct {
		char **paths;
		RgImportSource *(*make)(const char *path);
		const char *kind;
	} kinds[] = {
	    {mboxes, rg_import_source_new_mbox, "mbox"},
	    {maildirs, rg_import_source_new_maildir, "maildir"},
	};

	rg_session_set_busy_timeout(session, RG_CLI_HISTORY_BUSY_TIMEOUT);
	for (guint i = 0; identities != NULL && identities[i] != NULL; i++)
		rg_session_add_identity(session, identities[i]);
	if (!rg_session_load_policy(session, &error)) {
		rg_cli_printerr_visible("rcptguard history import: ", error->message);
		return FALSE;
	}
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (guint i = 0; kinds[k].paths != NULL && kinds[k].paths[i] != NULL; i++) {
			g_autoptr(RgImportSource) source = kinds[k].make(kinds[k].paths[i]);
			RgImportResult result = {0};

			if (!rg_session_import(session,
			                       source,
			                       NULL,
			                       progress ? rg_cli_history_progress : NULL,
			                       NULL,
			                       &result,
			                       &error)) {
				g_autofree char *prefix = g_strdup_printf(
				    "rcptguard history import: %s: ", kinds[k].paths[i]);
				rg_cli_printerr_visible(prefix, error->message);
				return FALSE;
			}
			rg_cli_history_print_result(
			    kinds[k].kind, kinds[k].paths[i], &result, json);
		}
	}
	/* a store found damaged on the way, moved aside */
	for (guint i = 0; i < rg_session_get_notices(session)->len; i++)
		rg_cli_printerr_visible("rcptguard: ",
		                        g_ptr_array_index(rg_session_get_notices(session), i));
	return TRUE;
}

static int
rg_cli_history_import(int argc, char **argv)
{
	g_autofree char *notmuch = NULL;
	g_autofree char *known = NULL;
	g_auto(GStrv) mboxes = NULL;
	g_auto(GStrv) maildirs = NULL;
	g_auto(GStrv) identities = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
	    {"notmuch",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &notmuch,
	     N_("Read the notmuch database at DBPATH instead of the configured one"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("DBPATH")},
	    {"mbox",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &mboxes,
	     N_("Read the mailbox FILE in mbox format, such as a Sent folder (may be repeated)"),
	     N_("FILE")},
	    {"maildir",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &maildirs,
	     N_("Read the Maildir folder DIR, such as ~/Maildir/.Sent (may be repeated)"),
	     N_("DIR")},
	    {"identity",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &identities,
	     N_("Mail from ADDRESS is mail you sent (may be repeated; without it, the addresses "
	        "the store knows as yours)"),
	     N_("ADDRESS")},
	    {"known",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &known,
	     N_("Also remember the addresses in FILE (one per line) as known correspondents"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what was done as JSON"), NULL},
	    {NULL},
	};
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GError) error = NULL;
	RgImportResult result = {0};
	gboolean tty = isatty(STDERR_FILENO);
	gboolean mailboxes;

	if (!rg_cli_history_parse(
	        "import",
	        NULL,
	        _("Reads your mail into the history store: your notmuch database, "
	          "or mailboxes in mbox or Maildir format. After the first time, "
	          "only new and changed mail is read. Nothing is ever written to "
	          "the mail."),
	        entries,
	        &argc,
	        &argv))
		return EXIT_USAGE;
	if (argc > 1) {
		/* TRANSLATORS: %s is what the user typed */
		g_printerr(_("rcptguard history import: unexpected argument “%s”\n"), argv[1]);
		return EXIT_USAGE;
	}
	mailboxes = mboxes != NULL || maildirs != NULL;
	if (identities != NULL && !mailboxes) {
		g_printerr(_("rcptguard history import: --identity needs --mbox or --maildir\n"));
		return EXIT_USAGE;
	}
	store = rg_cli_history_open("import");
	if (store == NULL)
		return EXIT_USAGE;
	if (known != NULL) {
		guint n = 0;
		if (!rg_store_add_known_file(store, known, &n, &error)) {
			rg_cli_printerr_visible("rcptguard history import: ", error->message);
			return EXIT_USAGE;
		}
		if (!json)
			g_print(g_dngettext(GETTEXT_PACKAGE,
			                    "Remembered %u known correspondent.\n",
			                    "Remembered %u known correspondents.\n",
			                    n),
			        n);
		if (notmuch == NULL && !mailboxes)
			return EXIT_CLEAN;
	}
	if (mailboxes) {
		if (!rg_cli_history_import_mailboxes(
		        mboxes, maildirs, identities, tty && !json, json))
			return EXIT_USAGE;
		if (notmuch == NULL)
			return EXIT_CLEAN;
	}
	if (!rg_history_notmuch_import(store,
	                               notmuch,
	                               NULL,
	                               NULL,
	                               tty && !json ? rg_cli_history_progress : NULL,
	                               NULL,
	                               &result,
	                               &error)) {
		rg_cli_printerr_visible("rcptguard history import: ", error->message);
		return EXIT_USAGE;
	}
	rg_cli_history_print_result("notmuch", mailboxes ? notmuch : NULL, &result, json);
	return EXIT_CLEAN;
}

/* one line of the stats: the label padded to 24 characters (not bytes: a translated label may
 * hold "é"), then the value */
G_GNUC_PRINTF(3, 0)
static void
rg_cli_history_vprint_row(guint indent, const char *label, const char *format, va_list ap)
{
	g_autofree char *value = g_strdup_vprintf(format, ap);
	glong pad = MAX(0, 24 - (glong)indent - g_utf8_strlen(label, -1));

	g_print("%*s%s%*s %s\n", (int)indent, "", label, (int)pad, "", value);
}

G_GNUC_PRINTF(2, 3)
static void
rg_cli_history_print_row(const char *label, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	rg_cli_history_vprint_row(0, label, format, ap);
	va_end(ap);
}

/* a row of one source, under its heading */
G_GNUC_PRINTF(2, 3)
static void
rg_cli_history_print_source_row(const char *label, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	rg_cli_history_vprint_row(2, label, format, ap);
	va_end(ap);
}

static void
rg_cli_history_print_time(const char *label, gint64 when)
{
	g_autoptr(GDateTime) dt = when > 0 ? g_date_time_new_from_unix_local(when) : NULL;
	g_autofree char *text = dt != NULL ? g_date_time_format(dt, "%c") : NULL;
	/* TRANSLATORS: the time of the last import when there was none */
	rg_cli_history_print_row(label, "%s", text != NULL ? text : _("never"));
}

/* one source of the history other than notmuch, as `history stats` lists it */
static void
rg_cli_history_print_source(const RgImportRecord *r)
{
	g_autofree char *heading = NULL;

	heading = g_strdup_printf(
	    /* TRANSLATORS: %1$s is a kind of source such as "mbox" or "claws-folder", %2$s its
	     * name or path */
	    _("Source %1$s %2$s"),
	    r->kind,
	    r->label != NULL ? r->label : r->name);
	g_print("\n%s\n", heading);
	if (r->label != NULL && g_strcmp0(r->label, r->name) != 0)
		/* TRANSLATORS: the labels of a source in "rcptguard history stats", a column of
		 * at most 21 characters followed by the figures */
		rg_cli_history_print_source_row(_("Name:"), "%s", r->name);
	if (r->n_messages > 0 || r->n_contacts == 0) {
		rg_cli_history_print_source_row(
		    _("Messages read:"), "%" G_GUINT64_FORMAT, r->n_messages);
		rg_cli_history_print_source_row(_("Sent by you:"), "%" G_GUINT64_FORMAT, r->n_sent);
		rg_cli_history_print_source_row(
		    _("Received:"), "%" G_GUINT64_FORMAT, r->n_received);
		if (r->n_junk > 0)
			rg_cli_history_print_source_row(
			    _("Spam or deleted:"), "%" G_GUINT64_FORMAT, r->n_junk);
	}
	if (r->n_contacts > 0)
		rg_cli_history_print_source_row(
		    _("Address book entries:"), "%" G_GUINT64_FORMAT, r->n_contacts);
	rg_cli_history_print_source_row(_("Addresses held:"), "%" G_GUINT64_FORMAT, r->n_addresses);
	{
		g_autoptr(GDateTime) dt =
		    r->read_at > 0 ? g_date_time_new_from_unix_local(r->read_at) : NULL;
		g_autofree char *text = dt != NULL ? g_date_time_format(dt, "%c") : NULL;
		rg_cli_history_print_source_row(
		    _("Last read:"), "%s", text != NULL ? text : _("never"));
	}
}

static void
rg_cli_history_source_json(GString *out, const RgImportRecord *r, gboolean comma)
{
	if (comma)
		g_string_append(out, ", ");
	g_string_append(out, "{\"kind\": ");
	rg_cli_json_string(out, r->kind);
	g_string_append(out, ", \"name\": ");
	rg_cli_json_string(out, r->name);
	g_string_append(out, ", \"label\": ");
	if (r->label != NULL)
		rg_cli_json_string(out, r->label);
	else
		g_string_append(out, "null");
	g_string_append_printf(out,
	                       ", \"messages\": %" G_GUINT64_FORMAT ", \"sent\": %" G_GUINT64_FORMAT
	                       ", \"received\": %" G_GUINT64_FORMAT ", \"junk\": %" G_GUINT64_FORMAT
	                       ", \"contacts\": %" G_GUINT64_FORMAT
	                       ", \"addresses\": %" G_GUINT64_FORMAT
	                       ", \"read_at\": %" G_GINT64_FORMAT "}",
	                       r->n_messages,
	                       r->n_sent,
	                       r->n_received,
	                       r->n_junk,
	                       r->n_contacts,
	                       r->n_addresses,
	                       r->read_at);
}

static int
rg_cli_history_stats(int argc, char **argv)
{
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(RgStoreStats) stats = {0};
	g_autoptr(GPtrArray) sources = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the figures as JSON"), NULL},
	    {NULL},
	};

	if (!rg_cli_history_parse(
	        "stats", NULL, _("Shows how much the history store holds."), entries, &argc, &argv))
		return EXIT_USAGE;
	store = rg_cli_history_open("stats");
	if (store == NULL)
		return EXIT_USAGE;
	if (!rg_store_get_stats(store, &stats, &error) ||
	    (sources = rg_store_list_sources(store, &error)) == NULL) {
		rg_cli_printerr_visible("rcptguard history stats: ", error->message);
		return EXIT_USAGE;
	}
	if (json) {
		g_autoptr(GString) line = g_string_new(NULL);
		g_string_append_printf(
		    line,
		    "{\"addresses\": %u, \"domains\": %u, \"trusted\": %u, \"identities\": %u, "
		    "\"messages\": %u, \"sent\": %" G_GUINT64_FORMAT
		    ", \"received\": %" G_GUINT64_FORMAT ", \"junk\": %" G_GUINT64_FORMAT
		    ", \"notmuch_revision\": %" G_GUINT64_FORMAT ", \"sources\": [",
		    stats.n_addresses,
		    stats.n_domains,
		    stats.n_trusted,
		    stats.n_identities,
		    stats.n_messages,
		    stats.sent,
		    stats.received,
		    stats.junk,
		    stats.notmuch_revision);
		for (guint i = 0; i < sources->len; i++)
			rg_cli_history_source_json(line, g_ptr_array_index(sources, i), i > 0);
		g_string_append(line, "]}\n");
		rg_cli_print_raw(line->str);
		return EXIT_CLEAN;
	}
	/* TRANSLATORS: the labels of "rcptguard history stats", a column of at most 23
	 * characters followed by the figures */
	rg_cli_history_print_row(_("Store:"), "%s", rg_store_get_path(store));
	rg_cli_history_print_row(_("Addresses:"), "%u", stats.n_addresses);
	rg_cli_history_print_row(_("Domains:"), "%u", stats.n_domains);
	rg_cli_history_print_row(_("Trusted entries:"), "%u", stats.n_trusted);
	rg_cli_history_print_row(_("Your own addresses:"), "%u", stats.n_identities);
	rg_cli_history_print_row(_("Messages sent:"), "%" G_GUINT64_FORMAT, stats.sent);
	rg_cli_history_print_row(_("Messages received:"), "%" G_GUINT64_FORMAT, stats.received);
	rg_cli_history_print_row(_("Spam or deleted:"), "%" G_GUINT64_FORMAT, stats.junk);
	rg_cli_history_print_row(_("notmuch database:"),
	                         "%s",
	                         stats.notmuch_path != NULL ? stats.notmuch_path
	                                                    /* TRANSLATORS: no notmuch database */
	                                                    : _("none"));
	if (stats.notmuch_path != NULL) {
		RgImportRecord *nm = rg_import_record_find(sources, "notmuch", stats.notmuch_path);
		rg_cli_history_print_row(_("notmuch messages read:"),
		                         "%" G_GUINT64_FORMAT,
		                         nm != NULL ? nm->n_messages : 0);
		rg_cli_history_print_time(_("Last import:"), stats.imported_at);
	}
	for (guint i = 0; i < sources->len; i++) {
		RgImportRecord *r = g_ptr_array_index(sources, i);
		if (g_strcmp0(r->kind, "notmuch") != 0)
			rg_cli_history_print_source(r);
	}
	return EXIT_CLEAN;
}

static int
rg_cli_history_trust(int argc, char **argv)
{
	g_autoptr(RgStore) store = NULL;

	if (!rg_cli_history_parse("trust",
	                          /* TRANSLATORS: the arguments of a command in --help */
	                          _("ADDRESS|DOMAIN…"),
	                          _("Never warns about these addresses or domains again."),
	                          NULL,
	                          &argc,
	                          &argv))
		return EXIT_USAGE;
	if (argc < 2) {
		g_printerr(_("rcptguard history trust: no address or domain given\n"));
		return EXIT_USAGE;
	}
	store = rg_cli_history_open("trust");
	if (store == NULL)
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		if (!rg_store_trust(store, argv[i], "rcptguard history trust", &error)) {
			rg_cli_printerr_visible("rcptguard history trust: ", error->message);
			return EXIT_USAGE;
		}
	}
	return EXIT_CLEAN;
}

static int
rg_cli_history_forget(int argc, char **argv)
{
	g_autoptr(RgStore) store = NULL;
	guint total = 0;
	gboolean moved;

	if (!rg_cli_history_parse("forget",
	                          /* TRANSLATORS: the arguments of a command in --help */
	                          _("ADDRESS|DOMAIN…"),
	                          _("Erases everything the store holds about these addresses or "
	                            "domains (subdomains included)."),
	                          NULL,
	                          &argc,
	                          &argv))
		return EXIT_USAGE;
	if (argc < 2) {
		g_printerr(_("rcptguard history forget: no address or domain given\n"));
		return EXIT_USAGE;
	}
	store = rg_cli_history_open("forget");
	if (store == NULL)
		return EXIT_USAGE;
	moved = rg_store_get_moved_aside_path(store) != NULL;
	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		guint n = 0;
		if (!rg_store_forget(store, argv[i], &n, &error)) {
			rg_cli_printerr_visible("rcptguard history forget: ", error->message);
			return EXIT_USAGE;
		}
		total += n;
	}
	/* found damaged while forgetting: the old file still holds what was to be forgotten */
	if (!moved && rg_store_get_moved_aside_path(store) != NULL) {
		rg_cli_history_say_moved(store);
		/* TRANSLATORS: %s is the path of a file */
		g_printerr(_("rcptguard: %s may still hold what you asked to forget; delete it "
		             "when you no longer need it.\n"),
		           rg_store_get_moved_aside_path(store));
	}
	g_print(g_dngettext(GETTEXT_PACKAGE, "Erased %u entry.\n", "Erased %u entries.\n", total),
	        total);
	return EXIT_CLEAN;
}

static int
rg_cli_history_record(int argc, char **argv)
{
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) addresses = g_ptr_array_new();

	if (!rg_cli_history_parse("record",
	                          /* TRANSLATORS: the arguments of a command in --help */
	                          _("ADDRESS…"),
	                          _("Remembers that you sent a message to these addresses."),
	                          NULL,
	                          &argc,
	                          &argv))
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			g_ptr_array_add(addresses, argv[i]);
	}
	if (addresses->len == 0) {
		g_printerr(_("rcptguard history record: no address given\n"));
		return EXIT_USAGE;
	}
	g_ptr_array_add(addresses, NULL);
	store = rg_cli_history_open("record");
	if (store == NULL)
		return EXIT_USAGE;
	if (!rg_store_record_sent(store, (const char *const *)addresses->pdata, &error)) {
		rg_cli_printerr_visible("rcptguard history record: ", error->message);
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

static int
rg_cli_history_export(int argc, char **argv)
{
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) out = NULL;
	g_autoptr(GOutputStream) buffered = NULL;

	if (!rg_cli_history_parse("export",
	                          NULL,
	                          _("Prints everything the history store holds, as JSON Lines."),
	                          NULL,
	                          &argc,
	                          &argv))
		return EXIT_USAGE;
	store = rg_cli_history_open("export");
	if (store == NULL)
		return EXIT_USAGE;
	out = g_unix_output_stream_new(STDOUT_FILENO, FALSE);
	buffered = g_buffered_output_stream_new(out);
	if (!rg_store_export(store, buffered, &error) ||
	    !g_output_stream_close(buffered, NULL, &error)) {
		rg_cli_printerr_visible("rcptguard history export: ", error->message);
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

static const RgCliHistoryCommand rg_cli_history_commands[] = {
    {"import",
     rg_cli_history_import,
     "[--notmuch DBPATH] [--mbox FILE] [--maildir DIR] [--identity ADDRESS] [--known FILE]",
     /* TRANSLATORS: what a command does, in the list of "rcptguard history help" */
     N_("read mail from notmuch or mailboxes into the store")},
    {"stats", rg_cli_history_stats, "", N_("show how much the store holds")},
    {"trust", rg_cli_history_trust, "ADDRESS|DOMAIN…", N_("never warn about these again")},
    {"forget",
     rg_cli_history_forget,
     "ADDRESS|DOMAIN…",
     N_("erase what the store holds about these")},
    {"record", rg_cli_history_record, "ADDRESS…", N_("remember a message sent to these")},
    {"export", rg_cli_history_export, "", N_("print everything the store holds (JSON Lines)")},
};

static void
rg_cli_history_usage(FILE *out)
{
	g_autofree char *path = rg_store_get_default_path();

	fprintf(out, "%s\n\n%s\n", _("Usage: rcptguard history COMMAND [OPTION…]"), _("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(rg_cli_history_commands); i++) {
		g_autofree char *head = g_strdup_printf(
		    "%s %s", rg_cli_history_commands[i].name, rg_cli_history_commands[i].args);
		/* pad by characters, not bytes: the argument names hold "…" */
		glong pad = MAX(1, 40 - g_utf8_strlen(head, -1));
		fprintf(
		    out, "  %s%*s%s\n", head, (int)pad, "", _(rg_cli_history_commands[i].summary));
	}
	fprintf(out, "\n");
	{
		g_autofree char *visible = rg_address_make_visible(path, NULL);
		/* TRANSLATORS: %s is the path of the history store */
		fprintf(out, _("The store is %s.\n"), visible);
	}
}

int
rg_cli_history(int argc, char **argv)
{
	if (argc < 2) {
		rg_cli_history_usage(stderr);
		return EXIT_USAGE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(rg_cli_history_commands); i++) {
		if (strcmp(argv[1], rg_cli_history_commands[i].name) == 0)
			return rg_cli_history_commands[i].run(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		rg_cli_history_usage(stdout);
		return EXIT_CLEAN;
	}
	/* TRANSLATORS: %s is what the user typed as a command */
	g_printerr(_("rcptguard history: unknown command “%s”\n"), argv[1]);
	rg_cli_history_usage(stderr);
	return EXIT_USAGE;
}
