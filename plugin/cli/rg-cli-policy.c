/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard policy: check a policy before rolling it out, show the effective settings and
 * where each comes from, change the user's settings. Problems are printed the way compilers
 * print them, FILE:LINE: key: problem, so editors can jump to them. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>

#include "rg-cli.h"

static void
rg_cli_policy_usage(FILE *out)
{
	fprintf(out,
	        "%s\n  %s\n  %s\n  %s\n  %s\n",
	        _("Usage:"),
	        /* TRANSLATORS: a command line; only FILE, KEY and VALUE may be translated */
	        _("rcptguard policy check [FILE…]"),
	        /* TRANSLATORS: a command line; only FILE may be translated */
	        _("rcptguard policy show [--policy FILE]"),
	        /* TRANSLATORS: a command line; only KEY and VALUE may be translated */
	        _("rcptguard policy set KEY VALUE"),
	        /* TRANSLATORS: a command line; only KEY may be translated */
	        _("rcptguard policy unset KEY"));
	fprintf(out,
	        "\n%s\n",
	        _("“check” validates policy files (by default the ones in use) and prints every "
	          "problem as FILE:LINE: key: problem; the exit status is 2 when there are "
	          "errors. “show” prints the effective value of every key, where it comes "
	          "from and whether it is locked. “set” and “unset” change your own settings; "
	          "keys the system policy locks can only be made stricter."));
}

/* the layers a check uses: the system policy or @policy_file, then the user's settings */
static RgPolicy *
rg_cli_policy_load(const char *policy_file, GError **error)
{
	g_autoptr(RgSession) session = rg_session_new();

	rg_session_set_policy_file(session, policy_file);
	/* an unreadable system file is one of the problems, not a reason to stop */
	if (!rg_session_load_policy(session, error))
		return NULL;
	return g_object_ref(rg_session_get_policy(session));
}

/* a problem quotes the file: its control characters are spelled out, never sent */
static void
rg_cli_policy_print_problems(RgPolicy *policy)
{
	GPtrArray *problems = rg_policy_get_problems(policy);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *problem = rg_problem_to_string(g_ptr_array_index(problems, i));
		g_autofree char *line = rg_address_make_visible(problem, NULL);
		g_print("%s\n", line);
	}
}

static int
rg_cli_policy_check(int argc, char **argv)
{
	guint n_errors = 0;
	guint n_problems = 0;

	if (argc > 1 && g_str_has_prefix(argv[1], "-") && strcmp(argv[1], "--") != 0) {
		rg_cli_policy_usage(strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return strcmp(argv[1], "--help") == 0 ? EXIT_CLEAN : EXIT_USAGE;
	}
	if (argc <= 1) {
		g_autoptr(RgPolicy) policy = rg_cli_policy_load(NULL, NULL);
		rg_cli_policy_print_problems(policy);
		n_errors = rg_policy_get_n_errors(policy);
		n_problems = rg_policy_get_problems(policy)->len;
	}
	for (int i = 1; i < argc; i++) {
		g_autoptr(RgPolicy) policy = rg_policy_new();
		g_autoptr(GError) error = NULL;
		if (strcmp(argv[i], "--") == 0)
			continue;
		if (!rg_policy_load_file(policy, argv[i], &error) &&
		    g_error_matches(error, RG_ERROR, RG_ERROR_NOT_FOUND)) {
			/* the only failure that is not among the problems */
			g_autofree char *msg = rg_address_make_visible(error->message, NULL);
			g_print("%s\n", msg);
			n_errors++;
			n_problems++;
			continue;
		}
		rg_cli_policy_print_problems(policy);
		n_errors += rg_policy_get_n_errors(policy);
		n_problems += rg_policy_get_problems(policy)->len;
	}
	if (n_errors > 0) {
		g_printerr(g_dngettext(GETTEXT_PACKAGE,
		                       /* TRANSLATORS: %u is a number of errors in policy files */
		                       "rcptguard policy check: %u error\n",
		                       "rcptguard policy check: %u errors\n",
		                       n_errors),
		           n_errors);
		return EXIT_USAGE;
	}
	if (n_problems > 0) {
		guint n_warnings = n_problems - n_errors;
		g_printerr(g_dngettext(GETTEXT_PACKAGE,
		                       /* TRANSLATORS: %u is a number of warnings in policy files */
		                       "rcptguard policy check: no errors, %u warning\n",
		                       "rcptguard policy check: no errors, %u warnings\n",
		                       n_warnings),
		           n_warnings);
	}
	return EXIT_CLEAN;
}

static int
rg_cli_policy_show(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RgPolicy) policy = NULL;
	g_autofree char *policy_file = NULL;
	const char *const *keys = rg_policy_list_keys();
	GPtrArray *problems;
	GOptionEntry entries[] = {
	    {"policy",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &policy_file,
	     N_("Use FILE as the system policy"),
	     /* TRANSLATORS: the value of an option in --help; upper case */
	     N_("FILE")},
	    {NULL},
	};

	ctx = g_option_context_new(NULL);
	g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
	g_option_context_set_summary(ctx,
	                             _("Prints the effective value of every policy key, the "
	                               "file it comes from and whether it is locked."));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		rg_cli_printerr_visible("rcptguard policy show: ", error->message);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		/* TRANSLATORS: %s is what the user typed */
		g_printerr(_("rcptguard policy show: unexpected argument “%s”\n"), argv[1]);
		return EXIT_USAGE;
	}
	policy = rg_cli_policy_load(policy_file, &error);
	if (policy == NULL) {
		rg_cli_printerr_visible("rcptguard policy show: ", error->message);
		return EXIT_USAGE;
	}
	problems = rg_policy_get_problems(policy);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *line = rg_problem_to_string(g_ptr_array_index(problems, i));
		g_printerr("rcptguard: %s\n", line);
	}
	for (guint i = 0; keys[i] != NULL; i++) {
		g_autofree char *value = rg_policy_get_value(policy, keys[i]);
		const char *origin = rg_policy_get_origin(policy, keys[i]);
		const char *locked_by = rg_policy_get_locked_by(policy, keys[i]);
		g_autofree char *where = NULL;
		if (origin == NULL)
			/* TRANSLATORS: where a setting comes from */
			where = g_strdup(_("built-in default"));
		else
			/* TRANSLATORS: where a setting comes from; %s is a file name */
			where = g_strdup_printf(_("from %s"), origin);
		if (locked_by != NULL) {
			g_autofree char *tmp = NULL;
			/* TRANSLATORS: %1$s is where a setting comes from, such as "from FILE";
			 * %2$s the file that locks the setting */
			tmp = g_strdup_printf(_("%1$s; locked by %2$s"), where, locked_by);
			g_free(where);
			where = g_steal_pointer(&tmp);
		}
		g_print("%s=%s\t# %s\n", keys[i], value, where);
	}
	return EXIT_CLEAN;
}

static int
rg_cli_policy_set(int argc, char **argv, gboolean unset)
{
	g_autoptr(RgSession) session = rg_session_new();
	g_autofree char *settings = rg_session_get_settings_file(session);
	g_autoptr(RgPolicy) policy = NULL;
	g_autoptr(GError) error = NULL;
	const char *name = unset ? "unset" : "set";

	if (argc != (unset ? 2 : 3) || g_str_has_prefix(argv[1], "-")) {
		rg_cli_policy_usage(stderr);
		return EXIT_USAGE;
	}
	policy = rg_cli_policy_load(NULL, NULL);
	if (!rg_policy_set_user_value(policy, argv[1], unset ? NULL : argv[2], &error)) {
		g_autofree char *prefix = g_strdup_printf("rcptguard policy %s: ", name);
		rg_cli_printerr_visible(prefix, error->message);
		return EXIT_USAGE;
	}
	/* TRANSLATORS: %s is a file name */
	g_printerr(_("rcptguard policy: saved in %s\n"), settings);
	return EXIT_CLEAN;
}

int
rg_cli_policy(int argc, char **argv)
{
	if (argc < 2) {
		rg_cli_policy_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "check") == 0)
		return rg_cli_policy_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return rg_cli_policy_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return rg_cli_policy_set(argc - 1, argv + 1, FALSE);
	if (strcmp(argv[1], "unset") == 0)
		return rg_cli_policy_set(argc - 1, argv + 1, TRUE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		rg_cli_policy_usage(stdout);
		return EXIT_CLEAN;
	}
	/* TRANSLATORS: %s is what the user typed */
	g_printerr(_("rcptguard policy: unknown command “%s”\n"), argv[1]);
	rg_cli_policy_usage(stderr);
	return EXIT_USAGE;
}
