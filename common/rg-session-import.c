/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The long imports that fill the history store, run by the session for every front end: in
 * the calling thread, or in a worker with progress in the caller's main context. */
#include "config.h"

#include "rg-error.h"
#include "rg-import-private.h"
#include "rg-session-private.h"
#include "rg-store-private.h"

/* ------------------------------------------------------------------ imports */

/* One running import, shared by the worker and the progress callbacks it queues on the
 * caller's main context; the last one out frees it there. */
typedef struct {
	gatomicrefcount ref;
	RgImportJob *job;
	RgEnvironment *env;
	guint busy_timeout;
	GMainContext *context;
	RgProgressFunc progress;
	gpointer progress_data;
	GDestroyNotify progress_notify;
	RgImportResult result;
} RgImportTask;

static gboolean
rg_import_task_notify_cb(gpointer data)
{
	RgImportTask *t = data;
	if (t->progress_notify != NULL)
		t->progress_notify(t->progress_data);
	g_main_context_unref(t->context);
	g_free(t);
	return G_SOURCE_REMOVE;
}

static void
rg_import_task_unref(RgImportTask *t)
{
	if (!g_atomic_ref_count_dec(&t->ref))
		return;
	rg_import_job_free(t->job);
	g_object_unref(t->env);
	/* the caller's data is theirs to free, in their thread */
	g_main_context_invoke(t->context, rg_import_task_notify_cb, t);
}

typedef struct {
	RgImportTask *task;
	guint done;
	guint total;
} RgImportProgress;

static gboolean
rg_import_progress_idle_cb(gpointer data)
{
	RgImportProgress *p = data;
	p->task->progress(p->done, p->total, p->task->progress_data);
	return G_SOURCE_REMOVE;
}

static void
rg_import_progress_free(gpointer data)
{
	RgImportProgress *p = data;
	rg_import_task_unref(p->task);
	g_free(p);
}

/* in the worker thread: hand the figures to the caller's main context */
static void
rg_import_progress_cb(guint done, guint total, gpointer user_data)
{
	RgImportTask *t = user_data;
	RgImportProgress *p = g_new0(RgImportProgress, 1);

	g_atomic_ref_count_inc(&t->ref);
	p->task = t;
	p->done = done;
	p->total = total;
	g_main_context_invoke_full(
	    t->context, G_PRIORITY_DEFAULT, rg_import_progress_idle_cb, p, rg_import_progress_free);
}

static void
rg_import_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	RgImportTask *t = data;
	g_autoptr(RgStore) store = NULL;
	GError *error = NULL;

	/* a connection of its own: SQLite handles are not shared between threads here */
	store = rg_store_open_in(t->env, NULL, t->busy_timeout, &error);
	if (store == NULL || !rg_import_job_run(t->job,
	                                        store,
	                                        cancellable,
	                                        t->progress != NULL ? rg_import_progress_cb : NULL,
	                                        t,
	                                        &t->result,
	                                        &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * rg_session_import_async:
 * @self: an #RgSession whose policy is loaded
 * @source: what to import
 * @cancellable: (nullable): stops the import; nothing is written then
 * @progress: (nullable) (scope notified): called now and then with how far it is, in the
 *   thread-default main context of the caller
 * @progress_data: data for @progress
 * @progress_notify: (nullable): frees @progress_data, in that main context, once no call of
 *   @progress is pending any more
 * @callback: called in that main context when the import is done
 * @user_data: data for @callback
 *
 * Imports @source into the environment's history store in a worker thread, so that the
 * front end stays responsive during a first import of a large mailbox. The policy decides
 * whether @source may be read. A loaded session does not see what was imported: a check
 * after it should use a new session.
 */
void
rg_session_import_async(RgSession *self,
                        RgImportSource *source,
                        GCancellable *cancellable,
                        RgProgressFunc progress,
                        gpointer progress_data,
                        GDestroyNotify progress_notify,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	RgImportJob *job;
	RgImportTask *t;

	g_return_if_fail(RG_IS_SESSION(self));
	g_return_if_fail(RG_IS_IMPORT_SOURCE(source));
	g_return_if_fail(self->policy != NULL);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, rg_session_import_async);
	t = g_new0(RgImportTask, 1);
	g_atomic_ref_count_init(&t->ref);
	t->env = g_object_ref(self->env);
	t->busy_timeout = self->busy_timeout;
	t->context = g_main_context_ref_thread_default();
	t->progress = progress;
	t->progress_data = progress_data;
	t->progress_notify = progress_notify;
	g_task_set_task_data(task, t, (GDestroyNotify)rg_import_task_unref);
	/* the policy is read here, in the caller's thread */
	job = rg_import_source_prepare(source, self->policy, self->env, self->identities, &error);
	if (job == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	t->job = job;
	g_task_run_in_thread(task, rg_import_thread);
}

/**
 * rg_session_import_finish:
 * @self: an #RgSession
 * @res: the result given to the callback of rg_session_import_async()
 * @result: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Returns: %FALSE as rg_session_import(), or with %G_IO_ERROR_CANCELLED set
 */
gboolean
rg_session_import_finish(RgSession *self, GAsyncResult *res, RgImportResult *result, GError **error)
{
	RgImportTask *t;

	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	t = g_task_get_task_data(G_TASK(res));
	if (!g_task_propagate_boolean(G_TASK(res), error))
		return FALSE;
	if (result != NULL)
		*result = t->result;
	return TRUE;
}

/**
 * rg_session_import:
 * @self: an #RgSession whose policy is loaded
 * @source: what to import
 * @cancellable: (nullable): stops the import; nothing is written then
 * @progress: (nullable) (scope call): called now and then with how far it is
 * @user_data: data for @progress
 * @result: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Imports @source into the environment's history store in the calling thread, as a
 * command line tool does. A store found damaged is moved aside and a new one started; a
 * notice (rg_session_get_notices()) says where the old one went.
 *
 * Returns: %FALSE with %RG_ERROR_LOCKED when the policy does not allow reading @source,
 *   %RG_ERROR_NOT_FOUND when there is nothing to read, %RG_ERROR_IO or %RG_ERROR_BUSY
 */
gboolean
rg_session_import(RgSession *self,
                  RgImportSource *source,
                  GCancellable *cancellable,
                  RgProgressFunc progress,
                  gpointer user_data,
                  RgImportResult *result,
                  GError **error)
{
	g_autoptr(RgImportJob) job = NULL;
	g_autoptr(RgStore) store = NULL;
	gboolean ok;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(RG_IS_IMPORT_SOURCE(source), FALSE);
	g_return_val_if_fail(self->policy != NULL, FALSE);

	job = rg_import_source_prepare(source, self->policy, self->env, self->identities, error);
	if (job == NULL)
		return FALSE;
	store = rg_store_open_in(self->env, NULL, self->busy_timeout, error);
	if (store == NULL)
		return FALSE;
	ok = rg_import_job_run(job, store, cancellable, progress, user_data, result, error);
	rg_session_note_moved_aside(self, store);
	return ok;
}
