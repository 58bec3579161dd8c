/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The only file that talks to libnotmuch, built as the module rcptguard-notmuch.so that
 * librcptguard loads on the first notmuch import (rg-history-notmuch.c; rg-notmuch-module.h
 * says why). It calls librcptguard only through the RgNotmuchHost it is given. notmuch keeps
 * the sender, date and tags of every message in its index, but recipients only in the files,
 * so only mail sent by the user is opened. Imports are incremental: after the first one only
 * messages whose lastmod revision is newer than the stored one are examined. */
#include "config.h"

#include <errno.h>
#include <notmuch.h>
#include <string.h>

#include <gmodule.h>

#include "rg-error.h"
#include "rg-notmuch-module.h"

#define RG_NOTMUCH_PROGRESS_EVERY 500

typedef notmuch_database_t RgNotmuchDb;
static void
rg_notmuch_db_free(RgNotmuchDb *db)
{
	notmuch_database_destroy(db);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgNotmuchDb, rg_notmuch_db_free)

typedef notmuch_query_t RgNotmuchQuery;
static void
rg_notmuch_query_free(RgNotmuchQuery *q)
{
	notmuch_query_destroy(q);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgNotmuchQuery, rg_notmuch_query_free)

/* The message id from the index's value slot: notmuch_message_get_message_id() would load
 * the message's whole term list, which is most of the cost of a large import. Both
 * callers use this, so the ids always match. */
static const char *
rg_notmuch_message_id(notmuch_message_t *m)
{
	const char *id = notmuch_message_get_header(m, "message-id");
	if (id == NULL || id[0] == '\0')
		id = notmuch_message_get_message_id(m);
	return id;
}

static gboolean
rg_notmuch_fail(const RgNotmuchHost *host, notmuch_status_t st, const char *what, GError **error)
{
	g_set_error(error,
	            host->error_quark(),
	            RG_ERROR_IO,
	            "notmuch: %s: %s",
	            what,
	            notmuch_status_to_string(st));
	return FALSE;
}

/* the normalised key of the first well-formed mailbox in a header value, or NULL; a
 * malformed one before it only costs itself */
static char *
rg_notmuch_key_of(const RgNotmuchHost *host, const char *header, guint *n_skipped)
{
	g_autoptr(GPtrArray) list = NULL;

	if (header == NULL || header[0] == '\0')
		return NULL;
	list = host->address_list_parse_lenient(header, -1, n_skipped);
	if (list->len == 0)
		return NULL;
	return host->history_normalize(g_ptr_array_index(list, 0));
}

static void
rg_notmuch_add_identity(const RgNotmuchHost *host, GPtrArray *identities, const char *text)
{
	g_autoptr(GPtrArray) list = NULL;

	if (text == NULL || text[0] == '\0')
		return;
	list = host->address_list_parse_lenient(text, -1, NULL);
	for (guint i = 0; i < list->len; i++)
		g_ptr_array_add(identities, host->history_normalize(g_ptr_array_index(list, i)));
}

/* user.primary_email and user.other_email */
static GPtrArray *
rg_notmuch_identities(const RgNotmuchHost *host, notmuch_database_t *db)
{
	GPtrArray *identities = g_ptr_array_new_with_free_func(g_free);
	notmuch_config_values_t *values;

	rg_notmuch_add_identity(
	    host, identities, notmuch_config_get(db, NOTMUCH_CONFIG_PRIMARY_EMAIL));
	values = notmuch_config_get_values(db, NOTMUCH_CONFIG_OTHER_EMAIL);
	for (; values != NULL && notmuch_config_values_valid(values);
	     notmuch_config_values_move_to_next(values))
		rg_notmuch_add_identity(host, identities, notmuch_config_values_get(values));
	if (values != NULL)
		notmuch_config_values_destroy(values);
	return identities;
}

static void
rg_notmuch_append_tag(GString *q, const char *tag)
{
	if (q->len > 0)
		g_string_append(q, " or ");
	g_string_append(q, "tag:\"");
	for (const char *p = tag; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(q, '"');
		g_string_append_c(q, *p);
	}
	g_string_append_c(q, '"');
}

/* mail tagged spam or deleted, or with one of search.exclude_tags, is junk evidence */
static char *
rg_notmuch_junk_query(notmuch_database_t *db)
{
	g_autoptr(GString) q = g_string_new(NULL);
	notmuch_config_values_t *values;

	rg_notmuch_append_tag(q, "spam");
	rg_notmuch_append_tag(q, "deleted");
	values = notmuch_config_get_values(db, NOTMUCH_CONFIG_EXCLUDE_TAGS);
	for (; values != NULL && notmuch_config_values_valid(values);
	     notmuch_config_values_move_to_next(values)) {
		const char *tag = notmuch_config_values_get(values);
		if (tag != NULL && tag[0] != '\0')
			rg_notmuch_append_tag(q, tag);
	}
	if (values != NULL)
		notmuch_config_values_destroy(values);
	return g_string_free(g_steal_pointer(&q), FALSE);
}

static notmuch_messages_t *
rg_notmuch_search(const RgNotmuchHost *host,
                  notmuch_database_t *db,
                  const char *query_string,
                  RgNotmuchQuery **out,
                  GError **error)
{
	notmuch_query_t *q = notmuch_query_create(db, query_string);
	notmuch_messages_t *messages = NULL;
	notmuch_status_t st;

	if (q == NULL) {
		rg_notmuch_fail(host, NOTMUCH_STATUS_OUT_OF_MEMORY, "query", error);
		return NULL;
	}
	/* every excluded message matters here: it is junk evidence */
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	st = notmuch_query_search_messages(q, &messages);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		notmuch_query_destroy(q);
		rg_notmuch_fail(host, st, query_string, error);
		return NULL;
	}
	*out = q;
	return messages;
}

static gboolean
rg_notmuch_collect_ids(const RgNotmuchHost *host,
                       notmuch_database_t *db,
                       const char *query_string,
                       GHashTable *ids,
                       GError **error)
{
	g_autoptr(RgNotmuchQuery) q = NULL;
	notmuch_messages_t *messages = rg_notmuch_search(host, db, query_string, &q, error);

	if (messages == NULL)
		return FALSE;
	for (; notmuch_messages_valid(messages); notmuch_messages_move_to_next(messages)) {
		notmuch_message_t *m = notmuch_messages_get(messages);
		g_hash_table_add(
		    ids,
		    g_memdup2(&(gint64){host->store_message_key(rg_notmuch_message_id(m))},
		              sizeof(gint64)));
		notmuch_message_destroy(m);
	}
	return TRUE;
}

typedef enum {
	RG_NOTMUCH_PASS_FROM,
	RG_NOTMUCH_PASS_ID,
	RG_NOTMUCH_PASS_DATE,
} RgNotmuchPass;

/* what the passes learn about one message, in the query's (document id) order */
typedef struct {
	const char *sender; /* normalised; borrowed from the senders cache */
	gboolean from_user;
	char *filename; /* only for mail from the user */
	gint64 key;     /* rg_store_message_key() of the message id */
	gint64 date;
} RgNotmuchRow;

static void
rg_notmuch_row_clear(RgNotmuchRow *row)
{
	g_free(row->filename);
}

static gboolean
rg_notmuch_pass(const RgNotmuchHost *host,
                notmuch_database_t *db,
                const char *range,
                RgNotmuchPass pass,
                GArray *rows,
                GHashTable *senders,
                GHashTable *identity_set,
                guint *n_skipped,
                GError **error)
{
	g_autoptr(RgNotmuchQuery) q = NULL;
	notmuch_messages_t *messages = rg_notmuch_search(host, db, range, &q, error);
	guint i = 0;

	if (messages == NULL)
		return FALSE;
	for (; notmuch_messages_valid(messages); notmuch_messages_move_to_next(messages), i++) {
		notmuch_message_t *m = notmuch_messages_get(messages);
		RgNotmuchRow *row;

		if (pass == RG_NOTMUCH_PASS_FROM) {
			RgNotmuchRow fresh = {0};
			const char *from = notmuch_message_get_header(m, "from");
			char *sender = NULL;

			if (from != NULL && !g_hash_table_lookup_extended(
			                        senders, from, NULL, (gpointer *)&sender)) {
				sender = rg_notmuch_key_of(host, from, n_skipped);
				g_hash_table_insert(senders, g_strdup(from), sender);
			}
			fresh.sender = sender;
			fresh.from_user =
			    sender != NULL && g_hash_table_contains(identity_set, sender);
			g_array_append_val(rows, fresh);
		} else if (i < rows->len) {
			row = &g_array_index(rows, RgNotmuchRow, i);
			if (pass == RG_NOTMUCH_PASS_ID) {
				row->key = host->store_message_key(rg_notmuch_message_id(m));
				if (row->from_user)
					/* this loads the message's term list: only for mail from
					 * the user */
					row->filename = g_strdup(notmuch_message_get_filename(m));
			} else if (pass == RG_NOTMUCH_PASS_DATE)
				row->date = (gint64)notmuch_message_get_date(m);
			else if (row->from_user)
				/* this loads the message's term list: only for mail from the user
				 */
				row->filename = g_strdup(notmuch_message_get_filename(m));
		}
		notmuch_message_destroy(m);
	}
	/* the database is read at one revision, so this only guards against surprises */
	if (i != rows->len) {
		g_set_error_literal(error,
		                    host->error_quark(),
		                    RG_ERROR_IO,
		                    "notmuch: the database changed during the import");
		return FALSE;
	}
	return TRUE;
}

/* Whether a configured database that notmuch could not open (NOTMUCH_STATUS_FILE_ERROR) is
 * simply not there (nothing to say) rather than there but refused (newer than libnotmuch,
 * or left by an upgrade that did not finish: worth a notice). notmuch says which only in its
 * message, made with strerror(). (Asking notmuch_database_load_config() instead loses a
 * string inside libnotmuch 0.37 at every call, which LeakSanitizer reports.) */
static gboolean
rg_notmuch_error_is_missing(const char *message)
{
	return message != NULL && strstr(message, strerror(ENOENT)) != NULL;
}

static notmuch_database_t *
rg_notmuch_open(const RgNotmuchHost *host,
                const char *database_path,
                const char *config_path,
                GError **error)
{
	notmuch_database_t *db = NULL;
	char *message = NULL;
	notmuch_status_t st = notmuch_database_open_with_config(
	    database_path, NOTMUCH_DATABASE_MODE_READ_ONLY, config_path, NULL, &db, &message);

	if (st == NOTMUCH_STATUS_NO_CONFIG && database_path != NULL && config_path == NULL) {
		/* a database named explicitly needs no configuration file (the identities and
		 * exclude tags then come from the database's own config, if any) */
		free(message);
		message = NULL;
		st = notmuch_database_open_with_config(
		    database_path, NOTMUCH_DATABASE_MODE_READ_ONLY, "", NULL, &db, &message);
	}
	if (st == NOTMUCH_STATUS_SUCCESS)
		return db;
	g_set_error(error,
	            host->error_quark(),
	            st == NOTMUCH_STATUS_NO_CONFIG || st == NOTMUCH_STATUS_NO_DATABASE ||
	                    (database_path == NULL && st == NOTMUCH_STATUS_FILE_ERROR &&
	                     rg_notmuch_error_is_missing(message))
	                ? RG_ERROR_NOT_FOUND
	                : RG_ERROR_IO,
	            "cannot open notmuch database %s: %s",
	            database_path != NULL ? database_path : "(from the notmuch configuration)",
	            message != NULL ? g_strchomp(message) : notmuch_status_to_string(st));
	free(message);
	return NULL;
}

/* rg_history_notmuch_import(), which checks @store and says what this does; the name has
 * RG_NOTMUCH_MODULE_ABI in it (RG_NOTMUCH_MODULE_ENTRY) */
G_MODULE_EXPORT gboolean rg_notmuch_module_import_1(const RgNotmuchHost *host,
                                                    RgStore *store,
                                                    const char *database_path,
                                                    const char *config_path,
                                                    GCancellable *cancellable,
                                                    RgProgressFunc progress,
                                                    gpointer user_data,
                                                    RgImportResult *result,
                                                    GError **error);

gboolean
rg_notmuch_module_import_1(const RgNotmuchHost *host,
                           RgStore *store,
                           const char *database_path,
                           const char *config_path,
                           GCancellable *cancellable,
                           RgProgressFunc progress,
                           gpointer user_data,
                           RgImportResult *result,
                           GError **error)
{
	g_autoptr(RgNotmuchDb) db = NULL;
	g_autoptr(GPtrArray) identities = NULL;
	g_autoptr(GHashTable) identity_set = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) junk =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(GHashTable) senders =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(RgNotmuchRow));
	g_autofree char *absolute = NULL;
	g_autofree char *uuid = NULL;
	g_autofree char *db_path = NULL;
	g_autofree char *range = NULL;
	g_autofree char *junk_tags = NULL;
	g_autofree char *junk_query = NULL;
	RgImportResult res = {0};
	const char *uuid_borrowed = NULL;
	guint64 revision, since = 0;
	guint total = 0;
	gboolean full = FALSE;
	gboolean ok;
	gint64 t_passes, t_rows, t_commit;

	g_array_set_clear_func(rows, (GDestroyNotify)rg_notmuch_row_clear);
	/* notmuch wants an absolute path; people type relative ones */
	if (database_path != NULL)
		absolute = g_canonicalize_filename(database_path, NULL);
	db = rg_notmuch_open(host, absolute, config_path, error);
	if (db == NULL)
		return FALSE;
	revision = notmuch_database_get_revision(db, &uuid_borrowed);
	uuid = g_strdup(uuid_borrowed);
	db_path = g_strdup(notmuch_database_get_path(db));
	res.revision = revision;

	if (!host->store_import_begin(store, uuid, &full, &since, error))
		return FALSE;
	identities = rg_notmuch_identities(host, db);
	for (guint i = 0; i < identities->len; i++)
		g_hash_table_add(identity_set, g_ptr_array_index(identities, i));
	g_ptr_array_add(identities, NULL);
	if (host->store_import_set_identities(store, (const char *const *)identities->pdata)) {
		/* other identities: mail counted as received may have been sent, and back */
		full = TRUE;
		since = 0;
	}
	res.full = full;
	if (!full && since >= revision) {
		/* nothing changed: no write, no lock */
		if (result != NULL)
			*result = res;
		return TRUE;
	}
	range = full ? g_strdup("*")
	             : g_strdup_printf("lastmod:%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
	                               since + 1,
	                               revision);

	junk_tags = rg_notmuch_junk_query(db);
	/* notmuch treats "*" specially only as the whole query */
	junk_query =
	    full ? g_strdup(junk_tags) : g_strdup_printf("(%s) and (%s)", range, junk_tags);
	if (!rg_notmuch_collect_ids(host, db, junk_query, junk, error))
		return FALSE;

	if (progress != NULL) {
		g_autoptr(RgNotmuchQuery) counter = notmuch_query_create(db, range);
		unsigned int count = 0;
		if (counter != NULL) {
			notmuch_query_set_omit_excluded(counter, NOTMUCH_EXCLUDE_FALSE);
			if (notmuch_query_count_messages(counter, &count) == NOTMUCH_STATUS_SUCCESS)
				total = count;
		}
	}
	t_passes = g_get_monotonic_time();
	/* one value slot per pass over the messages: reading the sender, the id and the date
	 * of each message in turn is much slower in Xapian than three passes of one each */
	for (RgNotmuchPass pass = RG_NOTMUCH_PASS_FROM; pass <= RG_NOTMUCH_PASS_DATE; pass++) {
		if (g_cancellable_set_error_if_cancelled(cancellable, error) ||
		    !rg_notmuch_pass(
		        host, db, range, pass, rows, senders, identity_set, &res.n_skipped, error))
			return FALSE;
		if (progress != NULL)
			progress(rows->len * (pass + 1), MAX(total, rows->len) * 4, user_data);
	}
	t_rows = g_get_monotonic_time();
	for (guint r = 0; r < rows->len; r++) {
		RgNotmuchRow *row = &g_array_index(rows, RgNotmuchRow, r);
		RgStoreMessageKind previous = host->store_import_lookup(store, row->key);
		RgStoreMessageKind kind = RG_STORE_MESSAGE_RECEIVED;
		g_autoptr(GPtrArray) keys = NULL;

		res.n_messages++;
		if (res.n_messages % RG_NOTMUCH_PROGRESS_EVERY == 0) {
			if (g_cancellable_set_error_if_cancelled(cancellable, error))
				return FALSE;
			if (progress != NULL)
				progress(rows->len * 3 + res.n_messages, rows->len * 4, user_data);
		}
		/* the recipients of a sent message never change: it is not read twice; and a
		 * message another source counted (an imported Sent mbox) counts once */
		if (previous == RG_STORE_MESSAGE_SENT || previous == RG_STORE_MESSAGE_OTHER)
			continue;
		if (g_hash_table_contains(junk, &row->key)) {
			kind = RG_STORE_MESSAGE_JUNK;
			res.n_junk++;
		} else if (row->from_user) {
			g_autoptr(GPtrArray) recipients = NULL;

			kind = RG_STORE_MESSAGE_SENT;
			res.n_sent++;
			if (row->filename != NULL) {
				res.n_files_read++;
				/* an unreadable file (moved since indexing) only loses its
				 * recipients */
				recipients = host->address_read_recipients(
				    row->filename, &res.n_skipped, NULL);
			}
			keys = g_ptr_array_new_with_free_func(g_free);
			for (guint i = 0; recipients != NULL && i < recipients->len; i++)
				g_ptr_array_add(
				    keys,
				    host->history_normalize(g_ptr_array_index(recipients, i)));
		} else {
			res.n_received++;
		}
		if (keys != NULL) {
			host->store_import_message(store,
			                           row->key,
			                           previous,
			                           kind,
			                           row->date,
			                           (const char *const *)keys->pdata,
			                           keys->len);
		} else {
			/* received and junk mail: the sender only, no copies */
			const char *sender[] = {row->sender};
			host->store_import_message(store,
			                           row->key,
			                           previous,
			                           kind,
			                           row->date,
			                           sender,
			                           row->sender != NULL);
		}
	}
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	if (progress != NULL)
		progress(rows->len * 4, rows->len * 4, user_data);
	if (result != NULL)
		*result = res;
	t_commit = g_get_monotonic_time();
	ok = host->store_import_commit(store, db_path, uuid, revision, error);
	g_debug("notmuch import: %u messages; index %.3f s, files and store %.3f s, commit %.3f s",
	        res.n_messages,
	        (t_rows - t_passes) / 1e6,
	        (t_commit - t_rows) / 1e6,
	        (g_get_monotonic_time() - t_commit) / 1e6);
	return ok;
}
