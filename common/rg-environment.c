/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a session finds the user's world: the directories of the policy, the settings and
 * the history store, the notmuch configuration, and the clock. This is the only file that
 * reads the process environment (the XDG variables, through GLib) and the wall clock for
 * the core; everything else is handed an RgEnvironment, so that tests and a server running
 * many sessions side by side can give each its own. */
#include "config.h"

#include "rg-environment.h"
#include "rg-paths.h"

struct _RgEnvironment {
	GObject parent_instance;
	char *config_home;   /* nullable: no user settings */
	GStrv system_dirs;   /* the trusted system policy's directories */
	GStrv config_dirs;   /* more policy directories, most important first */
	char *data_home;     /* nullable: the history store lives in memory */
	char *data_dir;      /* rcptguard's own data files: the built-in knowledge */
	char *dialog_helper; /* the program that asks in the GTK dialog */
	char *home;          /* nullable: "~/" in policy paths cannot be used */
	char *notmuch_config;
	RgClockFunc clock;
	gpointer clock_data;
	GDestroyNotify clock_notify;
};

G_DEFINE_TYPE(RgEnvironment, rg_environment, G_TYPE_OBJECT)

static void
rg_environment_clear_clock(RgEnvironment *self)
{
	if (self->clock_notify != NULL)
		self->clock_notify(self->clock_data);
	self->clock = NULL;
	self->clock_data = NULL;
	self->clock_notify = NULL;
}

static void
rg_environment_finalize(GObject *object)
{
	RgEnvironment *self = RG_ENVIRONMENT(object);
	rg_environment_clear_clock(self);
	g_free(self->config_home);
	g_strfreev(self->system_dirs);
	g_strfreev(self->config_dirs);
	g_free(self->data_home);
	g_free(self->data_dir);
	g_free(self->dialog_helper);
	g_free(self->home);
	g_free(self->notmuch_config);
	G_OBJECT_CLASS(rg_environment_parent_class)->finalize(object);
}

static void
rg_environment_class_init(RgEnvironmentClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_environment_finalize;
}

static void
rg_environment_init(RgEnvironment *self)
{
	self->system_dirs = g_new0(char *, 1);
	self->config_dirs = g_new0(char *, 1);
	/* the installed ones, or the build tree's when this library runs uninstalled */
	self->data_dir = g_strdup(rg_path_get(RG_PATH_DATADIR));
	self->dialog_helper =
	    g_build_filename(rg_path_get(RG_PATH_LIBEXECDIR), "rcptguard-dialog", NULL);
	/* no configuration file at all (libnotmuch's convention for "") */
	self->notmuch_config = g_strdup("");
}

/**
 * rg_environment_new_empty:
 *
 * An environment that reaches nothing of the user's: no system policy, no user settings, a
 * history store in memory, no notmuch, the real clock; rcptguard's own installed data files
 * (the build tree's when this librcptguard runs uninstalled, see rg_path_get()).
 * Set what a session may use.
 *
 * Returns: (transfer full): a new environment
 */
RgEnvironment *
rg_environment_new_empty(void)
{
	return g_object_new(RG_TYPE_ENVIRONMENT, NULL);
}

/**
 * rg_environment_new:
 *
 * The user's environment, as every desktop front end uses it: user settings under
 * `$XDG_CONFIG_HOME`, the trusted system policy in `/etc/xdg` and in the `xdg` directory of
 * the configured sysconfdir, more policy in every `$XDG_CONFIG_DIRS` directory (which cannot
 * loosen what the trusted one locks), the history store under
 * `$XDG_DATA_HOME`, the notmuch configuration notmuch itself finds (`NOTMUCH_CONFIG`,
 * `~/.notmuch-config`), rcptguard's data files from `$RCPTGUARD_DATA_DIR` when it is set (an
 * uninstalled build: the tests set it), else the installed ones, the dialog helper from
 * `$RCPTGUARD_DIALOG_HELPER` when it is set (likewise), else the installed one (both the
 * build tree's when this librcptguard runs uninstalled, see rg_path_get()), and the real
 * clock. The variables are read now.
 *
 * Returns: (transfer full): a new environment
 */
RgEnvironment *
rg_environment_new(void)
{
	RgEnvironment *self = rg_environment_new_empty();
	const char *const system_dirs[] = {"/etc/xdg", RG_SYSCONFDIR_XDG, NULL};

	rg_environment_set_system_dirs(self, system_dirs);
	rg_environment_set_config_dirs(self, g_get_system_config_dirs());
	self->config_home = g_strdup(g_get_user_config_dir());
	self->data_home = g_strdup(g_get_user_data_dir());
	self->home = g_strdup(g_get_home_dir());
	g_clear_pointer(&self->notmuch_config, g_free);
	if (g_getenv("RCPTGUARD_DATA_DIR") != NULL && g_getenv("RCPTGUARD_DATA_DIR")[0] != '\0')
		rg_environment_set_data_dir(self, g_getenv("RCPTGUARD_DATA_DIR"));
	if (g_getenv("RCPTGUARD_DIALOG_HELPER") != NULL &&
	    g_getenv("RCPTGUARD_DIALOG_HELPER")[0] != '\0')
		rg_environment_set_dialog_helper(self, g_getenv("RCPTGUARD_DIALOG_HELPER"));
	return self;
}

/**
 * rg_environment_set_config_home:
 * @self: an #RgEnvironment
 * @dir: (nullable): the user's configuration directory; the settings are
 *   `DIR/rcptguard/settings.conf`. %NULL: no user settings.
 */
void
rg_environment_set_config_home(RgEnvironment *self, const char *dir)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_free(self->config_home);
	self->config_home = g_strdup(dir);
}

/**
 * rg_environment_get_config_home:
 * @self: an #RgEnvironment
 *
 * Returns: (nullable): the user's configuration directory
 */
const char *
rg_environment_get_config_home(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->config_home;
}

/**
 * rg_environment_set_system_dirs:
 * @self: an #RgEnvironment
 * @dirs: (array zero-terminated=1) (nullable): the directories of the trusted system policy
 *   (`DIR/rcptguard/policy.conf`), the organisation's: what it locks nothing else loosens;
 *   %NULL or empty for none
 */
void
rg_environment_set_system_dirs(RgEnvironment *self, const char *const *dirs)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_strfreev(self->system_dirs);
	self->system_dirs = dirs != NULL ? g_strdupv((char **)dirs) : g_new0(char *, 1);
}

/**
 * rg_environment_get_system_dirs:
 * @self: an #RgEnvironment
 *
 * Returns: (transfer none) (array zero-terminated=1): the trusted system policy's
 *   directories
 */
const char *const *
rg_environment_get_system_dirs(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return (const char *const *)self->system_dirs;
}

/**
 * rg_environment_set_config_dirs:
 * @self: an #RgEnvironment
 * @dirs: (array zero-terminated=1) (nullable): more directories of the system policy, as
 *   `$XDG_CONFIG_DIRS` names them, the most important first: they may add settings and lock
 *   more keys, but set a key the trusted system policy locks only to something stricter;
 *   %NULL or empty for none
 */
void
rg_environment_set_config_dirs(RgEnvironment *self, const char *const *dirs)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_strfreev(self->config_dirs);
	self->config_dirs = dirs != NULL ? g_strdupv((char **)dirs) : g_new0(char *, 1);
}

/**
 * rg_environment_get_config_dirs:
 * @self: an #RgEnvironment
 *
 * Returns: (transfer none) (array zero-terminated=1): the further policy directories, the
 *   most important first
 */
const char *const *
rg_environment_get_config_dirs(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return (const char *const *)self->config_dirs;
}

/**
 * rg_environment_set_data_home:
 * @self: an #RgEnvironment
 * @dir: (nullable): the user's data directory; the history store is
 *   `DIR/rcptguard/history.db`. %NULL: the store lives in memory.
 */
void
rg_environment_set_data_home(RgEnvironment *self, const char *dir)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_free(self->data_home);
	self->data_home = g_strdup(dir);
}

/**
 * rg_environment_get_data_home:
 * @self: an #RgEnvironment
 *
 * Returns: (nullable): the user's data directory
 */
const char *
rg_environment_get_data_home(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->data_home;
}

/**
 * rg_environment_set_data_dir:
 * @self: an #RgEnvironment
 * @dir: the directory of rcptguard's own data files (the built-in knowledge), by default
 *   the installed `$datadir/rcptguard`
 */
void
rg_environment_set_data_dir(RgEnvironment *self, const char *dir)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_return_if_fail(dir != NULL);
	g_free(self->data_dir);
	self->data_dir = g_strdup(dir);
}

/**
 * rg_environment_get_data_dir:
 * @self: an #RgEnvironment
 *
 * Returns: the directory of rcptguard's own data files
 */
const char *
rg_environment_get_data_dir(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->data_dir;
}

/**
 * rg_environment_set_dialog_helper:
 * @self: an #RgEnvironment
 * @path: (nullable): the `rcptguard-dialog` program, which asks the user in the GTK dialog
 *   for a front end that links no GTK (rg_session_ask_dialog_helper()); %NULL: none
 */
void
rg_environment_set_dialog_helper(RgEnvironment *self, const char *path)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_free(self->dialog_helper);
	self->dialog_helper = g_strdup(path);
}

/**
 * rg_environment_get_dialog_helper:
 * @self: an #RgEnvironment
 *
 * Returns: (nullable): the dialog helper program; by default the installed
 *   `rcptguard-dialog`, whether or not it was built
 */
const char *
rg_environment_get_dialog_helper(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->dialog_helper;
}

/**
 * rg_environment_set_home:
 * @self: an #RgEnvironment
 * @dir: (nullable): the user's home directory, which `~/` in policy paths stands for
 */
void
rg_environment_set_home(RgEnvironment *self, const char *dir)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_free(self->home);
	self->home = g_strdup(dir);
}

/**
 * rg_environment_get_home:
 * @self: an #RgEnvironment
 *
 * Returns: (nullable): the user's home directory
 */
const char *
rg_environment_get_home(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->home;
}

/**
 * rg_environment_set_notmuch_config:
 * @self: an #RgEnvironment
 * @path: (nullable): the notmuch configuration file; "" for none (only an explicitly given
 *   database is read then); %NULL to let notmuch find its own (it reads `NOTMUCH_CONFIG`
 *   and `HOME`)
 */
void
rg_environment_set_notmuch_config(RgEnvironment *self, const char *path)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	g_free(self->notmuch_config);
	self->notmuch_config = g_strdup(path);
}

/**
 * rg_environment_get_notmuch_config:
 * @self: an #RgEnvironment
 *
 * Returns: (nullable): as given to rg_environment_set_notmuch_config()
 */
const char *
rg_environment_get_notmuch_config(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	return self->notmuch_config;
}

/**
 * rg_environment_set_clock:
 * @self: an #RgEnvironment
 * @func: (nullable) (scope notified): the clock, or %NULL for the real one
 * @user_data: passed to @func
 * @notify: (nullable): frees @user_data when the clock is replaced or @self dies
 *
 * The clock stamps the decision log and the history store. It may be called from the
 * thread of a running import.
 */
void
rg_environment_set_clock(RgEnvironment *self,
                         RgClockFunc func,
                         gpointer user_data,
                         GDestroyNotify notify)
{
	g_return_if_fail(RG_IS_ENVIRONMENT(self));
	rg_environment_clear_clock(self);
	self->clock = func;
	self->clock_data = user_data;
	self->clock_notify = notify;
}

/**
 * rg_environment_get_real_time:
 * @self: an #RgEnvironment
 *
 * Returns: the time of the environment's clock, in microseconds since the epoch
 */
gint64
rg_environment_get_real_time(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), 0);
	if (self->clock != NULL)
		return self->clock(self->clock_data);
	return g_get_real_time();
}

/**
 * rg_environment_get_settings_path:
 * @self: an #RgEnvironment
 *
 * Returns: (transfer full) (nullable): `CONFIG_HOME/rcptguard/settings.conf`, or %NULL
 *   without a configuration directory
 */
char *
rg_environment_get_settings_path(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	if (self->config_home == NULL)
		return NULL;
	return g_build_filename(self->config_home, "rcptguard", "settings.conf", NULL);
}

/**
 * rg_environment_get_store_path:
 * @self: an #RgEnvironment
 *
 * Returns: (transfer full) (nullable): `DATA_HOME/rcptguard/history.db`, or %NULL when the
 *   store lives in memory
 */
char *
rg_environment_get_store_path(RgEnvironment *self)
{
	g_return_val_if_fail(RG_IS_ENVIRONMENT(self), NULL);
	if (self->data_home == NULL)
		return NULL;
	return g_build_filename(self->data_home, "rcptguard", "history.db", NULL);
}
