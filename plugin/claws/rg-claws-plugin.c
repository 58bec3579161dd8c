/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The module's face to Claws Mail: the exported plugin ABI, the version check, and the
 * registration of the pre-send hook and the preferences page. */
#include "config.h"

#include "rg-claws.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "common/hooks.h"
#include "common/plugin.h"
#include "common/version.h"

static gulong rg_claws_hook_id = HOOK_NONE;
static guint rg_claws_start_id = 0;

static gboolean
rg_claws_start_sources_cb(gpointer data)
{
	rg_claws_start_id = 0;
	rg_claws_sources_start(FALSE);
	return G_SOURCE_REMOVE;
}

static gboolean
rg_claws_before_send_cb(gpointer source, gpointer data)
{
	return rg_claws_check_compose(source);
}

G_MODULE_EXPORT gint
plugin_init(gchar **error)
{
	rg_i18n_init();

	/* the plugin reads struct _Compose directly, so it only runs in the Claws it was
	 * built for */
	if (!check_plugin_version(
	        MAKE_NUMERIC_VERSION(4, 1, 0, 0), VERSION_NUMERIC, _("Recipient check"), error))
		return -1;

	rg_claws_hook_id =
	    hooks_register_hook(COMPOSE_CHECK_BEFORE_SEND_HOOKLIST, rg_claws_before_send_cb, NULL);
	if (rg_claws_hook_id == HOOK_NONE) {
		*error = g_strdup(_("Failed to register the hook that runs before sending."));
		return -1;
	}
	rg_claws_prefs_init();
	/* the Sent folders and address books are read once Claws is up, in the background */
	if (rg_claws_prefs_get_read_sources())
		rg_claws_start_id =
		    g_idle_add_full(G_PRIORITY_LOW, rg_claws_start_sources_cb, NULL, NULL);
	g_debug("plugin_init ok");
	return 0;
}

G_MODULE_EXPORT gboolean
plugin_done(void)
{
	if (rg_claws_hook_id != HOOK_NONE) {
		hooks_unregister_hook(COMPOSE_CHECK_BEFORE_SEND_HOOKLIST, rg_claws_hook_id);
		rg_claws_hook_id = HOOK_NONE;
	}
	if (rg_claws_start_id != 0) {
		g_source_remove(rg_claws_start_id);
		rg_claws_start_id = 0;
	}
	rg_claws_sources_cancel();
	rg_claws_prefs_done();
	g_debug("plugin_done");

	/* A check still running (its dialog is open in a nested main loop) has frames of this
	 * module on the stack: close the dialog, which stops that send, and ask Claws to keep
	 * the module mapped so that those frames can return. */
	if (rg_claws_check_in_progress()) {
		rg_claws_check_cancel_all();
		return FALSE;
	}
	/* an import's callbacks are code of this module: stop it, and stay mapped until they
	 * have run */
	if (rg_claws_import_in_progress()) {
		rg_claws_import_cancel_all();
		return FALSE;
	}
	if (rg_claws_sources_in_progress())
		return FALSE;
	return TRUE;
}

G_MODULE_EXPORT const gchar *
plugin_name(void)
{
	/* Claws may ask for the name and description before plugin_init(), for its Plugins
	 * window and its error messages */
	rg_i18n_init();
	/* TRANSLATORS: the plug-in's name in Claws Mail's Configuration → Plugins window and
	 * its preferences page; Claws Mail's own translation calls such pages by what they do */
	return _("Recipient check");
}

G_MODULE_EXPORT const gchar *
plugin_desc(void)
{
	rg_i18n_init();
	/* TRANSLATORS: shown in Claws Mail's Configuration → Plugins window. "Configuration",
	 * "Preferences" and "Plugins" are Claws Mail's own menu names: use its translation of
	 * them */
	return _("Checks the recipients of every message before it is sent or queued, and "
	         "warns when one looks mistyped, such as army.ml for army.mil. It offers the "
	         "corrected address.\n\nThe settings are under Configuration, Preferences, "
	         "Plugins, Recipient check.");
}

G_MODULE_EXPORT const gchar *
plugin_type(void)
{
	return "GTK3";
}

G_MODULE_EXPORT const gchar *
plugin_licence(void)
{
	return "GPL3+";
}

G_MODULE_EXPORT const gchar *
plugin_version(void)
{
	return PACKAGE_VERSION;
}

G_MODULE_EXPORT struct PluginFeature *
plugin_provides(void)
{
	static struct PluginFeature features[] = {
	    /* an identifier Claws compares with other plug-ins' features, never shown */
	    {PLUGIN_UTILITY, "rcptguard recipient check"},
	    {PLUGIN_NOTHING, NULL},
	};
	return features;
}
