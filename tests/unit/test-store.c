/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The history store on a real SQLite file in a temp dir. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-session.h"
#include "rg-store-private.h"
#include "rg-test.h"

static char *tmp_dir;
static char *db_path;

static void
setup(void)
{
	tmp_dir = g_dir_make_tmp("rg-store-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmp_dir);
	db_path = g_build_filename(tmp_dir, "sub", "history.db", NULL);
}

static void
teardown(void)
{
	const char *argv[] = {"rm", "-rf", tmp_dir, NULL};
	g_spawn_sync(
	    NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_clear_pointer(&tmp_dir, g_free);
	g_clear_pointer(&db_path, g_free);
}

static RgStore *
open_store(void)
{
	g_autoptr(GError) error = NULL;
	RgStore *store = rg_store_open(db_path, &error);
	ck_assert_msg(store != NULL, "%s", error != NULL ? error->message : "");
	return store;
}

static RgHistory *
load(RgStore *store)
{
	g_autoptr(GError) error = NULL;
	RgHistory *h = rg_history_new();
	ck_assert_msg(rg_store_load(store, h, &error), "%s", error != NULL ? error->message : "");
	return h;
}

static char *
sql_text(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	char *out = NULL;

	ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		out = g_strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return out;
}

static void
sql_exec(const char *sql)
{
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(test_store_create)
{
	g_autoptr(RgStore) store = open_store();
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autofree char *mode = NULL;
	g_autofree char *version = NULL;
	GStatBuf st;

	ck_assert_str_eq(rg_store_get_path(store), db_path);
	ck_assert_ptr_null(rg_store_get_moved_aside_path(store));
	ck_assert_int_eq(g_stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(g_stat(db_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	mode = sql_text("PRAGMA journal_mode");
	ck_assert_str_eq(mode, "wal");
	version = sql_text("SELECT version FROM schema_version");
	ck_assert_str_eq(version, "2");
}
END_TEST

/* a symbolic link among the directories (HOME on another disk) disabled the history: SQLite
 * refused the path, and an empty history.db was left behind */
START_TEST(test_store_symlinked_directory)
{
	g_autofree char *real = g_build_filename(tmp_dir, "real", NULL);
	g_autofree char *link = g_build_filename(tmp_dir, "home", NULL);
	g_autofree char *path = g_build_filename(link, "data", "rcptguard", "history.db", NULL);
	g_autofree char *real_path =
	    g_build_filename(real, "data", "rcptguard", "history.db", NULL);
	const char *to[] = {"a@army.mil", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(RgHistory) h = NULL;
	GStatBuf st;

	ck_assert_int_eq(g_mkdir(real, 0700), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	store = rg_store_open(path, &error);
	ck_assert_msg(store != NULL, "%s", error->message);
	ck_assert(rg_store_record_sent(store, to, NULL));
	g_clear_object(&store);
	/* the file is where the link points, and holds what was recorded */
	ck_assert_int_eq(g_lstat(real_path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_gt(st.st_size, 0);
	store = rg_store_open(path, &error);
	ck_assert_msg(store != NULL, "%s", error->message);
	h = load(store);
	ck_assert_ptr_nonnull(rg_history_lookup_address(h, "a", "army.mil"));
}
END_TEST

/* a link at the database file itself is refused, clearly, and nothing is created */
START_TEST(test_store_symlink_at_file_refused)
{
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autofree char *target = g_build_filename(tmp_dir, "elsewhere.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GDir) listing = NULL;
	guint n = 0;

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert_int_eq(symlink(target, db_path), 0);
	store = rg_store_open(db_path, &error);
	ck_assert_ptr_null(store);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
	ck_assert_msg(strstr(error->message, "symbolic link") != NULL, "%s", error->message);
	ck_assert(!g_file_test(target, G_FILE_TEST_EXISTS));
	listing = g_dir_open(dir, 0, NULL);
	while (g_dir_read_name(listing) != NULL)
		n++;
	ck_assert_uint_eq(n, 1); /* the link alone */
}
END_TEST

/* history.db swapped for a link while a program has the store open (or between two opens):
 * nothing is written through the link, the file it points to keeps its mode and bytes, and
 * the next open refuses the link */
START_TEST(test_store_symlink_swapped_in)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgStore) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *target = g_build_filename(tmp_dir, "victim.db", NULL);
	g_autofree char *moved = g_strconcat(db_path, ".moved", NULL);
	g_autofree char *after = NULL;
	const char *to[] = {"secret@swapped.example", NULL};
	GStatBuf st;

	ck_assert(g_file_set_contents(target, "the victim's own bytes\n", -1, NULL));
	ck_assert_int_eq(g_chmod(target, 0644), 0);
	ck_assert_int_eq(g_rename(db_path, moved), 0);
	ck_assert_int_eq(symlink(target, db_path), 0);
	/* the open connection writes where it always did, or fails; never through the link */
	(void)rg_store_record_sent(store, to, NULL);
	g_clear_object(&store);
	again = rg_store_open(db_path, &error);
	ck_assert_ptr_null(again);
	ck_assert_msg(strstr(error->message, "symbolic link") != NULL, "%s", error->message);
	ck_assert(g_file_get_contents(target, &after, NULL, NULL));
	ck_assert_str_eq(after, "the victim's own bytes\n");
	ck_assert_int_eq(g_stat(target, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
}
END_TEST

/* A store edited by hand or damaged: rows that hold no address are skipped and counted, the
 * rest still loads. A key cut at a NUL byte would have been another address; "@x" made the
 * history critical. */
START_TEST(test_store_malformed_rows_skipped)
{
	g_autoptr(RgStore) store = open_store();
	const char *to[] = {"good@army.mil", NULL};
	g_autoptr(RgHistory) h = NULL;

	ck_assert(rg_store_record_sent(store, to, NULL));
	sql_exec("INSERT INTO addresses (address, domain, nm_sent) VALUES "
	         "(CAST(X'6a2e646f6540617272792e6d696c0065766c' AS TEXT), 'arry.mil', 5), "
	         "('@army.mil', 'army.mil', 5), ('x@', '', 5), ('x@Bad_Domain', 'bad', 5), "
	         "(CAST(X'61ff4061726d792e6d6c' AS TEXT), 'army.ml', 5);"
	         "INSERT INTO identities VALUES ('no-at-sign', 'notmuch');"
	         "INSERT INTO trusted VALUES ('a@b@', 'address', 'user', 0), "
	         "('evil.ml', 'address', 'user', 0), ('ok.example', 'domain', 'user', 0);");
	h = load(store);
	ck_assert_uint_eq(rg_store_get_n_skipped(store), 8);
	ck_assert_ptr_nonnull(rg_history_lookup_address(h, "good", "army.mil"));
	ck_assert_ptr_null(rg_history_lookup_address(h, "j.doe", "arry.mil"));
	ck_assert_ptr_null(rg_history_lookup_domain(h, "arry.mil"));
	ck_assert_ptr_nonnull(rg_history_lookup_domain(h, "ok.example"));
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 1);
}
END_TEST

START_TEST(test_store_loosened_mode)
{
	g_autoptr(RgStore) first = open_store();
	g_autoptr(RgStore) again = NULL;
	GStatBuf st;

	g_clear_object(&first);
	ck_assert_int_eq(g_chmod(db_path, 0644), 0);
	again = open_store();
	ck_assert_int_eq(g_stat(db_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

START_TEST(test_store_record_sent)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(GError) error = NULL;
	const char *first[] = {"\"A. Person\" <A.Person@Example.ORG>", "b@example.org", NULL};
	const char *second[] = {"a.person@example.org", NULL};
	const char *bad[] = {"c@example.org", "not an address", NULL};
	const RgHistoryEntry *e;
	const RgHistoryDomain *d;

	ck_assert(rg_store_record_sent(store, first, NULL));
	ck_assert(rg_store_record_sent(store, second, NULL));
	ck_assert(!rg_store_record_sent(store, bad, &error));
	g_assert_error(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS);

	h = load(store);
	e = rg_history_lookup_address(h, "a.person", "example.org");
	ck_assert_ptr_nonnull(e);
	/* rcptguard's own record: confirmed sends, the weakest evidence */
	ck_assert_int_eq(e->confirmed, 2);
	ck_assert_int_eq(e->sent, 0);
	ck_assert_int_eq(rg_history_entry_get_evidence(e), RG_EVIDENCE_CONFIRMED);
	d = rg_history_lookup_domain(h, "example.org");
	ck_assert(rg_history_domain_counts(d));
	ck_assert_int_eq(d->confirmed, 3);
	ck_assert_int_eq(rg_history_domain_get_evidence(d), RG_EVIDENCE_CONFIRMED);
	/* all or nothing */
	ck_assert_ptr_null(rg_history_lookup_address(h, "c", "example.org"));
}
END_TEST

START_TEST(test_store_idn)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	const char *to[] = {"jürgen@bücher.example", NULL};
	const RgHistoryDomain *d;

	ck_assert(rg_store_record_sent(store, to, NULL));
	h = load(store);
	d = rg_history_lookup_domain(h, "xn--bcher-kva.example");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->domain_unicode, "bücher.example");
}
END_TEST

static void
import_one(RgStore *store,
           const char *uuid,
           guint64 revision,
           const char *id,
           RgStoreMessageKind kind,
           const char *address,
           gboolean expect_full)
{
	g_autoptr(GError) error = NULL;
	gboolean full = FALSE;
	guint64 since = 0;
	const char *addrs[] = {address, NULL};

	ck_assert(rg_store_import_begin(store, uuid, &full, &since, &error));
	ck_assert_int_eq(full, expect_full);
	if (id != NULL)
		rg_store_import_message(store,
		                        rg_store_message_key(id),
		                        rg_store_import_lookup(store, rg_store_message_key(id)),
		                        kind,
		                        1700000000,
		                        addrs,
		                        address != NULL ? 1 : 0);
	ck_assert_msg(rg_store_import_commit(store, "/mail", uuid, revision, &error),
	              "%s",
	              error != NULL ? error->message : "");
}

START_TEST(test_store_junk_never_known)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(RgHistory) h2 = NULL;

	import_one(store, "u1", 10, "<m1@x>", RG_STORE_MESSAGE_JUNK, "hr@army-mil.com", TRUE);
	h = load(store);
	ck_assert_ptr_nonnull(rg_history_lookup_domain(h, "army-mil.com"));
	ck_assert(!rg_history_domain_counts(rg_history_lookup_domain(h, "army-mil.com")));

	/* the same message untagged later: now real evidence, counted once */
	import_one(store, "u1", 11, "<m1@x>", RG_STORE_MESSAGE_RECEIVED, "hr@army-mil.com", FALSE);
	h2 = load(store);
	ck_assert(rg_history_domain_counts(rg_history_lookup_domain(h2, "army-mil.com")));
	ck_assert_int_eq(rg_history_lookup_domain(h2, "army-mil.com")->received, 1);
}
END_TEST

/* a recipient sent with "Send Anyway" while flagged: recorded, marked, and its sends vouch for
 * nothing, not even once the mail store shows the message that was sent anyway */
START_TEST(test_store_sent_anyway)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(RgHistory) h2 = NULL;
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	const char *sent[] = {"gen.smith@army.ml", "col.jones@army.mil", NULL};
	const char *anyway[] = {"Gen.Smith@army.ml", NULL};
	const RgHistoryEntry *e;
	g_autofree char *json = NULL;

	ck_assert(rg_store_record_sent_anyway(store, sent, anyway, NULL));
	h = load(store);
	e = rg_history_lookup_address(h, "gen.smith", "army.ml");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->confirmed, 1);
	ck_assert_int_gt(e->sent_anyway, G_GINT64_CONSTANT(1700000000));
	ck_assert_int_eq(rg_history_entry_get_evidence(e), RG_EVIDENCE_NONE);
	ck_assert_int_eq(rg_history_domain_get_evidence(rg_history_lookup_domain(h, "army.ml")),
	                 RG_EVIDENCE_NONE);
	ck_assert(rg_history_lookup_domain(h, "army.ml")->written);
	e = rg_history_lookup_address(h, "col.jones", "army.mil");
	ck_assert_int_eq(e->sent_anyway, 0);
	ck_assert_int_eq(rg_history_entry_get_evidence(e), RG_EVIDENCE_CONFIRMED);

	/* the message sent anyway arrives in the mail store's Sent folder: still nothing; a
	 * reply from the address is mail received */
	import_one(store, "u1", 5, "<s@x>", RG_STORE_MESSAGE_SENT, "gen.smith@army.ml", TRUE);
	h2 = load(store);
	e = rg_history_lookup_address(h2, "gen.smith", "army.ml");
	ck_assert_int_eq(e->sent, 1);
	ck_assert_int_eq(rg_history_entry_get_evidence(e), RG_EVIDENCE_NONE);
	import_one(store, "u1", 6, "<r@x>", RG_STORE_MESSAGE_RECEIVED, "gen.smith@army.ml", FALSE);
	g_clear_object(&h2);
	h2 = load(store);
	ck_assert_int_eq(
	    rg_history_entry_get_evidence(rg_history_lookup_address(h2, "gen.smith", "army.ml")),
	    RG_EVIDENCE_RECEIVED);

	ck_assert(rg_store_export(store, out, NULL));
	ck_assert(g_output_stream_close(out, NULL, NULL));
	json = g_strndup(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(out)),
	                 g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(out)));
	ck_assert_ptr_nonnull(strstr(json, "\"sent-anyway\""));
}
END_TEST

START_TEST(test_store_incremental_and_uuid)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(RgHistory) h2 = NULL;
	const char *sent[] = {"kept@recorded.example", NULL};
	gboolean full = TRUE;
	guint64 since = 0;

	ck_assert(rg_store_record_sent(store, sent, NULL));
	import_one(store, "u1", 5, "<a@x>", RG_STORE_MESSAGE_RECEIVED, "a@one.example", TRUE);
	/* the same message seen again (a tag change) is not counted twice */
	import_one(store, "u1", 6, "<a@x>", RG_STORE_MESSAGE_RECEIVED, "a@one.example", FALSE);
	ck_assert(rg_store_import_begin(store, "u1", &full, &since, NULL));
	ck_assert(!full);
	ck_assert_int_eq(since, 6);
	ck_assert(rg_store_import_commit(store, "/mail", "u1", 6, NULL));
	h = load(store);
	ck_assert_int_eq(rg_history_lookup_address(h, "a", "one.example")->received, 1);

	/* another database: what came from notmuch goes, what was recorded stays */
	import_one(store, "u2", 1, "<b@x>", RG_STORE_MESSAGE_SENT, "b@two.example", TRUE);
	h2 = load(store);
	ck_assert_ptr_null(rg_history_lookup_address(h2, "a", "one.example"));
	ck_assert_int_eq(rg_history_lookup_address(h2, "b", "two.example")->sent, 1);
	ck_assert_int_eq(rg_history_lookup_address(h2, "kept", "recorded.example")->confirmed, 1);
}
END_TEST

START_TEST(test_store_trust_forget)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(RgHistory) h2 = NULL;
	g_autoptr(GError) error = NULL;
	const char *sent[] = {
	    "a@partner.example", "b@mail.partner.example", "c@other.example", NULL};
	guint n = 0;

	ck_assert(rg_store_record_sent(store, sent, NULL));
	ck_assert(rg_store_trust(store, "Trusted.Example.", NULL, NULL));
	ck_assert(rg_store_trust(store, "one@person.example", "test", NULL));
	ck_assert(!rg_store_trust(store, "a@b@c.example", NULL, &error));
	h = load(store);
	ck_assert(rg_history_lookup_domain(h, "trusted.example")->flags & RG_HISTORY_FLAG_TRUSTED);
	ck_assert(rg_history_lookup_address(h, "one", "person.example")->flags &
	          RG_HISTORY_FLAG_TRUSTED);

	/* a domain takes its subdomains with it, but not a domain that merely ends alike */
	ck_assert(rg_store_forget(store, "partner.example", &n, NULL));
	ck_assert_int_eq(n, 2);
	ck_assert(rg_store_forget(store, "one@person.example", &n, NULL));
	ck_assert_int_eq(n, 1);
	h2 = load(store);
	ck_assert_ptr_null(rg_history_lookup_domain(h2, "partner.example"));
	ck_assert_ptr_null(rg_history_lookup_domain(h2, "mail.partner.example"));
	ck_assert_ptr_nonnull(rg_history_lookup_domain(h2, "other.example"));
	ck_assert_ptr_null(rg_history_lookup_address(h2, "one", "person.example"));
}
END_TEST

START_TEST(test_store_corrupt_moved_aside)
{
	g_autoptr(RgStore) store = NULL;
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autofree char *contents = NULL;
	const char *garbage = "SQLite format 2\nthis is not a database at all, just some bytes";
	const char *to[] = {"a@fresh.example", NULL};

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(db_path, garbage, -1, NULL));
	store = open_store();
	ck_assert_ptr_nonnull(rg_store_get_moved_aside_path(store));
	ck_assert(g_str_has_prefix(rg_store_get_moved_aside_path(store), db_path));
	ck_assert(g_file_get_contents(rg_store_get_moved_aside_path(store), &contents, NULL, NULL));
	ck_assert_str_eq(contents, garbage);
	ck_assert(rg_store_record_sent(store, to, NULL));
}
END_TEST

START_TEST(test_store_newer_schema_untouched)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgStore) again = NULL;
	g_autoptr(GError) error = NULL;

	g_clear_object(&store);
	sql_exec("UPDATE schema_version SET version = 99");
	again = rg_store_open(db_path, &error);
	ck_assert_ptr_null(again);
	g_assert_error(error, RG_ERROR, RG_ERROR_CORRUPT);
	/* a newer rcptguard's store is never moved aside or rewritten */
	ck_assert(g_file_test(db_path, G_FILE_TEST_EXISTS));
}
END_TEST

/* another process's write lock on the WAL database at @path, as one creating, migrating or
 * writing the store holds it; a thread lets go of it after @ms milliseconds */
typedef struct {
	sqlite3 *db;
	guint ms;
	GThread *thread;
} Holder;

static gpointer
holder_release(gpointer data)
{
	Holder *h = data;

	g_usleep((gulong)h->ms * 1000);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return NULL;
}

static void
holder_start(Holder *h, const char *path, guint ms)
{
	ck_assert_int_eq(sqlite3_open(path, &h->db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	h->ms = ms;
	h->thread = g_thread_new("holder", holder_release, h);
}

static void
holder_finish(Holder *h)
{
	g_thread_join(h->thread);
	sqlite3_close(h->db);
}

START_TEST(test_store_busy_is_bounded)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(GError) error = NULL;
	const char *to[] = {"a@locked.example", NULL};
	const char *before[] = {"b@before.example", NULL};
	sqlite3 *db = NULL;
	gint64 start, elapsed;

	ck_assert(rg_store_record_sent(store, before, NULL));
	ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);

	start = g_get_monotonic_time();
	ck_assert(!rg_store_record_sent(store, to, &error));
	elapsed = g_get_monotonic_time() - start;
	g_assert_error(error, RG_ERROR, RG_ERROR_BUSY);
	ck_assert_msg(elapsed < G_USEC_PER_SEC, "waited %" G_GINT64_FORMAT " µs", elapsed);

	/* an import that cannot be written still counts for this process */
	g_clear_error(&error);
	{
		gboolean full = FALSE;
		guint64 since = 0;
		const char *addrs[] = {"c@pending.example"};
		ck_assert(rg_store_import_begin(store, "u1", &full, &since, NULL));
		rg_store_import_message(store,
		                        rg_store_message_key("<p@x>"),
		                        RG_STORE_MESSAGE_NONE,
		                        RG_STORE_MESSAGE_RECEIVED,
		                        0,
		                        addrs,
		                        1);
		ck_assert(!rg_store_import_commit(store, "/mail", "u1", 3, &error));
		g_assert_error(error, RG_ERROR, RG_ERROR_BUSY);
	}
	/* readers are not blocked by a writer (WAL) */
	h = load(store);
	ck_assert_ptr_nonnull(rg_history_lookup_address(h, "b", "before.example"));
	ck_assert_ptr_nonnull(rg_history_lookup_address(h, "c", "pending.example"));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_store_known_file)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autofree char *known = rg_test_data_path("known-army.txt");
	guint n = 0;

	ck_assert(rg_store_add_known_file(store, known, &n, NULL));
	ck_assert_uint_gt(n, 0);
	h = load(store);
	ck_assert_uint_eq(rg_history_get_n_addresses(h), n);
	ck_assert(rg_history_domain_counts(rg_history_lookup_domain(h, "army.mil")));
}
END_TEST

START_TEST(test_store_stats_export)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_auto(RgStoreStats) stats = {0};
	const char *to[] = {"\"Quote \\\" Person\" <q@example.org>", NULL};
	g_autofree char *text = NULL;

	ck_assert(rg_store_record_sent(store, to, NULL));
	ck_assert(rg_store_trust(store, "example.net", NULL, NULL));
	import_one(store, "u9", 42, "<z@x>", RG_STORE_MESSAGE_RECEIVED, "z@example.org", TRUE);
	ck_assert(rg_store_get_stats(store, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 2);
	ck_assert_uint_eq(stats.n_domains, 1);
	ck_assert_uint_eq(stats.n_trusted, 1);
	ck_assert_uint_eq(stats.n_messages, 1);
	ck_assert_uint_eq(stats.notmuch_revision, 42);
	ck_assert_str_eq(stats.notmuch_uuid, "u9");

	ck_assert(rg_store_export(store, out, NULL));
	ck_assert(g_output_stream_close(out, NULL, NULL));
	text = g_strndup(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(out)),
	                 g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(out)));
	ck_assert_ptr_nonnull(strstr(text, "\"address\":\"q@example.org\""));
	ck_assert_ptr_nonnull(strstr(text, "\"sources\":[\"sent\"]"));
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"trusted\",\"entry\":\"example.net\""));
	ck_assert_ptr_nonnull(strstr(text, "\"uuid\":\"u9\""));
}
END_TEST

/* a store written by the previous release (schema 1) is migrated forward, its data kept */
START_TEST(test_store_migrates_from_version_1)
{
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autoptr(RgStore) store = NULL;
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(GPtrArray) sources = NULL;
	g_autofree char *version = NULL;
	const RgHistoryEntry *e;

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	sql_exec(
	    "CREATE TABLE schema_version (version INTEGER NOT NULL);"
	    "INSERT INTO schema_version VALUES (1);"
	    "CREATE TABLE addresses (address TEXT NOT NULL, domain TEXT NOT NULL,"
	    "  nm_sent INTEGER NOT NULL DEFAULT 0, nm_received INTEGER NOT NULL DEFAULT 0,"
	    "  nm_junk INTEGER NOT NULL DEFAULT 0, rec_sent INTEGER NOT NULL DEFAULT 0,"
	    "  first_seen INTEGER, last_seen INTEGER, sources INTEGER NOT NULL DEFAULT 0,"
	    "  PRIMARY KEY (domain, address)) WITHOUT ROWID;"
	    "CREATE UNIQUE INDEX addresses_address ON addresses (address);"
	    "CREATE TABLE trusted (entry TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN "
	    "  ('address', 'domain')), trusted_by TEXT NOT NULL, trusted_at INTEGER NOT NULL);"
	    "CREATE TABLE identities (address TEXT PRIMARY KEY, source TEXT NOT NULL);"
	    "CREATE TABLE import_state (source TEXT PRIMARY KEY, path TEXT, uuid TEXT NOT NULL,"
	    "  revision INTEGER NOT NULL, imported_at INTEGER NOT NULL);"
	    "CREATE TABLE imported_messages (message_key INTEGER PRIMARY KEY, kind INTEGER "
	    "  NOT NULL);"
	    "CREATE VIEW domains AS SELECT domain, SUM(nm_sent + rec_sent) AS sent,"
	    "  SUM(nm_received) AS received, SUM(nm_junk) AS junk, COUNT(*) AS addresses,"
	    "  MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen FROM addresses"
	    "  GROUP BY domain;"
	    "INSERT INTO addresses (address, domain, nm_sent, sources) VALUES "
	    "  ('gen.smith@army.mil', 'army.mil', 7, 1);"
	    "INSERT INTO import_state VALUES ('notmuch', '/mail', 'u-1', 42, 1700000000);"
	    "INSERT INTO imported_messages VALUES (1, 2), (2, 1);");
	store = open_store();
	version = sql_text("SELECT version FROM schema_version");
	ck_assert_str_eq(version, "2");
	h = load(store);
	e = rg_history_lookup_address(h, "gen.smith", "army.mil");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->sent, 7);
	/* the notmuch import is a source like the others now, with its counts */
	sources = rg_store_list_sources(store, NULL);
	ck_assert_uint_eq(sources->len, 1);
	{
		RgImportRecord *r = g_ptr_array_index(sources, 0);
		ck_assert_str_eq(r->kind, "notmuch");
		ck_assert_str_eq(r->name, "/mail");
		ck_assert_str_eq(r->state, "42");
		ck_assert_uint_eq(r->n_messages, 2);
		ck_assert_uint_eq(r->n_sent, 1);
		ck_assert_uint_eq(r->n_received, 1);
		ck_assert_uint_eq(r->n_addresses, 1);
	}
	{
		g_autofree char *sent =
		    sql_text("SELECT sent FROM domains WHERE domain = 'army.mil'");
		ck_assert_str_eq(sent, "7");
	}
}
END_TEST

START_TEST(test_store_in_memory)
{
	g_autoptr(RgStore) store = rg_store_new_in_memory(NULL);
	g_autoptr(RgHistory) h = NULL;
	const char *to[] = {"a@memory.example", NULL};

	ck_assert_ptr_nonnull(store);
	ck_assert_ptr_null(rg_store_get_path(store));
	ck_assert(rg_store_record_sent(store, to, NULL));
	h = load(store);
	ck_assert_uint_eq(rg_history_get_n_addresses(h), 1);
}
END_TEST

START_TEST(test_store_session_writes)
{
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgSession) later = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	const char *sent[] = {"Someone <someone@recorded.example>", NULL};
	const char *bad[] = {"not an address", NULL};

	/* a session uses $XDG_DATA_HOME/rcptguard/history.db (GLib reads it once per process,
	 * and every test runs in a process of its own) */
	g_setenv("XDG_DATA_HOME", tmp_dir, TRUE);
	session = rg_session_new();
	ck_assert_msg(rg_session_load(session, &error), "%s", error ? error->message : "");
	ck_assert(rg_session_record_sent(session, sent, NULL));
	ck_assert(!rg_session_record_sent(session, bad, &error));
	g_clear_error(&error);
	ck_assert(rg_session_trust(session, "trusted.example", NULL));

	path = g_build_filename(tmp_dir, "rcptguard", "history.db", NULL);
	store = rg_store_open(path, NULL);
	h = load(store);
	ck_assert_int_eq(rg_history_lookup_address(h, "someone", "recorded.example")->confirmed, 1);
	ck_assert(rg_history_lookup_domain(h, "trusted.example")->flags & RG_HISTORY_FLAG_TRUSTED);

	/* and the next session knows them */
	later = rg_session_new();
	ck_assert(rg_session_load(later, NULL));
	ck_assert_ptr_nonnull(
	    rg_history_lookup_domain(rg_session_get_history(later), "recorded.example"));
	ck_assert_uint_eq(rg_session_get_notices(later)->len, 0);
}
END_TEST

/* the store tightens modes and never loosens them: a directory or file the user made
 * read-only stays read-only */
START_TEST(test_store_modes_only_tightened)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autofree char *dir = g_build_filename(tmp_dir, "rcptguard", NULL);
	g_autofree char *file = g_build_filename(dir, "history.db", NULL);
	RgStore *store;
	GStatBuf st;

	rg_environment_set_data_home(env, tmp_dir);
	ck_assert_int_eq(g_mkdir(dir, 0750), 0);
	ck_assert_int_eq(g_chmod(dir, 0750), 0);
	store = rg_store_open_in(env, NULL, 200, NULL);
	ck_assert_ptr_nonnull(store);
	g_object_unref(store);
	ck_assert_int_eq(g_stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	ck_assert_int_eq(g_chmod(file, 0444), 0);
	ck_assert_int_eq(g_chmod(dir, 0550), 0);
	/* as root the store opens anyway, as a user it cannot: only the modes count here */
	store = rg_store_open_in(env, NULL, 200, NULL);
	g_clear_object(&store);
	ck_assert_int_eq(g_stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0500);
	ck_assert_int_eq(g_stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0400);
	ck_assert_int_eq(g_chmod(dir, 0700), 0);
}
END_TEST

/* a bare public suffix is no domain: trusting it would trust everyone under it */
START_TEST(test_store_trust_public_suffix_refused)
{
	g_autoptr(RgStore) store = open_store();
	const char *suffixes[] = {"com", "COM.", "co.uk", "mil", NULL};

	for (guint i = 0; suffixes[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		ck_assert_msg(!rg_store_trust(store, suffixes[i], NULL, &error), "%s", suffixes[i]);
		ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
		ck_assert_msg(
		    strstr(error->message, "public suffix") != NULL, "%s", error->message);
	}
	ck_assert(rg_store_trust(store, "example.co.uk", NULL, NULL));
	ck_assert(rg_store_trust(store, "someone@example.com", NULL, NULL));
}
END_TEST

/* whether @needle appears anywhere in the bytes of @path (a missing file holds nothing) */
static gboolean
file_holds(const char *path, const char *needle)
{
	g_autofree char *contents = NULL;
	gsize len = 0;

	gsize n = strlen(needle);

	if (!g_file_get_contents(path, &contents, &len, NULL))
		return FALSE;
	for (gsize i = 0; i + n <= len; i++)
		if (memcmp(contents + i, needle, n) == 0)
			return TRUE;
	return FALSE;
}

START_TEST(test_store_forget_leaves_no_trace)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgStore) other = open_store();
	g_autoptr(RgHistory) h = NULL;
	g_autofree char *wal = g_strconcat(db_path, "-wal", NULL);
	const char *sent[] = {"secret.person@hidden.example", "kept@other.example", NULL};
	guint n = 0;

	ck_assert(rg_store_record_sent(store, sent, NULL));
	/* the other connection has read the store and stays open, as a mail client does */
	h = load(other);
	ck_assert_ptr_nonnull(rg_history_lookup_domain(h, "hidden.example"));
	ck_assert(file_holds(wal, "secret.person") || file_holds(db_path, "secret.person"));
	ck_assert(rg_store_forget(store, "secret.person@hidden.example", &n, NULL));
	ck_assert_uint_eq(n, 1);
	ck_assert_msg(!file_holds(wal, "secret.person"), "the address is still in %s", wal);
	ck_assert_msg(!file_holds(db_path, "secret.person"), "the address is still in %s", db_path);
	g_clear_object(&h);
	h = load(other);
	ck_assert_ptr_nonnull(rg_history_lookup_domain(h, "other.example"));
	ck_assert_ptr_null(rg_history_lookup_domain(h, "hidden.example"));
}
END_TEST

START_TEST(test_store_negative_schema_version)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgStore) again = NULL;
	const char *to[] = {"a@fresh.example", NULL};

	g_clear_object(&store);
	sql_exec("UPDATE schema_version SET version = -5");
	/* no migration is indexed by it: the file is damaged, moved aside, started again */
	again = open_store();
	ck_assert_ptr_nonnull(rg_store_get_moved_aside_path(again));
	ck_assert(rg_store_record_sent(again, to, NULL));
}
END_TEST

START_TEST(test_store_counters_saturate)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(RgHistory) h = NULL;
	const RgHistoryDomain *d;
	const char *to[] = {"one@big.example", "two@big.example", NULL};

	ck_assert(rg_store_record_sent(store, to, NULL));
	sql_exec("UPDATE addresses SET nm_sent = 9223372036854775807, nm_received = "
	         "9223372036854775807, rec_sent = 9223372036854775807 WHERE address = "
	         "'one@big.example'");
	/* one more send on top of the largest count is no error */
	ck_assert(rg_store_record_sent(store, to, NULL));
	h = load(store);
	d = rg_history_lookup_domain(h, "big.example");
	ck_assert_ptr_nonnull(d);
	/* the sum of two addresses does not wrap round to "never written" */
	ck_assert_uint_eq(d->sent, G_MAXUINT);
	ck_assert_uint_eq(d->received, G_MAXUINT);
	ck_assert_uint_eq(d->confirmed, G_MAXUINT);
	ck_assert(d->written);
}
END_TEST

/* a store at db_path whose pages in the middle are damaged; the header and the schema (the
 * first pages) stay whole, so it opens */
static void
damage_mid_file(void)
{
	g_autoptr(RgStore) store = open_store();
	g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *contents = NULL;
	gsize len = 0;

	/* enough rows for many pages of the address table */
	for (guint i = 0; i < 3000; i++)
		g_ptr_array_add(to, g_strdup_printf("person%u@domain%u.example", i, i));
	g_ptr_array_add(to, NULL);
	ck_assert(rg_store_record_sent(store, (const char *const *)to->pdata, NULL));
	g_clear_object(&store);
	ck_assert(g_file_get_contents(db_path, &contents, &len, NULL));
	ck_assert_uint_gt(len, 16 * 4096);
	memset(contents + 6 * 4096, 0x5a, 8 * 4096);
	ck_assert(g_file_set_contents(db_path, contents, (gssize)len, NULL));
}

START_TEST(test_store_mid_file_corruption_rebuilt)
{
	g_autoptr(RgStore) again = NULL;
	g_autoptr(RgHistory) h = NULL;
	const char *fresh[] = {"a@fresh.example", NULL};
	guint n = 0;

	damage_mid_file();
	again = open_store();
	h = load(again);
	ck_assert_ptr_nonnull(rg_store_get_moved_aside_path(again));
	ck_assert(g_str_has_prefix(rg_store_get_moved_aside_path(again), db_path));
	/* recording and forgetting work again */
	ck_assert(rg_store_record_sent(again, fresh, NULL));
	ck_assert(rg_store_forget(again, "a@fresh.example", &n, NULL));
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* A caller that may wait longer than a send (the CLI's history commands, 5 s) waits as long
 * in the open: there another process creating the schema of a new store holds the write
 * lock. Two `history import` started at once on a loaded machine failed with "BEGIN
 * IMMEDIATE: database is locked" after 200 ms. The lock is let go of after a second. */
START_TEST(test_store_open_waits_as_long_as_asked)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) session = NULL;
	g_autoptr(GPtrArray) sources = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_build_filename(tmp_dir, "rcptguard", NULL);
	g_autofree char *file = g_build_filename(dir, "history.db", NULL);
	g_autofree char *sub = g_path_get_dirname(db_path);
	Holder h = {0};

	/* a session, for its imports, stats and sources */
	rg_environment_set_data_home(env, tmp_dir);
	ck_assert_int_eq(g_mkdir(dir, 0700), 0);
	session = rg_session_new_for_environment(env);
	rg_session_set_busy_timeout(session, 30000);
	holder_start(&h, file, 1000);
	sources = rg_session_list_sources(session, &error);
	holder_finish(&h);
	ck_assert_msg(sources != NULL, "%s", error->message);

	/* the store's own open */
	ck_assert_int_eq(g_mkdir(sub, 0700), 0);
	holder_start(&h, db_path, 1000);
	store = rg_store_open_full(db_path, 30000, &error);
	holder_finish(&h);
	ck_assert_msg(store != NULL, "%s", error->message);
}
END_TEST

/* a store started again after damage keeps the busy timeout it was given */
START_TEST(test_store_rebuilt_keeps_busy_timeout)
{
	g_autoptr(RgStore) store = NULL;
	g_autoptr(RgHistory) h = NULL;
	g_autoptr(GError) error = NULL;
	const char *fresh[] = {"a@fresh.example", NULL};
	Holder holder = {0};

	damage_mid_file();
	store = open_store();
	rg_store_set_busy_timeout(store, 30000);
	h = load(store);
	ck_assert_ptr_nonnull(rg_store_get_moved_aside_path(store));
	holder_start(&holder, db_path, 1000);
	ck_assert_msg(
	    rg_store_record_sent(store, fresh, &error), "%s", error != NULL ? error->message : "");
	holder_finish(&holder);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("sqlite");
	TCase *hostile;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_create);
	tcase_add_test(tc, test_store_migrates_from_version_1);
	tcase_add_test(tc, test_store_loosened_mode);
	tcase_add_test(tc, test_store_symlinked_directory);
	tcase_add_test(tc, test_store_symlink_at_file_refused);
	tcase_add_test(tc, test_store_symlink_swapped_in);
	tcase_add_test(tc, test_store_malformed_rows_skipped);
	tcase_add_test(tc, test_store_record_sent);
	tcase_add_test(tc, test_store_idn);
	tcase_add_test(tc, test_store_junk_never_known);
	tcase_add_test(tc, test_store_sent_anyway);
	tcase_add_test(tc, test_store_incremental_and_uuid);
	tcase_add_test(tc, test_store_trust_forget);
	tcase_add_test(tc, test_store_corrupt_moved_aside);
	tcase_add_test(tc, test_store_newer_schema_untouched);
	tcase_add_test(tc, test_store_busy_is_bounded);
	tcase_add_test(tc, test_store_open_waits_as_long_as_asked);
	tcase_add_test(tc, test_store_rebuilt_keeps_busy_timeout);
	tcase_add_test(tc, test_store_known_file);
	tcase_add_test(tc, test_store_stats_export);
	tcase_add_test(tc, test_store_in_memory);
	tcase_add_test(tc, test_store_session_writes);
	suite_add_tcase(s, tc);
	hostile = tcase_create("hostile");
	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_add_test(hostile, test_store_forget_leaves_no_trace);
	tcase_add_test(hostile, test_store_trust_public_suffix_refused);
	tcase_add_test(hostile, test_store_modes_only_tightened);
	tcase_add_test(hostile, test_store_negative_schema_version);
	tcase_add_test(hostile, test_store_counters_saturate);
	tcase_add_test(hostile, test_store_mid_file_corruption_rebuilt);
	suite_add_tcase(s, hostile);
	return s;
}

int
main(void)
{
	return rg_test_run(store_suite());
}
