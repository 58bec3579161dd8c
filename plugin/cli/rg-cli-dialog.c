/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard check --dialog: hands over to the rcptguard-dialog helper, so the CLI itself links
 * no GTK. The helper takes the same options and prints the decision as JSON. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <rcptguard.h>
#include <string.h>
#include <unistd.h>

#include "rg-cli.h"

#if RG_HAVE_UI
/* the helper: $RCPTGUARD_DIALOG_HELPER, else the installed one, or the build tree's when this
 * rcptguard runs uninstalled */
static char *
rg_cli_dialog_helper(void)
{
	const char *path = g_getenv("RCPTGUARD_DIALOG_HELPER");
	if (path != NULL && path[0] != '\0')
		return g_strdup(path);
	return g_build_filename(rg_path_get(RG_PATH_LIBEXECDIR), "rcptguard-dialog", NULL);
}
#endif

int
rg_cli_check_dialog(char **argv)
{
#if RG_HAVE_UI
	g_autofree char *helper = rg_cli_dialog_helper();
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	gboolean after_dashes = FALSE;

	g_ptr_array_add(args, (gpointer) "rcptguard-dialog");
	for (guint i = 1; argv[i] != NULL; i++) {
		if (strcmp(argv[i], "--") == 0)
			after_dashes = TRUE;
		if (!after_dashes && strcmp(argv[i], "--dialog") == 0)
			continue;
		g_ptr_array_add(args, argv[i]);
	}
	g_ptr_array_add(args, NULL);
	execv(helper, (char **)args->pdata);
	/* TRANSLATORS: %1$s is a program path, %2$s the system's error message */
	g_printerr(_("rcptguard check: cannot run the dialog helper %1$s: %2$s\n"),
	           helper,
	           g_strerror(errno));
	return EXIT_USAGE;
#else
	g_printerr(_("rcptguard check: this rcptguard was built without the dialog (GTK 3)\n"));
	return EXIT_USAGE;
#endif
}
