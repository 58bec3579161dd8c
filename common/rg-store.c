/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The only file that talks to SQLite: the persistent history at
 * $XDG_DATA_HOME/rcptguard/history.db. Every write is one short transaction and every wait
 * for a lock is bounded, because a send must never hang on another process. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg-address-private.h"
#include "rg-domain.h"
#include "rg-environment.h"
#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-store-private.h"

#define RG_STORE_BUSY_TIMEOUT_DEFAULT 200 /* ms */

/* forward migrations: applying migrations[i] takes the schema from version i to i + 1 */
static const char *const rg_store_migrations[] = {
    /* 1 */
    "CREATE TABLE schema_version (version INTEGER NOT NULL);"
    "INSERT INTO schema_version VALUES (0);"
    /* address is the normalised key: lower-cased local part, '@', A-label domain */
    "CREATE TABLE addresses ("
    "  address TEXT NOT NULL,"
    "  domain TEXT NOT NULL,"
    "  nm_sent INTEGER NOT NULL DEFAULT 0,"
    "  nm_received INTEGER NOT NULL DEFAULT 0,"
    "  nm_junk INTEGER NOT NULL DEFAULT 0,"
    "  rec_sent INTEGER NOT NULL DEFAULT 0,"
    "  first_seen INTEGER,"
    "  last_seen INTEGER,"
    "  sources INTEGER NOT NULL DEFAULT 0,"
    /* rows of a domain together: a load meets each domain once, forget takes a range */
    "  PRIMARY KEY (domain, address)"
    ") WITHOUT ROWID;"
    "CREATE UNIQUE INDEX addresses_address ON addresses (address);"
    "CREATE TABLE trusted ("
    "  entry TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('address', 'domain')),"
    "  trusted_by TEXT NOT NULL,"
    "  trusted_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE identities (address TEXT PRIMARY KEY, source TEXT NOT NULL);"
    "CREATE TABLE import_state ("
    "  source TEXT PRIMARY KEY,"
    "  path TEXT,"
    "  uuid TEXT NOT NULL,"
    "  revision INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE imported_messages ("
    "  message_key INTEGER PRIMARY KEY," /* rg_store_message_key() */
    "  kind INTEGER NOT NULL"
    ");"
    "CREATE VIEW domains AS SELECT domain,"
    "  SUM(nm_sent + rec_sent) AS sent, SUM(nm_received) AS received, SUM(nm_junk) AS junk,"
    "  COUNT(*) AS addresses, MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen"
    "  FROM addresses GROUP BY domain;",
    /* 2: sources other than notmuch (mailboxes, the mail clients' folders and address
     * books), each with its own counts, so that reading one again replaces exactly what it
     * gave; ext_* and contacts are their sums, kept beside the notmuch columns */
    "ALTER TABLE addresses ADD COLUMN ext_sent INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE addresses ADD COLUMN ext_received INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE addresses ADD COLUMN ext_junk INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE addresses ADD COLUMN contacts INTEGER NOT NULL DEFAULT 0;"
    /* which source counted a message: NULL for notmuch; a message is counted once */
    "ALTER TABLE imported_messages ADD COLUMN source INTEGER;"
    "CREATE INDEX imported_messages_source ON imported_messages (source);"
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  label TEXT,"
    "  state TEXT,"
    "  messages INTEGER NOT NULL DEFAULT 0,"
    "  sent INTEGER NOT NULL DEFAULT 0,"
    "  received INTEGER NOT NULL DEFAULT 0,"
    "  junk INTEGER NOT NULL DEFAULT 0,"
    "  contacts INTEGER NOT NULL DEFAULT 0,"
    "  read_at INTEGER,"
    "  UNIQUE (kind, name)"
    ");"
    "CREATE TABLE source_addresses ("
    "  source INTEGER NOT NULL,"
    "  address TEXT NOT NULL,"
    "  sent INTEGER NOT NULL DEFAULT 0,"
    "  received INTEGER NOT NULL DEFAULT 0,"
    "  junk INTEGER NOT NULL DEFAULT 0,"
    "  contact INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (source, address)"
    ") WITHOUT ROWID;"
    "CREATE INDEX source_addresses_address ON source_addresses (address);"
    /* what a source has read already where its own state cannot say (Maildir file names):
     * 64-bit hashes, as for message ids */
    "CREATE TABLE source_items ("
    "  source INTEGER NOT NULL,"
    "  item INTEGER NOT NULL,"
    "  PRIMARY KEY (source, item)"
    ") WITHOUT ROWID;"
    "DROP VIEW domains;"
    "CREATE VIEW domains AS SELECT domain,"
    "  SUM(nm_sent + rec_sent + ext_sent) AS sent,"
    "  SUM(nm_received + ext_received) AS received, SUM(nm_junk + ext_junk) AS junk,"
    "  SUM(contacts > 0) AS contacts, COUNT(*) AS addresses,"
    "  MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen"
    "  FROM addresses GROUP BY domain;",
};

typedef struct {
	gint64 sent;
	gint64 received;
	gint64 junk;
	gint64 first_seen;
	gint64 last_seen;
} RgStoreDelta;

typedef struct {
	gint64 key;
	gint kind;
} RgStoreMessage;

typedef struct {
	char *base_uuid; /* the state the batch was computed against (a source's state) */
	guint64 base_revision;
	gboolean has_base;
	gboolean full;
	GHashTable *deltas; /* address → RgStoreDelta */
	GArray *messages;   /* RgStoreMessage */
	GStrv identities;
	/* a source other than notmuch (rg_store_source_begin()) */
	gboolean is_source;
	gint64 source_id; /* 0: not in the store yet */
	char *kind;
	char *name;
	GHashTable *contacts;  /* address keys an address book lists; NULL when none was read */
	GArray *items;         /* gint64: names read now */
	GHashTable *seen;      /* gint64 → read before; loaded on first use */
	GHashTable *seen_keys; /* message keys of this batch */
	gint messages_stored;  /* whether imported_messages has rows: -1 not asked yet */
} RgStoreBatch;

struct _RgStore {
	GObject parent_instance;
	sqlite3 *db;
	char *path; /* NULL in memory */
	char *moved_aside;
	guint busy_timeout;    /* ms */
	RgStoreBatch *batch;   /* being built */
	RgStoreBatch *pending; /* computed but not written (the store was busy) */
	RgStoreTrustFilter trust_filter;
	gpointer trust_filter_data;
	RgEnvironment *env;   /* its clock stamps what is written */
	guint n_skipped;      /* rows the last load could not use */
	gboolean too_new;     /* the schema is newer than this rcptguard */
	sqlite3_stmt *lookup; /* rg_store_import_lookup(), prepared once per batch */
};

G_DEFINE_TYPE(RgStore, rg_store, G_TYPE_OBJECT)

typedef sqlite3_stmt RgStmt;
static void
rg_stmt_free(RgStmt *stmt)
{
	sqlite3_finalize(stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgStmt, rg_stmt_free)

static void
rg_store_batch_free(RgStoreBatch *b)
{
	if (b == NULL)
		return;
	g_free(b->base_uuid);
	g_hash_table_unref(b->deltas);
	g_array_unref(b->messages);
	g_strfreev(b->identities);
	g_free(b->kind);
	g_free(b->name);
	g_clear_pointer(&b->contacts, g_hash_table_unref);
	g_clear_pointer(&b->items, g_array_unref);
	g_clear_pointer(&b->seen, g_hash_table_unref);
	g_clear_pointer(&b->seen_keys, g_hash_table_unref);
	g_free(b);
}

static RgStoreBatch *
rg_store_batch_new(void)
{
	RgStoreBatch *b = g_new0(RgStoreBatch, 1);
	b->deltas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	b->messages = g_array_new(FALSE, FALSE, sizeof(RgStoreMessage));
	b->messages_stored = -1;
	return b;
}

static void
rg_store_finalize(GObject *object)
{
	RgStore *self = RG_STORE(object);
	rg_store_batch_free(self->batch);
	rg_store_batch_free(self->pending);
	g_clear_pointer(&self->lookup, sqlite3_finalize);
	if (self->db != NULL)
		sqlite3_close_v2(self->db);
	g_free(self->path);
	g_free(self->moved_aside);
	g_clear_object(&self->env);
	G_OBJECT_CLASS(rg_store_parent_class)->finalize(object);
}

static void
rg_store_class_init(RgStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_store_finalize;
}

static void
rg_store_init(RgStore *self)
{
	self->busy_timeout = RG_STORE_BUSY_TIMEOUT_DEFAULT;
}

static gboolean
rg_store_code_is_damage(int code)
{
	code &= 0xff;
	return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
}

/* the RgError for an SQLite result code; also for the server's store (rg-sender-store.c) */
RgError
rg_store_error_from_sqlite(int code)
{
	code &= 0xff;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return RG_ERROR_BUSY;
	if (rg_store_code_is_damage(code))
		return RG_ERROR_CORRUPT;
	if (code == SQLITE_IOERR || code == SQLITE_READONLY || code == SQLITE_CANTOPEN ||
	    code == SQLITE_PERM || code == SQLITE_FULL)
		return RG_ERROR_IO;
	return RG_ERROR_FAILED;
}

/* SQLite's message for the connection's last error, with the system's reason where there
 * is one: "disk I/O error" alone does not say that the disk is full or read-only */
static char *
rg_store_errmsg(sqlite3 *db)
{
	int errsv = sqlite3_system_errno(db);
	int code = sqlite3_extended_errcode(db) & 0xff;
	const char *file = sqlite3_db_filename(db, "main");

	/* SQLite's last system error is often that of its read-only retry ("No such file" for
	 * the -shm file it could not create): a directory that cannot be written to says more */
	if ((code == SQLITE_CANTOPEN || code == SQLITE_READONLY) && file != NULL && *file != '\0') {
		g_autofree char *dir = g_path_get_dirname(file);
		if (access(dir, W_OK) != 0)
			errsv = errno;
	}
	if (errsv != 0 && (code == SQLITE_IOERR || code == SQLITE_CANTOPEN ||
	                   code == SQLITE_READONLY || code == SQLITE_FULL))
		return g_strdup_printf("%s (%s)", sqlite3_errmsg(db), g_strerror(errsv));
	return g_strdup(sqlite3_errmsg(db));
}

/* maps the connection's last error to a GError */
static gboolean
rg_store_fail(RgStore *self, GError **error, const char *what)
{
	g_autofree char *message = rg_store_errmsg(self->db);

	g_set_error(error,
	            RG_ERROR,
	            rg_store_error_from_sqlite(sqlite3_extended_errcode(self->db)),
	            "history store %s: %s: %s",
	            self->path != NULL ? self->path : ":memory:",
	            what,
	            message);
	return FALSE;
}

static gboolean
rg_store_exec(RgStore *self, const char *sql, GError **error)
{
	if (sqlite3_exec(self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return rg_store_fail(self, error, sql);
	return TRUE;
}

/* Like rg_store_exec(), but a lock held elsewhere is waited for, up to the busy timeout,
 * also where SQLite gives up at once instead of calling its busy handler (a journal mode
 * change or WAL recovery in another process). */
static gboolean
rg_store_exec_wait(RgStore *self, const char *sql, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)self->busy_timeout * 1000;

	for (;;) {
		int rc = sqlite3_exec(self->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return TRUE;
		if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time() >= deadline)
			return rg_store_fail(self, error, sql);
		g_usleep(10 * 1000);
	}
}

static RgStmt *
rg_store_prepare(RgStore *self, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		rg_store_fail(self, error, "prepare");
		return NULL;
	}
	return stmt;
}

static void
rg_store_rollback(RgStore *self)
{
	if (!sqlite3_get_autocommit(self->db))
		sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* the schema version, or 0 for a database with no tables yet */
static gboolean
rg_store_get_version(RgStore *self, int *version, GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	int rc;

	stmt = rg_store_prepare(
	    self, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'", error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return rg_store_fail(self, error, "read schema");
	if (sqlite3_column_int(stmt, 0) == 0) {
		*version = 0;
		return TRUE;
	}
	g_clear_pointer(&stmt, rg_stmt_free);
	stmt = rg_store_prepare(self, "SELECT version FROM schema_version", error);
	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		return rg_store_fail(self, error, "read schema version");
	*version = sqlite3_column_int(stmt, 0);
	return TRUE;
}

/* the time of the store's clock, in seconds since the epoch */
static gint64
rg_store_now(RgStore *self)
{
	return rg_environment_get_real_time(self->env) / G_USEC_PER_SEC;
}

/* Notes in too_new when the schema is newer than this rcptguard: then the file is a good
 * database that must be left alone, not a damaged one. */
static gboolean
rg_store_migrate(RgStore *self, GError **error)
{
	const int latest = G_N_ELEMENTS(rg_store_migrations);
	int version = 0;

	if (!rg_store_get_version(self, &version, error))
		return FALSE;
	if (version == latest)
		return TRUE;
	/* no rcptguard ever wrote it: a damaged file, moved aside like one */
	if (version < 0) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_CORRUPT,
		            "history store %s has an invalid schema version %d",
		            self->path,
		            version);
		return FALSE;
	}
	if (version > latest) {
		self->too_new = TRUE;
		g_set_error(
		    error,
		    RG_ERROR,
		    RG_ERROR_CORRUPT,
		    "history store %s has schema version %d, newer than this rcptguard (%d)",
		    self->path,
		    version,
		    latest);
		return FALSE;
	}
	if (!rg_store_exec_wait(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	/* another process may have migrated while we waited for the lock */
	if (!rg_store_get_version(self, &version, error)) {
		rg_store_rollback(self);
		return FALSE;
	}
	for (int v = version; v < latest; v++) {
		g_autofree char *bump =
		    g_strdup_printf("UPDATE schema_version SET version = %d", v + 1);
		if (!rg_store_exec(self, rg_store_migrations[v], error) ||
		    !rg_store_exec(self, bump, error)) {
			rg_store_rollback(self);
			g_prefix_error(error, "migration to schema version %d: ", v + 1);
			return FALSE;
		}
	}
	return rg_store_exec(self, "COMMIT", error);
}

/**
 * rg_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/rcptguard/history.db`
 */
char *
rg_store_get_default_path(void)
{
	g_autoptr(RgEnvironment) env = rg_environment_new();
	return rg_environment_get_store_path(env);
}

static gboolean
rg_store_connect(RgStore *self, const char *filename, GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	gboolean wal;
	int rc;

	/* A store is used by one thread at a time (RgServer holds its store lock around every
	 * use), so SQLite's own mutexes on the connection only cost: taken and released for
	 * every column read, they were a sixth of a 100,000-address load. */
	rc = sqlite3_open_v2(filename,
	                     &self->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		g_autofree char *message =
		    self->db != NULL ? rg_store_errmsg(self->db) : g_strdup(sqlite3_errstr(rc));
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot open history store %s: %s",
		            filename,
		            message);
		return FALSE;
	}
	sqlite3_extended_result_codes(self->db, 1);
	/* the caller's, also for a store started again after damage: the waits of the open
	 * (another process creating or migrating the schema) are bounded by it too */
	sqlite3_busy_timeout(self->db, (int)MIN(self->busy_timeout, G_MAXINT));
	if (self->path != NULL) {
		/* reading the mode is also the first read of the file: a file that is not a
		 * database fails here */
		stmt = rg_store_prepare(self, "PRAGMA journal_mode", error);
		if (stmt == NULL)
			return FALSE;
		if (sqlite3_step(stmt) != SQLITE_ROW)
			return rg_store_fail(self, error, "read journal mode");
		wal = g_ascii_strcasecmp((const char *)sqlite3_column_text(stmt, 0), "wal") == 0;
		/* no statement may stay open: it would hold a read transaction */
		g_clear_pointer(&stmt, rg_stmt_free);
		/* WAL lets readers go on while another process writes */
		if (!wal && !rg_store_exec_wait(self, "PRAGMA journal_mode = WAL", error))
			return FALSE;
		if (!rg_store_exec(self, "PRAGMA synchronous = NORMAL", error))
			return FALSE;
		/* what "history forget" erases is overwritten, not only unlinked from the tree */
		if (!rg_store_exec(self, "PRAGMA secure_delete = ON", error))
			return FALSE;
		/* loading reads every row at start-up: map the file instead of copying pages */
		if (!rg_store_exec(self, "PRAGMA mmap_size = 268435456", error))
			return FALSE;
	}
	return rg_store_migrate(self, error);
}

/* moves the damaged database @path and its -wal and -shm files aside to
 * PATH.corrupt-TIMESTAMP (@now in seconds); also for the server's store */
char *
rg_store_move_damaged(const char *path, gint64 now, GError **error)
{
	g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(now);
	g_autofree char *stamp = g_date_time_format(when, "%Y%m%dT%H%M%SZ");
	g_autofree char *aside = g_strdup_printf("%s.corrupt-%s", path, stamp);
	const char *suffixes[] = {"-wal", "-shm"};

	if (g_rename(path, aside) != 0) {
		int errsv = errno;
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot move damaged database %s aside: %s",
		            path,
		            g_strerror(errsv));
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		g_autofree char *from = g_strconcat(path, suffixes[i], NULL);
		g_autofree char *to = g_strconcat(aside, suffixes[i], NULL);
		if (g_file_test(from, G_FILE_TEST_EXISTS))
			g_rename(from, to);
	}
	return g_steal_pointer(&aside);
}

static gboolean
rg_store_move_aside(RgStore *self, GError **error)
{
	char *aside = rg_store_move_damaged(self->path, rg_store_now(self), error);

	if (aside == NULL)
		return FALSE;
	g_free(self->moved_aside);
	self->moved_aside = aside;
	return TRUE;
}

/* The directory of @path, created when missing (mode 0700), and @path with that directory's
 * real location: symbolic links on the way are followed as every program does, and SQLite's
 * SQLITE_OPEN_NOFOLLOW, which refuses a link anywhere in the path, then only guards the file
 * itself. A link at the file itself is refused here, with a clear message. */
static char *
rg_store_resolve(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *resolved = NULL;
	char *real_dir;
	GStatBuf st;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot create directory %s: %s",
		            dir,
		            g_strerror(errno));
		return NULL;
	}
	real_dir = realpath(dir, NULL);
	if (real_dir == NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot open history store %s: %s",
		            path,
		            g_strerror(errno));
		return NULL;
	}
	resolved = g_build_filename(real_dir, base, NULL);
	free(real_dir);
	if (g_lstat(resolved, &st) == 0 && S_ISLNK(st.st_mode)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot open history store %s: it is a symbolic link; rcptguard only "
		            "opens the database file itself (move the file there instead)",
		            path);
		return NULL;
	}
	return g_steal_pointer(&resolved);
}

/* takes the group's and others' permissions off @path, opened with @flags (O_NOFOLLOW: a
 * link put there meanwhile is not followed), and leaves the owner's as they are: what the
 * user made read-only stays read-only */
static void
rg_store_tighten(const char *path, int flags)
{
	struct stat st;
	int fd = g_open(path, flags | O_CLOEXEC, 0);

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
		(void)!fchmod(fd, st.st_mode & 0700);
	close(fd);
}

/* creates the file with mode 0600 before SQLite does, so it is never readable by others,
 * and tightens an existing one; @created says whether it is new */
static gboolean
rg_store_prepare_file(const char *path, gboolean *created, GError **error)
{
	GStatBuf st;

	*created = FALSE;
	if (g_lstat(path, &st) != 0) {
		int fd = g_open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_IO,
			            "cannot create history store %s: %s",
			            path,
			            g_strerror(errno));
			return FALSE;
		}
		if (fd >= 0) {
			close(fd);
			*created = TRUE;
		}
	} else if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
		rg_store_tighten(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
	}
	return TRUE;
}

/* A database file this open created and could not use goes again: no empty history.db is
 * ever left behind. Not when the store was busy: then another process that started at the
 * same moment is filling the file. */
static void
rg_store_remove_created(const char *path, const GError *error)
{
	GStatBuf st;

	if (g_error_matches(error, RG_ERROR, RG_ERROR_BUSY))
		return;
	if (g_lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
		return;
	g_unlink(path);
}

/* prepares the file at @resolved and connects to it */
static gboolean
rg_store_open_file(RgStore *self, const char *resolved, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gboolean created = FALSE;

	if (!rg_store_prepare_file(resolved, &created, error))
		return FALSE;
	if (rg_store_connect(self, resolved, &error_local))
		return TRUE;
	g_clear_pointer(&self->db, sqlite3_close_v2);
	if (created)
		rg_store_remove_created(resolved, error_local);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/**
 * rg_store_open:
 * @path: (nullable): the database file, or %NULL for rg_store_get_default_path()
 * @error: return location for a #GError
 *
 * Opens the history store, creating it (directory mode 0700, file mode 0600, WAL journal)
 * and migrating its schema forward when needed; an existing directory (the default one) or
 * file loses the permissions of group and others, and never gains any (a read-only one stays
 * read-only). Symbolic links among the directories are
 * followed; a symbolic link at the database file itself is refused. A file that is not a
 * valid database is moved aside to `history.db.corrupt-TIMESTAMP` and a new store is
 * started; then rg_store_get_moved_aside_path() says where the old file went. Waits for locks
 * held by other processes are bounded (see rg_store_set_busy_timeout()). When the store
 * cannot be opened, no file is left behind that was not there before.
 *
 * Returns: (transfer full): the store, or %NULL with %RG_ERROR_IO (cannot create or open,
 *   or a symbolic link), %RG_ERROR_BUSY (locked while its schema had to be created) or
 *   %RG_ERROR_CORRUPT (written by a newer version) set
 */
RgStore *
rg_store_open(const char *path, GError **error)
{
	return rg_store_open_full(path, RG_STORE_BUSY_TIMEOUT_DEFAULT, error);
}

/**
 * rg_store_open_full:
 * @path: (nullable): the database file, or %NULL for rg_store_get_default_path()
 * @busy_timeout: how long a statement waits for another process's lock, in milliseconds
 * @error: return location for a #GError
 *
 * Like rg_store_open(), with the busy timeout of rg_store_set_busy_timeout() set from the
 * start: it also bounds the waits of the open itself, for another process that is creating
 * or migrating the schema (two imports started at once on a new store).
 *
 * Returns: (transfer full): the store, or %NULL with an error set as by rg_store_open()
 */
RgStore *
rg_store_open_full(const char *path, guint busy_timeout, GError **error)
{
	g_autoptr(RgEnvironment) env = rg_environment_new();
	return rg_store_open_in(env, path, busy_timeout, error);
}

/*
 * rg_store_open_in:
 * @env: where the default store is and which clock stamps what is written
 * @path: (nullable): the database file, or %NULL for the store of @env
 * @busy_timeout: as for rg_store_open_full()
 *
 * Like rg_store_open_full(). With neither @path nor a data directory in @env, the store is
 * one in memory.
 */
RgStore *
rg_store_open_in(RgEnvironment *env, const char *path, guint busy_timeout, GError **error)
{
	g_autoptr(RgStore) self = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree char *resolved = NULL;

	if (path == NULL && rg_environment_get_data_home(env) == NULL)
		return rg_store_new_in(env, error);
	self = g_object_new(RG_TYPE_STORE, NULL);
	self->env = g_object_ref(env);
	self->busy_timeout = busy_timeout;
	self->path = path != NULL ? g_strdup(path) : rg_environment_get_store_path(env);
	resolved = rg_store_resolve(self->path, error);
	if (resolved == NULL)
		return NULL;
	if (path == NULL) {
		g_autofree char *dir = g_path_get_dirname(resolved);
		rg_store_tighten(dir, O_RDONLY | O_DIRECTORY);
	}
	if (rg_store_open_file(self, resolved, &error_local))
		return g_steal_pointer(&self);
	if (!g_error_matches(error_local, RG_ERROR, RG_ERROR_CORRUPT) || self->too_new) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	/* damaged: keep it for the user, start again */
	if (!rg_store_move_aside(self, error) || !rg_store_open_file(self, resolved, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * rg_store_new_in_memory:
 * @error: return location for a #GError
 *
 * A store that lives only as long as the object: what a session falls back to when the
 * store on disk cannot be used.
 *
 * Returns: (transfer full): the store, or %NULL with %RG_ERROR_FAILED set
 */
RgStore *
rg_store_new_in_memory(GError **error)
{
	g_autoptr(RgEnvironment) env = rg_environment_new();
	return rg_store_new_in(env, error);
}

/* a store in memory whose writes are stamped by @env's clock */
RgStore *
rg_store_new_in(RgEnvironment *env, GError **error)
{
	g_autoptr(RgStore) self = g_object_new(RG_TYPE_STORE, NULL);

	self->env = g_object_ref(env);
	if (!rg_store_connect(self, ":memory:", error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * rg_store_get_path:
 * @self: an #RgStore
 *
 * Returns: (nullable): the database file, %NULL for a store in memory
 */
const char *
rg_store_get_path(RgStore *self)
{
	g_return_val_if_fail(RG_IS_STORE(self), NULL);
	return self->path;
}

/**
 * rg_store_get_moved_aside_path:
 * @self: an #RgStore
 *
 * Returns: (nullable): where a damaged database was moved by rg_store_open(), or %NULL
 */
const char *
rg_store_get_moved_aside_path(RgStore *self)
{
	g_return_val_if_fail(RG_IS_STORE(self), NULL);
	return self->moved_aside;
}

/**
 * rg_store_set_busy_timeout:
 * @self: an #RgStore
 * @milliseconds: how long a statement waits for another process's lock
 *
 * The default, 200 ms, keeps a send from waiting on the store; a command the user runs on
 * purpose may wait longer. For the waits of the open, give it to rg_store_open_full().
 */
void
rg_store_set_busy_timeout(RgStore *self, guint milliseconds)
{
	g_return_if_fail(RG_IS_STORE(self));
	self->busy_timeout = milliseconds;
	sqlite3_busy_timeout(self->db, (int)MIN(milliseconds, G_MAXINT));
}

static guint
rg_store_clamp(gint64 v)
{
	return v <= 0 ? 0 : (guint)MIN(v, (gint64)G_MAXUINT);
}

static void
rg_store_load_batch(RgStoreBatch *b, RgHistory *history)
{
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init(&iter, b->deltas);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		RgStoreDelta *d = value;
		if (d->sent > 0 || d->received > 0)
			rg_history_add_normalized(history,
			                          key,
			                          rg_store_clamp(d->sent),
			                          rg_store_clamp(d->received),
			                          RG_HISTORY_FLAG_NONE);
		else if (d->junk > 0)
			rg_history_add_normalized(history, key, 0, 0, RG_HISTORY_FLAG_JUNK);
	}
	for (guint i = 0; b->identities != NULL && b->identities[i] != NULL; i++)
		rg_history_add_normalized(
		    history, b->identities[i], 0, 0, RG_HISTORY_FLAG_IDENTITY);
}

/**
 * rg_store_set_trust_filter:
 * @self: an #RgStore
 * @filter: (nullable) (scope notified): decides for each stored trust entry whether it still
 *   counts when loading
 * @user_data: passed to @filter; must outlive @self
 *
 * Trust entries that @filter refuses are kept in the store (for `history export`) but not
 * loaded, e.g. when the policy no longer lets users trust recipients.
 */
void
rg_store_set_trust_filter(RgStore *self, RgStoreTrustFilter filter, gpointer user_data)
{
	g_return_if_fail(RG_IS_STORE(self));
	self->trust_filter = filter;
	self->trust_filter_data = user_data;
}

enum {
	RG_KEY_HOST = 1 << 0,    /* may be part of an ASCII domain */
	RG_KEY_CONTROL = 1 << 1, /* never in a key */
	RG_KEY_HIGH = 1 << 2,    /* part of a UTF-8 sequence */
};

#define RG_KEY_RANGE(from, to, kind) [(from)...(to)] = (kind)
static const guint8 rg_store_key_chars[256] = {
    RG_KEY_RANGE(0x00, 0x1f, RG_KEY_CONTROL),
    RG_KEY_RANGE('a', 'z', RG_KEY_HOST),
    RG_KEY_RANGE('0', '9', RG_KEY_HOST),
    ['-'] = RG_KEY_HOST,
    ['.'] = RG_KEY_HOST,
    RG_KEY_RANGE(0x80, 0xff, RG_KEY_HIGH),
};
#undef RG_KEY_RANGE

/* Column @col of a row as a normalised address key ("local@ascii-domain") or an ASCII
 * domain, or NULL when the row holds something else: the file may have been edited or
 * damaged, and a key cut at a NUL byte would be another address. */
static const char *
rg_store_column_key(sqlite3_stmt *stmt, int col, gboolean domain)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	int bytes = sqlite3_column_bytes(stmt, col);
	const char *at = NULL;
	gboolean host_ok = TRUE;
	guint seen = 0;

	if (text == NULL || bytes <= 0)
		return NULL;
	/* One pass over the bytes (a load reads 100,000 keys): no control character (nor a
	 * NUL inside), the last "@", and only [a-z0-9.-] after it. UTF-8 is validated only
	 * for a key that is not ASCII, which almost none is. */
	for (int i = 0; i < bytes; i++) {
		guchar c = (guchar)text[i];
		guint8 k = rg_store_key_chars[c];
		seen |= k;
		if (c == '@') {
			at = text + i;
			host_ok = TRUE;
		} else {
			host_ok &= (k & RG_KEY_HOST) != 0;
		}
	}
	if ((seen & RG_KEY_CONTROL) != 0 || !host_ok)
		return NULL;
	if ((seen & RG_KEY_HIGH) != 0 && !g_utf8_validate(text, bytes, NULL))
		return NULL;
	if (domain != (at == NULL))
		return NULL;
	if (at != NULL && (at == text || at[1] == '\0'))
		return NULL;
	return text;
}

/**
 * rg_store_get_n_skipped:
 * @self: an #RgStore
 *
 * Returns: how many rows the last rg_store_load() skipped because they did not hold an
 *   address or a domain (a file edited by hand, or damaged)
 */
guint
rg_store_get_n_skipped(RgStore *self)
{
	g_return_val_if_fail(RG_IS_STORE(self), 0);
	return self->n_skipped;
}

static gboolean rg_store_load_once(RgStore *self, RgHistory *history, GError **error);

/* whether SQLite finds the file damaged where it looked: pages in the middle of a file
 * whose header and schema are whole fail only when a statement reaches them */
static gboolean
rg_store_is_damaged(RgStore *self)
{
	g_autoptr(RgStmt) stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL) != SQLITE_OK)
		return rg_store_code_is_damage(sqlite3_extended_errcode(self->db));
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		return rg_store_code_is_damage(rc);
	return g_strcmp0((const char *)sqlite3_column_text(stmt, 0), "ok") != 0;
}

/* After @error (set) from a statement on the open store: when it says the file is damaged
 * and a check confirms it, the file is moved aside and a new store started, as
 * rg_store_open() does for a file that is not a database at all; then @error is cleared.
 * Without this, a store damaged in the middle would fail every record and forget, forever. */
static gboolean
rg_store_rebuild_if_damaged(RgStore *self, GError **error)
{
	g_autofree char *resolved = NULL;

	if (!g_error_matches(*error, RG_ERROR, RG_ERROR_CORRUPT) || self->path == NULL ||
	    self->too_new || !rg_store_is_damaged(self))
		return FALSE;
	resolved = rg_store_resolve(self->path, NULL);
	if (resolved == NULL)
		return FALSE;
	g_clear_pointer(&self->db, sqlite3_close_v2);
	if (!rg_store_move_aside(self, NULL) || !rg_store_open_file(self, resolved, NULL)) {
		/* keep a connection, whatever it is worth, so later calls fail cleanly */
		if (self->db == NULL)
			sqlite3_open_v2(":memory:", &self->db, SQLITE_OPEN_READWRITE, NULL);
		return FALSE;
	}
	g_clear_error(error);
	return TRUE;
}

/**
 * rg_store_load:
 * @self: an #RgStore
 * @history: the in-memory history the scorer reads
 * @error: return location for a #GError
 *
 * Adds everything the store holds to @history: counts per address, the user's identities,
 * trusted addresses and domains. An address seen only on junk mail is added with
 * %RG_HISTORY_FLAG_JUNK, so it never makes its domain known. An import that was read but
 * could not be written (the store was busy) is added too. A row that holds no address or
 * domain (a file edited by hand, or damaged) is skipped and counted in
 * rg_store_get_n_skipped(); the rows around it still count. A file damaged in the middle
 * (`PRAGMA quick_check` confirms it) is moved aside and a new store started, as by
 * rg_store_open(); rg_store_get_moved_aside_path() then says where it went. Recording and
 * forgetting do the same.
 *
 * Returns: %FALSE with %RG_ERROR_BUSY, %RG_ERROR_CORRUPT or %RG_ERROR_IO set when the store
 *   cannot be read
 */
gboolean
rg_store_load(RgStore *self, RgHistory *history, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(RG_IS_HISTORY(history), FALSE);

	if (rg_store_load_once(self, history, &error_local))
		return TRUE;
	/* the store started again is empty: only what is pending, if anything */
	if (rg_store_rebuild_if_damaged(self, &error_local))
		return rg_store_load_once(self, history, error);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
rg_store_load_once(RgStore *self, RgHistory *history, GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	int rc;

	self->n_skipped = 0;
	/* one read transaction, so the three tables are seen at the same moment */
	if (!rg_store_exec(self, "BEGIN", error))
		return FALSE;
	/* size the in-memory table once instead of growing it row by row */
	stmt = rg_store_prepare(self, "SELECT count(*) FROM addresses", error);
	if (stmt == NULL)
		goto fail;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		rg_history_reserve(history, rg_store_clamp(sqlite3_column_int64(stmt, 0)));
	g_clear_pointer(&stmt, rg_stmt_free);
	stmt = rg_store_prepare(self,
	                        "SELECT address, nm_sent + ext_sent, rec_sent, "
	                        "nm_received + ext_received, nm_junk + ext_junk, sources, "
	                        "last_seen, contacts FROM addresses",
	                        error);
	if (stmt == NULL)
		goto fail;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *address = rg_store_column_key(stmt, 0, FALSE);
		gint64 nm_sent = sqlite3_column_int64(stmt, 1);
		gint64 rec_sent = sqlite3_column_int64(stmt, 2);
		gint64 received = sqlite3_column_int64(stmt, 3);
		gint64 junk = sqlite3_column_int64(stmt, 4);
		int sources = sqlite3_column_int(stmt, 5);
		gint64 last_seen = sqlite3_column_int64(stmt, 6);
		gint64 contacts = sqlite3_column_int64(stmt, 7);

		if (address == NULL) {
			self->n_skipped++;
			continue;
		}
		/* each kind of evidence as what it is (RgEvidence): the mail store's and the
		 * mailboxes', a known file's, an address book's (for the address it lists, not
		 * its domain), rcptguard's own record of sends */
		if (contacts > 0)
			rg_history_add_normalized(
			    history, address, 0, 0, RG_HISTORY_FLAG_ADDRESS_BOOK);
		if (nm_sent > 0 || received > 0)
			rg_history_add_normalized(history,
			                          address,
			                          rg_store_clamp(nm_sent),
			                          rg_store_clamp(received),
			                          RG_HISTORY_FLAG_NONE);
		if ((sources & RG_STORE_SOURCE_KNOWN) != 0)
			rg_history_add_normalized(history, address, 0, 0, RG_HISTORY_FLAG_KNOWN);
		if (rec_sent > 0 || (sources & RG_STORE_SOURCE_SENT) != 0)
			rg_history_add_normalized(history,
			                          address,
			                          rg_store_clamp(rec_sent),
			                          0,
			                          RG_HISTORY_FLAG_CONFIRMED);
		/* the last recorded send was the one sent anyway, or came after it */
		if ((sources & RG_STORE_SOURCE_SENT_ANYWAY) != 0)
			rg_history_mark_sent_anyway_normalized(history, address, last_seen);
		else if (nm_sent == 0 && received == 0 && rec_sent == 0 && contacts == 0 &&
		         (sources & (RG_STORE_SOURCE_KNOWN | RG_STORE_SOURCE_SENT)) == 0 &&
		         junk > 0)
			rg_history_add_normalized(history, address, 0, 0, RG_HISTORY_FLAG_JUNK);
	}
	if (rc != SQLITE_DONE) {
		rg_store_fail(self, error, "read addresses");
		goto fail;
	}
	g_clear_pointer(&stmt, rg_stmt_free);

	stmt = rg_store_prepare(self, "SELECT address FROM identities", error);
	if (stmt == NULL)
		goto fail;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *address = rg_store_column_key(stmt, 0, FALSE);
		if (address != NULL)
			rg_history_add_normalized(history, address, 0, 0, RG_HISTORY_FLAG_IDENTITY);
		else
			self->n_skipped++;
	}
	if (rc != SQLITE_DONE) {
		rg_store_fail(self, error, "read identities");
		goto fail;
	}
	g_clear_pointer(&stmt, rg_stmt_free);

	stmt = rg_store_prepare(self, "SELECT entry, kind FROM trusted", error);
	if (stmt == NULL)
		goto fail;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 1);
		gboolean is_domain = g_strcmp0(kind, "domain") == 0;
		const char *entry = rg_store_column_key(stmt, 0, is_domain);
		if (entry == NULL || (!is_domain && g_strcmp0(kind, "address") != 0)) {
			self->n_skipped++;
			continue;
		}
		/* a policy that forbids trusting, or locked it, also overrules earlier trust */
		if (self->trust_filter != NULL &&
		    !self->trust_filter(entry, self->trust_filter_data))
			continue;
		if (is_domain) {
			if (!rg_history_trust_domain(history, entry, NULL))
				self->n_skipped++;
		} else {
			rg_history_add_normalized(history, entry, 0, 0, RG_HISTORY_FLAG_TRUSTED);
		}
	}
	if (rc != SQLITE_DONE) {
		rg_store_fail(self, error, "read trusted entries");
		goto fail;
	}
	g_clear_pointer(&stmt, rg_stmt_free);
	rg_store_rollback(self);
	if (self->pending != NULL)
		rg_store_load_batch(self->pending, history);
	return TRUE;
fail:
	g_clear_pointer(&stmt, rg_stmt_free);
	rg_store_rollback(self);
	return FALSE;
}

static gboolean
rg_store_bump(RgStore *self,
              RgStmt *stmt,
              const char *address,
              const RgStoreDelta *d,
              RgStoreSource source,
              GError **error)
{
	const char *at = strrchr(address, '@');
	gboolean recorded = (source & RG_STORE_SOURCE_SENT) != 0;

	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, at != NULL ? at + 1 : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, recorded ? 0 : d->sent);
	sqlite3_bind_int64(stmt, 4, d->received);
	sqlite3_bind_int64(stmt, 5, d->junk);
	sqlite3_bind_int64(stmt, 6, recorded ? d->sent : 0);
	if (d->first_seen > 0)
		sqlite3_bind_int64(stmt, 7, d->first_seen);
	else
		sqlite3_bind_null(stmt, 7);
	if (d->last_seen > 0)
		sqlite3_bind_int64(stmt, 8, d->last_seen);
	else
		sqlite3_bind_null(stmt, 8);
	sqlite3_bind_int(stmt, 9, source);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return rg_store_fail(self, error, "update address");
	return TRUE;
}

static const char rg_store_upsert_sql[] =
    "INSERT INTO addresses (address, domain, nm_sent, nm_received, nm_junk, rec_sent, "
    "first_seen, last_seen, sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (domain, address) DO UPDATE SET "
    "nm_sent = max(0, nm_sent + excluded.nm_sent), "
    "nm_received = max(0, nm_received + excluded.nm_received), "
    "nm_junk = max(0, nm_junk + excluded.nm_junk), "
    "rec_sent = rec_sent + excluded.rec_sent, "
    "first_seen = CASE WHEN first_seen IS NULL OR excluded.first_seen < first_seen "
    "  THEN coalesce(excluded.first_seen, first_seen) ELSE first_seen END, "
    "last_seen = CASE WHEN last_seen IS NULL OR excluded.last_seen > last_seen "
    "  THEN coalesce(excluded.last_seen, last_seen) ELSE last_seen END, "
    "sources = sources | excluded.sources";

static GPtrArray *
rg_store_normalize_all(const char *const *addresses, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; addresses[i] != NULL; i++) {
		g_autoptr(RgAddress) addr = rg_address_parse(addresses[i], error);
		if (addr == NULL)
			return NULL;
		g_ptr_array_add(keys, rg_history_normalize(addr));
	}
	return g_steal_pointer(&keys);
}

static gboolean
rg_store_bump_all_once(
    RgStore *self, GPtrArray *keys, GHashTable *anyway, RgStoreSource source, GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	gint64 now = rg_store_now(self);
	RgStoreDelta d = {
	    .sent = source == RG_STORE_SOURCE_SENT ? 1 : 0, .first_seen = now, .last_seen = now};

	if (!rg_store_exec_wait(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	stmt = rg_store_prepare(self, rg_store_upsert_sql, error);
	if (stmt == NULL) {
		rg_store_rollback(self);
		return FALSE;
	}
	for (guint i = 0; i < keys->len; i++) {
		const char *key = g_ptr_array_index(keys, i);
		RgStoreSource bits = source;
		if (anyway != NULL && g_hash_table_contains(anyway, key))
			bits |= RG_STORE_SOURCE_SENT_ANYWAY;
		if (!rg_store_bump(self, stmt, key, &d, bits, error)) {
			rg_store_rollback(self);
			return FALSE;
		}
	}
	g_clear_pointer(&stmt, rg_stmt_free);
	if (!rg_store_exec(self, "COMMIT", error)) {
		rg_store_rollback(self);
		return FALSE;
	}
	return TRUE;
}

/* @anyway: (nullable): the keys among @keys whose send was a "Send Anyway" */
static gboolean
rg_store_bump_all(
    RgStore *self, GPtrArray *keys, GHashTable *anyway, RgStoreSource source, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (rg_store_bump_all_once(self, keys, anyway, source, &error_local))
		return TRUE;
	if (rg_store_rebuild_if_damaged(self, &error_local))
		return rg_store_bump_all_once(self, keys, anyway, source, error);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/**
 * rg_store_record_sent:
 * @self: an #RgStore
 * @addresses: (array zero-terminated=1): the recipients of a message the user sent
 * @error: return location for a #GError
 *
 * Counts one more message sent to each address. All or nothing.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS, %RG_ERROR_BUSY or %RG_ERROR_IO set
 */
gboolean
rg_store_record_sent(RgStore *self, const char *const *addresses, GError **error)
{
	return rg_store_record_sent_anyway(self, addresses, NULL, error);
}

/* Like rg_store_record_sent(); the addresses of @anyway (a subset of @addresses, nullable) are
 * marked as sent with "Send Anyway" while they were flagged (%RG_STORE_SOURCE_SENT_ANYWAY). */
gboolean
rg_store_record_sent_anyway(RgStore *self,
                            const char *const *addresses,
                            const char *const *anyway,
                            GError **error)
{
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(GPtrArray) anyway_keys = NULL;
	g_autoptr(GHashTable) anyway_set = NULL;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(addresses != NULL, FALSE);

	keys = rg_store_normalize_all(addresses, error);
	if (keys == NULL)
		return FALSE;
	if (anyway != NULL) {
		anyway_keys = rg_store_normalize_all(anyway, error);
		if (anyway_keys == NULL)
			return FALSE;
		anyway_set = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; i < anyway_keys->len; i++)
			g_hash_table_add(anyway_set, g_ptr_array_index(anyway_keys, i));
	}
	return rg_store_bump_all(self, keys, anyway_set, RG_STORE_SOURCE_SENT, error);
}

/**
 * rg_store_add_known_file:
 * @self: an #RgStore
 * @path: a file with one address per line, `#` comments
 * @n_added: (out) (optional): how many addresses the file held
 * @error: return location for a #GError
 *
 * Remembers every address of @path as a known correspondent. Nothing is added when a line
 * is malformed.
 *
 * Returns: %FALSE with %RG_ERROR_IO, %RG_ERROR_INVALID_DATA or %RG_ERROR_BUSY set
 */
gboolean
rg_store_add_known_file(RgStore *self, const char *path, guint *n_added, GError **error)
{
	g_autoptr(RgHistory) parsed = rg_history_new();
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	/* the history parses and validates the file; its entries are the normalised keys */
	if (!rg_history_load_known_file(parsed, path, error))
		return FALSE;
	{
		g_autoptr(GPtrArray) all = rg_history_get_address_keys(parsed);
		for (guint i = 0; i < all->len; i++)
			g_ptr_array_add(keys, g_strdup(g_ptr_array_index(all, i)));
	}
	if (n_added != NULL)
		*n_added = keys->len;
	return rg_store_bump_all(self, keys, NULL, RG_STORE_SOURCE_KNOWN, error);
}

/* an address key or an ASCII domain, and which of the two */
static char *
rg_store_normalize_entry(const char *address_or_domain, gboolean *is_domain, GError **error)
{
	g_autofree char *trimmed = g_strstrip(g_strdup(address_or_domain));

	if (strchr(trimmed, '@') != NULL) {
		g_autoptr(RgAddress) addr = rg_address_parse(trimmed, error);
		if (addr == NULL)
			return NULL;
		*is_domain = FALSE;
		return rg_history_normalize(addr);
	} else {
		g_autofree char *unicode = NULL;
		g_autofree char *ascii = NULL;
		if (!rg_address_normalize_domain(trimmed, &unicode, &ascii, error))
			return NULL;
		*is_domain = TRUE;
		return g_steal_pointer(&ascii);
	}
}

/* whether @ascii is a public suffix as a whole ("com", "co.uk"), or a single label that is
 * no listed one; without the list, nothing is */
static gboolean
rg_store_is_public_suffix(const char *ascii)
{
	g_autoptr(RgDomains) domains = rg_domains_get_default(NULL);
	return domains != NULL && rg_domains_suffix_offset(domains, ascii) == 0;
}

/**
 * rg_store_trust:
 * @self: an #RgStore
 * @address_or_domain: an address (`a@example.org`) or a domain (`example.org`)
 * @by: (nullable): who trusted it, e.g. "user" or the front end's name
 * @error: return location for a #GError
 *
 * A bare public suffix (`com`, `co.uk`) is refused: anyone can register a domain under it.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS, %RG_ERROR_BUSY or %RG_ERROR_IO set
 */
gboolean
rg_store_trust(RgStore *self, const char *address_or_domain, const char *by, GError **error)
{
	g_autofree char *entry = NULL;
	g_autoptr(RgStmt) stmt = NULL;
	gboolean is_domain = FALSE;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(address_or_domain != NULL, FALSE);

	entry = rg_store_normalize_entry(address_or_domain, &is_domain, error);
	if (entry == NULL)
		return FALSE;
	if (is_domain && rg_store_is_public_suffix(entry)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_ADDRESS,
		            "%s is a public suffix, under which anyone can register a domain; "
		            "trust a domain under it instead",
		            entry);
		return FALSE;
	}
	stmt =
	    rg_store_prepare(self,
	                     "INSERT OR REPLACE INTO trusted (entry, kind, trusted_by, trusted_at) "
	                     "VALUES (?, ?, ?, ?)",
	                     error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, is_domain ? "domain" : "address", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, by != NULL ? by : "user", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, rg_store_now(self));
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return rg_store_fail(self, error, "trust");
	return TRUE;
}

static gboolean rg_store_forget_once(RgStore *self,
                                     const char *address_or_domain,
                                     guint *n_forgotten,
                                     GError **error);

/**
 * rg_store_forget:
 * @self: an #RgStore
 * @address_or_domain: an address, or a domain (its subdomains included)
 * @n_forgotten: (out) (optional): how many rows were erased
 * @error: return location for a #GError
 *
 * Erases every count and trust entry for the address or domain, also what each source
 * (notmuch, an imported mailbox, a mail client's folder or address book) holds about it, and
 * also from the write-ahead log and the free pages of the file. The user's own addresses are
 * kept. Mail already read is not read again unless it changes, the notmuch database is
 * rebuilt or the source is read again from the start; an address book that still lists the
 * address brings it back at its next change.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS, %RG_ERROR_BUSY or %RG_ERROR_IO set
 */
gboolean
rg_store_forget(RgStore *self, const char *address_or_domain, guint *n_forgotten, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(address_or_domain != NULL, FALSE);

	if (rg_store_forget_once(self, address_or_domain, n_forgotten, &error_local))
		return TRUE;
	if (rg_store_rebuild_if_damaged(self, &error_local))
		return rg_store_forget_once(self, address_or_domain, n_forgotten, error);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
rg_store_forget_once(RgStore *self,
                     const char *address_or_domain,
                     guint *n_forgotten,
                     GError **error)
{
	g_autofree char *entry = NULL;
	gboolean is_domain = FALSE;
	guint n = 0;
	const char *sql_domain[] = {
	    "DELETE FROM source_addresses WHERE address IN (SELECT address FROM addresses WHERE "
	    "domain = ?1 OR substr(domain, -length(?1) - 1) = '.' || ?1)",
	    "DELETE FROM addresses WHERE domain = ?1 OR substr(domain, -length(?1) - 1) = '.' || "
	    "?1",
	    "DELETE FROM trusted WHERE entry = ?1 OR substr(entry, -length(?1) - 1) IN ('.' || ?1, "
	    "'@' || ?1)",
	    NULL,
	};
	const char *sql_address[] = {
	    "DELETE FROM source_addresses WHERE address = ?1",
	    "DELETE FROM addresses WHERE address = ?1",
	    "DELETE FROM trusted WHERE entry = ?1",
	    NULL,
	};
	const char **sql;

	entry = rg_store_normalize_entry(address_or_domain, &is_domain, error);
	if (entry == NULL)
		return FALSE;
	sql = is_domain ? sql_domain : sql_address;
	if (!rg_store_exec_wait(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	for (guint i = 0; sql[i] != NULL; i++) {
		g_autoptr(RgStmt) stmt = rg_store_prepare(self, sql[i], error);
		if (stmt == NULL) {
			rg_store_rollback(self);
			return FALSE;
		}
		sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rg_store_fail(self, error, "forget");
			rg_store_rollback(self);
			return FALSE;
		}
		/* the entries, not the per-source rows behind them */
		if (i > 0)
			n += sqlite3_changes(self->db);
	}
	if (!rg_store_exec(self, "COMMIT", error)) {
		rg_store_rollback(self);
		return FALSE;
	}
	/* the old pages still sit in the write-ahead log, also while another process has the
	 * store open: copy it back and empty it */
	if (self->path != NULL &&
	    !rg_store_exec_wait(self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
		return FALSE;
	if (n_forgotten != NULL)
		*n_forgotten = n;
	return TRUE;
}

static void
rg_store_json_time(JsonBuilder *b, const char *member, sqlite3_stmt *stmt, int col)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autofree char *text = NULL;

	json_builder_set_member_name(b, member);
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
		json_builder_add_null_value(b);
		return;
	}
	dt = g_date_time_new_from_unix_utc(sqlite3_column_int64(stmt, col));
	text = dt != NULL ? g_date_time_format_iso8601(dt) : NULL;
	if (text != NULL)
		json_builder_add_string_value(b, text);
	else
		json_builder_add_null_value(b);
}

static gboolean
rg_store_json_line(JsonBuilder *b, GOutputStream *out, GError **error)
{
	g_autoptr(JsonNode) node = json_builder_get_root(b);
	g_autofree char *line = json_to_string(node, FALSE);
	g_autofree char *with_nl = g_strconcat(line, "\n", NULL);

	json_builder_reset(b);
	return g_output_stream_write_all(out, with_nl, strlen(with_nl), NULL, NULL, error);
}

static void
rg_store_json_str(JsonBuilder *b, const char *member, sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	json_builder_set_member_name(b, member);
	if (text != NULL)
		json_builder_add_string_value(b, text);
	else
		json_builder_add_null_value(b);
}

/**
 * rg_store_export:
 * @self: an #RgStore
 * @out: where to write
 * @error: return location for a #GError
 *
 * Writes everything the store holds about people as JSON Lines, one object per line with a
 * `"type"` member: `"address"` (address, domain, sent, received, junk, address_books,
 * first_seen, last_seen, sources), `"trusted"` (entry, kind, by, at), `"identity"`
 * (address, source), `"import"` (notmuch: source, path, uuid, revision, imported_at),
 * `"source"` (every other source: kind, name, label, state, messages, sent, received, junk,
 * contacts, read_at) and `"source-address"` (what one source holds about one address: kind,
 * name, address, sent, received, junk, in_address_book). Hashes of message ids and of file
 * names already read are bookkeeping and not exported.
 *
 * Returns: %FALSE with an #RG_ERROR or #G_IO_ERROR set
 */
/* how one column of an exported row is written */
typedef enum {
	RG_EXPORT_STRING,
	RG_EXPORT_INT,
	RG_EXPORT_TIME,
	RG_EXPORT_BOOL,
	RG_EXPORT_SOURCES, /* the RgStoreSource bits, as an array of names */
} RgExportKind;

typedef struct {
	const char *member;
	RgExportKind kind;
} RgExportColumn;

/* one table of the export: @sql selects the columns in the order of @columns */
typedef struct {
	const char *type;
	const char *sql;
	RgExportColumn columns[12];
} RgExportTable;

static const RgExportTable rg_store_export_tables[] = {
    {"address",
     "SELECT address, domain, nm_sent + rec_sent + ext_sent, nm_received + ext_received, "
     "nm_junk + ext_junk, contacts, first_seen, last_seen, sources FROM addresses "
     "ORDER BY domain, address",
     {{"address", RG_EXPORT_STRING},
      {"domain", RG_EXPORT_STRING},
      {"sent", RG_EXPORT_INT},
      {"received", RG_EXPORT_INT},
      {"junk", RG_EXPORT_INT},
      {"address_books", RG_EXPORT_INT},
      {"first_seen", RG_EXPORT_TIME},
      {"last_seen", RG_EXPORT_TIME},
      {"sources", RG_EXPORT_SOURCES}}},
    {"trusted",
     "SELECT entry, kind, trusted_by, trusted_at FROM trusted ORDER BY entry",
     {{"entry", RG_EXPORT_STRING},
      {"kind", RG_EXPORT_STRING},
      {"by", RG_EXPORT_STRING},
      {"at", RG_EXPORT_TIME}}},
    {"identity",
     "SELECT address, source FROM identities ORDER BY address",
     {{"address", RG_EXPORT_STRING}, {"source", RG_EXPORT_STRING}}},
    {"import",
     "SELECT source, path, uuid, revision, imported_at FROM import_state",
     {{"source", RG_EXPORT_STRING},
      {"path", RG_EXPORT_STRING},
      {"uuid", RG_EXPORT_STRING},
      {"revision", RG_EXPORT_INT},
      {"imported_at", RG_EXPORT_TIME}}},
    {"source",
     "SELECT kind, name, label, state, messages, sent, received, junk, contacts, read_at "
     "FROM sources ORDER BY id",
     {{"kind", RG_EXPORT_STRING},
      {"name", RG_EXPORT_STRING},
      {"label", RG_EXPORT_STRING},
      {"state", RG_EXPORT_STRING},
      {"messages", RG_EXPORT_INT},
      {"sent", RG_EXPORT_INT},
      {"received", RG_EXPORT_INT},
      {"junk", RG_EXPORT_INT},
      {"contacts", RG_EXPORT_INT},
      {"read_at", RG_EXPORT_TIME}}},
    {"source-address",
     "SELECT s.kind, s.name, a.address, a.sent, a.received, a.junk, a.contact "
     "FROM source_addresses AS a JOIN sources AS s ON s.id = a.source ORDER BY s.id, a.address",
     {{"kind", RG_EXPORT_STRING},
      {"name", RG_EXPORT_STRING},
      {"address", RG_EXPORT_STRING},
      {"sent", RG_EXPORT_INT},
      {"received", RG_EXPORT_INT},
      {"junk", RG_EXPORT_INT},
      {"in_address_book", RG_EXPORT_BOOL}}},
};

static void
rg_store_json_sources(JsonBuilder *b, int sources)
{
	static const struct {
		RgStoreSource bit;
		const char *name;
	} names[] = {{RG_STORE_SOURCE_NOTMUCH, "notmuch"},
	             {RG_STORE_SOURCE_SENT, "sent"},
	             {RG_STORE_SOURCE_TRUST, "trust"},
	             {RG_STORE_SOURCE_KNOWN, "known"},
	             {RG_STORE_SOURCE_SENT_ANYWAY, "sent-anyway"},
	             {RG_STORE_SOURCE_MAILBOX, "mailbox"},
	             {RG_STORE_SOURCE_ADDRESS_BOOK, "address-book"}};

	json_builder_begin_array(b);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (sources & names[i].bit)
			json_builder_add_string_value(b, names[i].name);
	}
	json_builder_end_array(b);
}

static gboolean
rg_store_export_table(
    RgStore *self, const RgExportTable *t, JsonBuilder *b, GOutputStream *out, GError **error)
{
	g_autoptr(RgStmt) stmt = rg_store_prepare(self, t->sql, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, t->type);
		for (int i = 0; i < (int)G_N_ELEMENTS(t->columns) && t->columns[i].member != NULL;
		     i++) {
			const RgExportColumn *col = &t->columns[i];
			switch (col->kind) {
			case RG_EXPORT_STRING:
				rg_store_json_str(b, col->member, stmt, i);
				break;
			case RG_EXPORT_TIME:
				rg_store_json_time(b, col->member, stmt, i);
				break;
			case RG_EXPORT_INT:
				json_builder_set_member_name(b, col->member);
				json_builder_add_int_value(b, sqlite3_column_int64(stmt, i));
				break;
			case RG_EXPORT_BOOL:
				json_builder_set_member_name(b, col->member);
				json_builder_add_boolean_value(b, sqlite3_column_int(stmt, i) != 0);
				break;
			case RG_EXPORT_SOURCES:
			default:
				json_builder_set_member_name(b, col->member);
				rg_store_json_sources(b, sqlite3_column_int(stmt, i));
				break;
			}
		}
		json_builder_end_object(b);
		if (!rg_store_json_line(b, out, error))
			return FALSE;
	}
	if (rc != SQLITE_DONE) {
		g_autofree char *what = g_strdup_printf("export %s", t->type);
		return rg_store_fail(self, error, what);
	}
	return TRUE;
}

gboolean
rg_store_export(RgStore *self, GOutputStream *out, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(G_IS_OUTPUT_STREAM(out), FALSE);

	for (guint i = 0; i < G_N_ELEMENTS(rg_store_export_tables); i++) {
		if (!rg_store_export_table(self, &rg_store_export_tables[i], b, out, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rg_store_query_int(RgStore *self, const char *sql, gint64 *out, GError **error)
{
	g_autoptr(RgStmt) stmt = rg_store_prepare(self, sql, error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return rg_store_fail(self, error, sql);
	*out = sqlite3_column_int64(stmt, 0);
	return TRUE;
}

/**
 * rg_store_get_stats:
 * @self: an #RgStore
 * @stats: (out caller-allocates): filled in; clear with rg_store_stats_clear()
 * @error: return location for a #GError
 *
 * Returns: %FALSE with an #RG_ERROR set when the store cannot be read
 */
gboolean
rg_store_get_stats(RgStore *self, RgStoreStats *stats, GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	gint64 v[8] = {0};
	const char *sql[] = {
	    "SELECT count(*) FROM addresses",
	    "SELECT count(DISTINCT domain) FROM addresses",
	    "SELECT count(*) FROM trusted",
	    "SELECT count(*) FROM identities",
	    "SELECT count(*) FROM imported_messages WHERE source IS NULL",
	    "SELECT coalesce(sum(nm_sent + rec_sent + ext_sent), 0) FROM addresses",
	    "SELECT coalesce(sum(nm_received + ext_received), 0) FROM addresses",
	    "SELECT coalesce(sum(nm_junk + ext_junk), 0) FROM addresses",
	};

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(stats != NULL, FALSE);

	memset(stats, 0, sizeof *stats);
	for (guint i = 0; i < G_N_ELEMENTS(sql); i++) {
		if (!rg_store_query_int(self, sql[i], &v[i], error))
			return FALSE;
	}
	stats->n_addresses = rg_store_clamp(v[0]);
	stats->n_domains = rg_store_clamp(v[1]);
	stats->n_trusted = rg_store_clamp(v[2]);
	stats->n_identities = rg_store_clamp(v[3]);
	stats->n_messages = rg_store_clamp(v[4]);
	stats->sent = (guint64)v[5];
	stats->received = (guint64)v[6];
	stats->junk = (guint64)v[7];
	stmt = rg_store_prepare(
	    self,
	    "SELECT path, uuid, revision, imported_at FROM import_state WHERE source = 'notmuch'",
	    error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		stats->notmuch_path = g_strdup((const char *)sqlite3_column_text(stmt, 0));
		stats->notmuch_uuid = g_strdup((const char *)sqlite3_column_text(stmt, 1));
		stats->notmuch_revision = (guint64)sqlite3_column_int64(stmt, 2);
		stats->imported_at = sqlite3_column_int64(stmt, 3);
	}
	return TRUE;
}

/**
 * rg_store_stats_clear:
 * @stats: filled in by rg_store_get_stats()
 *
 * Frees the strings in @stats.
 */
void
rg_store_stats_clear(RgStoreStats *stats)
{
	g_clear_pointer(&stats->notmuch_path, g_free);
	g_clear_pointer(&stats->notmuch_uuid, g_free);
}

/* ---- import batches (for rg-history-notmuch.c) ---- */

static gboolean
rg_store_read_state(RgStore *self, char **uuid, guint64 *revision, gboolean *found, GError **error)
{
	g_autoptr(RgStmt) stmt = rg_store_prepare(
	    self, "SELECT uuid, revision FROM import_state WHERE source = 'notmuch'", error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*uuid = g_strdup((const char *)sqlite3_column_text(stmt, 0));
		*revision = (guint64)sqlite3_column_int64(stmt, 1);
		*found = TRUE;
		return TRUE;
	}
	if (rc != SQLITE_DONE)
		return rg_store_fail(self, error, "read import state");
	*uuid = NULL;
	*revision = 0;
	*found = FALSE;
	return TRUE;
}

static gboolean
rg_store_import_begin_once(
    RgStore *self, const char *uuid, gboolean *out_full, guint64 *out_since, GError **error)
{
	g_autofree char *stored_uuid = NULL;
	guint64 revision = 0;
	gboolean found = FALSE;

	if (!rg_store_read_state(self, &stored_uuid, &revision, &found, error))
		return FALSE;
	rg_store_batch_free(self->batch);
	self->batch = rg_store_batch_new();
	self->batch->has_base = found;
	self->batch->base_uuid = g_strdup(stored_uuid);
	self->batch->base_revision = revision;
	/* another database, or the same one rebuilt: revisions are not comparable */
	self->batch->full = !found || g_strcmp0(stored_uuid, uuid) != 0;
	*out_full = self->batch->full;
	*out_since = self->batch->full ? 0 : revision;
	return TRUE;
}

/* a store damaged in the middle is moved aside here too (rg_store_rebuild_if_damaged()): the
 * import then reads everything into the new one */
gboolean
rg_store_import_begin(
    RgStore *self, const char *uuid, gboolean *out_full, guint64 *out_since, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);

	if (rg_store_import_begin_once(self, uuid, out_full, out_since, &error_local))
		return TRUE;
	if (rg_store_rebuild_if_damaged(self, &error_local))
		return rg_store_import_begin_once(self, uuid, out_full, out_since, error);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/* FNV-1a, 64 bits: stable across versions and machines, which the stored keys need */
gint64
rg_store_message_key(const char *message_id)
{
	guint64 h = G_GUINT64_CONSTANT(14695981039346656037);

	for (const guchar *p = (const guchar *)message_id; *p != '\0'; p++) {
		h ^= *p;
		h *= G_GUINT64_CONSTANT(1099511628211);
	}
	return (gint64)h;
}

/* 0 when the store holds no imported message; 1 when it does, or cannot say (then every
 * message is looked up) */
static gint
rg_store_has_imported_messages(RgStore *self)
{
	g_autoptr(RgStmt) stmt =
	    rg_store_prepare(self, "SELECT EXISTS (SELECT 1 FROM imported_messages)", NULL);

	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
		return 1;
	return sqlite3_column_int(stmt, 0) != 0;
}

/* How the message @key counts already: as counted by this batch's source (notmuch, or the
 * source of rg_store_source_begin()) before, or %RG_STORE_MESSAGE_OTHER when another source
 * counted it (the same message in notmuch and in an imported Sent mbox counts once). What
 * the batch's own source counted is not there for a batch that reads everything again. */
RgStoreMessageKind
rg_store_import_lookup(RgStore *self, gint64 key)
{
	RgStoreBatch *b = self->batch;
	RgStoreMessageKind kind = RG_STORE_MESSAGE_NONE;
	gboolean own;

	if (b == NULL)
		return RG_STORE_MESSAGE_NONE;
	/* a new store (a first import) has no message to find: asked once, not per message */
	if (b->messages_stored < 0)
		b->messages_stored = rg_store_has_imported_messages(self);
	if (b->messages_stored == 0)
		return RG_STORE_MESSAGE_NONE;
	/* no statement stays open between calls: it would hold a read transaction */
	if (self->lookup == NULL &&
	    sqlite3_prepare_v2(self->db,
	                       "SELECT kind, source FROM imported_messages WHERE message_key = ?",
	                       -1,
	                       &self->lookup,
	                       NULL) != SQLITE_OK)
		return RG_STORE_MESSAGE_NONE;
	sqlite3_bind_int64(self->lookup, 1, key);
	if (sqlite3_step(self->lookup) == SQLITE_ROW) {
		if (b->is_source)
			own = sqlite3_column_type(self->lookup, 1) != SQLITE_NULL &&
			      sqlite3_column_int64(self->lookup, 1) == b->source_id;
		else
			own = sqlite3_column_type(self->lookup, 1) == SQLITE_NULL;
		if (!own)
			kind = RG_STORE_MESSAGE_OTHER;
		else if (!b->full)
			kind = (RgStoreMessageKind)sqlite3_column_int(self->lookup, 0);
	}
	sqlite3_reset(self->lookup);
	return kind;
}

static RgStoreDelta *
rg_store_batch_delta(RgStoreBatch *b, const char *address)
{
	RgStoreDelta *d = g_hash_table_lookup(b->deltas, address);
	if (d == NULL) {
		d = g_new0(RgStoreDelta, 1);
		g_hash_table_insert(b->deltas, g_strdup(address), d);
	}
	return d;
}

static void
rg_store_delta_apply(RgStoreDelta *d, RgStoreMessageKind kind, int sign)
{
	switch (kind) {
	case RG_STORE_MESSAGE_SENT:
		d->sent += sign;
		break;
	case RG_STORE_MESSAGE_RECEIVED:
		d->received += sign;
		break;
	case RG_STORE_MESSAGE_JUNK:
		d->junk += sign;
		break;
	case RG_STORE_MESSAGE_NONE:
	default:
		break;
	}
}

void
rg_store_import_message(RgStore *self,
                        gint64 key,
                        RgStoreMessageKind previous,
                        RgStoreMessageKind kind,
                        gint64 date,
                        const char *const *addresses,
                        guint n_addresses)
{
	RgStoreBatch *b = self->batch;

	g_return_if_fail(b != NULL);
	/* another source counted it: it counts once */
	if (previous == kind || previous == RG_STORE_MESSAGE_OTHER)
		return;
	/* a mailbox may hold the same message twice */
	if (b->is_source) {
		if (b->seen_keys == NULL)
			b->seen_keys =
			    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		if (!g_hash_table_add(b->seen_keys, g_memdup2(&key, sizeof key)))
			return;
	}
	for (guint i = 0; i < n_addresses; i++) {
		RgStoreDelta *d = rg_store_batch_delta(b, addresses[i]);
		/* a message that became junk (or stopped being junk) moves its count */
		rg_store_delta_apply(d, previous, -1);
		rg_store_delta_apply(d, kind, +1);
		if (date > 0 && (d->first_seen == 0 || date < d->first_seen))
			d->first_seen = date;
		if (date > d->last_seen)
			d->last_seen = date;
	}
	{
		RgStoreMessage msg = {key, kind};
		g_array_append_val(b->messages, msg);
	}
}

static int
rg_store_compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns: TRUE when @identities differ from the ones of the last import; the import is
 * then a full one, since which mail counts as sent depends on them */
gboolean
rg_store_import_set_identities(RgStore *self, const char *const *identities)
{
	g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) given = g_ptr_array_new();
	g_autoptr(RgStmt) stmt = NULL;
	gboolean same;

	g_return_val_if_fail(self->batch != NULL, FALSE);
	g_strfreev(self->batch->identities);
	self->batch->identities = g_strdupv((char **)identities);
	if (self->batch->full)
		return FALSE;
	stmt =
	    rg_store_prepare(self, "SELECT address FROM identities WHERE source = 'notmuch'", NULL);
	while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(stored, g_strdup((const char *)sqlite3_column_text(stmt, 0)));
	for (guint i = 0; identities[i] != NULL; i++) {
		if (!g_ptr_array_find_with_equal_func(given, identities[i], g_str_equal, NULL))
			g_ptr_array_add(given, (gpointer)identities[i]);
	}
	g_ptr_array_sort(stored, rg_store_compare_strings);
	g_ptr_array_sort(given, rg_store_compare_strings);
	same = stored->len == given->len;
	for (guint i = 0; same && i < given->len; i++)
		same = strcmp(g_ptr_array_index(stored, i), g_ptr_array_index(given, i)) == 0;
	if (same)
		return FALSE;
	self->batch->full = TRUE;
	return TRUE;
}

static int
rg_store_compare_messages(gconstpointer a, gconstpointer b)
{
	gint64 x = ((const RgStoreMessage *)a)->key, y = ((const RgStoreMessage *)b)->key;
	return x < y ? -1 : x > y;
}

/* the batch's messages, counted by source @source (0: notmuch) */
static gboolean
rg_store_write_messages(RgStore *self, RgStoreBatch *b, gint64 source, GError **error)
{
	g_autoptr(RgStmt) stmt = rg_store_prepare(
	    self,
	    "INSERT OR REPLACE INTO imported_messages (message_key, kind, source) VALUES (?, ?, ?)",
	    error);

	if (stmt == NULL)
		return FALSE;
	/* in key order, so the B-tree grows at its end instead of splitting all over */
	g_array_sort(b->messages, rg_store_compare_messages);
	for (guint i = 0; i < b->messages->len; i++) {
		const RgStoreMessage *msg = &g_array_index(b->messages, RgStoreMessage, i);
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, msg->key);
		sqlite3_bind_int(stmt, 2, msg->kind);
		if (source != 0)
			sqlite3_bind_int64(stmt, 3, source);
		else
			sqlite3_bind_null(stmt, 3);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			return rg_store_fail(self, error, "record imported message");
	}
	return TRUE;
}

static gboolean
rg_store_import_write(RgStore *self,
                      RgStoreBatch *b,
                      const char *path,
                      const char *uuid,
                      guint64 revision,
                      GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	GHashTableIter iter;
	gpointer key, value;

	if (b->full) {
		if (!rg_store_exec(
		        self,
		        "DELETE FROM imported_messages WHERE source IS NULL;"
		        "UPDATE addresses SET nm_sent = 0, nm_received = 0, nm_junk = 0, "
		        "sources = sources & ~1 WHERE sources & 1;"
		        "DELETE FROM addresses WHERE sources = 0;",
		        error))
			return FALSE;
	}
	stmt = rg_store_prepare(self, rg_store_upsert_sql, error);
	if (stmt == NULL)
		return FALSE;
	g_hash_table_iter_init(&iter, b->deltas);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!rg_store_bump(self, stmt, key, value, RG_STORE_SOURCE_NOTMUCH, error))
			return FALSE;
	}
	g_clear_pointer(&stmt, rg_stmt_free);

	if (!rg_store_write_messages(self, b, 0, error))
		return FALSE;

	if (b->identities != NULL) {
		if (!rg_store_exec(self, "DELETE FROM identities WHERE source = 'notmuch'", error))
			return FALSE;
		stmt = rg_store_prepare(
		    self,
		    "INSERT OR IGNORE INTO identities (address, source) VALUES (?, 'notmuch')",
		    error);
		if (stmt == NULL)
			return FALSE;
		for (guint i = 0; b->identities[i] != NULL; i++) {
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, b->identities[i], -1, SQLITE_STATIC);
			if (sqlite3_step(stmt) != SQLITE_DONE)
				return rg_store_fail(self, error, "record identity");
		}
		g_clear_pointer(&stmt, rg_stmt_free);
	}

	stmt =
	    rg_store_prepare(self,
	                     "INSERT OR REPLACE INTO import_state (source, path, uuid, revision, "
	                     "imported_at) VALUES ('notmuch', ?, ?, ?, ?)",
	                     error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)revision);
	sqlite3_bind_int64(stmt, 4, rg_store_now(self));
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return rg_store_fail(self, error, "record import state");
	return TRUE;
}

/* writes @b unless another process imported meanwhile (then its result stands, and what it
 * did not cover is read on the next refresh); @b stays the caller's */
static gboolean
rg_store_import_commit_batch(RgStore *self,
                             RgStoreBatch *b,
                             const char *path,
                             const char *uuid,
                             guint64 revision,
                             GError **error)
{
	g_autofree char *stored_uuid = NULL;
	guint64 stored_revision = 0;
	gboolean found = FALSE;

	if (!rg_store_exec_wait(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (!rg_store_read_state(self, &stored_uuid, &stored_revision, &found, error)) {
		rg_store_rollback(self);
		return FALSE;
	}
	if (found != b->has_base || g_strcmp0(stored_uuid, b->base_uuid) != 0 ||
	    stored_revision != b->base_revision) {
		rg_store_rollback(self);
		return TRUE;
	}
	if (!rg_store_import_write(self, b, path, uuid, revision, error) ||
	    !rg_store_exec(self, "COMMIT", error)) {
		rg_store_rollback(self);
		return FALSE;
	}
	return TRUE;
}

gboolean
rg_store_import_commit(
    RgStore *self, const char *path, const char *uuid, guint64 revision, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RgStoreBatch *b;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(self->batch != NULL, FALSE);

	b = g_steal_pointer(&self->batch);
	rg_store_batch_free(self->pending);
	self->pending = NULL;
	if (rg_store_import_commit_batch(self, b, path, uuid, revision, &error_local)) {
		rg_store_batch_free(b);
		return TRUE;
	}
	/* damaged in the middle: moved aside, and a new store started. A batch that holds the
	 * whole database goes into it; one that holds only what is new stays pending, and the
	 * next refresh reads everything, as for any new store. */
	if (rg_store_rebuild_if_damaged(self, &error_local)) {
		if (!b->full) {
			self->pending = b;
			return TRUE;
		}
		b->has_base = FALSE;
		g_clear_pointer(&b->base_uuid, g_free);
		b->base_revision = 0;
		if (rg_store_import_commit_batch(self, b, path, uuid, revision, &error_local)) {
			rg_store_batch_free(b);
			return TRUE;
		}
	}
	/* what was read still counts for this process (rg_store_load() adds it) */
	self->pending = b;
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/* ---- sources other than notmuch (for rg-import.c) ---- */

/* runs every statement of @sql, binding @id to each ?1 */
static gboolean
rg_store_exec_with_id(RgStore *self, const char *sql, gint64 id, GError **error)
{
	const char *tail = sql;

	while (tail != NULL && *tail != '\0') {
		sqlite3_stmt *stmt = NULL;
		const char *next = NULL;
		int rc;

		if (sqlite3_prepare_v2(self->db, tail, -1, &stmt, &next) != SQLITE_OK)
			return rg_store_fail(self, error, "prepare");
		if (stmt == NULL)
			break;
		if (sqlite3_bind_parameter_count(stmt) > 0)
			sqlite3_bind_int64(stmt, 1, id);
		rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return rg_store_fail(self, error, "update source");
		tail = next;
	}
	return TRUE;
}

static RgImportRecord *
rg_store_record_from_row(sqlite3_stmt *stmt)
{
	RgImportRecord *r = g_new0(RgImportRecord, 1);

	r->kind = g_strdup((const char *)sqlite3_column_text(stmt, 0));
	r->name = g_strdup((const char *)sqlite3_column_text(stmt, 1));
	r->label = g_strdup((const char *)sqlite3_column_text(stmt, 2));
	r->state = g_strdup((const char *)sqlite3_column_text(stmt, 3));
	r->n_messages = (guint64)sqlite3_column_int64(stmt, 4);
	r->n_sent = (guint64)sqlite3_column_int64(stmt, 5);
	r->n_received = (guint64)sqlite3_column_int64(stmt, 6);
	r->n_junk = (guint64)sqlite3_column_int64(stmt, 7);
	r->n_contacts = (guint64)sqlite3_column_int64(stmt, 8);
	r->read_at = sqlite3_column_int64(stmt, 9);
	r->n_addresses = (guint64)sqlite3_column_int64(stmt, 10);
	return r;
}

static const char rg_store_sources_sql[] =
    "SELECT kind, name, label, state, messages, sent, received, junk, contacts, read_at, "
    "(SELECT count(*) FROM source_addresses WHERE source = sources.id), id FROM sources";

static gboolean
rg_store_source_begin_once(RgStore *self,
                           const char *kind,
                           const char *name,
                           gboolean replace,
                           RgImportRecord **out_record,
                           GError **error)
{
	g_autofree char *sql =
	    g_strconcat(rg_store_sources_sql, " WHERE kind = ? AND name = ?", NULL);
	g_autoptr(RgStmt) stmt = NULL;
	RgStoreBatch *b;
	int rc;

	if (out_record != NULL)
		*out_record = NULL;
	stmt = rg_store_prepare(self, sql, error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	rg_store_batch_free(self->batch);
	self->batch = b = rg_store_batch_new();
	b->is_source = TRUE;
	b->kind = g_strdup(kind);
	b->name = g_strdup(name);
	b->full = replace;
	b->items = g_array_new(FALSE, FALSE, sizeof(gint64));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		b->has_base = TRUE;
		b->base_uuid = g_strdup((const char *)sqlite3_column_text(stmt, 3));
		b->source_id = sqlite3_column_int64(stmt, 11);
		if (out_record != NULL)
			*out_record = rg_store_record_from_row(stmt);
	} else if (rc != SQLITE_DONE) {
		g_clear_pointer(&self->batch, rg_store_batch_free);
		return rg_store_fail(self, error, "read source");
	}
	return TRUE;
}

/* a store damaged in the middle is moved aside, and the source read into a new one */
gboolean
rg_store_source_begin(RgStore *self,
                      const char *kind,
                      const char *name,
                      gboolean replace,
                      RgImportRecord **out_record,
                      GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(kind != NULL && name != NULL, FALSE);

	if (rg_store_source_begin_once(self, kind, name, replace, out_record, &error_local))
		return TRUE;
	if (rg_store_rebuild_if_damaged(self, &error_local))
		return rg_store_source_begin_once(self, kind, name, replace, out_record, error);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

gboolean
rg_store_source_seen(RgStore *self, gint64 item)
{
	RgStoreBatch *b = self->batch;

	g_return_val_if_fail(b != NULL && b->is_source, FALSE);
	if (b->full || b->source_id == 0)
		return FALSE;
	if (b->seen == NULL) {
		g_autoptr(RgStmt) stmt =
		    rg_store_prepare(self, "SELECT item FROM source_items WHERE source = ?", NULL);
		b->seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, b->source_id);
		while (sqlite3_step(stmt) == SQLITE_ROW)
			g_hash_table_add(
			    b->seen,
			    g_memdup2(&(gint64){sqlite3_column_int64(stmt, 0)}, sizeof(gint64)));
	}
	return g_hash_table_contains(b->seen, &item);
}

void
rg_store_source_add_item(RgStore *self, gint64 item)
{
	g_return_if_fail(self->batch != NULL && self->batch->is_source);
	g_array_append_val(self->batch->items, item);
}

void
rg_store_source_add_contact(RgStore *self, const char *address)
{
	RgStoreBatch *b = self->batch;

	g_return_if_fail(b != NULL && b->is_source);
	if (b->contacts == NULL)
		b->contacts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(b->contacts, g_strdup(address));
}

/* takes back what source @id gave: its counts leave the sums, its rows go */
static gboolean
rg_store_source_clear(RgStore *self, gint64 id, GError **error)
{
	return rg_store_exec_with_id(
	    self,
	    "UPDATE addresses SET ext_sent = max(0, addresses.ext_sent - s.sent), "
	    "ext_received = max(0, addresses.ext_received - s.received), "
	    "ext_junk = max(0, addresses.ext_junk - s.junk), "
	    "contacts = max(0, addresses.contacts - s.contact) "
	    "FROM source_addresses AS s WHERE s.source = ?1 AND s.address = addresses.address;"
	    "DELETE FROM source_addresses WHERE source = ?1;"
	    "DELETE FROM imported_messages WHERE source = ?1;"
	    "DELETE FROM source_items WHERE source = ?1;"
	    "UPDATE sources SET messages = 0, sent = 0, received = 0, junk = 0, contacts = 0 "
	    "WHERE id = ?1;",
	    id,
	    error);
}

/* takes back the address book entries of source @id, keeping its mail */
static gboolean
rg_store_source_clear_contacts(RgStore *self, gint64 id, GError **error)
{
	return rg_store_exec_with_id(
	    self,
	    "UPDATE addresses SET contacts = max(0, addresses.contacts - s.contact) "
	    "FROM source_addresses AS s WHERE s.source = ?1 AND s.address = addresses.address;"
	    "UPDATE source_addresses SET contact = 0 WHERE source = ?1;"
	    "DELETE FROM source_addresses WHERE source = ?1 AND sent = 0 AND received = 0 AND "
	    "junk = 0 AND contact = 0;",
	    id,
	    error);
}

/* an address no source vouches for any more loses the source's bit, and goes with the last */
static gboolean
rg_store_source_tidy(RgStore *self, GError **error)
{
	g_autofree char *sql = g_strdup_printf(
	    "UPDATE addresses SET sources = sources & ~%d WHERE sources & %d AND ext_sent = 0 "
	    "AND ext_received = 0 AND ext_junk = 0;"
	    "UPDATE addresses SET sources = sources & ~%d WHERE sources & %d AND contacts = 0;"
	    "DELETE FROM addresses WHERE sources = 0;",
	    RG_STORE_SOURCE_MAILBOX,
	    RG_STORE_SOURCE_MAILBOX,
	    RG_STORE_SOURCE_ADDRESS_BOOK,
	    RG_STORE_SOURCE_ADDRESS_BOOK);
	return rg_store_exec(self, sql, error);
}

static const char rg_store_source_upsert_sql[] =
    "INSERT INTO addresses (address, domain, ext_sent, ext_received, ext_junk, contacts, "
    "first_seen, last_seen, sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (domain, address) DO UPDATE SET "
    "ext_sent = max(0, ext_sent + excluded.ext_sent), "
    "ext_received = max(0, ext_received + excluded.ext_received), "
    "ext_junk = max(0, ext_junk + excluded.ext_junk), "
    "contacts = contacts + excluded.contacts, "
    "first_seen = CASE WHEN first_seen IS NULL OR excluded.first_seen < first_seen "
    "  THEN coalesce(excluded.first_seen, first_seen) ELSE first_seen END, "
    "last_seen = CASE WHEN last_seen IS NULL OR excluded.last_seen > last_seen "
    "  THEN coalesce(excluded.last_seen, last_seen) ELSE last_seen END, "
    "sources = sources | excluded.sources";

static const char rg_store_source_row_sql[] =
    "INSERT INTO source_addresses (source, address, sent, received, junk, contact) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (source, address) DO UPDATE SET "
    "sent = max(0, sent + excluded.sent), received = max(0, received + excluded.received), "
    "junk = max(0, junk + excluded.junk), contact = max(contact, excluded.contact)";

/* one address's share of the batch, in both tables */
static gboolean
rg_store_source_bump(RgStore *self,
                     RgStmt *upsert,
                     RgStmt *row,
                     gint64 id,
                     const char *address,
                     const RgStoreDelta *d,
                     gboolean contact,
                     GError **error)
{
	const char *at = strrchr(address, '@');

	sqlite3_reset(upsert);
	sqlite3_bind_text(upsert, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(upsert, 2, at != NULL ? at + 1 : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(upsert, 3, d->sent);
	sqlite3_bind_int64(upsert, 4, d->received);
	sqlite3_bind_int64(upsert, 5, d->junk);
	sqlite3_bind_int(upsert, 6, contact ? 1 : 0);
	if (d->first_seen > 0)
		sqlite3_bind_int64(upsert, 7, d->first_seen);
	else
		sqlite3_bind_null(upsert, 7);
	if (d->last_seen > 0)
		sqlite3_bind_int64(upsert, 8, d->last_seen);
	else
		sqlite3_bind_null(upsert, 8);
	sqlite3_bind_int(
	    upsert, 9, contact ? RG_STORE_SOURCE_ADDRESS_BOOK : RG_STORE_SOURCE_MAILBOX);
	if (sqlite3_step(upsert) != SQLITE_DONE)
		return rg_store_fail(self, error, "update address");
	sqlite3_reset(row);
	sqlite3_bind_int64(row, 1, id);
	sqlite3_bind_text(row, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(row, 3, d->sent);
	sqlite3_bind_int64(row, 4, d->received);
	sqlite3_bind_int64(row, 5, d->junk);
	sqlite3_bind_int(row, 6, contact ? 1 : 0);
	if (sqlite3_step(row) != SQLITE_DONE)
		return rg_store_fail(self, error, "update source address");
	return TRUE;
}

static gboolean
rg_store_source_write(RgStore *self,
                      RgStoreBatch *b,
                      gint64 id,
                      const char *label,
                      const char *state,
                      const RgImportResult *counts,
                      GError **error)
{
	g_autoptr(RgStmt) upsert = NULL;
	g_autoptr(RgStmt) row = NULL;
	g_autoptr(RgStmt) stmt = NULL;
	GHashTableIter iter;
	gpointer key, value;

	if (b->full && !rg_store_source_clear(self, id, error))
		return FALSE;
	if (!b->full && b->contacts != NULL && !rg_store_source_clear_contacts(self, id, error))
		return FALSE;
	upsert = rg_store_prepare(self, rg_store_source_upsert_sql, error);
	row = upsert != NULL ? rg_store_prepare(self, rg_store_source_row_sql, error) : NULL;
	if (row == NULL)
		return FALSE;
	g_hash_table_iter_init(&iter, b->deltas);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!rg_store_source_bump(self, upsert, row, id, key, value, FALSE, error))
			return FALSE;
	}
	if (b->contacts != NULL) {
		const RgStoreDelta none = {0};
		g_hash_table_iter_init(&iter, b->contacts);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			if (!rg_store_source_bump(self, upsert, row, id, key, &none, TRUE, error))
				return FALSE;
		}
	}
	g_clear_pointer(&upsert, rg_stmt_free);
	g_clear_pointer(&row, rg_stmt_free);
	if (!rg_store_source_tidy(self, error))
		return FALSE;

	if (!rg_store_write_messages(self, b, id, error))
		return FALSE;

	stmt = rg_store_prepare(
	    self, "INSERT OR IGNORE INTO source_items (source, item) VALUES (?, ?)", error);
	if (stmt == NULL)
		return FALSE;
	for (guint i = 0; i < b->items->len; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, g_array_index(b->items, gint64, i));
		if (sqlite3_step(stmt) != SQLITE_DONE)
			return rg_store_fail(self, error, "record what was read");
	}
	g_clear_pointer(&stmt, rg_stmt_free);

	/* the user's own addresses the import was told about stay known */
	if (b->identities != NULL) {
		stmt = rg_store_prepare(
		    self,
		    "INSERT OR IGNORE INTO identities (address, source) VALUES (?, ?)",
		    error);
		if (stmt == NULL)
			return FALSE;
		for (guint i = 0; b->identities[i] != NULL; i++) {
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, b->identities[i], -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, b->kind, -1, SQLITE_STATIC);
			if (sqlite3_step(stmt) != SQLITE_DONE)
				return rg_store_fail(self, error, "record identity");
		}
		g_clear_pointer(&stmt, rg_stmt_free);
	}

	stmt = rg_store_prepare(
	    self,
	    "UPDATE sources SET label = coalesce(?2, label), state = ?3, messages = messages + ?4, "
	    "sent = sent + ?5, received = received + ?6, junk = junk + ?7, "
	    "contacts = CASE WHEN ?8 THEN ?9 ELSE contacts END, read_at = ?10 WHERE id = ?1",
	    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, label, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, counts->n_sent + counts->n_received + counts->n_junk);
	sqlite3_bind_int64(stmt, 5, counts->n_sent);
	sqlite3_bind_int64(stmt, 6, counts->n_received);
	sqlite3_bind_int64(stmt, 7, counts->n_junk);
	sqlite3_bind_int(stmt, 8, b->contacts != NULL);
	sqlite3_bind_int64(stmt, 9, b->contacts != NULL ? g_hash_table_size(b->contacts) : 0);
	sqlite3_bind_int64(stmt, 10, rg_store_now(self));
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return rg_store_fail(self, error, "record source");
	return TRUE;
}

/* writes @b unless another process read the source meanwhile (then its result stands); @b
 * stays the caller's */
static gboolean
rg_store_source_commit_batch(RgStore *self,
                             RgStoreBatch *b,
                             const char *label,
                             const char *state,
                             const RgImportResult *counts,
                             GError **error)
{
	g_autoptr(RgStmt) stmt = NULL;
	g_autofree char *stored_state = NULL;
	gboolean found = FALSE;
	gint64 id = 0;
	int rc;

	if (!rg_store_exec_wait(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	stmt = rg_store_prepare(
	    self, "SELECT id, state FROM sources WHERE kind = ? AND name = ?", error);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, b->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, b->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		found = TRUE;
		id = sqlite3_column_int64(stmt, 0);
		stored_state = g_strdup((const char *)sqlite3_column_text(stmt, 1));
	} else if (rc != SQLITE_DONE) {
		rg_store_fail(self, error, "read source");
		goto fail;
	}
	g_clear_pointer(&stmt, rg_stmt_free);
	if (found != b->has_base || g_strcmp0(stored_state, b->base_uuid) != 0 ||
	    (found && id != b->source_id)) {
		rg_store_rollback(self);
		return TRUE;
	}
	if (!found) {
		stmt =
		    rg_store_prepare(self, "INSERT INTO sources (kind, name) VALUES (?, ?)", error);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_text(stmt, 1, b->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, b->name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rg_store_fail(self, error, "record source");
			goto fail;
		}
		id = sqlite3_last_insert_rowid(self->db);
		g_clear_pointer(&stmt, rg_stmt_free);
	}
	if (!rg_store_source_write(self, b, id, label, state, counts, error) ||
	    !rg_store_exec(self, "COMMIT", error))
		goto fail;
	return TRUE;
fail:
	g_clear_pointer(&stmt, rg_stmt_free);
	rg_store_rollback(self);
	return FALSE;
}

/* appends an RgImportRecord to @out for each row of @sql; @what names the read in the
 * error */
static gboolean
rg_store_append_records(
    RgStore *self, const char *sql, const char *what, GPtrArray *out, GError **error)
{
	g_autoptr(RgStmt) stmt = rg_store_prepare(self, sql, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(out, rg_store_record_from_row(stmt));
	if (rc != SQLITE_DONE)
		return rg_store_fail(self, error, what);
	return TRUE;
}

gboolean
rg_store_source_commit(RgStore *self,
                       const char *label,
                       const char *state,
                       const RgImportResult *counts,
                       GError **error)
{
	g_autoptr(GError) error_local = NULL;
	RgStoreBatch *b;
	gboolean ok;

	g_return_val_if_fail(RG_IS_STORE(self), FALSE);
	g_return_val_if_fail(self->batch != NULL && self->batch->is_source, FALSE);
	g_return_val_if_fail(counts != NULL, FALSE);

	b = g_steal_pointer(&self->batch);
	g_clear_pointer(&self->lookup, sqlite3_finalize);
	ok = rg_store_source_commit_batch(self, b, label, state, counts, &error_local);
	/* Damaged in the middle: moved aside, and a new store started. A batch that holds the
	 * whole source goes into it; one that holds only what is new cannot (the new store
	 * would take it for all), and the source is read in full at its next import. */
	if (!ok && rg_store_rebuild_if_damaged(self, &error_local)) {
		if (b->full || !b->has_base) {
			b->has_base = FALSE;
			b->source_id = 0;
			g_clear_pointer(&b->base_uuid, g_free);
			ok = rg_store_source_commit_batch(
			    self, b, label, state, counts, &error_local);
		} else {
			g_set_error(
			    &error_local,
			    RG_ERROR,
			    RG_ERROR_CORRUPT,
			    "history store %s was damaged and has been moved to %s; a new one "
			    "was started, and %s is read in full at its next import",
			    self->path,
			    self->moved_aside,
			    b->name);
		}
	}
	/* when nothing was written, nothing is kept: the source is read again next time */
	rg_store_batch_free(b);
	if (!ok)
		g_propagate_error(error, g_steal_pointer(&error_local));
	return ok;
}

/**
 * rg_store_list_sources:
 * @self: an #RgStore
 * @error: return location for a #GError
 *
 * What the store was filled from: the notmuch database, imported mailboxes, the mail
 * clients' folders and address books, each with its own counts.
 *
 * Returns: (transfer container) (element-type RgImportRecord): the sources, notmuch first,
 *   then in the order they were first read; %NULL with an #RG_ERROR set when the store
 *   cannot be read
 */
GPtrArray *
rg_store_list_sources(RgStore *self, GError **error)
{
	g_autoptr(GPtrArray) out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_import_record_free);
	g_autofree char *sql = g_strconcat(rg_store_sources_sql, " ORDER BY id", NULL);

	g_return_val_if_fail(RG_IS_STORE(self), NULL);

	/* one read transaction: the figures belong together */
	if (!rg_store_exec(self, "BEGIN", error))
		return NULL;
	if (!rg_store_append_records(
	        self,
	        "SELECT 'notmuch', path, NULL, CAST(revision AS TEXT), "
	        "(SELECT count(*) FROM imported_messages WHERE source IS NULL), "
	        "(SELECT count(*) FROM imported_messages WHERE source IS NULL AND kind = 2), "
	        "(SELECT count(*) FROM imported_messages WHERE source IS NULL AND kind = 1), "
	        "(SELECT count(*) FROM imported_messages WHERE source IS NULL AND kind = 3), "
	        "0, imported_at, (SELECT count(*) FROM addresses WHERE sources & 1), 0 "
	        "FROM import_state WHERE source = 'notmuch'",
	        "read import state",
	        out,
	        error) ||
	    !rg_store_append_records(self, sql, "read sources", out, error)) {
		rg_store_rollback(self);
		return NULL;
	}
	rg_store_rollback(self);
	return g_steal_pointer(&out);
}

void
rg_store_source_replace(RgStore *self)
{
	g_return_if_fail(self->batch != NULL && self->batch->is_source);
	self->batch->full = TRUE;
}

void
rg_store_source_set_identities(RgStore *self, const char *const *identities, guint n)
{
	RgStoreBatch *b = self->batch;

	g_return_if_fail(b != NULL && b->is_source);
	g_strfreev(b->identities);
	b->identities = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++)
		b->identities[i] = g_strdup(identities[i]);
}

GStrv
rg_store_get_identities(RgStore *self)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	g_autoptr(RgStmt) stmt = rg_store_prepare(self, "SELECT address FROM identities", NULL);

	while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
		const char *address = rg_store_column_key(stmt, 0, FALSE);
		if (address != NULL)
			g_strv_builder_add(builder, address);
	}
	return g_strv_builder_end(builder);
}
