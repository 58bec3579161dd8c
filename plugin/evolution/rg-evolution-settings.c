/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module's view of rcptguard's own configuration (one for every host) and the sessions
 * it keeps for the life of the Evolution process.
 *
 * The "enabled" switch lives in the user settings file of DESIGN.md §5. Until the policy
 * layer reads and writes user settings itself (issue 4), this file reads and writes that one
 * key, keeping every other line and comment of the file as it is. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "rg-evolution-settings.h"

#define RG_EVOLUTION_SETTINGS_GROUP "policy"
#define RG_EVOLUTION_SETTINGS_ENABLED "enabled"

/* identity address (lower-case) → RgSession; main thread only */
static GHashTable *sessions = NULL;

static char *
rg_evolution_settings_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "rcptguard", "settings.conf", NULL);
}

/**
 * rg_evolution_settings_get_enabled:
 *
 * Returns: %FALSE only when the user settings say `enabled=false`; a missing or broken file
 *   never switches the guard off
 */
gboolean
rg_evolution_settings_get_enabled(void)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *path = rg_evolution_settings_path();
	g_autoptr(GError) error_local = NULL;
	gboolean enabled;

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
		return TRUE;
	enabled = g_key_file_get_boolean(
	    kf, RG_EVOLUTION_SETTINGS_GROUP, RG_EVOLUTION_SETTINGS_ENABLED, &error_local);
	if (error_local != NULL) {
		if (!g_error_matches(
		        error_local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) &&
		    !g_error_matches(
		        error_local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
			g_warning("%s: %s: %s",
			          path,
			          RG_EVOLUTION_SETTINGS_ENABLED,
			          error_local->message);
		return TRUE;
	}
	return enabled;
}

/**
 * rg_evolution_settings_set_enabled:
 * @enabled: whether recipients are checked before sending
 * @error: return location for a #GError
 *
 * Writes the switch into the user settings file, keeping the rest of it.
 *
 * Returns: %FALSE with %RG_ERROR_IO or %RG_ERROR_INVALID_POLICY set when the file cannot be
 *   read or written; the file is unchanged then
 */
gboolean
rg_evolution_settings_set_enabled(gboolean enabled, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *path = rg_evolution_settings_path();
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) error_local = NULL;

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS, &error_local) &&
	    !g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		/* never overwrite a file we could not understand */
		g_set_error(error,
		            RG_ERROR,
		            error_local->domain == G_FILE_ERROR ? RG_ERROR_IO
		                                                : RG_ERROR_INVALID_POLICY,
		            "cannot read settings %s: %s",
		            path,
		            error_local->message);
		return FALSE;
	}
	g_key_file_set_boolean(
	    kf, RG_EVOLUTION_SETTINGS_GROUP, RG_EVOLUTION_SETTINGS_ENABLED, enabled);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot create %s: %s", dir, g_strerror(errno));
		return FALSE;
	}
	g_clear_error(&error_local);
	if (!g_key_file_save_to_file(kf, path, &error_local)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot write settings %s: %s",
		            path,
		            error_local->message);
		return FALSE;
	}
	rg_evolution_session_forget_all();
	return TRUE;
}

/**
 * rg_evolution_session_ref:
 * @identity: (nullable): the sender's address, always known to the check
 * @error: return location for a #GError
 *
 * One loaded session per identity, kept while Evolution runs, so that recipients confirmed
 * in one message are known in the next. Problems with the default sources are logged once,
 * when the session is loaded.
 *
 * Returns: (transfer full): a loaded session, or %NULL when it cannot be loaded
 */
RgSession *
rg_evolution_session_ref(const char *identity, GError **error)
{
	g_autofree char *key = g_utf8_strdown(identity != NULL ? identity : "", -1);
	g_autoptr(RgSession) session = NULL;
	GPtrArray *notices;
	RgSession *cached;

	if (sessions == NULL)
		sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	cached = g_hash_table_lookup(sessions, key);
	if (cached != NULL)
		return g_object_ref(cached);

	session = rg_session_new();
	if (identity != NULL && identity[0] != '\0')
		rg_session_add_identity(session, identity);
	if (!rg_session_load(session, error))
		return NULL;
	notices = rg_session_get_notices(session);
	for (guint i = 0; i < notices->len; i++)
		g_warning("%s", (const char *)g_ptr_array_index(notices, i));
	g_hash_table_insert(sessions, g_steal_pointer(&key), g_object_ref(session));
	return g_steal_pointer(&session);
}

/**
 * rg_evolution_session_forget_all:
 *
 * Drops the kept sessions, so that the next check reads the configuration again.
 */
void
rg_evolution_session_forget_all(void)
{
	if (sessions != NULL)
		g_hash_table_remove_all(sessions);
}
