/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard check --dialog: hands over to the rcptguard-dialog helper, so the CLI itself links
 * no GTK. The helper takes the same options and prints the decision as JSON. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <rcptguard.h>
#include <string.h>
#include <unistd.h>

#include "rg-cli.h"

int
rg_cli_check_dialog(char **argv)
{
#if RG_HAVE_UI
	/* where the session would find it: $RCPTGUARD_DIALOG_HELPER, else the installed one, or
	 * the build tree's when this rcptguard runs uninstalled */
	g_autoptr(RgEnvironment) env = rg_environment_new();
	const char *helper = rg_environment_get_dialog_helper(env);
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
