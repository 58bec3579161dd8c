/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sendmail command line as mutt, neomutt, aerc and git send-email write it: sendmail's
 * options (sendmail(8), as Postfix and msmtp take them) go on to the transport as they are,
 * rcptguard-sendmail's own long options are taken out, and the recipients are remembered so
 * that a fix can be written into them. */
#include "config.h"

#include <string.h>

#include "rg-sendmail.h"

/* sendmail's options that take a value, attached (-fme@x) or as the next argument */
static const char rg_sendmail_with_value[] = "fFrNRVBCOXhLp";
/* and those that take none */
static const char rg_sendmail_flags[] = "itvnUGm";

void
rg_sendmail_args_init(RgSendmailArgs *args)
{
	memset(args, 0, sizeof(*args));
	args->known = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	args->pass = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	args->recipients = g_array_new(FALSE, FALSE, sizeof(guint));
}

void
rg_sendmail_args_clear(RgSendmailArgs *args)
{
	g_free(args->transport);
	g_free(args->policy);
	g_free(args->sender);
	g_clear_pointer(&args->known, g_ptr_array_unref);
	g_clear_pointer(&args->pass, g_ptr_array_unref);
	g_clear_pointer(&args->recipients, g_array_unref);
}

static void
rg_sendmail_args_add_recipient(RgSendmailArgs *args, const char *arg)
{
	guint idx = args->pass->len;
	g_ptr_array_add(args->pass, g_strdup(arg));
	g_array_append_val(args->recipients, idx);
}

/* --sendmail's value. mutt splits its $sendmail at every space and honours no quotes, so
 * `--sendmail 'msmtp -C /x'` arrives as "'msmtp", "-C", "/x'": the pieces are joined again
 * until the quotes close. Returns the index of the last argument used, or -1. */
static int
rg_sendmail_args_command(int argc, char **argv, int i, char **out, GError **error)
{
	g_autoptr(GString) cmd = g_string_new(argv[i]);
	gboolean joined = FALSE;

	for (;;) {
		g_auto(GStrv) words = NULL;
		if (g_shell_parse_argv(cmd->str, NULL, &words, NULL)) {
			/* what a shell would have made of the pieces: the quotes are taken off */
			*out = joined ? g_shell_unquote(cmd->str, NULL) : NULL;
			if (*out == NULL)
				*out = g_string_free(g_steal_pointer(&cmd), FALSE);
			return i;
		}
		joined = TRUE;
		if (++i >= argc)
			break;
		g_string_append_c(cmd, ' ');
		g_string_append(cmd, argv[i]);
	}
	g_set_error(error,
	            G_OPTION_ERROR,
	            G_OPTION_ERROR_BAD_VALUE,
	            "--sendmail: \"%s\" is not a command line",
	            cmd->str);
	return -1;
}

/* one of rcptguard-sendmail's own long options at argv[i]; returns the index of the last
 * argument it used, or -1 */
static int
rg_sendmail_args_long(RgSendmailArgs *args, int argc, char **argv, int i, GError **error)
{
	const char *arg = argv[i] + 2;
	const char *eq = strchr(arg, '=');
	g_autofree char *name = eq != NULL ? g_strndup(arg, eq - arg) : g_strdup(arg);
	gboolean takes_value = strcmp(name, "sendmail") == 0 || strcmp(name, "policy") == 0 ||
	                       strcmp(name, "known") == 0;
	g_autofree char *value = NULL;

	if (strcmp(name, "help") == 0 || strcmp(name, "version") == 0) {
		*(strcmp(name, "help") == 0 ? &args->help : &args->version) = TRUE;
		return i;
	}
	if (!takes_value) {
		g_set_error(error,
		            G_OPTION_ERROR,
		            G_OPTION_ERROR_UNKNOWN_OPTION,
		            "unknown option %s",
		            argv[i]);
		return -1;
	}
	if (eq != NULL) {
		argv[i] = (char *)eq + 1; /* for the joining below; argv is ours */
	} else if (++i >= argc) {
		g_set_error(
		    error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--%s needs a value", name);
		return -1;
	}
	if (strcmp(name, "sendmail") == 0) {
		i = rg_sendmail_args_command(argc, argv, i, &value, error);
		if (i < 0)
			return -1;
		g_free(args->transport);
		args->transport = g_steal_pointer(&value);
	} else if (strcmp(name, "policy") == 0) {
		g_free(args->policy);
		args->policy = g_strdup(argv[i]);
	} else {
		g_ptr_array_add(args->known, g_strdup(argv[i]));
	}
	return i;
}

/* one sendmail option at argv[i] (a cluster such as -oi or -fme@x); returns the index of
 * the last argument it used, or -1 */
static int
rg_sendmail_args_short(RgSendmailArgs *args, int argc, char **argv, int i, GError **error)
{
	const char *arg = argv[i];
	char opt = arg[1];
	const char *value = NULL;

	g_ptr_array_add(args->pass, g_strdup(arg));
	if (opt == 'o' || strchr(rg_sendmail_with_value, opt) != NULL) {
		if (arg[2] != '\0') {
			value = arg + 2;
		} else if (i + 1 < argc) {
			value = argv[++i];
			g_ptr_array_add(args->pass, g_strdup(value));
		} else {
			g_set_error(error,
			            G_OPTION_ERROR,
			            G_OPTION_ERROR_BAD_VALUE,
			            "option -%c needs a value",
			            opt);
			return -1;
		}
		if (opt == 'f' || opt == 'r') {
			g_free(args->sender);
			args->sender = g_strdup(value);
		}
		return i;
	}
	if (opt == 'b') {
		/* -bm is the default mode: deliver what comes on standard input */
		if (strcmp(arg, "-bm") == 0)
			return i;
		g_set_error(error,
		            G_OPTION_ERROR,
		            G_OPTION_ERROR_FAILED,
		            "%s is not supported: rcptguard-sendmail only sends (-bm)",
		            arg);
		return -1;
	}
	/* a cluster of flags, such as -ti */
	for (const char *p = arg + 1; *p != '\0'; p++) {
		if (strchr(rg_sendmail_flags, *p) == NULL) {
			g_set_error(error,
			            G_OPTION_ERROR,
			            G_OPTION_ERROR_UNKNOWN_OPTION,
			            "unknown option -%c in %s",
			            *p,
			            arg);
			return -1;
		}
		if (*p == 't')
			args->from_headers = TRUE;
	}
	return i;
}

/**
 * rg_sendmail_args_parse:
 * @args: initialised with rg_sendmail_args_init()
 * @argc: the number of arguments
 * @argv: the arguments, argv[0] the program
 * @error: return location for a #GError (%G_OPTION_ERROR)
 *
 * Options may come before and after the recipients, as glibc's getopt() takes them; after
 * `--` everything is a recipient, and `--` goes on to the transport too.
 *
 * Returns: %FALSE on an unknown option, a missing value or a mode other than sending
 */
gboolean
rg_sendmail_args_parse(RgSendmailArgs *args, int argc, char **argv, GError **error)
{
	gboolean options = TRUE;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!options || arg[0] != '-' || arg[1] == '\0') {
			rg_sendmail_args_add_recipient(args, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			g_ptr_array_add(args->pass, g_strdup(arg));
			options = FALSE;
			continue;
		}
		i = arg[1] == '-' ? rg_sendmail_args_long(args, argc, argv, i, error)
		                  : rg_sendmail_args_short(args, argc, argv, i, error);
		if (i < 0)
			return FALSE;
	}
	return TRUE;
}

/* Returns: (transfer full) (element-type utf8): the recipients on the command line */
GPtrArray *
rg_sendmail_args_get_recipients(RgSendmailArgs *args)
{
	GPtrArray *out = g_ptr_array_new_null_terminated(0, NULL, TRUE);
	for (guint i = 0; i < args->recipients->len; i++)
		g_ptr_array_add(
		    out, g_ptr_array_index(args->pass, g_array_index(args->recipients, guint, i)));
	return out;
}

/* writes the user's fixes (normalised address → corrected one) into the recipient
 * arguments; returns how many were replaced */
guint
rg_sendmail_args_replace(RgSendmailArgs *args, GHashTable *replacements)
{
	guint n = 0;

	for (guint i = 0; i < args->recipients->len; i++) {
		char **slot = (char **)&g_ptr_array_index(
		    args->pass, g_array_index(args->recipients, guint, i));
		GHashTableIter iter;
		gpointer old_spec, new_spec;

		g_hash_table_iter_init(&iter, replacements);
		while (g_hash_table_iter_next(&iter, &old_spec, &new_spec)) {
			char *fixed = rg_address_list_replace(*slot, old_spec, new_spec, NULL);
			if (fixed == NULL)
				continue;
			g_free(*slot);
			*slot = fixed;
			n++;
		}
	}
	return n;
}
