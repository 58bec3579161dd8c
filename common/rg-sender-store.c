/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mail server's store: for every sender the addresses that sender really sent to through
 * the server, and the recipients waiting for the sender's confirmation, so that both survive
 * a restart of rcptguard-milter. It is a database of its own, not a user's history.db
 * (rg-store.c), and the second file that talks to SQLite: one file per database schema.
 * Only addresses, counts and times are stored, never anything of a message. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-sender-store-private.h"
#include "rg-store-private.h"

/* a milter thread waits this long at most for the lock of another connection of the same
 * process; more is a sign of a sick disk, and on-error decides then */
#define RG_SENDER_STORE_BUSY_TIMEOUT 1000 /* ms */

/* forward migrations: applying migrations[i] takes the schema from version i to i + 1 */
static const char *const rg_sender_store_migrations[] = {
    /* 1 */
    "CREATE TABLE schema_version (version INTEGER NOT NULL);"
    "INSERT INTO schema_version VALUES (0);"
    /* address: lower-cased local part, '@', A-label domain; the rows of a sender together */
    "CREATE TABLE sent ("
    "  sender TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  sent INTEGER NOT NULL DEFAULT 0,"
    "  confirmed INTEGER NOT NULL DEFAULT 0,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  PRIMARY KEY (sender, address)"
    /* no index on last_seen: it would be written at every message, and the hourly expiry
     * scans the table faster than that costs */
    ") WITHOUT ROWID;"
    "CREATE TABLE confirmations ("
    "  sender TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  attempted_at INTEGER NOT NULL,"
    "  PRIMARY KEY (sender, address)"
    ") WITHOUT ROWID;",
};

/* the statements of the hot paths, prepared once per connection */
typedef enum {
	RG_SQL_LOAD,
	RG_SQL_RECORD,
	RG_SQL_COUNT,
	RG_SQL_TRIM,
	RG_SQL_FIND_ATTEMPT,
	RG_SQL_NOTE_ATTEMPT,
	RG_SQL_N,
} RgSenderSql;

static const char *const rg_sender_sql[RG_SQL_N] = {
    [RG_SQL_LOAD] = "SELECT address, sent, confirmed FROM sent WHERE sender = ?1",
    [RG_SQL_RECORD] = "INSERT INTO sent (sender, address, sent, confirmed, first_seen, last_seen)"
                      "  VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                      "  ON CONFLICT (sender, address) DO UPDATE SET"
                      "    sent = sent + excluded.sent, confirmed = confirmed + excluded.confirmed,"
                      "    last_seen = max(last_seen, excluded.last_seen)",
    [RG_SQL_COUNT] = "SELECT count(*) FROM sent WHERE sender = ?1",
    [RG_SQL_TRIM] = "DELETE FROM sent WHERE sender = ?1 AND address IN ("
                    "  SELECT address FROM sent WHERE sender = ?1"
                    "  ORDER BY last_seen, sent + confirmed LIMIT ?2)",
    [RG_SQL_FIND_ATTEMPT] =
        "SELECT attempted_at FROM confirmations WHERE sender = ?1 AND address = ?2",
    [RG_SQL_NOTE_ATTEMPT] = "INSERT OR REPLACE INTO confirmations"
                            "  (sender, address, attempted_at) VALUES (?1, ?2, ?3)",
};

struct _RgSenderStore {
	sqlite3 *db;
	char *path; /* NULL in memory */
	char *moved_aside;
	sqlite3_stmt *stmts[RG_SQL_N];
};

typedef sqlite3_stmt RgSenderStmt;
static void
rg_sender_stmt_free(RgSenderStmt *stmt)
{
	sqlite3_finalize(stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgSenderStmt, rg_sender_stmt_free)

/* maps the connection's last error to a GError */
static gboolean
rg_sender_store_fail(RgSenderStore *self, GError **error, const char *what)
{
	g_set_error(error,
	            RG_ERROR,
	            rg_store_error_from_sqlite(sqlite3_extended_errcode(self->db)),
	            "sender store %s: %s: %s",
	            self->path != NULL ? self->path : ":memory:",
	            what,
	            sqlite3_errmsg(self->db));
	return FALSE;
}

static gboolean
rg_sender_store_exec(RgSenderStore *self, const char *sql, GError **error)
{
	if (sqlite3_exec(self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return rg_sender_store_fail(self, error, sql);
	return TRUE;
}

static RgSenderStmt *
rg_sender_store_prepare(RgSenderStore *self, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		rg_sender_store_fail(self, error, "prepare");
		return NULL;
	}
	return stmt;
}

/* A statement of the connection, borrowed until the end of the scope, where it is reset so
 * that it never keeps a read transaction open (nor a pointer to a bound string). */
typedef sqlite3_stmt RgSenderBorrowed;
static void
rg_sender_borrowed_done(RgSenderBorrowed *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgSenderBorrowed, rg_sender_borrowed_done)

static RgSenderBorrowed *
rg_sender_store_stmt(RgSenderStore *self, RgSenderSql id, GError **error)
{
	if (self->stmts[id] == NULL) {
		self->stmts[id] = rg_sender_store_prepare(self, rg_sender_sql[id], error);
		if (self->stmts[id] == NULL)
			return NULL;
	}
	return self->stmts[id];
}

static void
rg_sender_store_rollback(RgSenderStore *self)
{
	if (!sqlite3_get_autocommit(self->db))
		sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Sets @too_new when the schema is newer than this rcptguard: a good database to leave
 * alone, not a damaged one. */
static gboolean
rg_sender_store_migrate(RgSenderStore *self, gboolean *too_new, GError **error)
{
	const int latest = G_N_ELEMENTS(rg_sender_store_migrations);
	g_autoptr(RgSenderStmt) stmt = NULL;
	int version = 0;

	if (!rg_sender_store_exec(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	stmt = rg_sender_store_prepare(
	    self, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'", error);
	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW) {
		if (stmt != NULL)
			rg_sender_store_fail(self, error, "read schema");
		rg_sender_store_rollback(self);
		return FALSE;
	}
	if (sqlite3_column_int(stmt, 0) > 0) {
		g_clear_pointer(&stmt, rg_sender_stmt_free);
		stmt = rg_sender_store_prepare(self, "SELECT version FROM schema_version", error);
		if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW) {
			if (stmt != NULL)
				rg_sender_store_fail(self, error, "read schema version");
			rg_sender_store_rollback(self);
			return FALSE;
		}
		version = sqlite3_column_int(stmt, 0);
	}
	g_clear_pointer(&stmt, rg_sender_stmt_free);
	if (version > latest) {
		*too_new = TRUE;
		rg_sender_store_rollback(self);
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_CORRUPT,
		            "sender store %s has schema version %d, newer than this rcptguard (%d)",
		            self->path,
		            version,
		            latest);
		return FALSE;
	}
	for (int v = version; v < latest; v++) {
		g_autofree char *bump =
		    g_strdup_printf("UPDATE schema_version SET version = %d", v + 1);
		if (!rg_sender_store_exec(self, rg_sender_store_migrations[v], error) ||
		    !rg_sender_store_exec(self, bump, error)) {
			rg_sender_store_rollback(self);
			g_prefix_error(error, "migration to schema version %d: ", v + 1);
			return FALSE;
		}
	}
	return rg_sender_store_exec(self, "COMMIT", error);
}

static gboolean
rg_sender_store_connect(RgSenderStore *self, gboolean *too_new, GError **error)
{
	const char *filename = self->path != NULL ? self->path : ":memory:";
	int rc;

	rc = sqlite3_open_v2(filename,
	                     &self->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot open sender store %s: %s",
		            filename,
		            self->db != NULL ? sqlite3_errmsg(self->db) : sqlite3_errstr(rc));
		return FALSE;
	}
	sqlite3_extended_result_codes(self->db, 1);
	sqlite3_busy_timeout(self->db, RG_SENDER_STORE_BUSY_TIMEOUT);
	/* the first read of the file: one that is not a database fails here; WAL keeps a
	 * reader (rcptguard-milter --stats) from stopping the milter */
	if (self->path != NULL &&
	    (!rg_sender_store_exec(self, "PRAGMA journal_mode = WAL", error) ||
	     !rg_sender_store_exec(self, "PRAGMA synchronous = NORMAL", error)))
		return FALSE;
	return rg_sender_store_migrate(self, too_new, error);
}

static void
rg_sender_store_disconnect(RgSenderStore *self)
{
	for (guint i = 0; i < RG_SQL_N; i++)
		g_clear_pointer(&self->stmts[i], sqlite3_finalize);
	if (self->db != NULL)
		sqlite3_close_v2(self->db);
	self->db = NULL;
}

/* the file with mode 0600 before SQLite creates it: nobody else reads who wrote to whom */
static gboolean
rg_sender_store_create_file(const char *path, GError **error)
{
	int fd = g_open(path, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		int errsv = errno;
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot create sender store %s: %s",
		            path,
		            g_strerror(errsv));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

/*
 * rg_sender_store_open:
 * @path: (nullable): the database file; %NULL for a store in memory
 * @now: the time, for the name a damaged file is moved aside to
 * @error: return location for a #GError
 *
 * Returns: the store, or %NULL with %RG_ERROR_IO (the file or its directory cannot be
 *   created or opened), %RG_ERROR_BUSY or %RG_ERROR_CORRUPT (written by a newer version)
 */
RgSenderStore *
rg_sender_store_open(const char *path, gint64 now, GError **error)
{
	g_autoptr(RgSenderStore) self = g_new0(RgSenderStore, 1);
	g_autoptr(GError) error_local = NULL;
	gboolean too_new = FALSE;

	self->path = g_strdup(path);
	if (path != NULL && !rg_sender_store_create_file(path, error))
		return NULL;
	if (rg_sender_store_connect(self, &too_new, &error_local))
		return g_steal_pointer(&self);
	/* a file that is not a database: keep it for a look, start anew */
	if (path == NULL || too_new || !g_error_matches(error_local, RG_ERROR, RG_ERROR_CORRUPT)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	rg_sender_store_disconnect(self);
	self->moved_aside = rg_store_move_damaged(path, now, error);
	if (self->moved_aside == NULL || !rg_sender_store_create_file(path, error) ||
	    !rg_sender_store_connect(self, &too_new, error))
		return NULL;
	return g_steal_pointer(&self);
}

void
rg_sender_store_free(RgSenderStore *self)
{
	if (self == NULL)
		return;
	rg_sender_store_disconnect(self);
	g_free(self->path);
	g_free(self->moved_aside);
	g_free(self);
}

/* where a damaged file went, or NULL */
const char *
rg_sender_store_get_moved_aside_path(RgSenderStore *self)
{
	return self->moved_aside;
}

gboolean
rg_sender_store_load(RgSenderStore *self, const char *sender, RgHistory *history, GError **error)
{
	g_autoptr(RgSenderBorrowed) stmt = rg_sender_store_stmt(self, RG_SQL_LOAD, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *address = (const char *)sqlite3_column_text(stmt, 0);
		gint64 sent = sqlite3_column_int64(stmt, 1);
		gint64 confirmed = sqlite3_column_int64(stmt, 2);
		const char *at = address != NULL ? strrchr(address, '@') : NULL;
		/* a row written by hand that is not an address is skipped, not fatal */
		if (at == NULL || at == address || at[1] == '\0')
			continue;
		/* sent only after a confirmation: known, but no voucher for its domain */
		rg_history_add_normalized(history,
		                          address,
		                          (guint)CLAMP(sent + confirmed, 0, G_MAXUINT),
		                          0,
		                          sent > 0 ? RG_HISTORY_FLAG_NONE
		                                   : RG_HISTORY_FLAG_CONFIRMED);
	}
	if (rc != SQLITE_DONE)
		return rg_sender_store_fail(self, error, "load");
	return TRUE;
}

/* keeps the @max addresses of @sender seen last */
static gboolean
rg_sender_store_trim(
    RgSenderStore *self, const char *sender, guint max, guint *n_dropped, GError **error)
{
	g_autoptr(RgSenderBorrowed) count = rg_sender_store_stmt(self, RG_SQL_COUNT, error);
	g_autoptr(RgSenderBorrowed) drop = NULL;
	gint64 n;

	if (count == NULL)
		return FALSE;
	sqlite3_bind_text(count, 1, sender, -1, SQLITE_STATIC);
	if (sqlite3_step(count) != SQLITE_ROW)
		return rg_sender_store_fail(self, error, "count");
	n = sqlite3_column_int64(count, 0);
	if (n <= (gint64)max)
		return TRUE;
	drop = rg_sender_store_stmt(self, RG_SQL_TRIM, error);
	if (drop == NULL)
		return FALSE;
	sqlite3_bind_text(drop, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(drop, 2, n - max);
	if (sqlite3_step(drop) != SQLITE_DONE)
		return rg_sender_store_fail(self, error, "trim");
	*n_dropped = (guint)sqlite3_changes(self->db);
	return TRUE;
}

gboolean
rg_sender_store_record(RgSenderStore *self,
                       const char *sender,
                       const RgSenderRecord *records,
                       guint n_records,
                       gint64 now,
                       guint max_addresses,
                       guint n_known,
                       guint *n_dropped,
                       GError **error)
{
	g_autoptr(RgSenderBorrowed) stmt = NULL;
	/* a transaction of its own, or the caller's (rg_sender_store_begin()) */
	gboolean own = sqlite3_get_autocommit(self->db);

	*n_dropped = 0;
	if (n_records == 0)
		return TRUE;
	stmt = rg_sender_store_stmt(self, RG_SQL_RECORD, error);
	if (stmt == NULL || (own && !rg_sender_store_exec(self, "BEGIN IMMEDIATE", error)))
		return FALSE;
	for (guint i = 0; i < n_records; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, records[i].address, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, records[i].confirmed ? 0 : 1);
		sqlite3_bind_int(stmt, 4, records[i].confirmed ? 1 : 0);
		sqlite3_bind_int64(stmt, 5, now);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rg_sender_store_fail(self, error, "record");
			rg_sender_store_rollback(self);
			return FALSE;
		}
	}
	/* the count costs a scan of the sender's rows: only when they could be too many */
	if ((n_known > max_addresses || max_addresses - n_known < n_records) &&
	    !rg_sender_store_trim(self, sender, max_addresses, n_dropped, error)) {
		rg_sender_store_rollback(self);
		*n_dropped = 0;
		return FALSE;
	}
	if (own && !rg_sender_store_exec(self, "COMMIT", error)) {
		rg_sender_store_rollback(self);
		*n_dropped = 0;
		return FALSE;
	}
	return TRUE;
}

gboolean
rg_sender_store_begin(RgSenderStore *self, GError **error)
{
	return rg_sender_store_exec(self, "BEGIN IMMEDIATE", error);
}

gboolean
rg_sender_store_commit(RgSenderStore *self, GError **error)
{
	if (rg_sender_store_exec(self, "COMMIT", error))
		return TRUE;
	rg_sender_store_rollback(self);
	return FALSE;
}

/* after a failure in a transaction of rg_sender_store_begin(): undoes what was done */
void
rg_sender_store_abort(RgSenderStore *self)
{
	rg_sender_store_rollback(self);
}

gboolean
rg_sender_store_confirm(RgSenderStore *self,
                        const char *sender,
                        const char *address,
                        gint64 now,
                        gint64 window,
                        gboolean *confirmed,
                        GError **error)
{
	g_autoptr(RgSenderBorrowed) find = rg_sender_store_stmt(self, RG_SQL_FIND_ATTEMPT, error);
	g_autoptr(RgSenderBorrowed) note = NULL;
	int rc;

	*confirmed = FALSE;
	if (find == NULL)
		return FALSE;
	sqlite3_bind_text(find, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(find, 2, address, -1, SQLITE_STATIC);
	rc = sqlite3_step(find);
	if (rc == SQLITE_ROW) {
		gint64 at = sqlite3_column_int64(find, 0);
		/* a clock that went back does not confirm anything */
		if (at <= now && now - at <= window) {
			*confirmed = TRUE;
			return TRUE;
		}
	} else if (rc != SQLITE_DONE) {
		return rg_sender_store_fail(self, error, "find attempt");
	}
	g_clear_pointer(&find, rg_sender_borrowed_done);
	note = rg_sender_store_stmt(self, RG_SQL_NOTE_ATTEMPT, error);
	if (note == NULL)
		return FALSE;
	sqlite3_bind_text(note, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(note, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(note, 3, now);
	if (sqlite3_step(note) != SQLITE_DONE)
		return rg_sender_store_fail(self, error, "note attempt");
	return TRUE;
}

gboolean
rg_sender_store_expire(RgSenderStore *self,
                       gint64 sent_before,
                       gint64 tried_before,
                       guint *n_forgotten,
                       GError **error)
{
	g_autoptr(RgSenderStmt) sent = NULL;
	g_autoptr(RgSenderStmt) tried = NULL;

	*n_forgotten = 0;
	sent = rg_sender_store_prepare(self, "DELETE FROM sent WHERE last_seen < ?1", error);
	tried = sent != NULL ? rg_sender_store_prepare(
	                           self, "DELETE FROM confirmations WHERE attempted_at < ?1", error)
	                     : NULL;
	if (tried == NULL || !rg_sender_store_exec(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	sqlite3_bind_int64(sent, 1, sent_before);
	if (sqlite3_step(sent) != SQLITE_DONE) {
		rg_sender_store_fail(self, error, "expire");
		rg_sender_store_rollback(self);
		return FALSE;
	}
	*n_forgotten = (guint)sqlite3_changes(self->db);
	sqlite3_bind_int64(tried, 1, tried_before);
	if (sqlite3_step(tried) != SQLITE_DONE) {
		rg_sender_store_fail(self, error, "expire attempts");
		rg_sender_store_rollback(self);
		return FALSE;
	}
	if (!rg_sender_store_exec(self, "COMMIT", error)) {
		rg_sender_store_rollback(self);
		return FALSE;
	}
	return TRUE;
}

gboolean
rg_sender_store_count(RgSenderStore *self, guint *n_senders, guint *n_addresses, GError **error)
{
	g_autoptr(RgSenderStmt) stmt = rg_sender_store_prepare(
	    self, "SELECT count(DISTINCT sender), count(*) FROM sent", error);

	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return rg_sender_store_fail(self, error, "count");
	*n_senders = (guint)sqlite3_column_int64(stmt, 0);
	*n_addresses = (guint)sqlite3_column_int64(stmt, 1);
	return TRUE;
}
