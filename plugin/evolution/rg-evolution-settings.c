/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module's view of rcptguard's configuration (one for every host: the system policy and
 * the user settings) and the sessions it keeps for the life of the Evolution process. */
#include "config.h"

#include "rg-evolution-settings.h"

/* identity address (lower-case) → RgSession; main thread only */
static GHashTable *sessions = NULL;

static void
rg_evolution_settings_warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	g_warning("%s", message);
}

/**
 * rg_evolution_settings_new:
 *
 * The effective policy without the history: cheap enough to read before every send, so
 * that switching rcptguard off takes effect at once and costs nothing. Problems in the
 * files are recorded in the policy, never fatal.
 *
 * Returns: (transfer full): a session with only its policy loaded
 */
RgSession *
rg_evolution_settings_new(void)
{
	RgSession *session = rg_session_new();

	g_signal_connect(session, "warning", G_CALLBACK(rg_evolution_settings_warning_cb), NULL);
	/* unreadable files are listed in the problems */
	rg_session_load_policy(session, NULL);
	return session;
}

/**
 * rg_evolution_session_ref:
 * @identity: (nullable): the sender's address, always known to the check
 * @error: return location for a #GError
 *
 * One loaded session per identity, kept while Evolution runs, so that the history is read
 * once and recipients confirmed in one message are known in the next. Problems with the
 * default sources are logged once, when the session is loaded.
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
	g_signal_connect(session, "warning", G_CALLBACK(rg_evolution_settings_warning_cb), NULL);
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
