/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What Claws Mail holds itself about the user's correspondents: the Sent folder of every
 * account and every address book. Claws' API is not thread-safe, so they are read here, on
 * the main loop, in idle slices of bounded time, and handed to the core, which counts and
 * stores them in a worker thread (rg_import_source_new_feed()). A local MH folder is a
 * directory of files the core reads itself in that thread (rg_import_source_new_mh()). A
 * remote folder is read only from Claws' cache on disk, never from its server; another local
 * folder is scanned when it changed, which reads only the disk. Each source keeps its state
 * in the store (the highest message number read, the folder's time), so a later start reads
 * only what is new and an unchanged folder is not even listed. */
#include "config.h"

#include "rg-claws.h"
#include "rg-prefs.h"

#include <glib/gi18n-lib.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>

#include "account.h"
#include "addrbook.h"
#include "addrindex.h"
#include "addritem.h"
#include "common/defs.h"
#include "common/log.h"
#include "folder.h"
#include "msgcache.h"
#include "prefs_account.h"
#include "procmsg.h"

/* how long one slice of reading may keep the main loop */
#define RG_CLAWS_SLICE_US 4000
/* how many messages between two looks at the clock */
#define RG_CLAWS_CLOCK_EVERY 64

/* where the reading of a folder is */
typedef enum {
	RG_CLAWS_FOLDER_NEW,      /* not looked at yet */
	RG_CLAWS_FOLDER_COUNTING, /* a local folder's files are counted in a thread */
	RG_CLAWS_FOLDER_COUNTED,  /* they are: decide, then list from Claws' cache */
	RG_CLAWS_FOLDER_READING,  /* the messages are handed over, slice by slice */
} RgClawsFolderPhase;

/* a Sent folder while it is read */
typedef struct {
	char *identifier; /* folder_item_get_identifier() */
	char *label;
	RgClawsFolderPhase phase;
	gboolean local;
	char *path;        /* the folder on disk (a remote one's cache), in the locale's encoding */
	MsgInfoList *list; /* from Claws' cache */
	MsgInfoList *next;
	MsgCache *private_cache; /* a remote folder's cache file, read here; or NULL */
	RgImportSource *source;
	gboolean known; /* the store has a record of it */
	gboolean replace;
	gint64 last;  /* the highest message number read before */
	gint64 max;   /* the highest one seen now */
	gint64 files; /* a local folder: how many message files it holds, and */
	gint64 top;   /* the highest number among them */
	char *stamp;  /* a remote folder: its cache file's time and size */
	char *stored; /* the state the store holds */
	guint n_added;
} RgClawsFolder;

static void
rg_claws_folder_free(RgClawsFolder *f)
{
	if (f == NULL)
		return;
	g_free(f->identifier);
	g_free(f->label);
	g_free(f->path);
	g_free(f->stamp);
	g_free(f->stored);
	if (f->list != NULL)
		procmsg_msg_list_free(f->list);
	if (f->private_cache != NULL)
		msgcache_destroy(f->private_cache);
	g_clear_object(&f->source);
	g_free(f);
}

static struct {
	gboolean running;
	gboolean again; /* read everything again */
	guint idle;
	GCancellable *cancellable;
	RgSession *session;
	GPtrArray *records; /* RgImportRecord: what the store knew when the run began */
	GPtrArray *identities;
	char *digest;          /* of the identities */
	GQueue folders;        /* RgClawsFolder, still to read */
	RgClawsFolder *folder; /* being read */
	gboolean books_read;
	GQueue imports;  /* RgImportSource, ready for the core */
	guint pending;   /* imports and counts running in threads for us */
	guint n_handed;  /* messages and addresses handed over in this run */
	guint n_changed; /* sources written in this run */
	gint64 started;  /* monotonic µs, for the log */
	gint64 longest;  /* the longest slice on the main loop, µs */
	guint n_slices;
	RgClawsSourcesNotify notify;
	gpointer notify_data;
} rg_claws_reader;

static gboolean rg_claws_reader_slice_cb(gpointer data);

static void
rg_claws_reader_notify(void)
{
	if (rg_claws_reader.notify != NULL)
		rg_claws_reader.notify(rg_claws_reader.notify_data);
}

static void
rg_claws_reader_resume(void)
{
	rg_claws_reader.idle =
	    g_idle_add_full(G_PRIORITY_LOW, rg_claws_reader_slice_cb, NULL, NULL);
}

static void rg_claws_reader_clear(void);

/* a thread of ours ended (a count, an import): go on, or finish a cancelled run */
static gboolean
rg_claws_reader_returned(void)
{
	rg_claws_reader.pending--;
	if (!g_cancellable_is_cancelled(rg_claws_reader.cancellable))
		return TRUE;
	if (rg_claws_reader.pending == 0)
		rg_claws_reader_clear();
	return FALSE;
}

/* ------------------------------------------------------------------ folders */

static void
rg_claws_queue_folder(GHashTable *seen, FolderItem *item, const char *account)
{
	RgClawsFolder *f;
	char *id;

	if (item == NULL || item->no_select || item->folder == NULL)
		return;
	id = folder_item_get_identifier(item);
	if (id == NULL || !g_hash_table_add(seen, id))
		return;
	f = g_new0(RgClawsFolder, 1);
	f->identifier = g_strdup(id);
	/* TRANSLATORS: the name of a mail folder and, in brackets, the account it belongs to */
	f->label = g_strdup_printf(_("%1$s (%2$s)"), item->name != NULL ? item->name : id, account);
	g_queue_push_tail(&rg_claws_reader.folders, f);
}

/* in a thread: how many message files a local (MH) folder holds and the highest number;
 * this reads the directory only, and touches nothing of Claws' */
static void
rg_claws_count_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	RgClawsFolder *f = data;
	g_autoptr(GDir) dir = g_dir_open(f->path, 0, NULL);
	const char *name;

	f->files = 0;
	f->top = 0;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		char *end = NULL;
		guint64 n = g_ascii_strtoull(name, &end, 10);
		if (end == name || *end != '\0')
			continue;
		f->files++;
		f->top = MAX(f->top, (gint64)n);
	}
	g_task_return_boolean(task, dir != NULL);
}

static void
rg_claws_count_done_cb(GObject *source, GAsyncResult *res, gpointer data)
{
	RgClawsFolder *f = data;

	if (!rg_claws_reader_returned())
		return;
	f->phase = RG_CLAWS_FOLDER_COUNTED;
	if (!g_task_propagate_boolean(G_TASK(res), NULL))
		f->files = -1;
	rg_claws_reader_resume();
}

/* the identifier of the folder an MH source reads, for the log */
#define RG_CLAWS_FOLDER_KEY "rg-claws-folder"

/* A local MH folder is a directory of message files the core reads itself, in its worker
 * thread, touching nothing of Claws': Claws scanning a large folder it has no cache of yet
 * would keep the main loop for seconds (22 s for 50,000 messages). The core lists the
 * directory and reads only the files numbered above the highest one it read; while their
 * number and the highest one stay the same, it reads and writes nothing. */
static void
rg_claws_folder_hand_mh(RgClawsFolder *f, const char *dir)
{
	RgImportSource *source = rg_import_source_new_mh(dir);

	rg_import_source_set_record(source, RG_CLAWS_KIND_FOLDER, f->identifier, f->label);
	rg_import_source_set_replace(source, rg_claws_reader.again);
	for (guint i = 0; i < rg_claws_reader.identities->len; i++)
		rg_import_source_add_identity(source,
		                              g_ptr_array_index(rg_claws_reader.identities, i));
	g_object_set_data_full(
	    G_OBJECT(source), RG_CLAWS_FOLDER_KEY, g_strdup(f->identifier), g_free);
	g_queue_push_tail(&rg_claws_reader.imports, source);
}

/* looks the folder up; an MH one goes to the core, another local one is counted in a
 * thread (FALSE: wait for it) */
static gboolean
rg_claws_folder_begin(RgClawsFolder *f, gboolean *drop)
{
	FolderItem *item = folder_find_item_from_identifier(f->identifier);
	RgImportRecord *r =
	    rg_import_record_find(rg_claws_reader.records, RG_CLAWS_KIND_FOLDER, f->identifier);
	g_autofree char *dir = NULL;
	g_autoptr(GTask) task = NULL;

	*drop = item == NULL || item->folder == NULL || (dir = folder_item_get_path(item)) == NULL;
	if (*drop)
		return TRUE;
	f->local = FOLDER_IS_LOCAL(item->folder);
	if (FOLDER_TYPE(item->folder) == F_MH) {
		rg_claws_folder_hand_mh(f, dir);
		*drop = TRUE;
		return TRUE;
	}
	f->known = r != NULL;
	f->stored = r != NULL ? g_strdup(r->state) : NULL;
	if (!f->local) {
		/* only what Claws has in its cache, whose file says when it changed */
		struct stat st;
		f->path = g_build_filename(dir, CACHE_FILE, NULL);
		if (stat(f->path, &st) == 0)
			f->stamp = g_strdup_printf("%" G_GINT64_FORMAT ".%09ld:%" G_GINT64_FORMAT,
			                           (gint64)st.st_mtim.tv_sec,
			                           st.st_mtim.tv_nsec,
			                           (gint64)st.st_size);
		f->phase = RG_CLAWS_FOLDER_COUNTED;
		return TRUE;
	}
	f->path = g_steal_pointer(&dir);
	f->phase = RG_CLAWS_FOLDER_COUNTING;
	rg_claws_reader.pending++;
	task = g_task_new(NULL, rg_claws_reader.cancellable, rg_claws_count_done_cb, f);
	g_task_set_task_data(task, f, NULL);
	g_task_run_in_thread(task, rg_claws_count_thread);
	return FALSE;
}

/* whether anything may be new since the stored state */
static gboolean
rg_claws_folder_changed(RgClawsFolder *f, FolderItem *item)
{
	g_autofree char *digest = rg_import_state_lookup(f->stored, "identities");
	g_autofree char *stamp = rg_import_state_lookup(f->stored, "cache");

	f->replace =
	    !f->known || rg_claws_reader.again || g_strcmp0(digest, rg_claws_reader.digest) != 0;
	f->last = f->replace ? -1 : rg_import_state_lookup_int(f->stored, "last");
	if (f->replace)
		return TRUE;
	if (f->local)
		/* no file came or went: nothing to list */
		return f->top != f->last ||
		       f->files != rg_import_state_lookup_int(f->stored, "files");
	/* a cache Claws holds in memory may have more than its file */
	return item->cache != NULL || g_strcmp0(stamp, f->stamp) != 0;
}

/* decides whether @f has anything new, and lists its messages from Claws' cache; FALSE
 * when there is nothing to read */
static gboolean
rg_claws_folder_list(RgClawsFolder *f)
{
	FolderItem *item = folder_find_item_from_identifier(f->identifier);

	if (item == NULL || item->folder == NULL || (f->local && f->files < 0))
		return FALSE;
	if (!rg_claws_folder_changed(f, item))
		return FALSE;
	if (f->local) {
		/* the cache may lag behind the folder; scanning a local folder reads only the
		 * disk */
		if (item->folder->klass->scan_required == NULL ||
		    item->folder->klass->scan_required(item->folder, item))
			folder_item_scan(item);
		f->list = folder_item_get_msg_list(item);
	} else if (item->cache != NULL) {
		f->list = folder_item_get_msg_list(item);
	} else if (f->stamp != NULL) {
		/* read the cache file here: asking Claws for a folder it has no cache of in
		 * memory could make it scan the folder on its server */
		f->private_cache = msgcache_read_cache(item, f->path);
		if (f->private_cache == NULL)
			return FALSE;
		f->list = msgcache_get_msg_list(f->private_cache);
	} else {
		return FALSE;
	}
	f->next = f->list;
	f->max = MAX(f->last, 0);
	f->source = rg_import_source_new_feed(RG_CLAWS_KIND_FOLDER, f->identifier, f->label);
	rg_import_source_set_replace(f->source, f->replace);
	for (guint i = 0; i < rg_claws_reader.identities->len; i++)
		rg_import_source_add_identity(f->source,
		                              g_ptr_array_index(rg_claws_reader.identities, i));
	g_debug("sources: %s: %u messages in Claws' cache, reading from %" G_GINT64_FORMAT "%s",
	        f->identifier,
	        g_slist_length(f->list),
	        f->last + 1,
	        f->replace ? " (all of it)" : "");
	return TRUE;
}

/* hands over the messages of @f that are new, until @deadline; TRUE when it is through */
static gboolean
rg_claws_folder_read(RgClawsFolder *f, gint64 deadline)
{
	guint n = 0;

	for (; f->next != NULL; f->next = f->next->next) {
		MsgInfo *m = f->next->data;
		g_autofree char *recipients = NULL;

		if (++n % RG_CLAWS_CLOCK_EVERY == 0 && g_get_monotonic_time() > deadline)
			return FALSE;
		if (m == NULL || (gint64)m->msgnum <= f->last || MSG_IS_DELETED(m->flags))
			continue;
		f->max = MAX(f->max, (gint64)m->msgnum);
		recipients =
		    g_strjoin(", ", m->to != NULL ? m->to : "", m->cc != NULL ? m->cc : "", NULL);
		rg_import_source_add_message(f->source, m->msgid, m->from, recipients, m->date_t);
		f->n_added++;
	}
	return TRUE;
}

/* the folder is read: what is new goes to the core, with where the next read starts */
static void
rg_claws_folder_finish(RgClawsFolder *f)
{
	g_autofree char *state = NULL;

	/* numbers only go up; a highest one below the last read means the folder was
	 * renumbered (a new IMAP UID validity): read all of it the next time */
	if (!f->replace && f->last > 0 && f->max < f->last)
		f->max = 0;
	state = g_strdup_printf("last=%" G_GINT64_FORMAT ";files=%" G_GINT64_FORMAT
	                        ";cache=%s;identities=%s",
	                        f->max,
	                        f->local ? f->files : 0,
	                        f->stamp != NULL ? f->stamp : "",
	                        rg_claws_reader.digest);
	/* an empty folder never read is not worth a record, nor a known one still the same */
	if (f->n_added == 0 && (!f->known || g_strcmp0(state, f->stored) == 0))
		return;
	rg_import_source_set_state(f->source, state);
	g_debug("sources: %s: %u new messages handed over", f->identifier, f->n_added);
	rg_claws_reader.n_handed += f->n_added;
	g_queue_push_tail(&rg_claws_reader.imports, g_steal_pointer(&f->source));
}

/* ------------------------------------------------------------------ address books */

typedef struct {
	char *name;
	char *label;
	GPtrArray *addresses;
} RgClawsBook;

static void
rg_claws_book_free(RgClawsBook *b)
{
	g_free(b->name);
	g_free(b->label);
	g_ptr_array_unref(b->addresses);
	g_free(b);
}

static GHashTable *rg_claws_books; /* AddressDataSource → RgClawsBook, while they are read */

static gint
rg_claws_person_cb(ItemPerson *person, AddressDataSource *ds)
{
	RgClawsBook *b = g_hash_table_lookup(rg_claws_books, ds);

	if (b == NULL) {
		const char *label = addrindex_ds_get_name(ds);
		b = g_new0(RgClawsBook, 1);
		/* an address book file is named by its file; other kinds (vCard, JPilot) by
		 * their kind and name */
		if (ds->type == ADDR_IF_BOOK && ds->rawDataSource != NULL &&
		    ((AddressBookFile *)ds->rawDataSource)->fileName != NULL)
			b->name = g_strdup(((AddressBookFile *)ds->rawDataSource)->fileName);
		else
			b->name = g_strdup_printf("%d:%s", ds->type, label != NULL ? label : "");
		b->label = g_strdup(label);
		b->addresses = g_ptr_array_new_with_free_func(g_free);
		g_hash_table_insert(rg_claws_books, ds, b);
	}
	for (GList *l = person->listEMail; l != NULL; l = l->next) {
		ItemEMail *e = l->data;
		if (e != NULL && e->address != NULL && e->address[0] != '\0')
			g_ptr_array_add(b->addresses, g_strdup(e->address));
	}
	return 0;
}

/* every address book that changed goes to the core, with all its addresses */
static void
rg_claws_books_read(void)
{
	GHashTableIter iter;
	gpointer value;

	rg_claws_books = g_hash_table_new_full(
	    g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)rg_claws_book_free);
	/* local address books only: LDAP and other servers are queried, never read whole */
	addrindex_load_person_ds(rg_claws_person_cb);
	g_hash_table_iter_init(&iter, rg_claws_books);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RgClawsBook *b = value;
		RgImportRecord *r =
		    rg_import_record_find(rg_claws_reader.records, RG_CLAWS_KIND_BOOK, b->name);
		g_autofree char *digest =
		    rg_import_digest((const char *const *)b->addresses->pdata, b->addresses->len);
		g_autofree char *state = g_strdup_printf("addresses=%s", digest);
		RgImportSource *source;

		if (!rg_claws_reader.again &&
		    (r != NULL ? g_strcmp0(r->state, state) == 0 : b->addresses->len == 0))
			continue;
		source = rg_import_source_new_feed(RG_CLAWS_KIND_BOOK, b->name, b->label);
		/* a book is read whole: its list replaces the one read before */
		rg_import_source_set_replace(source, TRUE);
		rg_import_source_set_state(source, state);
		for (guint i = 0; i < b->addresses->len; i++)
			rg_import_source_add_contact(source, g_ptr_array_index(b->addresses, i));
		g_debug("sources: address book %s: %u addresses handed over",
		        b->name,
		        b->addresses->len);
		rg_claws_reader.n_handed += b->addresses->len;
		g_queue_push_tail(&rg_claws_reader.imports, source);
	}
	g_clear_pointer(&rg_claws_books, g_hash_table_unref);
}

/* ------------------------------------------------------------------ the run */

static void
rg_claws_reader_clear(void)
{
	RgImportSource *source;

	g_clear_pointer(&rg_claws_reader.folder, rg_claws_folder_free);
	g_queue_clear_full(&rg_claws_reader.folders, (GDestroyNotify)rg_claws_folder_free);
	while ((source = g_queue_pop_head(&rg_claws_reader.imports)) != NULL)
		g_object_unref(source);
	g_clear_pointer(&rg_claws_reader.records, g_ptr_array_unref);
	g_clear_pointer(&rg_claws_reader.identities, g_ptr_array_unref);
	g_clear_pointer(&rg_claws_reader.digest, g_free);
	g_clear_object(&rg_claws_reader.session);
	g_clear_object(&rg_claws_reader.cancellable);
	rg_claws_reader.running = FALSE;
}

static void
rg_claws_reader_import_done_cb(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(RgImportSource) import = data;
	g_autoptr(GError) error = NULL;
	RgImportResult result = {0};
	gboolean ok = rg_session_import_finish(RG_SESSION(source), res, &result, &error);
	const char *mh = g_object_get_data(G_OBJECT(import), RG_CLAWS_FOLDER_KEY);

	if (!rg_claws_reader_returned())
		return;
	if (!ok) {
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: %s is a technical error message */
		            _("Recipient check: a folder or address book could not be read: %s\n"),
		            error->message);
	} else if (result.unchanged) {
		g_debug("sources: %s: unchanged", mh);
	} else {
		if (mh != NULL) {
			g_debug("sources: %s: %u new messages read", mh, result.n_messages);
			rg_claws_reader.n_handed += result.n_messages;
		}
		g_debug("sources: stored %u messages (%u sent, %u received) and %u addresses",
		        result.n_messages,
		        result.n_sent,
		        result.n_received,
		        result.n_contacts);
		rg_claws_reader.n_changed++;
	}
	rg_claws_reader_resume();
}

/* the next import waiting, if any; TRUE when one was started */
static gboolean
rg_claws_reader_import_next(void)
{
	RgImportSource *source = g_queue_pop_head(&rg_claws_reader.imports);

	if (source == NULL)
		return FALSE;
	rg_claws_reader.pending++;
	rg_session_import_async(rg_claws_reader.session,
	                        source,
	                        rg_claws_reader.cancellable,
	                        NULL,
	                        NULL,
	                        NULL,
	                        rg_claws_reader_import_done_cb,
	                        source);
	return TRUE;
}

/* one step of the folder being read; FALSE when the run must wait for a thread */
static gboolean
rg_claws_folder_step(RgClawsFolder *f, gint64 deadline, gboolean *done)
{
	gboolean drop = FALSE;

	*done = FALSE;
	switch (f->phase) {
	case RG_CLAWS_FOLDER_NEW:
		if (!rg_claws_folder_begin(f, &drop))
			return FALSE;
		*done = drop;
		return TRUE;
	case RG_CLAWS_FOLDER_COUNTING:
		return FALSE;
	case RG_CLAWS_FOLDER_COUNTED:
		if (rg_claws_folder_list(f))
			f->phase = RG_CLAWS_FOLDER_READING;
		else
			*done = TRUE;
		return TRUE;
	case RG_CLAWS_FOLDER_READING:
	default:
		if (rg_claws_folder_read(f, deadline)) {
			rg_claws_folder_finish(f);
			*done = TRUE;
		}
		return TRUE;
	}
}

/* one slice: read until the deadline, or hand a source to the core and wait for it */
static gboolean rg_claws_reader_slice(gint64 deadline);

/* a slice, and how long it kept the main loop (scanning a folder is Claws' own work and may
 * take longer than the slice's budget) */
static gboolean
rg_claws_reader_slice_cb(gpointer data)
{
	gint64 t0 = g_get_monotonic_time();
	gboolean again = rg_claws_reader_slice(t0 + RG_CLAWS_SLICE_US);
	gint64 spent = g_get_monotonic_time() - t0;

	/* the run may have ended and been cleared in the slice: its figures went to the log */
	rg_claws_reader.longest = MAX(rg_claws_reader.longest, spent);
	rg_claws_reader.n_slices++;
	return again;
}

static gboolean
rg_claws_reader_slice(gint64 deadline)
{
	while (g_get_monotonic_time() < deadline) {
		RgClawsFolder *f = rg_claws_reader.folder;
		gboolean done = FALSE;

		if (f != NULL) {
			if (!rg_claws_folder_step(f, deadline, &done)) {
				rg_claws_reader.idle = 0;
				return G_SOURCE_REMOVE;
			}
			if (done)
				g_clear_pointer(&rg_claws_reader.folder, rg_claws_folder_free);
			continue;
		}
		if (rg_claws_reader_import_next()) {
			rg_claws_reader.idle = 0;
			return G_SOURCE_REMOVE;
		}
		rg_claws_reader.folder = g_queue_pop_head(&rg_claws_reader.folders);
		if (rg_claws_reader.folder != NULL)
			continue;
		if (!rg_claws_reader.books_read) {
			rg_claws_reader.books_read = TRUE;
			rg_claws_books_read();
			continue;
		}
		g_debug("sources: done, %u messages and addresses handed over, %u sources written "
		        "(%.1f ms; %u slices on the main loop, the longest %.1f ms)",
		        rg_claws_reader.n_handed,
		        rg_claws_reader.n_changed,
		        (g_get_monotonic_time() - rg_claws_reader.started) / 1000.0,
		        rg_claws_reader.n_slices,
		        rg_claws_reader.longest / 1000.0);
		rg_claws_reader.idle = 0;
		rg_claws_reader_clear();
		rg_claws_reader_notify();
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/**
 * rg_claws_sources_start:
 * @again: read every folder and address book from the start, replacing what they gave
 *
 * Reads what is new in the Sent folder of every account and in every address book, in
 * idle slices; the store keeps it, and the next check sees it.
 *
 * Returns: FALSE when a read is running already
 */
gboolean
rg_claws_sources_start(gboolean again)
{
	g_autoptr(GHashTable) seen = NULL;
	g_autoptr(GError) error = NULL;

	if (rg_claws_reader.running)
		return FALSE;
	rg_claws_reader.session = rg_claws_session_new(NULL);
	rg_session_load_policy(rg_claws_reader.session, NULL);
	rg_claws_reader.records = rg_session_list_sources(rg_claws_reader.session, &error);
	if (rg_claws_reader.records == NULL) {
		log_warning(LOG_PROTOCOL,
		            /* TRANSLATORS: %s is a technical error message */
		            _("Recipient check: the history store could not be read: %s\n"),
		            error->message);
		g_clear_object(&rg_claws_reader.session);
		return FALSE;
	}
	rg_claws_reader.running = TRUE;
	rg_claws_reader.again = again;
	rg_claws_reader.books_read = FALSE;
	rg_claws_reader.n_handed = 0;
	rg_claws_reader.n_changed = 0;
	rg_claws_reader.started = g_get_monotonic_time();
	rg_claws_reader.longest = 0;
	rg_claws_reader.n_slices = 0;
	rg_claws_reader.cancellable = g_cancellable_new();
	rg_claws_reader.identities = g_ptr_array_new_with_free_func(g_free);
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (GList *l = account_get_list(); l != NULL; l = l->next) {
		PrefsAccount *ac = l->data;
		if (ac->address != NULL && ac->address[0] != '\0')
			g_ptr_array_add(rg_claws_reader.identities,
			                g_ascii_strdown(ac->address, -1));
		rg_claws_queue_folder(seen,
		                      account_get_special_folder(ac, F_OUTBOX),
		                      ac->account_name != NULL ? ac->account_name : "");
	}
	rg_claws_reader.digest =
	    rg_import_digest((const char *const *)rg_claws_reader.identities->pdata,
	                     rg_claws_reader.identities->len);
	g_debug("sources: reading %u folders and the address books%s",
	        g_queue_get_length(&rg_claws_reader.folders),
	        again ? ", all of them again" : "");
	rg_claws_reader_resume();
	rg_claws_reader_notify();
	return TRUE;
}

gboolean
rg_claws_sources_running(void)
{
	return rg_claws_reader.running;
}

/* the preferences page is told when a read ends */
void
rg_claws_sources_set_notify(RgClawsSourcesNotify notify, gpointer data)
{
	rg_claws_reader.notify = notify;
	rg_claws_reader.notify_data = data;
}

/* an import the core runs for this module has a callback that is this module's code */
gboolean
rg_claws_sources_in_progress(void)
{
	return rg_claws_reader.pending > 0;
}

/* the plugin is being unloaded: no more slices; an import in the core is cancelled, and
 * what it read is not written */
void
rg_claws_sources_cancel(void)
{
	if (rg_claws_reader.idle != 0) {
		g_source_remove(rg_claws_reader.idle);
		rg_claws_reader.idle = 0;
	}
	rg_claws_reader.notify = NULL;
	if (!rg_claws_reader.running)
		return;
	g_cancellable_cancel(rg_claws_reader.cancellable);
	if (rg_claws_reader.pending == 0)
		rg_claws_reader_clear();
}

/* ------------------------------------------------------------------ the preferences page */

static RgSession *
rg_claws_page_session_new(void)
{
	return rg_claws_session_new(NULL);
}

static void
rg_claws_page_read_again(void)
{
	rg_claws_sources_start(TRUE);
}

static const RgSourcesPanelHost rg_claws_page_host = {
    .kind_prefix = "claws-",
    .session_new = rg_claws_page_session_new,
    .running = rg_claws_sources_running,
    .read_again = rg_claws_page_read_again,
    .set_notify = rg_claws_sources_set_notify,
};

/**
 * rg_claws_sources_add_to_page:
 * @box: the history section of the preferences page
 * @enabled: whether reading them is switched on
 *
 * Adds what was read from Claws' own folders and address books, per source with its
 * counts, and "Read Again".
 */
void
rg_claws_sources_add_to_page(GtkWidget *box, gboolean enabled)
{
	gtk_box_pack_start(
	    GTK_BOX(box), rg_sources_panel_new(&rg_claws_page_host, enabled), FALSE, FALSE, 0);
}
