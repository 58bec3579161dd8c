/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where rcptguard's helper programs and data files are. An installed librcptguard uses the
 * directories it was configured with. One that runs from its build tree (a test, or a
 * developer trying `_build/plugin/cli/rcptguard` before installing anything) finds the file
 * meson wrote beside it, rcptguard-uninstalled.ini, which names the build tree's
 * directories instead (the helper in ui/, the translations in po/, the compiled knowledge in
 * common/data/). The file is never installed. */
#define _GNU_SOURCE /* dladdr() */
#include "config.h"

#include <dlfcn.h>
#include <gio/gio.h>

#include "rg-paths.h"

#define RG_UNINSTALLED_FILE "rcptguard-uninstalled.ini"

typedef struct {
	const char *key; /* in the [paths] group of the uninstalled file */
	const char *env; /* overrides both, for tests; NULL when there is none */
	const char *installed;
} RgPathInfo;

static const RgPathInfo rg_paths[] = {
    [RG_PATH_LIBEXECDIR] = {"libexecdir", NULL, RG_LIBEXECDIR},
    [RG_PATH_LOCALEDIR] = {"localedir", "RG_LOCALEDIR", RG_LOCALEDIR},
    [RG_PATH_DATADIR] = {"datadir", NULL, RG_DATADIR},
    /* a program with a static copy of the library (a test) has no uninstalled file beside
     * it: the build tree's modules come from the variable */
    [RG_PATH_MODULEDIR] = {"moduledir", "RCPTGUARD_MODULE_DIR", RG_MODULEDIR},
};

/* each directory: the build tree's when the uninstalled file is beside this library, else the
 * installed one; worked out once */
static const char *const *
rg_paths_resolve(void)
{
	static gsize once = 0;
	static const char *dirs[G_N_ELEMENTS(rg_paths)];

	if (g_once_init_enter(&once)) {
		g_autoptr(GKeyFile) uninstalled = g_key_file_new();
		Dl_info dl = {0};
		gboolean found = FALSE;

		/* the file this very function was loaded from: the shared library, or the program
		 * a static copy of it is linked into */
		if (dladdr((const void *)rg_paths_resolve, &dl) != 0 && dl.dli_fname != NULL &&
		    g_path_is_absolute(dl.dli_fname)) {
			g_autofree char *dir = g_path_get_dirname(dl.dli_fname);
			g_autofree char *file = g_build_filename(dir, RG_UNINSTALLED_FILE, NULL);
			found = g_key_file_load_from_file(uninstalled, file, G_KEY_FILE_NONE, NULL);
		}
		for (guint i = 0; i < G_N_ELEMENTS(rg_paths); i++) {
			char *dir =
			    found
			        ? g_key_file_get_string(uninstalled, "paths", rg_paths[i].key, NULL)
			        : NULL;
			/* kept for the life of the process, as the installed paths are */
			dirs[i] = dir != NULL ? dir : rg_paths[i].installed;
		}
		g_once_init_leave(&once, 1);
	}
	return dirs;
}

/**
 * rg_path_get:
 * @kind: which directory
 *
 * The directory of @kind: the one rcptguard was installed with or, when this librcptguard
 * runs from its build tree, the build tree's. For %RG_PATH_LOCALEDIR, `$RG_LOCALEDIR`
 * overrides both, for %RG_PATH_MODULEDIR `$RCPTGUARD_MODULE_DIR`.
 *
 * Returns: (transfer none): an absolute path, owned by the library and valid until the
 * process ends
 */
const char *
rg_path_get(RgPathKind kind)
{
	const char *env;

	g_return_val_if_fail((guint)kind < G_N_ELEMENTS(rg_paths), NULL);
	env = rg_paths[kind].env != NULL ? g_getenv(rg_paths[kind].env) : NULL;
	if (env != NULL && env[0] != '\0')
		return env;
	return rg_paths_resolve()[kind];
}
