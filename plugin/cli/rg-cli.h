/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#define EXIT_CLEAN 0
#define EXIT_FLAGGED 1
#define EXIT_USAGE 2

/* each subcommand: argv[0] is the subcommand's name */
int rg_cli_check(int argc, char **argv);
int rg_cli_policy(int argc, char **argv);
/* rcptguard check --dialog: argv as rg_cli_check() got it, before option parsing */
int rg_cli_check_dialog(char **argv);
int rg_cli_history(int argc, char **argv);
