/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

#define EXIT_CLEAN 0
#define EXIT_FLAGGED 1
#define EXIT_USAGE 2

/* each subcommand: argv[0] is the subcommand's name */
int rg_cli_check(int argc, char **argv);
/* rcptguard check -: the lines of @in (rg-cli-check.c) */
int rg_cli_check_lines(
    RgSession *session, GInputStream *in, gboolean json, gboolean color, gboolean *flagged);
int rg_cli_policy(int argc, char **argv);
/* rcptguard check --dialog: argv as rg_cli_check() got it, before option parsing */
int rg_cli_check_dialog(char **argv);
int rg_cli_history(int argc, char **argv);

/* Everything printed with g_print() and g_printerr() has its control and bidi characters
 * spelled out (rg_address_make_visible()), all but the output's own line breaks and tabs.
 * What must reach stdout as it is (JSON, colour codes) goes through rg_cli_print_raw(). */
void rg_cli_init_output(void);
void rg_cli_print_raw(const char *text);
/* "PREFIXTEXT\n" on stderr, a line break in @text spelled out too */
void rg_cli_printerr_visible(const char *prefix, const char *text);
