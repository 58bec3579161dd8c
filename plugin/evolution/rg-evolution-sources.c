/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What Evolution holds itself about the user's correspondents: every enabled address book
 * (through EDS and the shell's client cache) and the Sent folder of every identity plus the
 * local one (from Camel's message summaries: no bodies, and never online; a local folder is
 * refreshed, which reads only the disk). Everything runs asynchronously: the EDS and Camel
 * calls in their own threads, the summaries in a thread of ours, and the core counts and
 * stores what they hold in a worker (rg_import_source_new_feed()). Each source keeps its
 * state in the store, so a later start reads only what changed; shutdown cancels it. */
#include "config.h"

#include <e-util/e-util.h>
#include <glib/gi18n-lib.h>
#include <libebook/libebook.h>
#include <libemail-engine/libemail-engine.h>
#include <mail/e-mail-backend.h>
#include <string.h>

#include "rg-evolution-settings.h"
#include "rg-evolution-sources.h"

#define RG_EVOLUTION_KIND_FOLDER "evolution-folder"
#define RG_EVOLUTION_KIND_BOOK "evolution-addressbook"
/* how often the summary thread looks at its GCancellable */
#define RG_EVOLUTION_CANCEL_EVERY 500
/* how long an address book may take to come up */
#define RG_EVOLUTION_BOOK_WAIT 30 /* s */

typedef struct {
	EShell *shell;
	GCancellable *cancellable;
	gboolean again;
	RgSession *session;
	GPtrArray *records; /* RgImportRecord, what the store knew when the run began */
	GPtrArray *identities;
	char *digest;
	GQueue folders; /* char *: folder URIs */
	GQueue books;   /* ESource */
	guint n_handed;
	guint n_changed;
	gint64 started; /* monotonic µs, for the log */
	gint64 waited;  /* µs of it waiting for EDS to bring an address book up */
} RgEvolutionRun;

static RgEvolutionRun *rg_evolution_run = NULL;
static RgEvolutionSourcesNotify rg_evolution_notify = NULL;
static gpointer rg_evolution_notify_data = NULL;

static void rg_evolution_run_next(RgEvolutionRun *run);

static void
rg_evolution_run_free(RgEvolutionRun *run)
{
	g_clear_object(&run->cancellable);
	g_clear_object(&run->session);
	g_clear_pointer(&run->records, g_ptr_array_unref);
	g_clear_pointer(&run->identities, g_ptr_array_unref);
	g_free(run->digest);
	g_queue_clear_full(&run->folders, g_free);
	g_queue_clear_full(&run->books, g_object_unref);
	g_clear_object(&run->shell);
	g_free(run);
}

static const char *
rg_evolution_stored_state(RgEvolutionRun *run, const char *kind, const char *name)
{
	RgImportRecord *r = rg_import_record_find(run->records, kind, name);
	return r != NULL ? r->state : NULL;
}

/* a step ended; FALSE when the run was cancelled and freed */
static gboolean
rg_evolution_run_alive(RgEvolutionRun *run)
{
	if (!g_cancellable_is_cancelled(run->cancellable))
		return TRUE;
	if (rg_evolution_run == run)
		rg_evolution_run = NULL;
	rg_evolution_run_free(run);
	return FALSE;
}

static void
rg_evolution_import_done_cb(GObject *source, GAsyncResult *res, gpointer data)
{
	RgEvolutionRun *run = data;
	RgImportResult result = {0};
	g_autoptr(GError) error = NULL;
	gboolean ok = rg_session_import_finish(RG_SESSION(source), res, &result, &error);

	if (!rg_evolution_run_alive(run))
		return;
	if (!ok) {
		g_warning("a folder or address book could not be stored: %s", error->message);
	} else {
		g_debug("sources: stored %u messages (%u sent, %u received) and %u addresses",
		        result.n_messages,
		        result.n_sent,
		        result.n_received,
		        result.n_contacts);
		run->n_changed++;
	}
	rg_evolution_run_next(run);
}

static void
rg_evolution_import(RgEvolutionRun *run, RgImportSource *source)
{
	rg_session_import_async(run->session,
	                        source,
	                        run->cancellable,
	                        NULL,
	                        NULL,
	                        NULL,
	                        rg_evolution_import_done_cb,
	                        run);
}

/* ------------------------------------------------------------------ Sent folders */

/* what the summary thread needs; it owns none of the run */
typedef struct {
	CamelFolder *folder;
	char *uri;
	char *stored; /* the state the store holds */
	char *dirs;   /* a local folder: rg_import_maildir_stamp(), or NULL */
	char *digest;
	GPtrArray *identities;
	gboolean again;
	guint n_added;
} RgEvolutionFolderRead;

static void
rg_evolution_folder_read_free(RgEvolutionFolderRead *r)
{
	g_clear_object(&r->folder);
	g_free(r->uri);
	g_free(r->stored);
	g_free(r->dirs);
	g_free(r->digest);
	g_ptr_array_unref(r->identities);
	g_free(r);
}

static char *
rg_evolution_folder_label(CamelFolder *folder)
{
	CamelStore *store = camel_folder_get_parent_store(folder);
	const char *name = camel_folder_get_display_name(folder);

	if (store == NULL)
		return g_strdup(name);
	return g_strdup_printf(
	    /* TRANSLATORS: a mail folder and, in brackets, the account it belongs to */
	    _("%1$s (%2$s)"),
	    name,
	    camel_service_get_display_name(CAMEL_SERVICE(store)));
}

/* in a thread: the messages of the folder's summary that may be new, or NULL when nothing
 * changed since the stored state */
static void
rg_evolution_folder_thread(GTask *task, gpointer object, gpointer data, GCancellable *cancellable)
{
	RgEvolutionFolderRead *r = data;
	CamelStore *store = camel_folder_get_parent_store(r->folder);
	CamelProvider *provider =
	    store != NULL ? camel_service_get_provider(CAMEL_SERVICE(store)) : NULL;
	CamelFolderSummary *summary;
	g_autoptr(RgImportSource) source = NULL;
	g_autofree char *label = NULL;
	g_autofree char *stamp = NULL;
	g_autofree char *state = NULL;
	g_autofree char *stored_stamp = rg_import_state_lookup(r->stored, "summary");
	g_autofree char *stored_digest = rg_import_state_lookup(r->stored, "identities");
	gboolean replace;
	GPtrArray *uids;

	/* a local folder is brought up to date with its files; a remote one never goes to its
	 * server: its summary holds what Evolution fetched */
	if (provider != NULL && (provider->flags & CAMEL_PROVIDER_IS_REMOTE) == 0)
		camel_folder_refresh_info_sync(r->folder, cancellable, NULL);
	summary = camel_folder_get_folder_summary(r->folder);
	if (summary == NULL) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	stamp = g_strdup_printf("%u:%u",
	                        camel_folder_summary_count(summary),
	                        camel_folder_summary_get_next_uid(summary));
	replace = r->again || r->stored == NULL || g_strcmp0(stored_digest, r->digest) != 0;
	if (!replace && g_strcmp0(stamp, stored_stamp) == 0) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	label = rg_evolution_folder_label(r->folder);
	source = rg_import_source_new_feed(RG_EVOLUTION_KIND_FOLDER, r->uri, label);
	rg_import_source_set_replace(source, replace);
	for (guint i = 0; i < r->identities->len; i++)
		rg_import_source_add_identity(source, g_ptr_array_index(r->identities, i));
	camel_folder_summary_prepare_fetch_all(summary, NULL);
	/* every message of the summary: the core counts the ones it has not counted yet */
	uids = camel_folder_get_uids(r->folder);
	for (guint i = 0; uids != NULL && i < uids->len; i++) {
		g_autoptr(CamelMessageInfo) info = NULL;
		g_autofree char *id = NULL;
		g_autofree char *recipients = NULL;
		const char *to, *cc;

		if (i % RG_EVOLUTION_CANCEL_EVERY == 0 && g_cancellable_is_cancelled(cancellable))
			break;
		info = camel_folder_get_message_info(r->folder, g_ptr_array_index(uids, i));
		if (info == NULL || (camel_message_info_get_flags(info) &
		                     (CAMEL_MESSAGE_DELETED | CAMEL_MESSAGE_JUNK)))
			continue;
		/* the summary keeps a hash of the Message-ID only: it names the message among
		 * Evolution's folders */
		if (camel_message_info_get_message_id(info) != 0)
			id = g_strdup_printf("camel-%016" G_GINT64_MODIFIER "x",
			                     camel_message_info_get_message_id(info));
		to = camel_message_info_get_to(info);
		cc = camel_message_info_get_cc(info);
		recipients = g_strjoin(", ", to != NULL ? to : "", cc != NULL ? cc : "", NULL);
		rg_import_source_add_message(source,
		                             id,
		                             camel_message_info_get_from(info),
		                             recipients,
		                             camel_message_info_get_date_sent(info));
		r->n_added++;
	}
	if (uids != NULL)
		camel_folder_free_uids(r->folder, uids);
	if (g_task_return_error_if_cancelled(task))
		return;
	/* an empty folder never read is not worth a record */
	if (r->stored == NULL && r->n_added == 0) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	state = g_strdup_printf(
	    "summary=%s;dirs=%s;identities=%s", stamp, r->dirs != NULL ? r->dirs : "", r->digest);
	rg_import_source_set_state(source, state);
	g_task_return_pointer(task, g_steal_pointer(&source), g_object_unref);
}

static void
rg_evolution_folder_read_cb(GObject *object, GAsyncResult *res, gpointer data)
{
	RgEvolutionRun *run = data;
	RgEvolutionFolderRead *r = g_task_get_task_data(G_TASK(res));
	g_autoptr(RgImportSource) source = g_task_propagate_pointer(G_TASK(res), NULL);

	if (!rg_evolution_run_alive(run))
		return;
	if (source == NULL) {
		g_debug("sources: %s: nothing new", r->uri);
		rg_evolution_run_next(run);
		return;
	}
	g_debug("sources: %s: %u messages handed over", r->uri, r->n_added);
	run->n_handed += r->n_added;
	rg_evolution_import(run, source);
}

/* a folder being opened */
typedef struct {
	RgEvolutionRun *run;
	char *uri;
	char *dirs;
} RgEvolutionFolderOpen;

static void
rg_evolution_folder_cb(GObject *object, GAsyncResult *res, gpointer data)
{
	g_autofree RgEvolutionFolderOpen *open = data;
	g_autofree char *uri = open->uri;
	g_autofree char *dirs = open->dirs;
	RgEvolutionRun *run = open->run;
	g_autoptr(GError) error = NULL;
	CamelFolder *folder =
	    e_mail_session_uri_to_folder_finish(E_MAIL_SESSION(object), res, &error);
	RgEvolutionFolderRead *r;
	g_autoptr(GTask) task = NULL;

	if (!rg_evolution_run_alive(run)) {
		g_clear_object(&folder);
		return;
	}
	if (folder == NULL) {
		g_debug("sources: a Sent folder cannot be opened: %s", error->message);
		rg_evolution_run_next(run);
		return;
	}
	r = g_new0(RgEvolutionFolderRead, 1);
	r->folder = folder;
	r->uri = g_strdup(uri);
	r->stored = g_strdup(rg_evolution_stored_state(run, RG_EVOLUTION_KIND_FOLDER, uri));
	r->dirs = g_steal_pointer(&dirs);
	r->digest = g_strdup(run->digest);
	r->identities = g_ptr_array_ref(run->identities);
	r->again = run->again;
	task = g_task_new(NULL, run->cancellable, rg_evolution_folder_read_cb, run);
	g_task_set_task_data(task, r, (GDestroyNotify)rg_evolution_folder_read_free);
	g_task_run_in_thread(task, rg_evolution_folder_thread);
}

/* the directory of a folder of Evolution's local store, a Maildir ("Sent" is LOCAL/.Sent), or
 * NULL when @uri is not a plain folder there */
static char *
rg_evolution_local_dir(EMailSession *session, const char *uri)
{
	const char *name;
	CamelStore *store;
	g_autoptr(CamelSettings) settings = NULL;
	g_autofree char *path = NULL;
	g_autofree char *dotted = NULL;

	if (!g_str_has_prefix(uri, "folder://local/"))
		return NULL;
	name = uri + strlen("folder://local/");
	/* other names need the store's own escaping */
	if (name[0] == '\0' || strspn(name,
	                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                              "0123456789_-") != strlen(name))
		return NULL;
	store = e_mail_session_get_local_store(session);
	settings = store != NULL ? camel_service_ref_settings(CAMEL_SERVICE(store)) : NULL;
	if (!CAMEL_IS_LOCAL_SETTINGS(settings))
		return NULL;
	path = camel_local_settings_dup_path(CAMEL_LOCAL_SETTINGS(settings));
	if (path == NULL)
		return NULL;
	dotted = g_strconcat(".", name, NULL);
	return g_build_filename(path, dotted, NULL);
}

static void
rg_evolution_open_folder(RgEvolutionRun *run, char *uri)
{
	EShellBackend *backend = e_shell_get_backend_by_name(run->shell, "mail");
	EMailSession *session =
	    backend != NULL ? e_mail_backend_get_session(E_MAIL_BACKEND(backend)) : NULL;
	RgEvolutionFolderOpen *open;
	g_autofree char *dir = NULL;
	g_autofree char *dirs = NULL;

	if (session == NULL) {
		g_free(uri);
		rg_evolution_run_next(run);
		return;
	}
	/* A local folder whose files did not change since it was read has nothing new: it is
	 * not even opened, which for a large one means Camel loading its whole summary and
	 * looking at every file. The times are taken before it is read, so that what comes
	 * meanwhile shows next time. */
	dir = rg_evolution_local_dir(session, uri);
	dirs = dir != NULL ? rg_import_maildir_stamp(dir) : NULL;
	if (dirs != NULL && !run->again) {
		const char *stored = rg_evolution_stored_state(run, RG_EVOLUTION_KIND_FOLDER, uri);
		g_autofree char *stored_dirs = rg_import_state_lookup(stored, "dirs");
		g_autofree char *stored_digest = rg_import_state_lookup(stored, "identities");
		if (g_strcmp0(stored_dirs, dirs) == 0 &&
		    g_strcmp0(stored_digest, run->digest) == 0) {
			g_debug("sources: %s: nothing new (its files are as they were)", uri);
			g_free(uri);
			rg_evolution_run_next(run);
			return;
		}
	}
	open = g_new0(RgEvolutionFolderOpen, 1);
	open->run = run;
	open->uri = uri;
	open->dirs = g_steal_pointer(&dirs);
	/* opening a folder reads its summary; it does not connect to a server */
	e_mail_session_uri_to_folder(
	    session, uri, 0, G_PRIORITY_LOW, run->cancellable, rg_evolution_folder_cb, open);
}

/* ------------------------------------------------------------------ address books */

typedef struct {
	RgEvolutionRun *run;
	ESource *source;
	EBookClient *client;
	char *revision;
	gint64 asked; /* monotonic µs: when the client was asked for */
} RgEvolutionBookRead;

static void
rg_evolution_book_read_free(RgEvolutionBookRead *b)
{
	g_clear_object(&b->source);
	g_clear_object(&b->client);
	g_free(b->revision);
	g_free(b);
}

static void
rg_evolution_book_contacts_cb(GObject *object, GAsyncResult *res, gpointer data)
{
	RgEvolutionBookRead *b = data;
	RgEvolutionRun *run = b->run;
	g_autoptr(GError) error = NULL;
	GSList *contacts = NULL;
	g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(RgImportSource) source = NULL;
	g_autofree char *digest = NULL;
	g_autofree char *state = NULL;
	g_autofree char *stored_digest = NULL;
	const char *uid = e_source_get_uid(b->source);
	gboolean ok =
	    e_book_client_get_contacts_finish(E_BOOK_CLIENT(object), res, &contacts, &error);

	if (!rg_evolution_run_alive(run)) {
		g_slist_free_full(contacts, g_object_unref);
		rg_evolution_book_read_free(b);
		return;
	}
	if (!ok) {
		g_debug("sources: address book %s cannot be read: %s", uid, error->message);
		rg_evolution_book_read_free(b);
		rg_evolution_run_next(run);
		return;
	}
	for (GSList *l = contacts; l != NULL; l = l->next) {
		GList *emails = e_contact_get(l->data, E_CONTACT_EMAIL);
		for (GList *e = emails; e != NULL; e = e->next)
			if (e->data != NULL && ((char *)e->data)[0] != '\0')
				g_ptr_array_add(addresses, g_strdup(e->data));
		g_list_free_full(emails, g_free);
	}
	g_slist_free_full(contacts, g_object_unref);
	digest = rg_import_digest((const char *const *)addresses->pdata, addresses->len);
	state = g_strdup_printf(
	    "revision=%s;addresses=%s", b->revision != NULL ? b->revision : "", digest);
	stored_digest = rg_import_state_lookup(
	    rg_evolution_stored_state(run, RG_EVOLUTION_KIND_BOOK, uid), "addresses");
	/* the same addresses as before (only a revision moved): nothing to write */
	if (!run->again &&
	    (stored_digest != NULL ? g_strcmp0(stored_digest, digest) == 0 : addresses->len == 0)) {
		rg_evolution_book_read_free(b);
		rg_evolution_run_next(run);
		return;
	}
	source = rg_import_source_new_feed(
	    RG_EVOLUTION_KIND_BOOK, uid, e_source_get_display_name(b->source));
	/* a book is read whole: its list replaces the one read before */
	rg_import_source_set_replace(source, TRUE);
	rg_import_source_set_state(source, state);
	for (guint i = 0; i < addresses->len; i++)
		rg_import_source_add_contact(source, g_ptr_array_index(addresses, i));
	g_debug("sources: address book %s: %u addresses handed over", uid, addresses->len);
	run->n_handed += addresses->len;
	rg_evolution_book_read_free(b);
	rg_evolution_import(run, source);
}

static void
rg_evolution_book_revision_cb(GObject *object, GAsyncResult *res, gpointer data)
{
	RgEvolutionBookRead *b = data;
	RgEvolutionRun *run = b->run;
	g_autofree char *stored = NULL;
	g_autofree char *query = NULL;
	EBookQuery *q;
	const char *uid = e_source_get_uid(b->source);

	/* a book without revisions is read each time; its addresses say whether it changed */
	if (!e_client_get_backend_property_finish(E_CLIENT(object), res, &b->revision, NULL))
		b->revision = NULL;
	if (!rg_evolution_run_alive(run)) {
		rg_evolution_book_read_free(b);
		return;
	}
	stored = rg_import_state_lookup(rg_evolution_stored_state(run, RG_EVOLUTION_KIND_BOOK, uid),
	                                "revision");
	if (!run->again && b->revision != NULL && b->revision[0] != '\0' &&
	    g_strcmp0(stored, b->revision) == 0) {
		g_debug("sources: address book %s: unchanged", uid);
		rg_evolution_book_read_free(b);
		rg_evolution_run_next(run);
		return;
	}
	q = e_book_query_field_exists(E_CONTACT_EMAIL);
	query = e_book_query_to_string(q);
	e_book_query_unref(q);
	e_book_client_get_contacts(
	    b->client, query, run->cancellable, rg_evolution_book_contacts_cb, b);
}

static void
rg_evolution_book_client_cb(GObject *object, GAsyncResult *res, gpointer data)
{
	RgEvolutionBookRead *b = data;
	RgEvolutionRun *run = b->run;
	g_autoptr(GError) error = NULL;
	EClient *client = e_client_cache_get_client_finish(E_CLIENT_CACHE(object), res, &error);

	run->waited += g_get_monotonic_time() - b->asked;
	if (!rg_evolution_run_alive(run)) {
		g_clear_object(&client);
		rg_evolution_book_read_free(b);
		return;
	}
	if (client == NULL) {
		g_debug("sources: address book %s cannot be opened: %s",
		        e_source_get_uid(b->source),
		        error->message);
		rg_evolution_book_read_free(b);
		rg_evolution_run_next(run);
		return;
	}
	b->client = E_BOOK_CLIENT(client);
	e_client_get_backend_property(client,
	                              CLIENT_BACKEND_PROPERTY_REVISION,
	                              run->cancellable,
	                              rg_evolution_book_revision_cb,
	                              b);
}

static void
rg_evolution_open_book(RgEvolutionRun *run, ESource *source)
{
	RgEvolutionBookRead *b = g_new0(RgEvolutionBookRead, 1);

	b->run = run;
	b->source = source;
	b->asked = g_get_monotonic_time();
	e_client_cache_get_client(e_shell_get_client_cache(run->shell),
	                          source,
	                          E_SOURCE_EXTENSION_ADDRESS_BOOK,
	                          RG_EVOLUTION_BOOK_WAIT,
	                          run->cancellable,
	                          rg_evolution_book_client_cb,
	                          b);
}

/* ------------------------------------------------------------------ the run */

static void
rg_evolution_run_next(RgEvolutionRun *run)
{
	char *uri = g_queue_pop_head(&run->folders);
	ESource *book;

	if (uri != NULL) {
		rg_evolution_open_folder(run, uri);
		return;
	}
	book = g_queue_pop_head(&run->books);
	if (book != NULL) {
		rg_evolution_open_book(run, book);
		return;
	}
	/* EDS starting an address book's backend is Evolution's own start-up, shown apart */
	g_debug("sources: done, %u messages and addresses handed over, %u sources written (%.1f "
	        "ms, %.1f ms of it waiting for EDS to bring the address books up)",
	        run->n_handed,
	        run->n_changed,
	        (g_get_monotonic_time() - run->started) / 1000.0,
	        run->waited / 1000.0);
	if (run->n_changed > 0)
		/* the next check reads the history again */
		rg_evolution_session_forget_all();
	rg_evolution_run = NULL;
	rg_evolution_run_free(run);
	if (rg_evolution_notify != NULL)
		rg_evolution_notify(rg_evolution_notify_data);
}

/* the identities' addresses and Sent folders, and the local Sent folder */
static void
rg_evolution_run_gather(RgEvolutionRun *run, ESourceRegistry *registry, EMailSession *session)
{
	GList *identities =
	    e_source_registry_list_enabled(registry, E_SOURCE_EXTENSION_MAIL_IDENTITY);
	GList *books = e_source_registry_list_enabled(registry, E_SOURCE_EXTENSION_ADDRESS_BOOK);
	g_autoptr(GHashTable) uris = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *local =
	    session != NULL ? e_mail_session_get_local_folder_uri(session, E_MAIL_LOCAL_FOLDER_SENT)
	                    : NULL;

	for (GList *l = identities; l != NULL; l = l->next) {
		ESourceMailIdentity *id =
		    e_source_get_extension(l->data, E_SOURCE_EXTENSION_MAIL_IDENTITY);
		const char *address = e_source_mail_identity_get_address(id);
		const char *aliases = e_source_mail_identity_get_aliases(id);
		if (address != NULL && address[0] != '\0')
			g_ptr_array_add(run->identities, g_ascii_strdown(address, -1));
		if (aliases != NULL && aliases[0] != '\0')
			g_ptr_array_add(run->identities, g_strdup(aliases));
		if (e_source_has_extension(l->data, E_SOURCE_EXTENSION_MAIL_SUBMISSION)) {
			ESourceMailSubmission *sub =
			    e_source_get_extension(l->data, E_SOURCE_EXTENSION_MAIL_SUBMISSION);
			char *uri = e_source_mail_submission_dup_sent_folder(sub);
			if (e_source_mail_submission_get_use_sent_folder(sub) && uri != NULL &&
			    uri[0] != '\0' && !g_hash_table_contains(uris, uri)) {
				g_hash_table_add(uris, uri);
				g_queue_push_tail(&run->folders, g_strdup(uri));
			} else {
				g_free(uri);
			}
		}
	}
	if (local != NULL && !g_hash_table_contains(uris, local))
		g_queue_push_tail(&run->folders, g_strdup(local));
	for (GList *l = books; l != NULL; l = l->next) {
		ESourceBackend *ext =
		    e_source_get_extension(l->data, E_SOURCE_EXTENSION_ADDRESS_BOOK);
		/* a directory on a server (LDAP) is searched there, never read whole */
		if (g_strcmp0(e_source_backend_get_backend_name(ext), "ldap") == 0)
			continue;
		g_queue_push_tail(&run->books, g_object_ref(l->data));
	}
	g_list_free_full(identities, g_object_unref);
	g_list_free_full(books, g_object_unref);
	run->digest =
	    rg_import_digest((const char *const *)run->identities->pdata, run->identities->len);
}

/**
 * rg_evolution_sources_start:
 * @shell: Evolution's shell
 * @again: read every folder and address book from the start
 *
 * Reads what changed in the Sent folders and address books, in the background.
 *
 * Returns: FALSE when a read runs already or the store cannot be read
 */
gboolean
rg_evolution_sources_start(EShell *shell, gboolean again)
{
	EShellBackend *backend = e_shell_get_backend_by_name(shell, "mail");
	EMailSession *session =
	    backend != NULL ? e_mail_backend_get_session(E_MAIL_BACKEND(backend)) : NULL;
	g_autoptr(GError) error = NULL;
	RgEvolutionRun *run;

	if (rg_evolution_run != NULL)
		return FALSE;
	run = g_new0(RgEvolutionRun, 1);
	run->shell = g_object_ref(shell);
	run->again = again;
	run->started = g_get_monotonic_time();
	run->cancellable = g_cancellable_new();
	run->session = rg_evolution_settings_new();
	run->records = rg_session_list_sources(run->session, &error);
	if (run->records == NULL) {
		g_warning("the history store cannot be read: %s", error->message);
		rg_evolution_run_free(run);
		return FALSE;
	}
	run->identities = g_ptr_array_new_with_free_func(g_free);
	rg_evolution_run_gather(run, e_shell_get_registry(shell), session);
	g_debug("sources: reading %u folders and %u address books%s",
	        g_queue_get_length(&run->folders),
	        g_queue_get_length(&run->books),
	        again ? ", all of them again" : "");
	rg_evolution_run = run;
	rg_evolution_run_next(run);
	if (rg_evolution_notify != NULL)
		rg_evolution_notify(rg_evolution_notify_data);
	return TRUE;
}

gboolean
rg_evolution_sources_running(void)
{
	return rg_evolution_run != NULL;
}

void
rg_evolution_sources_set_notify(RgEvolutionSourcesNotify notify, gpointer data)
{
	rg_evolution_notify = notify;
	rg_evolution_notify_data = data;
}

/* shutdown: whatever runs stops; what it read is not written */
void
rg_evolution_sources_cancel(void)
{
	rg_evolution_notify = NULL;
	if (rg_evolution_run != NULL)
		g_cancellable_cancel(rg_evolution_run->cancellable);
}
