/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The whole flow of a check, for every front end: find and load the policy layers and the
 * history, check, say what may be offered when asking, and apply what was decided (trust,
 * the decision log, recording what was sent); and the long imports that fill the history.
 * The shims and the CLI stay glue. Where the user's files are comes from the session's
 * RgEnvironment, never from the process environment directly.
 *
 * This file loads the session and says what its policy means for a front end;
 * rg-session-decision.c has the check and what follows the decision, rg-session-import.c
 * the imports. */
#include "config.h"

#include "rg-error.h"
#include "rg-i18n.h"
#include "rg-import-private.h"
#include "rg-knowledge.h"
#include "rg-policy-private.h"
#include "rg-scorer-private.h"
#include "rg-session-private.h"
#include "rg-store-private.h"

/* a send must never wait long for another process's lock on the store */
#define RG_SESSION_BUSY_TIMEOUT_DEFAULT 200 /* ms */

enum {
	SIGNAL_WARNING,
	N_SIGNALS,
};

static guint rg_session_signals[N_SIGNALS];

G_DEFINE_TYPE(RgSession, rg_session, G_TYPE_OBJECT)

static void
rg_session_finalize(GObject *object)
{
	RgSession *self = RG_SESSION(object);
	g_clear_object(&self->env);
	g_free(self->policy_file);
	g_free(self->settings_file);
	g_free(self->notmuch_path);
	g_ptr_array_unref(self->known_files);
	g_ptr_array_unref(self->identities);
	g_ptr_array_unref(self->notices);
	g_clear_object(&self->policy);
	g_clear_object(&self->history);
	g_clear_object(&self->store);
	g_clear_object(&self->scorer);
	G_OBJECT_CLASS(rg_session_parent_class)->finalize(object);
}

static void
rg_session_class_init(RgSessionClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_session_finalize;

	/**
	 * RgSession::warning:
	 * @session: the session
	 * @message: a translated sentence for the front end's log
	 *
	 * Something the user chose could not be fully carried out, such as recording the
	 * recipients or writing the decision log. The message was sent or stopped as decided
	 * all the same.
	 */
	rg_session_signals[SIGNAL_WARNING] = g_signal_new("warning",
	                                                  G_TYPE_FROM_CLASS(klass),
	                                                  G_SIGNAL_RUN_LAST,
	                                                  0,
	                                                  NULL,
	                                                  NULL,
	                                                  NULL,
	                                                  G_TYPE_NONE,
	                                                  1,
	                                                  G_TYPE_STRING);
}

static void
rg_session_init(RgSession *self)
{
	self->known_files = g_ptr_array_new_with_free_func(g_free);
	self->identities = g_ptr_array_new_with_free_func(g_free);
	self->notices = g_ptr_array_new_with_free_func(g_free);
	self->busy_timeout = RG_SESSION_BUSY_TIMEOUT_DEFAULT;
}

/**
 * rg_session_new_for_environment:
 * @env: where the session finds the policy, the settings, the history store, notmuch, and
 *   which clock it uses
 *
 * Sessions with environments of their own can run side by side in one process.
 *
 * Returns: (transfer full): a session; adjust it with the setters, then call
 *   rg_session_load()
 */
RgSession *
rg_session_new_for_environment(RgEnvironment *env)
{
	RgSession *self;

	g_return_val_if_fail(RG_IS_ENVIRONMENT(env), NULL);
	rg_i18n_init();
	self = g_object_new(RG_TYPE_SESSION, NULL);
	self->env = g_object_ref(env);
	return self;
}

/**
 * rg_session_new:
 *
 * Returns: (transfer full): a session in the user's environment (rg_environment_new()): the
 *   system policy, the user's settings and history store
 */
RgSession *
rg_session_new(void)
{
	g_autoptr(RgEnvironment) env = rg_environment_new();
	return rg_session_new_for_environment(env);
}

/**
 * rg_session_get_environment:
 * @self: an #RgSession
 *
 * Returns: (transfer none): the session's environment
 */
RgEnvironment *
rg_session_get_environment(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->env;
}

/**
 * rg_session_set_policy_file:
 * @self: an #RgSession
 * @path: (nullable): a policy file that replaces the system policy layer
 */
void
rg_session_set_policy_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->policy_file);
	self->policy_file = g_strdup(path);
}

/**
 * rg_session_set_settings_file:
 * @self: an #RgSession
 * @path: (nullable): the user settings file; %NULL for the environment's
 *   (`$XDG_CONFIG_HOME/rcptguard/settings.conf`)
 */
void
rg_session_set_settings_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->settings_file);
	self->settings_file = g_strdup(path);
}

/**
 * rg_session_get_settings_file:
 * @self: an #RgSession
 *
 * Returns: (transfer full) (nullable): the user settings file the session reads and
 *   rg_session_set_setting() writes; %NULL when the environment has none
 */
char *
rg_session_get_settings_file(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	if (self->settings_file != NULL)
		return g_strdup(self->settings_file);
	return rg_environment_get_settings_path(self->env);
}

/**
 * rg_session_add_known_file:
 * @self: an #RgSession
 * @path: a file of known correspondents, one address per line
 */
void
rg_session_add_known_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_ptr_array_add(self->known_files, g_strdup(path));
}

/**
 * rg_session_add_identity:
 * @self: an #RgSession
 * @address: one of the user's own addresses, always known
 */
void
rg_session_add_identity(RgSession *self, const char *address)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_ptr_array_add(self->identities, g_strdup(address));
}

/**
 * rg_session_set_notmuch_path:
 * @self: an #RgSession
 * @path: (nullable): a notmuch database to read history from
 *
 * rg_session_load() refreshes the history store from it incrementally. Without it, the
 * database the policy names, else the one of the notmuch configuration, is used when there
 * is one and the policy allows it.
 */
void
rg_session_set_notmuch_path(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->notmuch_path);
	self->notmuch_path = g_strdup(path);
}

/**
 * rg_session_set_busy_timeout:
 * @self: an #RgSession
 * @milliseconds: how long the history store waits for another process's lock
 *
 * The default, 200 ms, keeps a send from waiting on the store; a command the user runs on
 * purpose may wait longer. Set it before loading or importing.
 */
void
rg_session_set_busy_timeout(RgSession *self, guint milliseconds)
{
	g_return_if_fail(RG_IS_SESSION(self));
	self->busy_timeout = milliseconds;
}

/* policy problems reach the report through the scorer; this is for the other sources */
static void
rg_session_add_notice(RgSession *self, char *notice)
{
	g_ptr_array_add(self->notices, notice);
}

/* a notice when @store was found damaged, on opening or later, and moved aside */
void
rg_session_note_moved_aside(RgSession *self, RgStore *store)
{
	if (rg_store_get_moved_aside_path(store) == NULL)
		return;
	rg_session_add_notice(self,
	                      g_strdup_printf(
	                          /* TRANSLATORS: %s is the path of a file */
	                          _("Your history store was damaged. It was moved to %s and a "
	                            "new one was started."),
	                          rg_store_get_moved_aside_path(store)));
}

void
rg_session_warn(RgSession *self, const char *message)
{
	g_debug("warning: %s", message);
	g_signal_emit(self, rg_session_signals[SIGNAL_WARNING], 0, message);
}

/* ------------------------------------------------------------------ loading */

/**
 * rg_session_load_policy:
 * @self: an #RgSession
 * @error: return location for a #GError
 *
 * Loads only the policy layers: the system policy (or the explicit file that replaces it),
 * then the user settings. Cheap enough to do before every send, so that switching the check
 * off takes effect at once. A broken system or settings file only shows up as problems
 * (rg_session_get_policy_problems(); the check turns them into report notices), so the
 * guard never switches itself off. rg_session_load() calls this when it has not been.
 *
 * Returns: %FALSE when the explicit policy file cannot be read
 */
gboolean
rg_session_load_policy(RgSession *self, GError **error)
{
	g_autofree char *settings = NULL;
	g_autoptr(RgPolicy) policy = rg_policy_new();
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->policy == NULL, FALSE);

	rg_policy_set_environment(policy, self->env);
	if (self->policy_file != NULL) {
		if (!rg_policy_load_file(policy, self->policy_file, error))
			return FALSE;
	} else {
		/* unreadable files are listed in the problems already */
		rg_policy_load_system(policy, NULL);
	}
	settings = rg_session_get_settings_file(self);
	if (settings != NULL && !rg_policy_load_user_file(policy, settings, &error_local) &&
	    !g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
		g_debug("%s", error_local->message);
	self->policy = g_steal_pointer(&policy);
	return TRUE;
}

/* the store of the environment; when it cannot be opened, one in memory, so the check still
 * works */
static void
rg_session_open_store(RgSession *self)
{
	g_autoptr(GError) error_local = NULL;

	self->store = rg_store_open_in(self->env, NULL, self->busy_timeout, &error_local);
	if (self->store == NULL) {
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is a technical error message */
		    g_strdup_printf(_("Your history store could not be opened, so this check only "
		                      "uses what it was given directly: %s"),
		                    error_local->message));
		self->store = rg_store_new_in(self->env, NULL);
	}
}

/* an explicit notmuch database that cannot be read is an error; the configured one only a
 * notice, and no configuration at all (or a policy that forbids it) is not worth a word */
static gboolean
rg_session_refresh_notmuch(RgSession *self, GError **error)
{
	g_autoptr(RgImportSource) source = rg_import_source_new_notmuch(self->notmuch_path);
	g_autoptr(RgImportJob) job = NULL;
	g_autoptr(GError) error_local = NULL;

	job = rg_import_source_prepare(source, self->policy, self->env, NULL, NULL);
	if (job == NULL)
		return TRUE;
	if (rg_import_job_run(job, self->store, NULL, NULL, NULL, NULL, &error_local))
		return TRUE;
	if (g_error_matches(error_local, RG_ERROR, RG_ERROR_BUSY)) {
		rg_session_add_notice(self,
		                      g_strdup(_("Your history store is busy in another program. "
		                                 "New mail from notmuch is used for this check but "
		                                 "saved later.")));
		return TRUE;
	}
	if (rg_import_job_is_explicit(job)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
		return TRUE;
	rg_session_add_notice(
	    self,
	    /* TRANSLATORS: %s is a technical error message */
	    g_strdup_printf(_("Your notmuch database could not be read, so the history from it may "
	                      "be out of date: %s"),
	                    error_local->message));
	return TRUE;
}

static gboolean
rg_session_trust_allowed_cb(const char *entry, gpointer user_data)
{
	RgSession *self = user_data;
	return rg_policy_check_trust(self->policy, entry, NULL);
}

/* the history: the store (refreshed from notmuch first), known files and identities */
static gboolean
rg_session_load_history(RgSession *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	self->history = rg_history_new();
	rg_session_open_store(self);
	if (self->store != NULL)
		rg_store_set_trust_filter(self->store, rg_session_trust_allowed_cb, self);
	if (self->store != NULL && !rg_session_refresh_notmuch(self, error))
		return FALSE;
	if (self->store != NULL && !rg_store_load(self->store, self->history, &error_local))
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is a technical error message */
		    g_strdup_printf(_("Your history store could not be read, so this check may not "
		                      "know all your correspondents: %s"),
		                    error_local->message));
	else if (self->store != NULL && rg_store_get_n_skipped(self->store) > 0)
		rg_session_add_notice(
		    self,
		    g_strdup_printf(
		        g_dngettext(
		            GETTEXT_PACKAGE,
		            /* TRANSLATORS: %1$u is a number of entries, %2$s the path of a file */
		            "%1$u entry of your history store (%2$s) is damaged "
		            "and was skipped; the others are used.",
		            "%1$u entries of your history store (%2$s) are "
		            "damaged and were skipped; the others are used.",
		            rg_store_get_n_skipped(self->store)),
		        rg_store_get_n_skipped(self->store),
		        rg_store_get_path(self->store) != NULL ? rg_store_get_path(self->store)
		                                               : ""));
	/* found damaged on opening, or in the middle on reading */
	if (self->store != NULL)
		rg_session_note_moved_aside(self, self->store);
	for (guint i = 0; i < self->known_files->len; i++) {
		if (!rg_history_load_known_file(
		        self->history, g_ptr_array_index(self->known_files, i), error))
			return FALSE;
	}
	for (guint i = 0; i < self->identities->len; i++) {
		if (!rg_history_add_identity(
		        self->history, g_ptr_array_index(self->identities, i), error)) {
			g_prefix_error(error, "identity: ");
			return FALSE;
		}
	}
	/* the policy checked these when it read them */
	for (const char *const *id = rg_policy_get_identities(self->policy); *id != NULL; id++)
		rg_history_add_identity(self->history, *id, NULL);
	return TRUE;
}

/* the built-in knowledge of the environment's data dir; without it the check goes on with the
 * user's own history only, and says so */
static void
rg_session_load_knowledge(RgSession *self)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RgKnowledge) knowledge =
	    rg_knowledge_new(rg_environment_get_data_dir(self->env), &error_local);

	if (knowledge == NULL) {
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is a technical error message */
		    g_strdup_printf(_("rcptguard's built-in knowledge of well-known domains could "
		                      "not be loaded, so recipients are only compared with your "
		                      "own history: %s"),
		                    error_local->message));
		return;
	}
	rg_scorer_set_knowledge(self->scorer, knowledge);
}

/**
 * rg_session_load:
 * @self: an #RgSession
 * @error: return location for a #GError
 *
 * Loads the policy (unless rg_session_load_policy() did already) and the history, and
 * builds the scorer. Problems with default sources (a broken system policy, an unreadable
 * store) do not fail: the session goes on with what could be read and lists the problem in
 * rg_session_get_notices().
 *
 * Returns: %FALSE when an explicitly given file cannot be used
 */
gboolean
rg_session_load(RgSession *self, GError **error)
{
	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->scorer == NULL, FALSE);

	if (self->policy == NULL && !rg_session_load_policy(self, error))
		return FALSE;
	if (!rg_session_load_history(self, error))
		return FALSE;
	self->scorer = rg_scorer_new(self->history, self->policy, error);
	if (self->scorer == NULL)
		return FALSE;
	rg_scorer_set_environment(self->scorer, self->env);
	rg_session_load_knowledge(self);
	return TRUE;
}

/* ------------------------------------------------------------------ what the policy says */

/**
 * rg_session_get_enabled:
 * @self: an #RgSession, loaded or not
 *
 * Returns: whether recipients are to be checked at all: the policy's `enabled`, or %TRUE
 *   when no policy could be loaded (the guard never switches itself off)
 */
gboolean
rg_session_get_enabled(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), TRUE);
	return self->policy == NULL || rg_policy_get_enabled(self->policy);
}

/**
 * rg_session_get_locked_by:
 * @self: an #RgSession, loaded or not
 * @key: a key from rg_session_list_settings()
 *
 * Returns: (nullable): the system policy file that locks @key, so that a front end shows
 *   its own switch for it insensitive; %NULL when the user may change it or no policy is
 *   loaded
 */
const char *
rg_session_get_locked_by(RgSession *self, const char *key)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	return self->policy != NULL ? rg_policy_get_locked_by(self->policy, key) : NULL;
}

/**
 * rg_session_get_ask_flags:
 * @self: an #RgSession, loaded or not
 *
 * What a front end may offer when it asks the user; without a loaded policy, the built-in
 * defaults (no override at block, trusting allowed).
 *
 * Returns: the #RgAskFlags the policy allows
 */
RgAskFlags
rg_session_get_ask_flags(RgSession *self)
{
	RgAskFlags flags = RG_ASK_FLAG_NONE;

	g_return_val_if_fail(RG_IS_SESSION(self), RG_ASK_FLAG_NONE);
	if (self->policy == NULL)
		return RG_ASK_FLAG_ALLOW_TRUST;
	if (rg_policy_get_allow_override(self->policy))
		flags |= RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE;
	if (rg_policy_get_allow_trust(self->policy))
		flags |= RG_ASK_FLAG_ALLOW_TRUST;
	return flags;
}

/**
 * rg_session_get_on_error:
 * @self: an #RgSession, loaded or not
 *
 * What a front end does when rg_session_load() or a check failed: the policy's `on-error`
 * when the policy could be loaded, else %RG_POLICY_ON_ERROR_ASK.
 *
 * Returns: an #RgPolicyOnError
 */
RgPolicyOnError
rg_session_get_on_error(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), RG_POLICY_ON_ERROR_ASK);
	if (self->policy == NULL)
		return RG_POLICY_ON_ERROR_ASK;
	return rg_policy_get_on_error(self->policy);
}

/**
 * rg_session_get_can_import:
 * @self: an #RgSession whose policy is loaded
 * @source: an import source
 *
 * Returns: whether the policy lets @source be imported (`notmuch=false` forbids notmuch's
 *   default database), so that a front end offers only what rg_session_import_async() does
 */
gboolean
rg_session_get_can_import(RgSession *self, RgImportSource *source)
{
	g_autoptr(RgImportJob) job = NULL;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->policy != NULL, FALSE);
	job = rg_import_source_prepare(source, self->policy, self->env, NULL, NULL);
	return job != NULL;
}

/**
 * rg_session_list_settings:
 *
 * Returns: (transfer none) (array zero-terminated=1): every policy and settings key, in
 *   the documented order
 */
const char *const *
rg_session_list_settings(void)
{
	return rg_policy_list_keys();
}

/**
 * rg_session_get_setting:
 * @self: an #RgSession whose policy is loaded
 * @key: a key from rg_session_list_settings()
 * @origin: (out) (optional) (nullable) (transfer none): the file the value comes from, or
 *   %NULL for the built-in default
 * @locked_by: (out) (optional) (nullable) (transfer none): the system policy file that
 *   locks @key, or %NULL when the user may change it
 *
 * Returns: (transfer full) (nullable): the effective value in key file syntax, %NULL for an
 *   unknown key
 */
char *
rg_session_get_setting(RgSession *self,
                       const char *key,
                       const char **origin,
                       const char **locked_by)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(self->policy != NULL, NULL);
	g_return_val_if_fail(key != NULL, NULL);
	if (origin != NULL)
		*origin = rg_policy_get_origin(self->policy, key);
	if (locked_by != NULL)
		*locked_by = rg_policy_get_locked_by(self->policy, key);
	return rg_policy_get_value(self->policy, key);
}

/**
 * rg_session_set_setting:
 * @self: an #RgSession whose policy is loaded
 * @key: a key from rg_session_list_settings()
 * @value: (nullable): the new value in key file syntax, or %NULL to remove the user's value
 * @error: return location for a #GError
 *
 * Changes the user's settings file, as rg_policy_set_user_value(), and reads the policy
 * layers of @self again. Other sessions see the change once they are loaded anew.
 *
 * Returns: %FALSE as rg_policy_set_user_value()
 */
gboolean
rg_session_set_setting(RgSession *self, const char *key, const char *value, GError **error)
{
	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->policy != NULL, FALSE);
	return rg_policy_set_user_value(self->policy, key, value, error);
}

/**
 * rg_session_get_policy_problems:
 * @self: an #RgSession whose policy is loaded
 *
 * Returns: (transfer none) (element-type RgProblem): what was wrong in the policy files, as
 *   rg_policy_get_problems()
 */
GPtrArray *
rg_session_get_policy_problems(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(self->policy != NULL, NULL);
	return rg_policy_get_problems(self->policy);
}

/**
 * rg_session_get_notices:
 * @self: an #RgSession
 *
 * Returns: (transfer none) (element-type utf8): translated remarks on sources that could
 *   not be used fully; valid as long as @self
 */
GPtrArray *
rg_session_get_notices(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->notices;
}

/**
 * rg_session_get_n_known_addresses:
 * @self: a loaded #RgSession
 *
 * Returns: how many addresses the loaded history knows
 */
guint
rg_session_get_n_known_addresses(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), 0);
	return self->history != NULL ? rg_history_get_n_addresses(self->history) : 0;
}

/**
 * rg_session_get_n_known_domains:
 * @self: a loaded #RgSession
 *
 * Returns: at how many domains
 */
guint
rg_session_get_n_known_domains(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), 0);
	return self->history != NULL ? rg_history_get_n_domains(self->history) : 0;
}

/**
 * rg_session_get_history_stats:
 * @self: an #RgSession, loaded or not
 * @stats: (out caller-allocates): what the history store holds
 * @error: return location for a #GError
 *
 * Reads the figures from the store without loading the history, so that a preferences page
 * never waits for an import.
 *
 * Returns: %FALSE as rg_store_get_stats() when the store cannot be read
 */
gboolean
rg_session_get_history_stats(RgSession *self, RgHistoryStats *stats, GError **error)
{
	g_autoptr(RgStore) store = NULL;
	g_auto(RgStoreStats) st = {0};

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(stats != NULL, FALSE);

	store = rg_store_open_in(self->env, NULL, self->busy_timeout, error);
	if (store == NULL)
		return FALSE;
	if (!rg_store_get_stats(store, &st, error))
		return FALSE;
	stats->n_addresses = st.n_addresses;
	stats->n_domains = st.n_domains;
	stats->n_trusted = st.n_trusted;
	stats->n_identities = st.n_identities;
	stats->n_imported_messages = st.n_messages;
	return TRUE;
}

/**
 * rg_session_list_sources:
 * @self: an #RgSession, loaded or not
 * @error: return location for a #GError
 *
 * What the history store was filled from, each source with its own counts: the notmuch
 * database, imported mailboxes, the mail clients' folders and address books. A front end
 * shows them on its preferences page, and a mail client that feeds a source
 * (rg_import_source_new_feed()) reads in its record how far it got. Reading them does not
 * load the history.
 *
 * Returns: (transfer container) (element-type RgImportRecord): the sources, or %NULL as
 *   rg_store_list_sources() when the store cannot be read
 */
GPtrArray *
rg_session_list_sources(RgSession *self, GError **error)
{
	g_autoptr(RgStore) store = NULL;

	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	store = rg_store_open_in(self->env, NULL, self->busy_timeout, error);
	if (store == NULL)
		return NULL;
	return rg_store_list_sources(store, error);
}

/**
 * rg_session_describe_sources:
 * @self: an #RgSession, loaded or not
 * @kind_prefix: (nullable): only sources whose kind starts with it, such as "claws-"
 * @error: return location for a #GError
 *
 * What was read from each source, in a translated sentence with when it was read last, for
 * a preferences page (rg_import_record_describe() and the time).
 *
 * Returns: (transfer container) (element-type utf8): the sentences, possibly none; %NULL as
 *   rg_session_list_sources() when the store cannot be read
 */
GPtrArray *
rg_session_describe_sources(RgSession *self, const char *kind_prefix, GError **error)
{
	g_autoptr(GPtrArray) records = rg_session_list_sources(self, error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);

	if (records == NULL)
		return NULL;
	for (guint i = 0; i < records->len; i++) {
		RgImportRecord *r = g_ptr_array_index(records, i);
		g_autofree char *what = NULL;
		g_autoptr(GDateTime) when = NULL;
		g_autofree char *date = NULL;

		if (kind_prefix != NULL && !g_str_has_prefix(r->kind, kind_prefix))
			continue;
		what = rg_import_record_describe(r);
		when = r->read_at > 0 ? g_date_time_new_from_unix_local(r->read_at) : NULL;
		date = when != NULL ? g_date_time_format(when, "%c") : NULL;
		if (date == NULL) {
			g_ptr_array_add(out, g_steal_pointer(&what));
			continue;
		}
		/* TRANSLATORS: %1$s is a sentence such as "Sent (Work): 3 messages, 3 sent by
		 * you, 0 received.", %2$s a date and time */
		g_ptr_array_add(out, g_strdup_printf(_("%1$s Last read %2$s."), what, date));
	}
	return g_steal_pointer(&out);
}

/**
 * rg_session_get_policy:
 * @self: an #RgSession
 *
 * Returns: (transfer none) (nullable): the effective policy, %NULL before it is loaded
 */
RgPolicy *
rg_session_get_policy(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->policy;
}

/**
 * rg_session_get_history:
 * @self: a loaded #RgSession
 *
 * Returns: (transfer none): the history
 */
RgHistory *
rg_session_get_history(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->history;
}

/**
 * rg_session_get_scorer:
 * @self: a loaded #RgSession
 *
 * Returns: (transfer none): the scorer, for a dialog that checks what the user types
 */
RgScorer *
rg_session_get_scorer(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->scorer;
}
