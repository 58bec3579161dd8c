/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where history comes from in bulk: each kind of source (notmuch today) knows how to read
 * itself into a store. The session runs them, in the calling thread or in a worker. */
#include "config.h"

#include "rg-error.h"
#include "rg-history-notmuch.h"
#include "rg-import-private.h"

typedef struct {
	const char *name;
	/* resolves what the policy and the environment say; returns the job's data */
	gpointer (*prepare)(RgImportSource *self,
	                    RgPolicy *policy,
	                    RgEnvironment *env,
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

struct _RgImportSource {
	GObject parent_instance;
	const RgImportKind *kind;
	char *path; /* nullable: the source's default */
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
rg_notmuch_prepare(RgImportSource *self, RgPolicy *policy, RgEnvironment *env, GError **error)
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
	RgImportSource *self = g_object_new(RG_TYPE_IMPORT_SOURCE, NULL);
	self->kind = &rg_import_notmuch;
	self->path = g_strdup(database_path);
	return self;
}

/**
 * rg_import_source_get_name:
 * @self: an #RgImportSource
 *
 * Returns: the kind of source, such as "notmuch"
 */
const char *
rg_import_source_get_name(RgImportSource *self)
{
	g_return_val_if_fail(RG_IS_IMPORT_SOURCE(self), NULL);
	return self->kind->name;
}

/* ------------------------------------------------------------------ jobs */

RgImportJob *
rg_import_source_prepare(RgImportSource *self, RgPolicy *policy, RgEnvironment *env, GError **error)
{
	RgImportJob *job;
	gpointer data;

	g_return_val_if_fail(RG_IS_IMPORT_SOURCE(self), NULL);
	data = self->kind->prepare(self, policy, env, error);
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
