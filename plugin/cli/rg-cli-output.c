/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the rcptguard command prints (rg-cli.h): apart from main(), so that the fuzz target of
 * `rcptguard check -` (tests/fuzz/fuzz-cli.c) prints through the same code */
#include "config.h"

#include <rcptguard.h>
#include <stdio.h>

#include "rg-cli.h"

static void
rg_cli_print_visible_cb(const char *text)
{
	g_autofree char *visible = rg_address_make_visible(text, "\n\t");
	fputs(visible, stdout);
	fflush(stdout);
}

static void
rg_cli_printerr_visible_cb(const char *text)
{
	g_autofree char *visible = rg_address_make_visible(text, "\n\t");
	/* what went to stdout before comes first, for a reader of both streams */
	fflush(stdout);
	fputs(visible, stderr);
	fflush(stderr);
}

void
rg_cli_init_output(void)
{
	g_set_print_handler(rg_cli_print_visible_cb);
	g_set_printerr_handler(rg_cli_printerr_visible_cb);
}

void
rg_cli_print_raw(const char *text)
{
	fputs(text, stdout);
}

void
rg_cli_printerr_visible(const char *prefix, const char *text)
{
	g_autofree char *visible = rg_address_make_visible(text, NULL);
	g_printerr("%s%s\n", prefix, visible);
}
