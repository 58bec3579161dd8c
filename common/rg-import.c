/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where history comes from in bulk: each kind of source (notmuch, an mbox, a Maildir, or
 * what a mail client feeds from its own folders and address books) knows how to read itself
 * into a store. The session runs them, in the calling thread or in a worker. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-notmuch.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-import-private.h"
#include "rg-mailbox.h"
#include "rg-store-private.h"

/* how often a long import reports progress and looks at its GCancellable */
#define RG_IMPORT_PROGRESS_EVERY 500
/* a directory or file changed this recently may change again within the same clock tick:
 * its time is not trusted to mean "nothing new" next time */
#define RG_IMPORT_SETTLE_NS G_GINT64_CONSTANT(2000000000)

typedef struct {
	const char *name;
	/* resolves what the policy and the environment say; returns the job's data, and takes
	 * what a fed source was given */
	gpointer (*prepare)(RgImportSource *self,
	                    RgPolicy *policy,
	                    RgEnvironment *env,
	                    GPtrArray *identities,
	                    GError **error);
	gboolean (*run)(gpointer data,
	                RgStore *store,
	                GCancellable *cancellable,
	                RgProgressFunc progress,
	                gpointer user_data,
	                RgImportResult *result,
	                GError **error);
	GDestroyNotify free_data;
} RgImportKind;

/* a message a mail client handed over */
typedef struct {
	char *message_id;
	char *from;
	char *recipients;
	gint64 date;
} RgFeedMessage;

static void
rg_feed_message_clear(RgFeedMessage *m)
{
	g_free(m->message_id);
	g_free(m->from);
	g_free(m->recipients);
}

struct _RgImportSource {
	GObject parent_instance;
	const RgImportKind *kind;
	char *path;            /* nullable: the source's default */
	GPtrArray *identities; /* the user's own addresses: their mail counts as sent */
	/* a fed source, or the kind and name a front end files a mailbox under */
	char *feed_kind;
	char *record_name;
	char *label;
	char *state;
	gboolean replace;
	GArray *messages;    /* RgFeedMessage */
	GPtrArray *contacts; /* nullable: no address book was read */
};

struct _RgImportJob {
	const RgImportKind *kind;
	gpointer data;
	gboolean is_explicit; /* the caller named the source, rather than taking the default */
};

G_DEFINE_TYPE(RgImportSource, rg_import_source, G_TYPE_OBJECT)

static void
rg_import_source_finalize(GObject *object)
{
	RgImportSource *self = RG_IMPORT_SOURCE(object);
	g_free(self->path);
	g_ptr_array_unref(self->identities);
	g_free(self->feed_kind);
	g_free(self->record_name);
	g_free(self->label);
	g_free(self->state);
	g_clear_pointer(&self->messages, g_array_unref);
	g_clear_pointer(&self->contacts, g_ptr_array_unref);
	G_OBJECT_CLASS(rg_import_source_parent_class)->finalize(object);
}

static void
rg_import_source_class_init(RgImportSourceClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_import_source_finalize;
}

static void
rg_import_source_init(RgImportSource *self)
{
	self->identities = g_ptr_array_new_with_free_func(g_free);
}

static RgImportSource *
rg_import_source_new_kind(const RgImportKind *kind, const char *path)
{
	RgImportSource *self = g_object_new(RG_TYPE_IMPORT_SOURCE, NULL);
	self->kind = kind;
	self->path = g_strdup(path);
	return self;
}

/* ------------------------------------------------------------------ notmuch */

typedef struct {
	char *database; /* nullable: the notmuch configuration names it */
	char *config;   /* as rg_environment_get_notmuch_config() */
} RgNotmuchJob;

static void
rg_notmuch_job_free(gpointer data)
{
	RgNotmuchJob *job = data;
	g_free(job->database);
	g_free(job->config);
	g_free(job);
}

static gpointer
rg_notmuch_prepare(RgImportSource *self,
                   RgPolicy *policy,
                   RgEnvironment *env,
                   GPtrArray *identities,
                   GError **error)
{
	RgNotmuchJob *job;
	const char *database = self->path;

	/* without an explicit database, the policy says whether and where to read notmuch */
	if (database == NULL && !rg_policy_get_read_notmuch(policy)) {
		g_set_error_literal(error,
		                    RG_ERROR,
		                    RG_ERROR_LOCKED,
		                    "the policy does not allow reading notmuch (notmuch=false)");
		return NULL;
	}
	if (database == NULL)
		database = rg_policy_get_notmuch_database(policy);
	job = g_new0(RgNotmuchJob, 1);
	job->database = g_strdup(database);
	job->config = g_strdup(rg_environment_get_notmuch_config(env));
	return job;
}

static gboolean
rg_notmuch_run(gpointer data,
               RgStore *store,
               GCancellable *cancellable,
               RgProgressFunc progress,
               gpointer user_data,
               RgImportResult *result,
               GError **error)
{
	RgNotmuchJob *job = data;

	/* no configuration and no database: nothing to read */
	if (job->database == NULL && g_strcmp0(job->config, "") == 0) {
		g_set_error_literal(error,
		                    RG_ERROR,
		                    RG_ERROR_NOT_FOUND,
		                    "no notmuch database: none given and no notmuch configuration");
		return FALSE;
	}
	return rg_history_notmuch_import(
	    store, job->database, job->config, cancellable, progress, user_data, result, error);
}

static const RgImportKind rg_import_notmuch = {
    "notmuch",
    rg_notmuch_prepare,
    rg_notmuch_run,
    rg_notmuch_job_free,
};

/**
 * rg_import_source_new_notmuch:
 * @database_path: (nullable): a notmuch database (the directory that holds `.notmuch`, or
 *   the database directory itself); %NULL for the one the policy's `notmuch-database`
 *   names, else the one of the notmuch configuration
 *
 * The user's notmuch index: the sender of every message counts as received from, the
 * recipients of every message the user sent as written to. Only new and changed mail is read
 * after the first import. Without @database_path, the policy's `notmuch=false` forbids it.
 *
 * Returns: (transfer full): a source for rg_session_import_async()
 */
RgImportSource *
rg_import_source_new_notmuch(const char *database_path)
{
	return rg_import_source_new_kind(&rg_import_notmuch, database_path);
}

/**
 * rg_import_source_get_name:
 * @self: an #RgImportSource
 *
 * Returns: the kind of source, such as "notmuch", "mbox", or the kind a fed source was
 *   made with
 */
const char *
rg_import_source_get_name(RgImportSource *self)
{
	g_return_val_if_fail(RG_IS_IMPORT_SOURCE(self), NULL);
	return self->feed_kind != NULL ? self->feed_kind : self->kind->name;
}

/**
 * rg_import_source_add_identity:
 * @self: an mbox, Maildir or fed #RgImportSource
 * @address: one of the user's own addresses
 *
 * Mail from the user's own addresses counts as sent by the user: its recipients are the
 * strongest evidence. Other mail counts as received, from its sender. The session's
 * identities (rg_session_add_identity()) count too; with none at all, those the history
 * store knows (from notmuch, or an earlier import) are used. When the identities differ
 * from those of the last import of the source, it is read again from the start.
 */
void
rg_import_source_add_identity(RgImportSource *self, const char *address)
{
	g_return_if_fail(RG_IS_IMPORT_SOURCE(self));
	g_return_if_fail(address != NULL);
	g_ptr_array_add(self->identities, g_strdup(address));
}

/* ------------------------------------------------------------------ records */

/**
 * rg_import_record_free:
 * @record: (nullable): an #RgImportRecord
 */
void
rg_import_record_free(RgImportRecord *record)
{
	if (record == NULL)
		return;
	g_free(record->kind);
	g_free(record->name);
	g_free(record->label);
	g_free(record->state);
	g_free(record);
}

/**
 * rg_import_record_describe:
 * @record: an #RgImportRecord
 *
 * What was read from a source, in one translated sentence for a preferences page, such as
 * "Sent (Work): 212 messages, 200 sent by you, 12 received." or "Personal address book:
 * 14 addresses.".
 *
 * Returns: (transfer full): the sentence
 */
char *
rg_import_record_describe(const RgImportRecord *record)
{
	const char *what;
	guint n;

	g_return_val_if_fail(record != NULL, NULL);
	rg_i18n_init();
	what = record->label != NULL && record->label[0] != '\0' ? record->label : record->name;
	if (record->n_contacts > 0 && record->n_messages == 0) {
		n = (guint)MIN(record->n_contacts, G_MAXUINT);
		return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                   /* TRANSLATORS: %1$s names an address book, %2$u
		                                    * is a number of addresses */
		                                   "%1$s: %2$u address.",
		                                   "%1$s: %2$u addresses.",
		                                   n),
		                       what,
		                       n);
	}
	n = (guint)MIN(record->n_messages, G_MAXUINT);
	return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
	                                   /* TRANSLATORS: %1$s names a mail folder or file; the
	                                    * numbers are message counts */
	                                   "%1$s: %2$u message, %3$u sent by you, %4$u received.",
	                                   "%1$s: %2$u messages, %3$u sent by you, %4$u received.",
	                                   n),
	                       what,
	                       n,
	                       (guint)MIN(record->n_sent, G_MAXUINT),
	                       (guint)MIN(record->n_received, G_MAXUINT));
}

/**
 * rg_import_record_find:
 * @records: (element-type RgImportRecord): as rg_session_list_sources() gives them
 * @kind: a kind of source
 * @name: what identifies the source
 *
 * Returns: (transfer none) (nullable): the record of that source in @records
 */
RgImportRecord *
rg_import_record_find(GPtrArray *records, const char *kind, const char *name)
{
	g_return_val_if_fail(records != NULL, NULL);
	g_return_val_if_fail(kind != NULL && name != NULL, NULL);
	for (guint i = 0; i < records->len; i++) {
		RgImportRecord *r = g_ptr_array_index(records, i);
		if (g_strcmp0(r->kind, kind) == 0 && g_strcmp0(r->name, name) == 0)
			return r;
	}
	return NULL;
}

/* ------------------------------------------------------------------ mail read here */

/* the user's own addresses an import goes by */
typedef struct {
	GHashTable *set; /* normalised address → itself (owned by list) */
	GPtrArray *list; /* sorted */
	char *hash;      /* of the list: when it changes, the source is read again */
} RgIdentities;

static void
rg_identities_free(RgIdentities *ids)
{
	g_hash_table_unref(ids->set);
	g_ptr_array_unref(ids->list);
	g_free(ids->hash);
	g_free(ids);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgIdentities, rg_identities_free)

static void
rg_identities_add(RgIdentities *ids, const char *text)
{
	g_autoptr(GPtrArray) list = rg_address_list_parse_lenient(text, -1, NULL);

	for (guint i = 0; i < list->len; i++) {
		char *key = rg_history_normalize(g_ptr_array_index(list, i));
		if (g_hash_table_contains(ids->set, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_add(ids->set, key);
		g_ptr_array_add(ids->list, key);
	}
}

static int
rg_identities_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the addresses given, else those the store knows (notmuch's, an earlier import's) */
static RgIdentities *
rg_identities_new(GPtrArray *given, RgStore *store)
{
	RgIdentities *ids = g_new0(RgIdentities, 1);
	ids->set = g_hash_table_new(g_str_hash, g_str_equal);
	ids->list = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; given != NULL && i < given->len; i++)
		rg_identities_add(ids, g_ptr_array_index(given, i));
	if (ids->list->len == 0 && store != NULL) {
		g_auto(GStrv) stored = rg_store_get_identities(store);
		for (guint i = 0; stored != NULL && stored[i] != NULL; i++)
			rg_identities_add(ids, stored[i]);
	}
	g_ptr_array_sort(ids->list, rg_identities_compare);
	ids->hash = rg_import_digest((const char *const *)ids->list->pdata, ids->list->len);
	return ids;
}

/**
 * rg_import_state_lookup:
 * @state: (nullable): a state of the form `key=value;key=value`, as the sources of this
 *   library write theirs and a fed source may write its own
 * @key: the key
 *
 * Returns: (transfer full) (nullable): the value of @key, or %NULL
 */
char *
rg_import_state_lookup(const char *state, const char *key)
{
	g_auto(GStrv) parts = NULL;
	gsize len;

	g_return_val_if_fail(key != NULL, NULL);
	parts = g_strsplit(state != NULL ? state : "", ";", -1);
	len = strlen(key);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (strncmp(parts[i], key, len) == 0 && parts[i][len] == '=')
			return g_strdup(parts[i] + len + 1);
	}
	return NULL;
}

/**
 * rg_import_state_lookup_int:
 * @state: (nullable): as for rg_import_state_lookup()
 * @key: the key
 *
 * Returns: the value of @key as a number, or -1 when there is none
 */
gint64
rg_import_state_lookup_int(const char *state, const char *key)
{
	g_autofree char *v = rg_import_state_lookup(state, key);
	return v != NULL ? g_ascii_strtoll(v, NULL, 10) : -1;
}

/**
 * rg_import_digest:
 * @strings: (array length=n): strings, in any order
 * @n: how many
 *
 * A short, stable digest of a set of strings (the user's identities, the addresses of an
 * address book), for a fed source's state: when it changes, the source must be read again.
 *
 * Returns: (transfer full): 16 hexadecimal digits
 */
char *
rg_import_digest(const char *const *strings, guint n)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new(n);
	g_autoptr(GString) joined = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		g_ptr_array_add(sorted, (gpointer)strings[i]);
	g_ptr_array_sort(sorted, rg_identities_compare);
	for (guint i = 0; i < sorted->len; i++)
		g_string_append_printf(joined, "%s\n", (const char *)g_ptr_array_index(sorted, i));
	return g_strdup_printf("%016" G_GINT64_MODIFIER "x",
	                       (guint64)rg_store_message_key(joined->str));
}

/* a time that may still move within one tick of the clock counts as unknown (0) */
static gint64
rg_import_settled(gint64 mtime_ns)
{
	gint64 now = g_get_real_time() * 1000;
	return now - mtime_ns > RG_IMPORT_SETTLE_NS ? mtime_ns : 0;
}

/* one import of mail read here: it counts each message as sent or received */
typedef struct {
	RgStore *store;
	RgIdentities *ids;
	RgImportResult *res;
	GCancellable *cancellable;
	RgProgressFunc progress;
	gpointer user_data;
	guint total; /* for progress */
	gboolean cancelled;
} RgCounter;

static void
rg_counter_add_keys(RgCounter *c, GPtrArray *keys, const char *field)
{
	g_autoptr(GPtrArray) list = NULL;

	if (field == NULL || field[0] == '\0')
		return;
	list = rg_address_list_parse_lenient(field, -1, &c->res->n_skipped);
	for (guint i = 0; i < list->len; i++)
		g_ptr_array_add(keys, rg_history_normalize(g_ptr_array_index(list, i)));
}

/* @fields: To, Cc and Bcc (each nullable); @fallback identifies a message without a
 * Message-ID within its source */
static void
rg_counter_message(RgCounter *c,
                   const char *message_id,
                   const char *from,
                   const char *const *fields,
                   guint n_fields,
                   gint64 date,
                   gboolean junk,
                   const char *fallback)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) senders = g_ptr_array_new_with_free_func(g_free);
	gint64 key = rg_store_message_key(message_id != NULL && message_id[0] != '\0' ? message_id
	                                                                              : fallback);
	RgStoreMessageKind previous = rg_store_import_lookup(c->store, key);
	RgStoreMessageKind kind = RG_STORE_MESSAGE_RECEIVED;
	const char *sender = NULL;

	c->res->n_messages++;
	if (c->progress != NULL && c->total > 0 &&
	    c->res->n_messages % RG_IMPORT_PROGRESS_EVERY == 0)
		c->progress(c->res->n_messages, MAX(c->total, c->res->n_messages), c->user_data);
	/* counted already, here or by another source */
	if (previous != RG_STORE_MESSAGE_NONE)
		return;
	rg_counter_add_keys(c, senders, from);
	sender = senders->len > 0 ? g_ptr_array_index(senders, 0) : NULL;
	if (junk) {
		kind = RG_STORE_MESSAGE_JUNK;
		c->res->n_junk++;
	} else if (sender != NULL && g_hash_table_contains(c->ids->set, sender)) {
		kind = RG_STORE_MESSAGE_SENT;
		c->res->n_sent++;
		for (guint i = 0; i < n_fields; i++)
			rg_counter_add_keys(c, keys, fields[i]);
	} else {
		c->res->n_received++;
	}
	if (kind != RG_STORE_MESSAGE_SENT && sender != NULL)
		g_ptr_array_add(keys, g_strdup(sender));
	rg_store_import_message(
	    c->store, key, previous, kind, date, (const char *const *)keys->pdata, keys->len);
}

/* a message of an mbox or a Maildir file */
typedef struct {
	RgCounter *counter;
	const char *source; /* the path, for messages without a Message-ID */
	const char *item;   /* the Maildir file name, or NULL */
	gboolean junk;
	gint64 size; /* of an mbox, for its progress */
} RgMailboxRead;

static gboolean
rg_mailbox_message_cb(const RgMailboxMessage *m, gpointer user_data)
{
	RgMailboxRead *r = user_data;
	const char *fields[] = {m->to, m->cc, m->bcc};
	g_autofree char *fallback =
	    r->item != NULL ? g_strconcat(r->source, "/", r->item, NULL)
	                    : g_strdup_printf("%s:%" G_GINT64_FORMAT, r->source, m->offset);

	if (g_cancellable_is_cancelled(r->counter->cancellable)) {
		r->counter->cancelled = TRUE;
		return FALSE;
	}
	/* an mbox's progress is how far into the file the read is, in KiB */
	if (r->item == NULL && r->counter->progress != NULL &&
	    (r->counter->res->n_messages + 1) % RG_IMPORT_PROGRESS_EVERY == 0)
		r->counter->progress((guint)(m->offset / 1024),
		                     (guint)MAX(r->size / 1024, m->offset / 1024),
		                     r->counter->user_data);
	rg_counter_message(r->counter,
	                   m->message_id,
	                   m->from,
	                   fields,
	                   G_N_ELEMENTS(fields),
	                   m->date,
	                   r->junk,
	                   fallback);
	return TRUE;
}

/* the user's own addresses the policy and the settings name (`identities`) */
static void
rg_import_add_policy_identities(GPtrArray *identities, RgPolicy *policy)
{
	const char *const *named = policy != NULL ? rg_policy_get_identities(policy) : NULL;
	for (guint i = 0; named != NULL && named[i] != NULL; i++)
		g_ptr_array_add(identities, g_strdup(named[i]));
}

/* an mbox, a Maildir or an MH folder: a path of the user's, recorded under its kind and path
 * unless a front end files it under its own (rg_import_source_set_record()) */
typedef struct {
	char *path; /* absolute */
	char *kind;
	char *name;
	char *label;
	gboolean replace;
	GPtrArray *identities;
} RgMailboxJob;

static void
rg_mailbox_job_free(gpointer data)
{
	RgMailboxJob *job = data;
	g_free(job->path);
	g_free(job->kind);
	g_free(job->name);
	g_free(job->label);
	g_ptr_array_unref(job->identities);
	g_free(job);
}

static gpointer
rg_mailbox_prepare(RgImportSource *self,
                   RgPolicy *policy,
                   RgEnvironment *env,
                   GPtrArray *identities,
                   GError **error)
{
	RgMailboxJob *job = g_new0(RgMailboxJob, 1);

	job->path = g_canonicalize_filename(self->path, NULL);
	job->kind = g_strdup(self->feed_kind != NULL ? self->feed_kind : self->kind->name);
	job->name = g_strdup(self->record_name != NULL ? self->record_name : job->path);
	job->label = g_strdup(self->label != NULL ? self->label : job->path);
	job->replace = self->replace;
	job->identities = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < self->identities->len; i++)
		g_ptr_array_add(job->identities, g_strdup(g_ptr_array_index(self->identities, i)));
	for (guint i = 0; identities != NULL && i < identities->len; i++)
		g_ptr_array_add(job->identities, g_strdup(g_ptr_array_index(identities, i)));
	rg_import_add_policy_identities(job->identities, policy);
	return job;
}

static gboolean
rg_import_cancelled(RgCounter *c, GError **error)
{
	if (!c->cancelled && !g_cancellable_is_cancelled(c->cancellable))
		return FALSE;
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the import was cancelled");
	return TRUE;
}

/* writes what an mbox or Maildir import read */
static gboolean
rg_mailbox_commit(RgStore *store,
                  RgMailboxJob *job,
                  RgIdentities *ids,
                  const char *state,
                  RgProgressFunc progress,
                  gpointer user_data,
                  RgImportResult *res,
                  GError **error)
{
	if (ids->list->len > 0)
		rg_store_source_set_identities(
		    store, (const char *const *)ids->list->pdata, ids->list->len);
	if (progress != NULL)
		progress(1, 1, user_data);
	return rg_store_source_commit(store, job->label, state, res, error);
}

static gboolean
rg_mbox_run(gpointer data,
            RgStore *store,
            GCancellable *cancellable,
            RgProgressFunc progress,
            gpointer user_data,
            RgImportResult *res,
            GError **error)
{
	RgMailboxJob *job = data;
	g_autoptr(RgImportRecord) record = NULL;
	g_autoptr(RgIdentities) ids = NULL;
	g_autofree char *stored_ids = NULL;
	g_autofree char *state = NULL;
	RgMailboxStamp now = {0}, after = {0};
	RgCounter c = {store, NULL, res, cancellable, progress, user_data, 0, FALSE};
	RgMailboxRead r = {&c, job->path, NULL, FALSE, 0};
	gint64 offset = 0, end = 0;

	if (!rg_mailbox_stamp(job->path, 0, &now, error) ||
	    !rg_store_source_begin(store, job->kind, job->name, FALSE, &record, error))
		return FALSE;
	c.ids = ids = rg_identities_new(job->identities, store);
	res->full = TRUE;
	if (record != NULL && !job->replace) {
		RgMailboxStamp then = {0};
		offset = rg_import_state_lookup_int(record->state, "offset");
		stored_ids = rg_import_state_lookup(record->state, "identities");
		/* nothing changed since the last read: no write, no lock */
		if (g_strcmp0(stored_ids, ids->hash) == 0 &&
		    rg_import_state_lookup_int(record->state, "size") == now.size &&
		    rg_import_state_lookup_int(record->state, "mtime") == now.mtime_ns) {
			res->full = FALSE;
			res->unchanged = TRUE;
			return TRUE;
		}
		/* the file still holds what was read, and more: read on from there */
		if (g_strcmp0(stored_ids, ids->hash) == 0 && offset > 0 && offset <= now.size &&
		    rg_mailbox_stamp(job->path, offset, &then, NULL) &&
		    (gint64)then.tail == rg_import_state_lookup_int(record->state, "tail"))
			res->full = FALSE;
	}
	if (res->full) {
		offset = 0;
		rg_store_source_replace(store);
	}
	r.size = now.size;
	if (!rg_mailbox_read_mbox(job->path,
	                          offset,
	                          rg_mailbox_message_cb,
	                          &r,
	                          cancellable,
	                          &end,
	                          &res->n_unreadable,
	                          error))
		return FALSE;
	if (rg_import_cancelled(&c, error))
		return FALSE;
	if (!rg_mailbox_stamp(job->path, end, &after, error))
		return FALSE;
	/* a file that grew while it was read is looked at again next time */
	state =
	    g_strdup_printf("offset=%" G_GINT64_FORMAT ";size=%" G_GINT64_FORMAT
	                    ";mtime=%" G_GINT64_FORMAT ";tail=%" G_GINT64_FORMAT ";identities=%s",
	                    end,
	                    after.size,
	                    after.size == end ? rg_import_settled(after.mtime_ns) : 0,
	                    (gint64)after.tail,
	                    ids->hash);
	return rg_mailbox_commit(store, job, ids, state, progress, user_data, res, error);
}

static const RgImportKind rg_import_mbox = {
    "mbox",
    rg_mailbox_prepare,
    rg_mbox_run,
    rg_mailbox_job_free,
};

/**
 * rg_import_source_new_mbox:
 * @path: an mbox file, such as Thunderbird's `Sent` or mutt's `sent`
 *
 * A mailbox file in mbox format, read read-only with GMime's parser, headers only. Mail
 * from the user's identities (rg_import_source_add_identity()) counts as sent to its To, Cc
 * and Bcc recipients, other mail as received from its sender. After the first import only
 * what was appended since is read; when the file was rewritten before the point reached
 * (messages deleted), it is read again from the start. A message whose headers are cut off
 * at the end of the file (a mail program is writing it) is read the next time.
 *
 * Returns: (transfer full): a source for rg_session_import_async()
 */
RgImportSource *
rg_import_source_new_mbox(const char *path)
{
	g_return_val_if_fail(path != NULL, NULL);
	return rg_import_source_new_kind(&rg_import_mbox, path);
}

/* the part of a Maildir file name that stays when its flags change */
static char *
rg_maildir_unique(const char *name, gboolean *trashed)
{
	const char *info = strchr(name, ':');
	if (info == NULL)
		info = strchr(name, '!');
	*trashed =
	    info != NULL && g_str_has_prefix(info + 1, "2,") && strchr(info + 3, 'T') != NULL;
	return info != NULL ? g_strndup(name, info - name) : g_strdup(name);
}

/* the modification time of the directory @path in nanoseconds; -1 when it is none */
static gint64
rg_mailbox_dir_mtime(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	return (gint64)st.st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st.st_mtim.tv_nsec;
}

/* the modification time of @dir/@sub in nanoseconds; -1 when it is no directory */
static gint64
rg_maildir_mtime(const char *dir, const char *sub)
{
	g_autofree char *path = g_build_filename(dir, sub, NULL);
	return rg_mailbox_dir_mtime(path);
}

/**
 * rg_import_maildir_stamp:
 * @path: a Maildir folder (the directory that holds `cur` and `new`)
 *
 * For a mail client that reads a Maildir folder through its own library (Evolution's local
 * folders): a string that changes whenever a message file of @path comes, goes or is
 * renamed (the times of its `cur` and `new`), so that an unchanged folder need not be opened.
 *
 * Returns: (transfer full) (nullable): the stamp; %NULL when @path is no Maildir, or when
 *   its directories changed so recently that another change in the same tick of the clock
 *   would not show
 */
char *
rg_import_maildir_stamp(const char *path)
{
	gint64 cur, new;

	g_return_val_if_fail(path != NULL, NULL);
	cur = rg_maildir_mtime(path, "cur");
	new = rg_maildir_mtime(path, "new");
	if (cur < 0 || new < 0 || rg_import_settled(cur) == 0 || rg_import_settled(new) == 0)
		return NULL;
	return g_strdup_printf("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, cur, new);
}

/* adds the files of DIR/@sub that the source has not read before to @paths */
static gboolean
rg_maildir_list(
    RgMailboxJob *job, const char *sub, RgStore *store, GPtrArray *paths, GError **error)
{
	g_autofree char *dir = g_build_filename(job->path, sub, NULL);
	g_autoptr(GDir) d = NULL;
	g_autoptr(GError) error_local = NULL;
	const char *name;

	d = g_dir_open(dir, 0, &error_local);
	if (d == NULL) {
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot read %s: %s", dir, error_local->message);
		return FALSE;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *unique = NULL;
		gboolean trashed = FALSE;

		if (name[0] == '.')
			continue;
		unique = rg_maildir_unique(name, &trashed);
		if (!rg_store_source_seen(store, rg_store_message_key(unique)))
			g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
	}
	return TRUE;
}

/* reads the message files in @paths */
static gboolean
rg_maildir_read(RgMailboxJob *job, GPtrArray *paths, RgCounter *c, GError **error)
{
	for (guint i = 0; i < paths->len; i++) {
		const char *path = g_ptr_array_index(paths, i);
		g_autofree char *base = g_path_get_basename(path);
		g_autofree char *unique = NULL;
		g_autoptr(GError) file_error = NULL;
		RgMailboxRead r = {c, job->path, NULL, FALSE, 0};

		if (i % RG_IMPORT_PROGRESS_EVERY == 0) {
			if (rg_import_cancelled(c, error))
				return FALSE;
			if (c->progress != NULL)
				c->progress(i, paths->len, c->user_data);
		}
		r.item = unique = rg_maildir_unique(base, &r.junk);
		/* a file that went away (moved to cur/ when it was read, or deleted) only costs
		 * itself; it is read next time where it is then */
		if (!rg_mailbox_read_file(path, rg_mailbox_message_cb, &r, &file_error)) {
			g_debug("maildir: %s", file_error->message);
			c->res->n_unreadable++;
			continue;
		}
		rg_store_source_add_item(c->store, rg_store_message_key(unique));
	}
	return !rg_import_cancelled(c, error);
}

static gboolean
rg_maildir_run(gpointer data,
               RgStore *store,
               GCancellable *cancellable,
               RgProgressFunc progress,
               gpointer user_data,
               RgImportResult *res,
               GError **error)
{
	RgMailboxJob *job = data;
	g_autoptr(RgImportRecord) record = NULL;
	g_autoptr(RgIdentities) ids = NULL;
	g_autofree char *stored_ids = NULL;
	g_autofree char *state = NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	RgCounter c = {store, NULL, res, cancellable, progress, user_data, 0, FALSE};
	gint64 cur = rg_maildir_mtime(job->path, "cur");
	gint64 new = rg_maildir_mtime(job->path, "new");

	if (cur < 0 && new < 0) {
		g_set_error(error,
		            RG_ERROR,
		            g_file_test(job->path, G_FILE_TEST_EXISTS) ? RG_ERROR_INVALID_DATA
		                                                       : RG_ERROR_NOT_FOUND,
		            "%s is not a Maildir: it has no cur or new directory",
		            job->path);
		return FALSE;
	}
	if (!rg_store_source_begin(store, job->kind, job->name, FALSE, &record, error))
		return FALSE;
	c.ids = ids = rg_identities_new(job->identities, store);
	res->full = TRUE;
	if (record != NULL && !job->replace) {
		stored_ids = rg_import_state_lookup(record->state, "identities");
		if (g_strcmp0(stored_ids, ids->hash) == 0) {
			res->full = FALSE;
			/* no file came, went or was renamed: nothing to list */
			if (rg_import_state_lookup_int(record->state, "cur") == cur &&
			    rg_import_state_lookup_int(record->state, "new") == new) {
				res->unchanged = TRUE;
				return TRUE;
			}
		}
	}
	if (res->full)
		rg_store_source_replace(store);
	/* new/ first: a file moved to cur/ while it is listed is then seen in one of them */
	if (!rg_maildir_list(job, "new", store, paths, error) ||
	    !rg_maildir_list(job, "cur", store, paths, error) ||
	    !rg_maildir_read(job, paths, &c, error))
		return FALSE;
	state = g_strdup_printf("cur=%" G_GINT64_FORMAT ";new=%" G_GINT64_FORMAT ";identities=%s",
	                        cur > 0 ? rg_import_settled(cur) : cur,
	                        new > 0 ? rg_import_settled(new) : new,
	                        ids->hash);
	return rg_mailbox_commit(store, job, ids, state, progress, user_data, res, error);
}

static const RgImportKind rg_import_maildir = {
    "maildir",
    rg_mailbox_prepare,
    rg_maildir_run,
    rg_mailbox_job_free,
};

/**
 * rg_import_source_new_maildir:
 * @path: a Maildir folder (the directory that holds `cur` and `new`), such as `~/Maildir/.Sent`
 *
 * A Maildir folder, read read-only with GMime's parser, headers only, and counted as
 * rg_import_source_new_mbox() counts. After the first import only files with names not
 * read before are read; nothing is listed while the folder's directories are unchanged. A
 * message marked as trashed counts only as junk. A file that disappears while the folder
 * is read is read the next time, where it is then.
 *
 * Returns: (transfer full): a source for rg_session_import_async()
 */
RgImportSource *
rg_import_source_new_maildir(const char *path)
{
	g_return_val_if_fail(path != NULL, NULL);
	return rg_import_source_new_kind(&rg_import_maildir, path);
}

/* the message files of an MH folder: names that are numbers; how many there are and the
 * highest number, or FALSE when @dir cannot be read */
static gboolean
rg_mh_list(const char *dir, GArray *numbers, gint64 *top, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error_local);
	const char *name;

	*top = 0;
	if (d == NULL) {
		g_set_error(error,
		            RG_ERROR,
		            g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
		                ? RG_ERROR_NOT_FOUND
		                : RG_ERROR_IO,
		            "cannot read %s: %s",
		            dir,
		            error_local->message);
		return FALSE;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		char *end = NULL;
		gint64 n = (gint64)g_ascii_strtoull(name, &end, 10);
		if (end == name || *end != '\0' || n <= 0)
			continue;
		g_array_append_val(numbers, n);
		*top = MAX(*top, n);
	}
	return TRUE;
}

static gboolean
rg_mh_run(gpointer data,
          RgStore *store,
          GCancellable *cancellable,
          RgProgressFunc progress,
          gpointer user_data,
          RgImportResult *res,
          GError **error)
{
	RgMailboxJob *job = data;
	g_autoptr(RgImportRecord) record = NULL;
	g_autoptr(RgIdentities) ids = NULL;
	g_autoptr(GArray) numbers = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autofree char *stored_ids = NULL;
	g_autofree char *state = NULL;
	RgCounter c = {store, NULL, res, cancellable, progress, user_data, 0, FALSE};
	/* taken before the folder is listed, so that what comes meanwhile shows next time */
	gint64 mtime = rg_mailbox_dir_mtime(job->path);
	gint64 top = 0, last = 0;
	guint n_new = 0;

	if (!rg_store_source_begin(store, job->kind, job->name, FALSE, &record, error))
		return FALSE;
	c.ids = ids = rg_identities_new(job->identities, store);
	res->full = TRUE;
	if (record != NULL && !job->replace) {
		stored_ids = rg_import_state_lookup(record->state, "identities");
		/* no file came, went or was renamed: not even listed */
		if (g_strcmp0(stored_ids, ids->hash) == 0 && mtime > 0 &&
		    rg_import_settled(mtime) == mtime &&
		    rg_import_state_lookup_int(record->state, "mtime") == mtime) {
			res->full = FALSE;
			res->unchanged = TRUE;
			return TRUE;
		}
	}
	if (!rg_mh_list(job->path, numbers, &top, error))
		return FALSE;
	/* an empty folder never read is not worth a record (nor its identities) */
	if (record == NULL && numbers->len == 0) {
		res->unchanged = TRUE;
		return TRUE;
	}
	if (record != NULL && !job->replace) {
		if (g_strcmp0(stored_ids, ids->hash) == 0) {
			res->full = FALSE;
			last = rg_import_state_lookup_int(record->state, "top");
			/* no message came or went: nothing to read, nothing to write */
			if (top == last && (gint64)numbers->len ==
			                       rg_import_state_lookup_int(record->state, "files")) {
				res->unchanged = TRUE;
				return TRUE;
			}
			/* numbers only go up; a lower highest one means the folder was renumbered
			 */
			if (top < last) {
				res->full = TRUE;
				last = 0;
			}
		}
	}
	if (res->full)
		rg_store_source_replace(store);
	for (guint i = 0; i < numbers->len; i++)
		n_new += g_array_index(numbers, gint64, i) > last;
	c.total = n_new;
	for (guint i = 0, done = 0; i < numbers->len; i++) {
		gint64 n = g_array_index(numbers, gint64, i);
		g_autofree char *name = NULL;
		g_autofree char *path = NULL;
		g_autoptr(GError) file_error = NULL;
		RgMailboxRead r = {&c, job->path, NULL, FALSE, 0};

		if (n <= last)
			continue;
		if (done++ % RG_IMPORT_PROGRESS_EVERY == 0) {
			if (rg_import_cancelled(&c, error))
				return FALSE;
			if (progress != NULL)
				progress(done, n_new, user_data);
		}
		r.item = name = g_strdup_printf("%" G_GINT64_FORMAT, n);
		path = g_build_filename(job->path, name, NULL);
		/* a message deleted or moved while the folder is read only costs itself */
		if (!rg_mailbox_read_file(path, rg_mailbox_message_cb, &r, &file_error)) {
			g_debug("mh: %s", file_error->message);
			res->n_unreadable++;
		}
	}
	if (rg_import_cancelled(&c, error))
		return FALSE;
	state = g_strdup_printf("top=%" G_GINT64_FORMAT ";files=%u;mtime=%" G_GINT64_FORMAT
	                        ";identities=%s",
	                        top,
	                        numbers->len,
	                        mtime > 0 ? rg_import_settled(mtime) : 0,
	                        ids->hash);
	return rg_mailbox_commit(store, job, ids, state, progress, user_data, res, error);
}

static const RgImportKind rg_import_mh = {
    "mh",
    rg_mailbox_prepare,
    rg_mh_run,
    rg_mailbox_job_free,
};

/**
 * rg_import_source_new_mh:
 * @path: an MH folder (a directory of message files named by numbers), such as Claws
 *   Mail's `~/Mail/sent`
 *
 * An MH folder, read read-only with GMime's parser, headers only, and counted as
 * rg_import_source_new_mbox() counts. After the first import only messages with a number
 * above the highest one read are read; while the highest number and the number of messages
 * stay the same, nothing is read or written, and while the folder's directory is unchanged
 * it is not even listed.
 *
 * Returns: (transfer full): a source for rg_session_import_async()
 */
RgImportSource *
rg_import_source_new_mh(const char *path)
{
	g_return_val_if_fail(path != NULL, NULL);
	return rg_import_source_new_kind(&rg_import_mh, path);
}

/**
 * rg_import_source_set_record:
 * @self: an mbox, Maildir or MH #RgImportSource
 * @kind: the kind of source the store files it under, such as "claws-folder"
 * @name: what identifies it among those of its kind, such as a mail client's folder
 * @label: (nullable): how to show it to people
 *
 * A mail client whose folder is a mailbox the core can read itself (a local MH folder) has
 * it read here, off its main loop, and still finds it among its own sources in
 * rg_session_list_sources().
 */
void
rg_import_source_set_record(RgImportSource *self,
                            const char *kind,
                            const char *name,
                            const char *label)
{
	g_return_if_fail(RG_IS_IMPORT_SOURCE(self) && self->kind != &rg_import_notmuch);
	g_return_if_fail(kind != NULL && name != NULL);
	g_free(self->feed_kind);
	g_free(self->record_name);
	g_free(self->label);
	self->feed_kind = g_strdup(kind);
	self->record_name = g_strdup(name);
	self->label = g_strdup(label);
}

/* ------------------------------------------------------------------ fed by a mail client */

typedef struct {
	char *kind;
	char *name;
	char *label;
	char *state;
	gboolean replace;
	GPtrArray *identities;
	GArray *messages;    /* RgFeedMessage */
	GPtrArray *contacts; /* nullable */
} RgFeedJob;

static void
rg_feed_job_free(gpointer data)
{
	RgFeedJob *job = data;
	g_free(job->kind);
	g_free(job->name);
	g_free(job->label);
	g_free(job->state);
	g_ptr_array_unref(job->identities);
	g_array_unref(job->messages);
	g_clear_pointer(&job->contacts, g_ptr_array_unref);
	g_free(job);
}

/* the job takes what the source was given: the source is left empty for the next read */
static gpointer
rg_feed_prepare(RgImportSource *self,
                RgPolicy *policy,
                RgEnvironment *env,
                GPtrArray *identities,
                GError **error)
{
	RgFeedJob *job = g_new0(RgFeedJob, 1);

	job->kind = g_strdup(self->feed_kind);
	job->name = g_strdup(self->path);
	job->label = g_strdup(self->label);
	job->state = g_strdup(self->state);
	job->replace = self->replace;
	job->identities = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < self->identities->len; i++)
		g_ptr_array_add(job->identities, g_strdup(g_ptr_array_index(self->identities, i)));
	for (guint i = 0; identities != NULL && i < identities->len; i++)
		g_ptr_array_add(job->identities, g_strdup(g_ptr_array_index(identities, i)));
	rg_import_add_policy_identities(job->identities, policy);
	job->messages = g_steal_pointer(&self->messages);
	self->messages = g_array_new(FALSE, TRUE, sizeof(RgFeedMessage));
	g_array_set_clear_func(self->messages, (GDestroyNotify)rg_feed_message_clear);
	job->contacts = g_steal_pointer(&self->contacts);
	return job;
}

static gboolean
rg_feed_run(gpointer data,
            RgStore *store,
            GCancellable *cancellable,
            RgProgressFunc progress,
            gpointer user_data,
            RgImportResult *res,
            GError **error)
{
	RgFeedJob *job = data;
	g_autoptr(RgIdentities) ids = NULL;
	RgCounter c = {
	    store, NULL, res, cancellable, progress, user_data, job->messages->len, FALSE};

	if (!rg_store_source_begin(store, job->kind, job->name, job->replace, NULL, error))
		return FALSE;
	c.ids = ids = rg_identities_new(job->identities, store);
	res->full = job->replace;
	for (guint i = 0; i < job->messages->len; i++) {
		const RgFeedMessage *m = &g_array_index(job->messages, RgFeedMessage, i);
		const char *fields[] = {m->recipients};
		g_autofree char *fallback = NULL;

		if (i % RG_IMPORT_PROGRESS_EVERY == 0 && rg_import_cancelled(&c, error))
			return FALSE;
		if (m->message_id == NULL)
			fallback = g_strdup_printf("%s\x01%s\x01%s\x01%s\x01%" G_GINT64_FORMAT,
			                           job->kind,
			                           job->name,
			                           m->from != NULL ? m->from : "",
			                           m->recipients != NULL ? m->recipients : "",
			                           m->date);
		rg_counter_message(&c, m->message_id, m->from, fields, 1, m->date, FALSE, fallback);
	}
	for (guint i = 0; job->contacts != NULL && i < job->contacts->len; i++) {
		g_autoptr(GPtrArray) list = rg_address_list_parse_lenient(
		    g_ptr_array_index(job->contacts, i), -1, &res->n_skipped);
		for (guint j = 0; j < list->len; j++) {
			g_autofree char *key = rg_history_normalize(g_ptr_array_index(list, j));
			rg_store_source_add_contact(store, key);
			res->n_contacts++;
		}
	}
	if (rg_import_cancelled(&c, error))
		return FALSE;
	if (progress != NULL)
		progress(res->n_messages, MAX(res->n_messages, 1), user_data);
	return rg_store_source_commit(store, job->label, job->state, res, error);
}

static const RgImportKind rg_import_feed = {
    "feed",
    rg_feed_prepare,
    rg_feed_run,
    rg_feed_job_free,
};

/**
 * rg_import_source_new_feed:
 * @kind: the kind of source, such as "claws-folder" or "evolution-addressbook"
 * @name: what identifies it among those of its kind (a folder's identifier, an address
 *   book's UID); together with @kind it names the source in the history store
 * @label: (nullable): how to show it to people
 *
 * A source whose content the caller hands over: a mail client reads its own folders and
 * address books where only it can (on its main loop, from its caches) and gives the
 * messages and addresses to the core, which counts them as it counts an mbox. Fill it with
 * rg_import_source_add_message(), rg_import_source_add_contact() and
 * rg_import_source_set_state(), then import it; the import takes what was added, so the
 * source can be filled again for the next one. What the store knows about the source
 * (its state above all, so that the next read starts there) is in
 * rg_session_list_sources().
 *
 * Returns: (transfer full): a source for rg_session_import_async()
 */
RgImportSource *
rg_import_source_new_feed(const char *kind, const char *name, const char *label)
{
	RgImportSource *self;

	g_return_val_if_fail(kind != NULL && kind[0] != '\0', NULL);
	g_return_val_if_fail(name != NULL, NULL);
	self = rg_import_source_new_kind(&rg_import_feed, name);
	self->feed_kind = g_strdup(kind);
	self->label = g_strdup(label);
	self->messages = g_array_new(FALSE, TRUE, sizeof(RgFeedMessage));
	g_array_set_clear_func(self->messages, (GDestroyNotify)rg_feed_message_clear);
	return self;
}

/**
 * rg_import_source_set_replace:
 * @self: a fed, mbox, Maildir or MH #RgImportSource
 * @replace: whether what is read replaces everything the source gave before
 *
 * For "Read again", or when the caller cannot tell what is new: the store forgets what it
 * counted from this source and counts what is added (a fed source) or read (a mailbox, from
 * the start) now.
 */
void
rg_import_source_set_replace(RgImportSource *self, gboolean replace)
{
	g_return_if_fail(RG_IS_IMPORT_SOURCE(self) && self->kind != &rg_import_notmuch);
	self->replace = replace;
}

/**
 * rg_import_source_set_state:
 * @self: a fed #RgImportSource
 * @state: (nullable): how far the source is read once this import is done, in the
 *   caller's own terms (the highest message number, a revision); the store keeps it
 */
void
rg_import_source_set_state(RgImportSource *self, const char *state)
{
	g_return_if_fail(RG_IS_IMPORT_SOURCE(self) && self->kind == &rg_import_feed);
	g_free(self->state);
	self->state = g_strdup(state);
}

/**
 * rg_import_source_add_message:
 * @self: a fed #RgImportSource
 * @message_id: (nullable): the Message-ID, without angle brackets; a message seen in two
 *   sources counts once
 * @from: (nullable): the From header (an address list as it is written)
 * @recipients: (nullable): its To and Cc (and Bcc where it is known), as an address list
 * @date: when it was sent, in seconds since the epoch, or 0
 *
 * Mail from one of the user's identities counts as sent to @recipients, other mail as
 * received from @from. Nothing is parsed until the import runs.
 */
void
rg_import_source_add_message(RgImportSource *self,
                             const char *message_id,
                             const char *from,
                             const char *recipients,
                             gint64 date)
{
	RgFeedMessage m = {0};

	g_return_if_fail(RG_IS_IMPORT_SOURCE(self) && self->kind == &rg_import_feed);
	m.message_id = message_id != NULL && message_id[0] != '\0' ? g_strdup(message_id) : NULL;
	m.from = g_strdup(from);
	m.recipients = g_strdup(recipients);
	m.date = date;
	g_array_append_val(self->messages, m);
}

/**
 * rg_import_source_add_contact:
 * @self: a fed #RgImportSource
 * @address: an address the source's address book lists (an address list is fine)
 *
 * The addresses added to one import replace those the source listed before, so add every
 * address of the book each time it is read. An address book entry vouches for its exact
 * address only.
 */
void
rg_import_source_add_contact(RgImportSource *self, const char *address)
{
	g_return_if_fail(RG_IS_IMPORT_SOURCE(self) && self->kind == &rg_import_feed);
	g_return_if_fail(address != NULL);
	if (self->contacts == NULL)
		self->contacts = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(self->contacts, g_strdup(address));
}

/* ------------------------------------------------------------------ jobs */

/* @identities (nullable): the session's own addresses of the user, besides the source's */
RgImportJob *
rg_import_source_prepare(RgImportSource *self,
                         RgPolicy *policy,
                         RgEnvironment *env,
                         GPtrArray *identities,
                         GError **error)
{
	RgImportJob *job;
	gpointer data;

	g_return_val_if_fail(RG_IS_IMPORT_SOURCE(self), NULL);
	data = self->kind->prepare(self, policy, env, identities, error);
	if (data == NULL)
		return NULL;
	job = g_new0(RgImportJob, 1);
	job->kind = self->kind;
	job->data = data;
	job->is_explicit = self->path != NULL;
	return job;
}

gboolean
rg_import_job_run(RgImportJob *job,
                  RgStore *store,
                  GCancellable *cancellable,
                  RgProgressFunc progress,
                  gpointer user_data,
                  RgImportResult *result,
                  GError **error)
{
	RgImportResult res = {0};
	gboolean ok =
	    job->kind->run(job->data, store, cancellable, progress, user_data, &res, error);
	if (result != NULL)
		*result = res;
	return ok;
}

/* whether the caller named the source: then a missing one is an error, not a default that
 * happens not to exist */
gboolean
rg_import_job_is_explicit(RgImportJob *job)
{
	return job->is_explicit;
}

void
rg_import_job_free(RgImportJob *job)
{
	if (job == NULL)
		return;
	job->kind->free_data(job->data);
	g_free(job);
}
