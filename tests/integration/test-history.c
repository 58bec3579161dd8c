/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The history store and the notmuch import, on the real CLI: every test builds a real
 * notmuch database in a temp dir from the fixture mail in tests/data/history-mail and gives
 * the CLI its own empty XDG_DATA_HOME. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gmodule.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rcptguard.h"
#include "rg-test.h"

typedef struct {
	char *dir;
	char *mail;
	char *config;         /* with database.path */
	char *config_no_path; /* like the eval kit's: no database.path */
	char *data;           /* XDG_DATA_HOME */
	char *store;
} World;

static World w;

/* the check framework's timeout multiplier, which the memory checkers' setups raise */
static gint64
timeout_multiplier(void)
{
	const char *m = g_getenv("CK_TIMEOUT_MULTIPLIER");
	gint64 n = m != NULL ? g_ascii_strtoll(m, NULL, 10) : 0;
	return n > 0 ? n : 1;
}

static GSubprocessLauncher *
world_launcher(const char *notmuch_config)
{
	GSubprocessLauncher *l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
	                                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv(l, "HOME", w.dir, TRUE);
	g_subprocess_launcher_setenv(l, "XDG_DATA_HOME", w.data, TRUE);
	g_subprocess_launcher_setenv(l, "NOTMUCH_CONFIG", notmuch_config, TRUE);
	g_subprocess_launcher_unsetenv(l, "NOTMUCH_DATABASE");
	g_subprocess_launcher_unsetenv(l, "NOTMUCH_PROFILE");
	return l;
}

static GSubprocess *
spawn_v(const char *notmuch_config, const char *const *argv)
{
	g_autoptr(GSubprocessLauncher) l = world_launcher(notmuch_config);
	g_autoptr(GError) error = NULL;
	GSubprocess *proc = g_subprocess_launcher_spawnv(l, argv, &error);
	ck_assert_msg(proc != NULL, "%s: %s", argv[0], error != NULL ? error->message : "");
	return proc;
}

/* runs argv (NULL-terminated varargs) with the world's environment */
static void
run_in(RgRun *r, const char *notmuch_config, const char *program, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	va_list ap;
	const char *arg;

	g_ptr_array_add(argv, (gpointer)program);
	va_start(ap, program);
	while ((arg = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	proc = spawn_v(notmuch_config, (const char *const *)argv->pdata);
	rg_run_finish(proc, NULL, r);
}

#define rg(r, ...) run_in(r, w.config, g_getenv("RG_CLI"), __VA_ARGS__, NULL)

static void
notmuch(const char *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_auto(RgRun) r = {0};
	va_list ap;
	const char *arg;

	g_ptr_array_add(argv, (gpointer) "notmuch");
	g_ptr_array_add(argv, (gpointer)first);
	va_start(ap, first);
	while ((arg = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	proc = spawn_v(w.config, (const char *const *)argv->pdata);
	rg_run_finish(proc, NULL, &r);
	ck_assert_msg(r.status == 0, "notmuch %s failed: %s", first, r.err);
}

static void
copy_file(const char *from, const char *to)
{
	g_autofree char *contents = NULL;
	gsize len = 0;
	ck_assert(g_file_get_contents(from, &contents, &len, NULL));
	ck_assert(g_file_set_contents(to, contents, len, NULL));
}

static void
copy_box(const char *box)
{
	g_autofree char *src_dir = NULL;
	g_autofree char *data = rg_test_data_path("history-mail");
	const char *subs[] = {"cur", "new", "tmp"};
	g_autoptr(GDir) dir = NULL;
	const char *name;

	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *d = g_build_filename(w.mail, box, subs[i], NULL);
		ck_assert_int_eq(g_mkdir_with_parents(d, 0700), 0);
	}
	src_dir = g_build_filename(data, box, "cur", NULL);
	dir = g_dir_open(src_dir, 0, NULL);
	ck_assert_ptr_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *from = g_build_filename(src_dir, name, NULL);
		g_autofree char *to = g_build_filename(w.mail, box, "cur", name, NULL);
		copy_file(from, to);
	}
}

/* a later message, delivered to @box and indexed */
static void
deliver(const char *later, const char *box, const char *name)
{
	g_autofree char *data = rg_test_data_path("history-mail");
	g_autofree char *from = g_build_filename(data, "later", later, NULL);
	g_autofree char *to = g_build_filename(w.mail, box, "cur", name, NULL);
	copy_file(from, to);
	notmuch("new", "--quiet", NULL);
}

static void
index_mail(void)
{
	notmuch("new", "--quiet", NULL);
	notmuch("tag", "+spam", "-inbox", "--", "folder:Spam", NULL);
	notmuch("tag", "+promo", "--", "id:t1@shop-offers.example", NULL);
}

static void
world_setup(void)
{
	g_autofree char *cfg = NULL;
	const char *common = "[user]\nname=Me\nprimary_email=me@example.mil\n"
	                     "other_email=me@home.example;\n\n[new]\ntags=inbox;\n\n"
	                     "[search]\nexclude_tags=deleted;spam;promo;\n";

	w.dir = g_dir_make_tmp("rg-history-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w.dir);
	w.mail = g_build_filename(w.dir, "mail", NULL);
	w.config = g_build_filename(w.dir, "notmuch-config", NULL);
	w.config_no_path = g_build_filename(w.dir, "notmuch-config-no-path", NULL);
	w.data = g_build_filename(w.dir, "data", NULL);
	w.store = g_build_filename(w.data, "rcptguard", "history.db", NULL);
	cfg = g_strdup_printf("[database]\npath=%s\n\n%s", w.mail, common);
	ck_assert(g_file_set_contents(w.config, cfg, -1, NULL));
	ck_assert(g_file_set_contents(w.config_no_path, common, -1, NULL));
	copy_box("INBOX");
	copy_box("Sent");
	copy_box("Spam");
	index_mail();
}

static void
world_teardown(void)
{
	const char *argv[] = {"rm", "-rf", w.dir, NULL};
	g_spawn_sync(
	    NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_clear_pointer(&w.dir, g_free);
	g_clear_pointer(&w.mail, g_free);
	g_clear_pointer(&w.config, g_free);
	g_clear_pointer(&w.config_no_path, g_free);
	g_clear_pointer(&w.data, g_free);
	g_clear_pointer(&w.store, g_free);
}

static JsonObject *
parse_object(const char *text)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GError) error = NULL;
	ck_assert_msg(json_parser_load_from_data(p, text, -1, &error),
	              "%s: %s",
	              text,
	              error ? error->message : "");
	ck_assert(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)));
	return json_object_ref(json_node_get_object(json_parser_get_root(p)));
}

static JsonObject *
import(const char *config)
{
	g_auto(RgRun) r = {0};
	run_in(&r,
	       config,
	       g_getenv("RG_CLI"),
	       "history",
	       "import",
	       "--json",
	       "--notmuch",
	       w.mail,
	       NULL);
	ck_assert_msg(r.status == 0, "import failed: %s", r.err);
	return parse_object(r.out);
}

/* the export line of one address, or NULL */
static JsonObject *
exported(const char *type, const char *member, const char *value)
{
	g_auto(RgRun) r = {0};
	g_auto(GStrv) lines = NULL;

	rg(&r, "history", "export");
	ck_assert_msg(r.status == 0, "export failed: %s", r.err);
	lines = g_strsplit(r.out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(JsonObject) o = NULL;
		if (lines[i][0] == '\0')
			continue;
		o = parse_object(lines[i]);
		if (g_strcmp0(json_object_get_string_member(o, "type"), type) == 0 &&
		    g_strcmp0(json_object_get_string_member(o, member), value) == 0)
			return g_steal_pointer(&o);
	}
	return NULL;
}

/* whether the store exports that line (the object freed: an assert that fails ends the test
 * before a local's cleanup would run) */
static gboolean
is_exported(const char *type, const char *member, const char *value)
{
	g_autoptr(JsonObject) o = exported(type, member, value);
	return o != NULL;
}

static void
assert_counts(const char *address, gint64 sent, gint64 received, gint64 junk)
{
	g_autoptr(JsonObject) o = exported("address", "address", address);
	ck_assert_msg(o != NULL, "%s is not in the store", address);
	ck_assert_msg(json_object_get_int_member(o, "sent") == sent &&
	                  json_object_get_int_member(o, "received") == received &&
	                  json_object_get_int_member(o, "junk") == junk,
	              "%s: sent %" G_GINT64_FORMAT " received %" G_GINT64_FORMAT
	              " junk %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
	              "/%" G_GINT64_FORMAT,
	              address,
	              json_object_get_int_member(o, "sent"),
	              json_object_get_int_member(o, "received"),
	              json_object_get_int_member(o, "junk"),
	              sent,
	              received,
	              junk);
}

static gint64
member(JsonObject *o, const char *name)
{
	return json_object_get_int_member(o, name);
}

/* the level the CLI gives one address with the notmuch database */
static char *
level_of(const char *address, char **err)
{
	g_auto(RgRun) r = {0};
	g_autoptr(JsonObject) o = NULL;

	run_in(&r,
	       w.config_no_path,
	       g_getenv("RG_CLI"),
	       "check",
	       "--json",
	       "--notmuch",
	       w.mail,
	       "--",
	       address,
	       NULL);
	ck_assert_msg(r.status == 0 || r.status == 1, "check failed (%d): %s", r.status, r.err);
	o = parse_object(r.out);
	if (err != NULL)
		*err = g_strdup(r.err);
	return g_strdup(json_object_get_string_member(o, "level"));
}

START_TEST(test_history_import_counts)
{
	g_autoptr(JsonObject) res = import(w.config);
	g_autoptr(JsonObject) body = NULL;
	GStatBuf st;
	g_autofree char *dir = g_path_get_dirname(w.store);

	ck_assert(json_object_get_boolean_member(res, "full"));
	ck_assert_int_eq(member(res, "messages"), 9);
	ck_assert_int_eq(member(res, "files_read"), 3); /* only the mail the user sent */
	ck_assert_int_eq(member(res, "sent"), 3);
	ck_assert_int_eq(member(res, "received"), 4);
	ck_assert_int_eq(member(res, "junk"), 2);

	assert_counts("alice@army.mil", 1, 2, 0); /* "Alice@ARMY.MIL" is the same person */
	assert_counts("bob@navy.mil", 1, 1, 0);   /* a Cc on received mail is not evidence */
	assert_counts("dave@state.gov", 1, 0, 0); /* Cc */
	assert_counts("eve@dhs.gov", 1, 0, 0);    /* Bcc */
	assert_counts("frank@af.mil", 1, 0, 0);   /* group members */
	assert_counts("gina@usmc.mil", 1, 0, 0);
	assert_counts("carol@gmail.com", 0, 1, 0);
	assert_counts("hr@army-mil.com", 0, 0, 1);           /* tagged spam */
	assert_counts("deals@shop-offers.example", 0, 0, 1); /* an excluded tag */
	body = exported("address", "address", "not-a-header@body.example");
	ck_assert_ptr_null(body);
	ck_assert(is_exported("identity", "address", "me@example.mil"));
	ck_assert(is_exported("identity", "address", "me@home.example"));

	/* private: the directory 0700, the file 0600 */
	ck_assert_int_eq(g_stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(g_stat(w.store, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

START_TEST(test_history_incremental)
{
	g_autoptr(JsonObject) first = import(w.config);
	g_autoptr(JsonObject) again = import(w.config);
	g_autoptr(JsonObject) sent = NULL;
	g_autoptr(JsonObject) received = NULL;
	g_autoptr(JsonObject) retagged = NULL;
	g_autoptr(JsonObject) junked = NULL;

	ck_assert(json_object_get_boolean_member(first, "full"));
	ck_assert(!json_object_get_boolean_member(again, "full"));
	ck_assert_int_eq(member(again, "messages"), 0);
	ck_assert_int_eq(member(again, "files_read"), 0);

	/* one new sent message: only it is examined and read */
	deliver("sent-new", "Sent", "1700000010.o4:2,S");
	sent = import(w.config);
	ck_assert(!json_object_get_boolean_member(sent, "full"));
	ck_assert_int_eq(member(sent, "messages"), 1);
	ck_assert_int_eq(member(sent, "files_read"), 1);
	assert_counts("hank@disa.mil", 1, 0, 0);

	/* a received one needs no file at all */
	deliver("received-new", "INBOX", "1700000011.r4:2,");
	received = import(w.config);
	ck_assert_int_eq(member(received, "messages"), 1);
	ck_assert_int_eq(member(received, "files_read"), 0);
	assert_counts("ivy@mail.mil", 0, 1, 0);

	/* a tag change makes a message new to lastmod, but it is not counted twice */
	notmuch("tag", "+flagged", "--", "id:a1@army.mil", NULL);
	retagged = import(w.config);
	ck_assert_int_eq(member(retagged, "messages"), 1);
	ck_assert_int_eq(member(retagged, "files_read"), 0);
	assert_counts("alice@army.mil", 1, 2, 0);

	/* marked as spam later: the count moves to junk */
	notmuch("tag", "+spam", "--", "id:a1@army.mil", NULL);
	junked = import(w.config);
	ck_assert_int_eq(member(junked, "junk"), 1);
	assert_counts("alice@army.mil", 1, 1, 1);
}
END_TEST

/* a malformed mailbox only costs itself: a NUL byte used to hide the rest of a To: field,
 * a byte that is not UTF-8 the whole From: */
START_TEST(test_history_malformed_headers)
{
	g_autoptr(JsonObject) first = import(w.config);
	g_autoptr(JsonObject) later = NULL;

	ck_assert_int_eq(member(first, "skipped"), 0);
	deliver("sent-malformed", "Sent", "1700000012.o5:2,S");
	deliver("received-latin1", "INBOX", "1700000013.r5:2,");
	later = import(w.config);
	ck_assert_int_eq(member(later, "messages"), 2);
	ck_assert_int_eq(member(later, "skipped"), 2);
	assert_counts("z@first.example", 1, 0, 0);
	assert_counts("w@after.example", 1, 0, 0);
	assert_counts("rene@latin1.example", 0, 1, 0);
	ck_assert(!is_exported("address", "address", "never@body.example"));
}
END_TEST

START_TEST(test_history_uuid_change)
{
	g_autoptr(JsonObject) first = import(w.config);
	g_autoptr(JsonObject) rebuilt = NULL;
	g_autofree char *xapian = g_build_filename(w.mail, ".notmuch", NULL);
	const char *argv[] = {"rm", "-rf", xapian, NULL};
	g_autofree char *uuid_before = NULL;
	g_autoptr(JsonObject) state = exported("import", "source", "notmuch");

	uuid_before = g_strdup(json_object_get_string_member(state, "uuid"));
	ck_assert(g_spawn_sync(
	    NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
	index_mail();
	rebuilt = import(w.config);
	/* a new database: read again from scratch, and nothing counted twice */
	ck_assert(json_object_get_boolean_member(rebuilt, "full"));
	ck_assert_int_eq(member(rebuilt, "messages"), 9);
	assert_counts("alice@army.mil", 1, 2, 0);
	assert_counts("hr@army-mil.com", 0, 0, 1);
	g_clear_pointer(&state, json_object_unref);
	state = exported("import", "source", "notmuch");
	ck_assert_str_ne(json_object_get_string_member(state, "uuid"), uuid_before);
}
END_TEST

START_TEST(test_history_spam_not_known)
{
	g_autofree char *spammer = level_of("payroll@army-mil.com", NULL);
	g_autofree char *colleague = NULL;
	g_autofree char *after = NULL;

	/* hr@army-mil.com only ever wrote spam: army-mil.com must stay a lookalike of army.mil */
	ck_assert_str_eq(spammer, "warn");
	colleague = level_of("alice@army.mil", NULL);
	ck_assert_str_eq(colleague, "ok");

	/* the same mail not marked as spam is received mail, counted (the test can fail), but
	 * mail received from a look-alike never vouches for it against army.mil, where the user
	 * writes: a phishing domain that mails first stays a look-alike */
	notmuch("tag", "-spam", "--", "folder:Spam", NULL);
	after = level_of("payroll@army-mil.com", NULL);
	assert_counts("hr@army-mil.com", 0, 1, 0);
	ck_assert_str_eq(after, "warn");
}
END_TEST

START_TEST(test_history_concurrent)
{
	const char *argv[] = {
	    g_getenv("RG_CLI"), "history", "import", "--json", "--notmuch", w.mail, NULL};
	const char *check[] = {
	    g_getenv("RG_CLI"), "check", "--json", "--notmuch", w.mail, "alice@army.mil", NULL};
	g_autoptr(GSubprocess) a = spawn_v(w.config, argv);
	g_autoptr(GSubprocess) b = spawn_v(w.config, argv);
	g_autoptr(GSubprocess) c = spawn_v(w.config_no_path, check);
	g_auto(RgRun) ra = {0};
	g_auto(RgRun) rb = {0};
	g_auto(RgRun) rc = {0};
	g_auto(RgRun) stats = {0};
	g_autoptr(JsonObject) s = NULL;

	rg_run_finish(a, NULL, &ra);
	rg_run_finish(b, NULL, &rb);
	rg_run_finish(c, NULL, &rc);
	ck_assert_msg(ra.status == 0, "%s", ra.err);
	ck_assert_msg(rb.status == 0, "%s", rb.err);
	ck_assert_msg(rc.status == 0, "%s", rc.err);
	/* however they interleaved, every message counts once */
	assert_counts("alice@army.mil", 1, 2, 0);
	rg(&stats, "history", "stats", "--json");
	s = parse_object(stats.out);
	ck_assert_int_eq(member(s, "messages"), 9);
	ck_assert_int_eq(member(s, "sent"), 6);
}
END_TEST

/* whether process @pid has the file @path open; FALSE too when it has ended */
static gboolean
has_open(const char *pid, const char *path, gboolean *running)
{
	g_autofree char *fds = g_build_filename("/proc", pid, "fd", NULL);
	g_autoptr(GDir) dir = g_dir_open(fds, 0, NULL);
	const char *name;

	*running = dir != NULL;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *link = g_build_filename(fds, name, NULL);
		g_autofree char *target = g_file_read_link(link, NULL);
		if (g_strcmp0(target, path) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Two imports started at once on a new store: while one creates the schema, it holds the
 * write lock, and the other waits for it as long as the CLI waits for any lock (5 s), not a
 * send's 200 ms (it failed with "BEGIN IMMEDIATE: database is locked" on a loaded machine).
 * Here the lock is let go of a second after the import has the store open. */
START_TEST(test_history_import_waits_for_schema)
{
	const char *argv[] = {
	    g_getenv("RG_CLI"), "history", "import", "--json", "--notmuch", w.mail, NULL};
	g_autofree char *dir = g_path_get_dirname(w.store);
	g_autofree char *real = NULL;
	g_autoptr(GSubprocess) p = NULL;
	g_auto(RgRun) r = {0};
	gboolean running = TRUE;
	sqlite3 *db = NULL;

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert_int_eq(sqlite3_open(w.store, &db), SQLITE_OK);
	/* as /proc names it */
	real = realpath(w.store, NULL);
	ck_assert_ptr_nonnull(real);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	p = spawn_v(w.config, argv);
	while (!has_open(g_subprocess_get_identifier(p), real, &running) && running)
		g_usleep(10 * 1000);
	g_usleep(G_USEC_PER_SEC);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);

	rg_run_finish(p, NULL, &r);
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_counts("alice@army.mil", 1, 2, 0);
}
END_TEST

START_TEST(test_history_locked)
{
	g_autoptr(JsonObject) first = import(w.config);
	g_autoptr(JsonObject) later = NULL;
	g_autofree char *err = NULL;
	g_autofree char *level = NULL;
	sqlite3 *db = NULL;
	gint64 start, elapsed;

	deliver("received-new", "INBOX", "1700000011.r4:2,");
	/* another process holds the write lock for as long as it likes */
	ck_assert_int_eq(sqlite3_open(w.store, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);

	start = g_get_monotonic_time();
	level = level_of("ivy@mail.mil", &err);
	elapsed = g_get_monotonic_time() - start;
	/* a bound against waiting for the lock, not a speed target: memcheck's tenfold slower
	 * CLI (CK_TIMEOUT_MULTIPLIER, tests/sanitizers/) gets ten times as long */
	ck_assert_msg(elapsed < 3 * G_USEC_PER_SEC * timeout_multiplier(),
	              "check took %" G_GINT64_FORMAT " µs",
	              elapsed);
	ck_assert_msg(strstr(err, "busy") != NULL, "no notice: %s", err);
	/* what was read from notmuch still counts for this check */
	ck_assert_str_eq(level, "ok");

	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	/* and it is written by the next refresh */
	later = import(w.config);
	ck_assert_int_eq(member(later, "messages"), 1);
	assert_counts("ivy@mail.mil", 0, 1, 0);
}
END_TEST

START_TEST(test_history_corrupt)
{
	g_autofree char *dir = g_path_get_dirname(w.store);
	g_autoptr(GString) garbage = g_string_new(NULL);
	g_autofree char *err = NULL;
	g_autofree char *level = NULL;
	g_autoptr(GDir) d = NULL;
	const char *name;
	gboolean found = FALSE;

	for (guint i = 0; i < 200; i++)
		g_string_append(garbage, "this is not a database. ");
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(w.store, garbage->str, garbage->len, NULL));

	level = level_of("alice@army.mil", &err);
	ck_assert_msg(strstr(err, "damaged") != NULL, "no notice: %s", err);
	ck_assert_str_eq(level, "ok");

	/* the damaged file is kept, byte for byte, next to the new store */
	d = g_dir_open(dir, 0, NULL);
	while ((name = g_dir_read_name(d)) != NULL) {
		if (g_str_has_prefix(name, "history.db.corrupt-")) {
			g_autofree char *path = g_build_filename(dir, name, NULL);
			g_autofree char *contents = NULL;
			ck_assert(g_file_get_contents(path, &contents, NULL, NULL));
			ck_assert_str_eq(contents, garbage->str);
			found = TRUE;
		}
	}
	ck_assert(found);
	assert_counts("alice@army.mil", 1, 2, 0);
}
END_TEST

START_TEST(test_history_configured_notmuch)
{
	g_auto(RgRun) r = {0};
	g_auto(RgRun) stats = {0};
	g_autoptr(JsonObject) s = NULL;

	/* no --notmuch: the database of the notmuch configuration refreshes the store */
	rg(&r, "check", "--json", "alice@army.mil");
	ck_assert_msg(r.status == 0, "%s", r.err);
	rg(&stats, "history", "stats", "--json");
	s = parse_object(stats.out);
	ck_assert_int_eq(member(s, "messages"), 9);
	ck_assert_int_eq(member(s, "identities"), 2);
}
END_TEST

START_TEST(test_history_policy_disables_notmuch)
{
	g_auto(RgRun) r = {0};
	g_auto(RgRun) stats = {0};
	g_autoptr(JsonObject) s = NULL;
	g_autofree char *policy = g_build_filename(w.dir, "no-notmuch.conf", NULL);

	/* the policy's notmuch=false keeps the configured database out */
	ck_assert(g_file_set_contents(policy, "[policy]\nnotmuch=false\n", -1, NULL));
	rg(&r, "check", "--json", "--policy", policy, "alice@army.mil");
	ck_assert_msg(r.status == 0, "%s", r.err);
	rg(&stats, "history", "stats", "--json");
	s = parse_object(stats.out);
	ck_assert_int_eq(member(s, "messages"), 0);
}
END_TEST

START_TEST(test_history_policy_overrules_old_trust)
{
	g_auto(RgRun) r1 = {0};
	g_auto(RgRun) r2 = {0};
	g_auto(RgRun) r3 = {0};
	g_autofree char *policy = g_build_filename(w.dir, "no-trust.conf", NULL);

	/* trusted while allowed: known */
	rg(&r1, "history", "trust", "trusted-partner.org");
	ck_assert_msg(r1.status == 0, "%s", r1.err);
	rg(&r2, "check", "--json", "x@trusted-partner.org");
	ck_assert_msg(strstr(r2.out, "\"level\":\"ok\"") != NULL, "%s", r2.out);
	/* a later policy without user trust: the old decision no longer counts */
	ck_assert(g_file_set_contents(policy, "[policy]\nallow-trust=false\n", -1, NULL));
	rg(&r3, "check", "--json", "--policy", policy, "x@trusted-partner.org");
	ck_assert_msg(strstr(r3.out, "\"level\":\"notice\"") != NULL, "%s", r3.out);
}
END_TEST

START_TEST(test_history_record_trust_forget)
{
	g_auto(RgRun) r1 = {0};
	g_auto(RgRun) r1b = {0};
	g_auto(RgRun) r2 = {0};
	g_auto(RgRun) r3 = {0};
	g_auto(RgRun) r4 = {0};
	g_auto(RgRun) bad = {0};
	g_autoptr(JsonObject) rec = NULL;
	g_autoptr(JsonObject) trusted = NULL;
	g_autoptr(JsonObject) gone = NULL;
	g_autoptr(JsonObject) trust_gone = NULL;
	JsonArray *sources;

	rg(&r1, "history", "record", "New Person <new@partner.example>", "x@sub.partner.example");
	ck_assert_msg(r1.status == 0, "%s", r1.err);
	rg(&r1b, "history", "record", "new@partner.example");
	rec = exported("address", "address", "new@partner.example");
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(member(rec, "sent"), 2);
	sources = json_object_get_array_member(rec, "sources");
	ck_assert_str_eq(json_array_get_string_element(sources, 0), "sent");

	rg(&r2, "history", "trust", "Trusted.Example.");
	ck_assert_msg(r2.status == 0, "%s", r2.err);
	trusted = exported("trusted", "entry", "trusted.example");
	ck_assert_ptr_nonnull(trusted);
	ck_assert_str_eq(json_object_get_string_member(trusted, "kind"), "domain");

	/* a malformed address changes nothing */
	rg(&bad, "history", "record", "ok@fine.example", "broken@@x");
	ck_assert_int_eq(bad.status, 2);
	ck_assert(!is_exported("address", "address", "ok@fine.example"));

	rg(&r3, "history", "forget", "partner.example", "trusted.example");
	ck_assert_msg(r3.status == 0, "%s", r3.err);
	ck_assert_ptr_nonnull(strstr(r3.out, "3"));
	gone = exported("address", "address", "x@sub.partner.example");
	ck_assert_ptr_null(gone);
	trust_gone = exported("trusted", "entry", "trusted.example");
	ck_assert_ptr_null(trust_gone);

	rg(&r4, "history", "stats", "--json");
	ck_assert_ptr_nonnull(strstr(r4.out, "\"addresses\": 0"));
}
END_TEST

/* HOME behind a symbolic link (`ln -s real home; HOME=$PWD/home`): every command said
 * "unable to open database file", left an empty history.db, and `check` ran without the
 * history */
START_TEST(test_history_symlinked_home)
{
	g_autofree char *real = g_build_filename(w.dir, "real", NULL);
	g_autofree char *link = g_build_filename(w.dir, "home-link", NULL);
	g_autofree char *saved = g_steal_pointer(&w.data);
	g_autofree char *db = g_build_filename(real, "share", "rcptguard", "history.db", NULL);
	g_auto(RgRun) rec = {0};
	g_auto(RgRun) check = {0};
	GStatBuf st;

	ck_assert_int_eq(g_mkdir(real, 0700), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	w.data = g_build_filename(link, "share", NULL);
	rg(&rec, "history", "record", "someone@kernel.org");
	rg(&check, "check", "someone@kernel.org");
	g_free(w.data);
	w.data = g_steal_pointer(&saved);
	ck_assert_msg(rec.status == 0, "%s", rec.err);
	ck_assert_int_eq(g_lstat(db, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_gt(st.st_size, 0);
	/* the check used the store: no notice, and the recorded address is no first contact */
	ck_assert_msg(strstr(check.err, "history store") == NULL, "%s", check.err);
	ck_assert_msg(check.status == 0, "%s%s", check.out, check.err);
	ck_assert_msg(strstr(check.out, "never written") == NULL, "%s", check.out);
}
END_TEST

START_TEST(test_history_identity_change)
{
	g_autoptr(JsonObject) first = import(w.config);
	g_autoptr(JsonObject) again = NULL;
	g_autoptr(JsonObject) frank = NULL;
	g_autofree char *cfg = NULL;

	assert_counts("frank@af.mil", 1, 0, 0);
	/* me@home.example is no longer one of the user's addresses */
	cfg =
	    g_strdup_printf("[database]\npath=%s\n\n[user]\nname=Me\nprimary_email=me@example.mil\n"
	                    "\n[search]\nexclude_tags=deleted;spam;promo;\n",
	                    w.mail);
	ck_assert(g_file_set_contents(w.config, cfg, -1, NULL));
	again = import(w.config);
	ck_assert(json_object_get_boolean_member(again, "full"));
	ck_assert_int_eq(member(again, "sent"), 2);
	frank = exported("address", "address", "frank@af.mil");
	ck_assert_ptr_null(frank);
	assert_counts("me@home.example", 0, 1, 0);
	ck_assert(!is_exported("identity", "address", "me@home.example"));
}
END_TEST

START_TEST(test_history_no_notmuch_config)
{
	g_auto(RgRun) r = {0};
	g_autoptr(JsonObject) o = NULL;

	/* --notmuch DBPATH works without any notmuch configuration file */
	run_in(&r,
	       "",
	       g_getenv("RG_CLI"),
	       "check",
	       "--json",
	       "--notmuch",
	       w.mail,
	       "alice@army.mil",
	       NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	o = parse_object(r.out);
	ck_assert_str_eq(json_object_get_string_member(o, "level"), "ok");
}
END_TEST

/* ------------------------------------------------------------------ the session's import */

typedef struct {
	GMainLoop *loop;
	GThread *main_thread;
	guint n_progress;
	guint last_done;
	guint last_total;
	gboolean progress_elsewhere;
	guint n_notified;
	gboolean finished;
	gboolean ok;
	RgImportResult result;
	GError *error;
} Importing;

static void
importing_progress_cb(guint done, guint total, gpointer user_data)
{
	Importing *im = user_data;
	im->n_progress++;
	im->last_done = done;
	im->last_total = total;
	if (g_thread_self() != im->main_thread)
		im->progress_elsewhere = TRUE;
	/* nothing may be reported after the import said it was done */
	ck_assert(!im->finished);
}

static void
importing_notify_cb(gpointer user_data)
{
	Importing *im = user_data;
	im->n_notified++;
	if (im->finished)
		g_main_loop_quit(im->loop);
}

static void
importing_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Importing *im = user_data;
	ck_assert(g_thread_self() == im->main_thread);
	im->ok = rg_session_import_finish(RG_SESSION(source), res, &im->result, &im->error);
	im->finished = TRUE;
}

/* a session of its own: the world's store and notmuch configuration, @policy as the system
 * policy, nothing from the process environment */
static RgSession *
world_session(const char *policy_text)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autofree char *etc = g_build_filename(w.dir, "etc", NULL);
	g_autofree char *policy = g_build_filename(etc, "rcptguard", "policy.conf", NULL);
	g_autofree char *dir = g_path_get_dirname(policy);
	const char *dirs[] = {etc, NULL};
	RgSession *s;

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(policy, policy_text, -1, NULL));
	rg_environment_set_system_dirs(env, dirs);
	rg_environment_set_data_home(env, w.data);
	rg_environment_set_notmuch_config(env, w.config);
	s = rg_session_new_for_environment(env);
	ck_assert(rg_session_load_policy(s, NULL));
	return s;
}

/* runs the import in a worker and waits in a main loop of this thread for it and for the
 * last of its callbacks */
static void
import_async(RgSession *s, RgImportSource *source, GCancellable *cancellable, Importing *im)
{
	im->loop = g_main_loop_new(NULL, FALSE);
	im->main_thread = g_thread_self();
	rg_session_import_async(s,
	                        source,
	                        cancellable,
	                        importing_progress_cb,
	                        im,
	                        importing_notify_cb,
	                        importing_done_cb,
	                        im);
	if (im->n_notified == 0)
		g_main_loop_run(im->loop);
	g_main_loop_unref(im->loop);
	ck_assert(im->finished);
	ck_assert_uint_eq(im->n_notified, 1);
}

START_TEST(test_history_session_import_async)
{
	g_autoptr(RgSession) s = world_session("[policy]\n");
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(w.mail);
	Importing im = {0};

	ck_assert_str_eq(rg_import_source_get_name(source), "notmuch");
	ck_assert(rg_session_get_can_import(s, source));
	import_async(s, source, NULL, &im);
	ck_assert_msg(im.ok, "%s", im.error != NULL ? im.error->message : "");
	ck_assert(im.result.full);
	ck_assert_uint_eq(im.result.n_messages, 9);
	ck_assert_uint_eq(im.result.n_sent, 3);
	ck_assert_uint_eq(im.result.n_received, 4);
	ck_assert_uint_eq(im.result.n_junk, 2);
	/* progress came to this thread, and ended at the whole */
	ck_assert_uint_gt(im.n_progress, 0);
	ck_assert(!im.progress_elsewhere);
	ck_assert_uint_eq(im.last_done, im.last_total);
	/* the store the CLI reads has it */
	assert_counts("alice@army.mil", 1, 2, 0);
}
END_TEST

START_TEST(test_history_session_import_cancelled)
{
	g_autoptr(RgSession) s = world_session("[policy]\n");
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(w.mail);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	Importing im = {0};

	g_cancellable_cancel(cancellable);
	import_async(s, source, cancellable, &im);
	ck_assert(!im.ok);
	ck_assert(g_error_matches(im.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	g_clear_error(&im.error);
	/* nothing was written */
	ck_assert(!is_exported("address", "address", "alice@army.mil"));
}
END_TEST

START_TEST(test_history_session_import_policy)
{
	g_autoptr(RgSession) s = world_session("[policy]\nnotmuch=false\n");
	g_autoptr(RgImportSource) configured = rg_import_source_new_notmuch(NULL);
	g_autoptr(RgImportSource) given = rg_import_source_new_notmuch(w.mail);
	g_autoptr(GError) error = NULL;
	Importing im = {0};

	/* the policy forbids the default database; one named on purpose is read */
	ck_assert(!rg_session_get_can_import(s, configured));
	ck_assert(rg_session_get_can_import(s, given));
	import_async(s, configured, NULL, &im);
	ck_assert(!im.ok);
	ck_assert(g_error_matches(im.error, RG_ERROR, RG_ERROR_LOCKED));
	g_clear_error(&im.error);
	/* and the same in the calling thread, as the command line does it */
	ck_assert(!rg_session_import(s, configured, NULL, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert(rg_session_import(s, given, NULL, NULL, NULL, &im.result, NULL));
	ck_assert_uint_eq(im.result.n_messages, 9);
}
END_TEST

/* ------------------------------------------------------------------ mailboxes, no notmuch */

static char *no_notmuch; /* a notmuch configuration that does not exist */

static void
mailboxes_setup(void)
{
	w.dir = g_dir_make_tmp("rg-history-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w.dir);
	w.mail = g_build_filename(w.dir, "mail", NULL);
	w.data = g_build_filename(w.dir, "data", NULL);
	w.store = g_build_filename(w.data, "rcptguard", "history.db", NULL);
	no_notmuch = g_build_filename(w.dir, "no-notmuch-config", NULL);
	/* what the notmuch tests' helpers read */
	w.config = g_strdup(no_notmuch);
	copy_box("INBOX");
	copy_box("Sent");
}

static void
mailboxes_teardown(void)
{
	world_teardown();
	g_clear_pointer(&no_notmuch, g_free);
}

#define rgm(r, ...) run_in(r, no_notmuch, g_getenv("RG_CLI"), __VA_ARGS__, NULL)

/* the fixture's INBOX as one mbox file, as a mail program writes it */
static char *
inbox_as_mbox(void)
{
	g_autofree char *cur = g_build_filename(w.mail, "INBOX", "cur", NULL);
	g_autoptr(GDir) dir = g_dir_open(cur, 0, NULL);
	g_autoptr(GString) mbox = g_string_new(NULL);
	char *path = g_build_filename(w.dir, "Inbox.mbox", NULL);
	const char *name;

	ck_assert_ptr_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *file = g_build_filename(cur, name, NULL);
		g_autofree char *text = NULL;
		g_auto(GStrv) lines = NULL;

		ck_assert(g_file_get_contents(file, &text, NULL, NULL));
		g_string_append(mbox, "From someone@example.org Mon Jan  1 10:00:00 2024\n");
		lines = g_strsplit(text, "\n", -1);
		for (guint i = 0; lines[i] != NULL; i++) {
			if (lines[i + 1] == NULL && lines[i][0] == '\0')
				break;
			if (g_str_has_prefix(lines[i], "From "))
				g_string_append_c(mbox, '>');
			g_string_append_printf(mbox, "%s\n", lines[i]);
		}
		g_string_append_c(mbox, '\n');
	}
	ck_assert(g_file_set_contents(path, mbox->str, -1, NULL));
	return path;
}

/* the JSON lines an import printed, by source kind */
static JsonObject *
result_for(const char *out, const char *kind)
{
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(JsonObject) o = NULL;
		if (lines[i][0] == '\0')
			continue;
		o = parse_object(lines[i]);
		if (g_strcmp0(json_object_get_string_member(o, "source"), kind) == 0)
			return g_steal_pointer(&o);
	}
	return NULL;
}

/* one source in `history stats --json` */
static JsonObject *
stats_source(const char *kind)
{
	g_auto(RgRun) r = {0};
	g_autoptr(JsonObject) stats = NULL;
	JsonArray *sources;

	rgm(&r, "history", "stats", "--json");
	ck_assert_msg(r.status == 0, "stats failed: %s", r.err);
	stats = parse_object(r.out);
	sources = json_object_get_array_member(stats, "sources");
	for (guint i = 0; i < json_array_get_length(sources); i++) {
		JsonObject *o = json_array_get_object_element(sources, i);
		if (g_strcmp0(json_object_get_string_member(o, "kind"), kind) == 0)
			return json_object_ref(o);
	}
	return NULL;
}

START_TEST(test_history_cli_mailboxes)
{
	g_autofree char *sent = g_build_filename(w.mail, "Sent", NULL);
	g_autofree char *mbox = inbox_as_mbox();
	g_auto(RgRun) r = {0};
	g_auto(RgRun) again = {0};
	g_auto(RgRun) stats = {0};
	g_auto(RgRun) check = {0};
	g_autoptr(JsonObject) md = NULL;
	g_autoptr(JsonObject) mb = NULL;
	g_autoptr(JsonObject) src = NULL;

	rgm(&r,
	    "history",
	    "import",
	    "--json",
	    "--maildir",
	    sent,
	    "--mbox",
	    mbox,
	    "--identity",
	    "me@example.mil",
	    "--identity",
	    "Me at home <me@home.example>");
	ck_assert_msg(r.status == 0, "import failed: %s", r.err);
	md = result_for(r.out, "maildir");
	mb = result_for(r.out, "mbox");
	ck_assert_ptr_nonnull(md);
	ck_assert_ptr_nonnull(mb);
	ck_assert_int_eq(member(md, "messages"), 3);
	ck_assert_int_eq(member(md, "sent"), 3);
	ck_assert_int_eq(member(mb, "messages"), 5);
	ck_assert_int_eq(member(mb, "sent"), 0);
	ck_assert_int_eq(member(mb, "received"), 5);
	/* what the Sent folder says, headers folded, Bcc and groups included */
	assert_counts("alice@army.mil", 1, 2, 0);
	assert_counts("dave@state.gov", 1, 0, 0);
	assert_counts("eve@dhs.gov", 1, 0, 0);
	assert_counts("frank@af.mil", 1, 0, 0);
	assert_counts("gina@usmc.mil", 1, 0, 0);
	ck_assert(!is_exported("address", "address", "not-a-header@body.example"));

	/* a second import reads nothing */
	rgm(&again, "history", "import", "--json", "--maildir", sent, "--mbox", mbox);
	ck_assert_msg(again.status == 0, "import failed: %s", again.err);
	g_clear_pointer(&md, json_object_unref);
	g_clear_pointer(&mb, json_object_unref);
	md = result_for(again.out, "maildir");
	mb = result_for(again.out, "mbox");
	ck_assert_int_eq(member(md, "messages"), 0);
	ck_assert_int_eq(member(mb, "messages"), 0);

	/* each source is listed with its own counts */
	src = stats_source("maildir");
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(member(src, "messages"), 3);
	ck_assert_int_eq(member(src, "sent"), 3);
	g_clear_pointer(&src, json_object_unref);
	src = stats_source("mbox");
	ck_assert_int_eq(member(src, "received"), 5);
	rgm(&stats, "history", "stats");
	ck_assert_ptr_nonnull(strstr(stats.out, "Source maildir"));
	{
		g_autofree char *line = g_strdup_printf("  %-22s %d\n", "Sent by you:", 3);
		ck_assert_ptr_nonnull(strstr(stats.out, line));
	}

	/* the Sent folder's evidence works: no notmuch anywhere */
	rgm(&check, "check", "--json", "alice@army.ml");
	ck_assert_int_eq(check.status, 1);
	ck_assert_ptr_nonnull(strstr(check.out, "\"suggestion\":\"alice@army.mil\""));

	/* forgotten everywhere, in the sums and in each source */
	{
		g_auto(RgRun) f = {0};
		rgm(&f, "history", "forget", "alice@army.mil");
		ck_assert_int_eq(f.status, 0);
		ck_assert(!is_exported("address", "address", "alice@army.mil"));
		ck_assert(!is_exported("source-address", "address", "alice@army.mil"));
		ck_assert(is_exported("source-address", "address", "dave@state.gov"));
		ck_assert(is_exported("source", "kind", "mbox"));
	}
}
END_TEST

START_TEST(test_history_cli_mailbox_errors)
{
	g_autofree char *missing = g_build_filename(w.dir, "no-such.mbox", NULL);
	g_autofree char *plain = g_build_filename(w.dir, "plain", NULL);
	g_auto(RgRun) r1 = {0};
	g_auto(RgRun) r2 = {0};
	g_auto(RgRun) r3 = {0};
	g_auto(RgRun) r4 = {0};

	rgm(&r1, "history", "import", "--mbox", missing);
	ck_assert_int_eq(r1.status, 2);
	ck_assert_ptr_nonnull(strstr(r1.err, "no-such.mbox"));
	ck_assert_str_eq(r1.out, "");
	ck_assert_int_eq(g_mkdir_with_parents(plain, 0700), 0);
	rgm(&r2, "history", "import", "--maildir", plain);
	ck_assert_int_eq(r2.status, 2);
	ck_assert_ptr_nonnull(strstr(r2.err, "not a Maildir"));
	rgm(&r3, "history", "import", "--identity", "me@example.mil");
	ck_assert_int_eq(r3.status, 2);
	ck_assert_ptr_nonnull(strstr(r3.err, "--identity"));
	/* a Sent folder without the user's address: told what to do */
	{
		g_autofree char *sent = g_build_filename(w.mail, "Sent", NULL);
		rgm(&r4, "history", "import", "--maildir", sent);
		ck_assert_int_eq(r4.status, 0);
		ck_assert_ptr_nonnull(strstr(r4.out, "--identity"));
	}
}
END_TEST

/* ------------------------------------------------------------------ faults
 * The store, the notmuch database and the disk broken under the real CLI: each says clearly
 * what is wrong, the check still runs (on what is left), and nothing crashes. */

/* the CLI under tests/integration/fault-env.sh MODE ... (a full or read-only file system, or
 * no right to override permissions, also as root) */
#define rg_fault(r, config, ...) run_in(r, config, g_getenv("RG_FAULT_ENV"), __VA_ARGS__, NULL)

/* fault-env.sh could make no namespace here: a skip, except in CI, which must allow them */
static gboolean
fault_env_missing(const RgRun *r)
{
	if (r->status != 77)
		return FALSE;
	ck_assert_msg(g_getenv("CI") == NULL, "%s", r->err);
	g_printerr("SKIP: %s", r->err);
	return TRUE;
}

/* SQLite's "database or disk is full", or the system's reason after a "disk I/O error" */
static gboolean
says_disk_full(const char *text)
{
	return strstr(text, "disk is full") != NULL || strstr(text, "No space left") != NULL;
}

/* the one JSON line of a check of one address */
static char *
level_in(const RgRun *r)
{
	g_autoptr(JsonObject) o = NULL;

	ck_assert_msg(r->status == 0 || r->status == 1, "check failed (%d): %s", r->status, r->err);
	o = parse_object(r->out);
	return g_strdup(json_object_get_string_member(o, "level"));
}

/* a store of many pages: the imported mail and 3000 recorded addresses */
static void
fill_store(void)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(JsonObject) first = import(w.config);
	g_auto(RgRun) r = {0};

	g_ptr_array_add(argv, g_strdup(g_getenv("RG_CLI")));
	g_ptr_array_add(argv, g_strdup("history"));
	g_ptr_array_add(argv, g_strdup("record"));
	for (guint i = 0; i < 3000; i++)
		g_ptr_array_add(argv, g_strdup_printf("person%u@domain%u.example", i, i));
	g_ptr_array_add(argv, NULL);
	proc = spawn_v(w.config, (const char *const *)argv->pdata);
	rg_run_finish(proc, NULL, &r);
	ck_assert_msg(r.status == 0, "%s", r.err);
}

/* pages in the middle of the store overwritten; its header and schema stay whole */
static void
damage_store_middle(void)
{
	g_autofree char *contents = NULL;
	gsize len = 0;

	ck_assert(g_file_get_contents(w.store, &contents, &len, NULL));
	ck_assert_uint_gt(len, 16 * 4096);
	memset(contents + 6 * 4096, 0x5a, 8 * 4096);
	ck_assert(g_file_set_contents(w.store, contents, (gssize)len, NULL));
}

START_TEST(test_history_fault_truncated)
{
	g_auto(RgRun) rec = {0};
	g_autofree char *err = NULL;
	g_autofree char *level = NULL;
	GStatBuf st;

	fill_store();
	ck_assert_int_eq(g_stat(w.store, &st), 0);
	/* cut off in the middle, as by a crash while the disk was full */
	ck_assert_int_eq(truncate(w.store, st.st_size / 2), 0);
	level = level_of("alice@army.mil", &err);
	ck_assert_str_eq(level, "ok");
	ck_assert_msg(strstr(err, "damaged") != NULL, "no notice: %s", err);
	/* recording works again on the new store */
	rg(&rec, "history", "record", "new@partner.example");
	ck_assert_msg(rec.status == 0, "%s", rec.err);
	assert_counts("new@partner.example", 1, 0, 0);
}
END_TEST

/* damage in the middle of the store, first met by the import from notmuch (a check with
 * --notmuch, `history import`) or from a mailbox: each moves the file aside and goes on */
START_TEST(test_history_fault_mid_file)
{
	g_autofree char *sent = g_build_filename(w.mail, "Sent", NULL);
	g_autofree char *err = NULL;
	g_autofree char *level = NULL;
	g_auto(RgRun) md = {0};

	fill_store();
	damage_store_middle();
	level = level_of("alice@army.mil", &err);
	ck_assert_str_eq(level, "ok");
	ck_assert_msg(strstr(err, "damaged") != NULL, "no notice: %s", err);
	assert_counts("alice@army.mil", 1, 2, 0);

	/* the same with a mailbox import */
	fill_store();
	damage_store_middle();
	rg(&md, "history", "import", "--json", "--maildir", sent, "--identity", "me@example.mil");
	ck_assert_msg(md.status == 0, "%s", md.err);
	ck_assert_msg(strstr(md.err, "damaged") != NULL, "no notice: %s", md.err);
	assert_counts("dave@state.gov", 1, 0, 0);
}
END_TEST

START_TEST(test_history_fault_locked_writes)
{
	g_autofree char *sent = g_build_filename(w.mail, "Sent", NULL);
	g_autoptr(JsonObject) first = import(w.config);
	g_auto(RgRun) rec = {0};
	g_auto(RgRun) md = {0};
	g_auto(RgRun) forget = {0};
	sqlite3 *db = NULL;

	ck_assert_int_eq(sqlite3_open(w.store, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	/* each waits a bounded time (the test's timeout would catch a hang), then says so */
	rg(&rec, "history", "record", "new@partner.example");
	ck_assert_int_ne(rec.status, 0);
	ck_assert_msg(
	    strstr(rec.err, "busy") != NULL || strstr(rec.err, "locked") != NULL, "%s", rec.err);
	rg(&forget, "history", "forget", "alice@army.mil");
	ck_assert_int_ne(forget.status, 0);
	ck_assert_msg(strstr(forget.err, "busy") != NULL || strstr(forget.err, "locked") != NULL,
	              "%s",
	              forget.err);
	rg(&md, "history", "import", "--maildir", sent, "--identity", "me@example.mil");
	ck_assert_int_ne(md.status, 0);
	ck_assert_msg(
	    strstr(md.err, "busy") != NULL || strstr(md.err, "locked") != NULL, "%s", md.err);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	/* nothing was half written */
	assert_counts("alice@army.mil", 1, 2, 0);
	ck_assert(!is_exported("address", "address", "new@partner.example"));
}
END_TEST

START_TEST(test_history_fault_full_disk)
{
	g_auto(RgRun) fresh = {0};
	g_auto(RgRun) check = {0};
	g_auto(RgRun) rec = {0};
	g_autoptr(JsonObject) first = NULL;
	g_autofree char *level = NULL;

	ck_assert_int_eq(g_mkdir_with_parents(w.data, 0700), 0);
	/* no store yet, and no room for one: the check runs on what notmuch says */
	rg_fault(&fresh,
	         w.config_no_path,
	         "full",
	         w.data,
	         g_getenv("RG_CLI"),
	         "check",
	         "--json",
	         "--notmuch",
	         w.mail,
	         "alice@army.mil");
	if (fault_env_missing(&fresh))
		return;
	level = level_in(&fresh);
	ck_assert_str_eq(level, "ok");
	ck_assert_msg(strstr(fresh.err, "history store") != NULL, "no notice: %s", fresh.err);
	g_clear_pointer(&level, g_free);

	/* a store, then new mail, then the disk fills up */
	first = import(w.config);
	deliver("received-new", "INBOX", "1700000011.r4:2,");
	rg_fault(&check,
	         w.config_no_path,
	         "full",
	         w.data,
	         g_getenv("RG_CLI"),
	         "check",
	         "--json",
	         "--notmuch",
	         w.mail,
	         "ivy@mail.mil");
	level = level_in(&check);
	/* the new mail counts for this check, though it cannot be saved */
	ck_assert_str_eq(level, "ok");
	ck_assert_msg(says_disk_full(check.err), "no notice: %s", check.err);
	rg_fault(&rec,
	         w.config_no_path,
	         "full",
	         w.data,
	         g_getenv("RG_CLI"),
	         "history",
	         "record",
	         "new@partner.example");
	ck_assert_int_ne(rec.status, 0);
	ck_assert_msg(says_disk_full(rec.err), "%s", rec.err);
	/* the store on the real disk is as it was */
	assert_counts("alice@army.mil", 1, 2, 0);
}
END_TEST

/* a store the user cannot write (a read-only directory and file, or a read-only file
 * system): checks read it, writes fail clearly */
START_TEST(test_history_fault_unwritable)
{
	g_autofree char *dir = g_path_get_dirname(w.store);
	g_autoptr(JsonObject) first = import(w.config);
	g_auto(RgRun) check = {0};
	g_auto(RgRun) rec = {0};
	g_auto(RgRun) ro_check = {0};
	g_auto(RgRun) ro_rec = {0};
	g_autofree char *level = NULL;

	ck_assert_int_eq(g_chmod(w.store, 0400), 0);
	ck_assert_int_eq(g_chmod(dir, 0500), 0);
	rg_fault(&check,
	         w.config_no_path,
	         "unprivileged",
	         g_getenv("RG_CLI"),
	         "check",
	         "--json",
	         "alice@army.mil");
	rg_fault(&rec,
	         w.config_no_path,
	         "unprivileged",
	         g_getenv("RG_CLI"),
	         "history",
	         "record",
	         "new@partner.example");
	ck_assert_int_eq(g_chmod(dir, 0700), 0);
	ck_assert_int_eq(g_chmod(w.store, 0600), 0);
	if (fault_env_missing(&check))
		return;
	/* no notmuch here: alice is known from the store alone */
	level = level_in(&check);
	ck_assert_msg(g_strcmp0(level, "ok") == 0, "%s: %s", level, check.err);
	ck_assert_int_ne(rec.status, 0);
	ck_assert_msg(strstr(rec.err, "history store") != NULL, "%s", rec.err);
	g_clear_pointer(&level, g_free);

	rg_fault(&ro_check,
	         w.config_no_path,
	         "read-only",
	         w.data,
	         g_getenv("RG_CLI"),
	         "check",
	         "--json",
	         "alice@army.mil");
	if (fault_env_missing(&ro_check))
		return;
	level = level_in(&ro_check);
	ck_assert_msg(g_strcmp0(level, "ok") == 0, "%s: %s", level, ro_check.err);
	rg_fault(&ro_rec,
	         w.config_no_path,
	         "read-only",
	         w.data,
	         g_getenv("RG_CLI"),
	         "history",
	         "record",
	         "new@partner.example");
	ck_assert_int_ne(ro_rec.status, 0);
	ck_assert_msg(strstr(ro_rec.err, "Read-only file system") != NULL, "%s", ro_rec.err);
	assert_counts("alice@army.mil", 1, 2, 0);
}
END_TEST

/* a notmuch configuration whose database.path is @db */
static char *
config_for(const char *db)
{
	g_autofree char *cfg = g_strdup_printf("[database]\npath=%s\n", db);
	char *path = g_build_filename(w.dir, "notmuch-config-fault", NULL);
	ck_assert(g_file_set_contents(path, cfg, -1, NULL));
	return path;
}

/* the named database broken: an error naming it (exit 2); the configured one broken: a
 * notice, and the check runs on the store */
static void
assert_notmuch_fault(const char *db, const char *wrapper, const char *expect)
{
	g_autofree char *config = config_for(db);
	g_auto(RgRun) named = {0};
	g_auto(RgRun) configured = {0};
	g_autofree char *level = NULL;
	const char *cli = g_getenv("RG_CLI");

	if (wrapper != NULL) {
		rg_fault(
		    &named, w.config_no_path, wrapper, cli, "check", "--notmuch", db, "a@b.org");
		rg_fault(&configured, config, wrapper, cli, "check", "--json", "alice@army.mil");
	} else {
		run_in(&named, w.config_no_path, cli, "check", "--notmuch", db, "a@b.org", NULL);
		run_in(&configured, config, cli, "check", "--json", "alice@army.mil", NULL);
	}
	ck_assert_msg(named.status == 2, "%d: %s", named.status, named.err);
	ck_assert_msg(strstr(named.err, db) != NULL, "%s", named.err);
	ck_assert_str_eq(named.out, "");
	level = level_in(&configured);
	/* known from the store of the first import */
	ck_assert_msg(g_strcmp0(level, "ok") == 0, "%s: %s", level, configured.err);
	if (expect != NULL)
		ck_assert_msg(strstr(configured.err, expect) != NULL, "%s", configured.err);
}

START_TEST(test_history_fault_notmuch_missing)
{
	g_autofree char *gone = g_build_filename(w.dir, "no-such-mail", NULL);
	g_autoptr(JsonObject) first = import(w.config);

	assert_notmuch_fault(gone, NULL, NULL);
}
END_TEST

START_TEST(test_history_fault_notmuch_unreadable)
{
	g_autofree char *xapian = g_build_filename(w.mail, ".notmuch", "xapian", NULL);
	g_autoptr(JsonObject) first = import(w.config);
	g_auto(RgRun) probe = {0};

	rg_fault(&probe, w.config_no_path, "unprivileged", "true");
	if (fault_env_missing(&probe))
		return;
	ck_assert_int_eq(g_chmod(xapian, 0), 0);
	assert_notmuch_fault(w.mail, "unprivileged", "notmuch database could not be read");
	ck_assert_int_eq(g_chmod(xapian, 0700), 0);
}
END_TEST

/* a database written by a newer notmuch, or left by an upgrade that did not finish: notmuch
 * refuses it, and so does the import, without touching it */
START_TEST(test_history_fault_notmuch_newer)
{
	g_autofree char *xapian = g_build_filename(w.mail, ".notmuch", "xapian", NULL);
	g_autofree char *tool = g_find_program_in_path("xapian-metadata");
	g_autoptr(JsonObject) first = import(w.config);
	g_auto(RgRun) set = {0};

	if (tool == NULL) {
		ck_assert_msg(g_getenv("CI") == NULL, "xapian-metadata (xapian-tools) is missing");
		g_printerr("SKIP: xapian-metadata (xapian-tools) is missing\n");
		return;
	}
	run_in(&set, w.config, tool, "set", xapian, "version", "99", NULL);
	ck_assert_msg(set.status == 0, "%s", set.err);
	assert_notmuch_fault(w.mail, NULL, "notmuch database could not be read");
}
END_TEST

/* runs @argv with the world's environment, NOTMUCH_CONFIG=@config and the module directory
 * @module_dir */
static void
run_with_modules(RgRun *r, const char *config, const char *module_dir, const char *const *argv)
{
	g_autoptr(GSubprocessLauncher) l = world_launcher(config);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;

	g_subprocess_launcher_setenv(l, "RCPTGUARD_MODULE_DIR", module_dir, TRUE);
	proc = g_subprocess_launcher_spawnv(l, argv, &error);
	ck_assert_msg(proc != NULL, "%s", error != NULL ? error->message : "");
	rg_run_finish(proc, NULL, r);
}

/* an error naming the module's file, exit status 2, no verdict */
static void
assert_module_error(const RgRun *r, const char *module)
{
	ck_assert_msg(r->status == 2, "%d: %s", r->status, r->err);
	ck_assert_msg(strstr(r->err, "cannot load the notmuch module") != NULL, "%s", r->err);
	ck_assert_msg(strstr(r->err, module) != NULL, "%s", r->err);
	ck_assert_str_eq(r->out, "");
}

/* the notmuch module missing from its directory (a packaging mistake): what needs it says
 * which file could not be loaded, and a check still runs on the store */
START_TEST(test_history_fault_notmuch_module_missing)
{
	g_autofree char *empty = g_build_filename(w.dir, "no-modules", NULL);
	g_autofree char *module =
	    g_build_filename(empty, "rcptguard-notmuch." G_MODULE_SUFFIX, NULL);
	g_autofree char *no_config = g_build_filename(w.dir, "no-notmuch-config", NULL);
	g_autoptr(JsonObject) first = import(w.config);
	const char *cli = g_getenv("RG_CLI");
	const char *named[] = {cli, "check", "--notmuch", w.mail, "a@b.org", NULL};
	const char *imported[] = {cli, "history", "import", NULL};
	const char *check[] = {cli, "check", "--json", "alice@army.mil", NULL};
	g_auto(RgRun) r_named = {0};
	g_auto(RgRun) r_imported = {0};
	g_auto(RgRun) r_configured = {0};
	g_auto(RgRun) r_plain = {0};
	g_autofree char *level = NULL;
	g_autofree char *plain_level = NULL;

	ck_assert_int_eq(g_mkdir_with_parents(empty, 0700), 0);
	run_with_modules(&r_named, w.config_no_path, empty, named);
	run_with_modules(&r_imported, w.config, empty, imported);
	run_with_modules(&r_configured, w.config, empty, check);
	run_with_modules(&r_plain, no_config, empty, check);

	/* a named database, an import */
	assert_module_error(&r_named, module);
	assert_module_error(&r_imported, module);
	/* the configured database: a notice naming the file, and the check on the store */
	level = level_in(&r_configured);
	ck_assert_msg(g_strcmp0(level, "ok") == 0, "%s: %s", level, r_configured.err);
	ck_assert_msg(strstr(r_configured.err, module) != NULL, "%s", r_configured.err);
	/* no notmuch configuration: the module is not needed, nothing is said of it */
	plain_level = level_in(&r_plain);
	ck_assert_msg(g_strcmp0(plain_level, "ok") == 0, "%s: %s", plain_level, r_plain.err);
	ck_assert_msg(strstr(r_plain.err, "notmuch") == NULL, "%s", r_plain.err);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("notmuch");
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_history_import_counts);
	tcase_add_test(tc, test_history_incremental);
	tcase_add_test(tc, test_history_malformed_headers);
	tcase_add_test(tc, test_history_uuid_change);
	tcase_add_test(tc, test_history_spam_not_known);
	tcase_add_test(tc, test_history_concurrent);
	tcase_add_test(tc, test_history_import_waits_for_schema);
	tcase_add_test(tc, test_history_locked);
	tcase_add_test(tc, test_history_corrupt);
	tcase_add_test(tc, test_history_symlinked_home);
	tcase_add_test(tc, test_history_configured_notmuch);
	tcase_add_test(tc, test_history_policy_disables_notmuch);
	tcase_add_test(tc, test_history_policy_overrules_old_trust);
	tcase_add_test(tc, test_history_record_trust_forget);
	tcase_add_test(tc, test_history_no_notmuch_config);
	tcase_add_test(tc, test_history_identity_change);
	tcase_add_test(tc, test_history_session_import_async);
	tcase_add_test(tc, test_history_session_import_cancelled);
	tcase_add_test(tc, test_history_session_import_policy);
	suite_add_tcase(s, tc);
	tc = tcase_create("mailboxes");
	tcase_add_checked_fixture(tc, mailboxes_setup, mailboxes_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_history_cli_mailboxes);
	tcase_add_test(tc, test_history_cli_mailbox_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("faults");
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_history_fault_truncated);
	tcase_add_test(tc, test_history_fault_mid_file);
	tcase_add_test(tc, test_history_fault_locked_writes);
	tcase_add_test(tc, test_history_fault_full_disk);
	tcase_add_test(tc, test_history_fault_unwritable);
	tcase_add_test(tc, test_history_fault_notmuch_missing);
	tcase_add_test(tc, test_history_fault_notmuch_unreadable);
	tcase_add_test(tc, test_history_fault_notmuch_newer);
	tcase_add_test(tc, test_history_fault_notmuch_module_missing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	g_autofree char *nm = g_find_program_in_path("notmuch");
	if (nm == NULL) {
		g_printerr("SKIP: the notmuch command is needed to build the test database\n");
		return 77;
	}
	return rg_test_run(history_suite());
}
