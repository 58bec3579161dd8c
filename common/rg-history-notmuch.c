/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The notmuch import, loaded on first use: the work is done by the module rcptguard-notmuch.so
 * (rg-notmuch-module.c, the only file that talks to libnotmuch), so that a check that reads no
 * notmuch database does not load libnotmuch, Xapian and talloc at start-up
 * (rg-notmuch-module.h). */
#include "config.h"

#include <gmodule.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-notmuch.h"
#include "rg-history-private.h"
#include "rg-notmuch-module.h"
#include "rg-paths.h"

static const RgNotmuchHost rg_notmuch_host = {
    .error_quark = rg_error_quark,
    .address_list_parse_lenient = rg_address_list_parse_lenient,
    .address_read_recipients = rg_address_read_recipients,
    .history_normalize = rg_history_normalize,
    .store_message_key = rg_store_message_key,
    .store_import_begin = rg_store_import_begin,
    .store_import_set_identities = rg_store_import_set_identities,
    .store_import_lookup = rg_store_import_lookup,
    .store_import_message = rg_store_import_message,
    .store_import_commit = rg_store_import_commit,
};

/* Whether notmuch is sure to find no configuration file: without a database path it then
 * refuses to open anything (NOTMUCH_STATUS_NO_CONFIG), so the module need not be loaded to
 * hear it. The places are notmuch's own (notmuch.h, notmuch_database_open_with_config());
 * any of them that exists, readable or not, leaves the answer to notmuch. */
static gboolean
rg_notmuch_config_missing(const char *database_path, const char *config_path)
{
	const char *env_config = g_getenv("NOTMUCH_CONFIG");
	const char *profile = g_getenv("NOTMUCH_PROFILE");
	const char *home = g_getenv("HOME");
	const char *xdg = g_getenv("XDG_CONFIG_HOME");
	g_autofree char *xdg_config = NULL;
	g_autofree char *home_config = NULL;

	if (database_path != NULL)
		return FALSE;
	if (config_path != NULL && config_path[0] != '\0')
		return !g_file_test(config_path, G_FILE_TEST_EXISTS);
	if (config_path != NULL || home == NULL)
		return FALSE;
	if (env_config != NULL && env_config[0] != '\0')
		return !g_file_test(env_config, G_FILE_TEST_EXISTS);
	xdg_config =
	    xdg != NULL && xdg[0] != '\0'
	        ? g_build_filename(xdg,
	                           "notmuch",
	                           profile != NULL && profile[0] != '\0' ? profile : "default",
	                           "config",
	                           NULL)
	        : g_build_filename(home,
	                           ".config",
	                           "notmuch",
	                           profile != NULL && profile[0] != '\0' ? profile : "default",
	                           "config",
	                           NULL);
	home_config = profile != NULL && profile[0] != '\0'
	                  ? g_strdup_printf("%s/.notmuch-config.%s", home, profile)
	                  : g_strdup_printf("%s/.notmuch-config", home);
	return !g_file_test(xdg_config, G_FILE_TEST_EXISTS) &&
	       !g_file_test(home_config, G_FILE_TEST_EXISTS);
}

/* the module's entry point, loaded once and kept for the life of the process; NULL with
 * @error set when it cannot be loaded (then every import says so) */
static RgNotmuchImportFunc
rg_notmuch_module_get(GError **error)
{
	static gsize once = 0;
	static RgNotmuchImportFunc entry;
	static char *failure;

	if (g_once_init_enter(&once)) {
		g_autofree char *path = g_build_filename(rg_path_get(RG_PATH_MODULEDIR),
		                                         RG_NOTMUCH_MODULE_NAME "." G_MODULE_SUFFIX,
		                                         NULL);
		/* libnotmuch's symbols stay out of the global namespace */
		GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
		gpointer symbol = NULL;

		if (module == NULL) {
			failure = g_strdup(g_module_error());
		} else if (!g_module_symbol(module, RG_NOTMUCH_MODULE_ENTRY, &symbol)) {
			failure = g_strdup_printf("%s: %s", path, g_module_error());
			g_module_close(module);
		} else {
			g_module_make_resident(module);
			entry = (RgNotmuchImportFunc)symbol;
		}
		g_once_init_leave(&once, 1);
	}
	if (entry == NULL)
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_NOT_SUPPORTED,
		            "cannot load the notmuch module of rcptguard: %s",
		            failure);
	return entry;
}

/**
 * rg_history_notmuch_import:
 * @store: the history store to fill
 * @database_path: (nullable): a notmuch database (the directory that holds `.notmuch`, or
 *   the database directory itself); %NULL to take it from the notmuch configuration
 * @config_path: (nullable): a notmuch configuration file; %NULL for notmuch's own search
 *   (`NOTMUCH_CONFIG`, `NOTMUCH_PROFILE`, `$XDG_CONFIG_HOME/notmuch/`, `~/.notmuch-config`),
 *   "" for none
 * @cancellable: (nullable): stops the import; nothing is written then
 * @progress: (nullable) (scope call): called now and then with how far the import is
 * @user_data: data for @progress
 * @result: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Reads the notmuch database read-only into @store: the sender of every message counts as
 * received from, the To/Cc/Bcc recipients of every message from one of the user's
 * identities (`user.primary_email`, `user.other_email`) count as sent to, and mail tagged
 * spam, deleted or with one of `search.exclude_tags` counts only as junk evidence. The
 * identities are remembered as the user's own addresses. After the first import only
 * messages changed since the stored revision are examined; when the database UUID differs
 * from the stored one, everything learned from notmuch is replaced by a fresh import.
 *
 * libnotmuch is loaded on the first call that may find a database (it lives in rcptguard's
 * module `rcptguard-notmuch`, installed in `$libdir/rcptguard/`).
 *
 * Returns: %FALSE with %RG_ERROR_NOT_FOUND (no notmuch configuration or database),
 *   %RG_ERROR_IO (notmuch failed), %RG_ERROR_BUSY (the store was locked; what was read
 *   is still added by rg_store_load() on this @store), %RG_ERROR_NOT_SUPPORTED (the notmuch
 *   module of this installation cannot be loaded) or %G_IO_ERROR_CANCELLED set
 */
gboolean
rg_history_notmuch_import(RgStore *store,
                          const char *database_path,
                          const char *config_path,
                          GCancellable *cancellable,
                          RgProgressFunc progress,
                          gpointer user_data,
                          RgImportResult *result,
                          GError **error)
{
	RgNotmuchImportFunc import;

	g_return_val_if_fail(RG_IS_STORE(store), FALSE);

	if (rg_notmuch_config_missing(database_path, config_path)) {
		g_set_error_literal(
		    error,
		    RG_ERROR,
		    RG_ERROR_NOT_FOUND,
		    "cannot open notmuch database (from the notmuch configuration): "
		    "no notmuch configuration file");
		return FALSE;
	}
	import = rg_notmuch_module_get(error);
	if (import == NULL)
		return FALSE;
	return import(&rg_notmuch_host,
	              store,
	              database_path,
	              config_path,
	              cancellable,
	              progress,
	              user_data,
	              result,
	              error);
}
