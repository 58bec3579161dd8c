/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rcptguard command: the core's judgement for scripts, admins and terminal mail clients.
 * Built on the public API only. Each subcommand lives in its own rg-cli-*.c file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>

#include "rg-cli.h"

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} RgCliCommand;

static const RgCliCommand rg_cli_commands[] = {
    /* TRANSLATORS: what a command does, in the list of "rcptguard help" */
    {"check", rg_cli_check, N_("check recipients before a message is sent")},
    {"history", rg_cli_history, N_("look at, fill or erase your history of correspondents")},
    {"policy", rg_cli_policy, N_("check, show or change the policy and your settings")},
};

static void
rg_cli_usage(FILE *out)
{
	fprintf(out, "%s\n\n%s\n", _("Usage: rcptguard COMMAND [OPTION…]"), _("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(rg_cli_commands); i++)
		fprintf(
		    out, "  %-10s %s\n", rg_cli_commands[i].name, _(rg_cli_commands[i].summary));
	fprintf(out, "  %-10s %s\n", "version", _("print the version"));
	fprintf(out, "  %-10s %s\n", "help", _("show this text"));
	/* TRANSLATORS: "rcptguard COMMAND --help" is a command line; keep it as it is */
	fprintf(out, "\n%s\n", _("Run “rcptguard COMMAND --help” for the options of a command."));
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	rg_i18n_init();
	/* the program's own default domain too; our strings name it anyway */
	textdomain(GETTEXT_PACKAGE);
	rg_cli_init_output();

	if (argc < 2) {
		rg_cli_usage(stderr);
		return EXIT_USAGE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(rg_cli_commands); i++) {
		if (strcmp(argv[1], rg_cli_commands[i].name) == 0)
			return rg_cli_commands[i].run(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		g_print("rcptguard %s\n", rg_version_string());
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		rg_cli_usage(stdout);
		return EXIT_CLEAN;
	}
	/* TRANSLATORS: %s is what the user typed as a command */
	g_printerr(_("rcptguard: unknown command “%s”\n"), argv[1]);
	rg_cli_usage(stderr);
	return EXIT_USAGE;
}
