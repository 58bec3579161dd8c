/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-sendmail's command line (plugin/sendmail/rg-sendmail-args.c) and what it does
 * with the message: the input is cut at NUL bytes, the first piece is the message on
 * standard input, the others are the arguments. Then the recipients it would check (with -t
 * those of the header too) and a fix of each written into the arguments and the message, as
 * after "send corrected". */
#include <string.h>

#include "fuzz.h"
#include "rg-sendmail.h"

#define RG_FUZZ_ARGS_MAX 64

static void
rg_fuzz_sendmail_fix(RgSendmailArgs *args, RgMessage *message)
{
	g_autoptr(GPtrArray) recipients = rg_sendmail_args_get_recipients(args);
	g_autoptr(GHashTable) fixes =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint n_args = args->pass->len;
	guint n_recipients = args->recipients->len;

	g_autoptr(GPtrArray) header =
	    args->from_headers ? rg_message_get_recipients(message) : g_ptr_array_new();

	for (guint i = 0; i < header->len; i++)
		g_ptr_array_add(recipients, g_ptr_array_index(header, i));
	for (guint i = 0; i < recipients->len; i++) {
		g_autoptr(GPtrArray) list =
		    rg_address_list_parse(g_ptr_array_index(recipients, i), NULL);
		if (list != NULL && list->len > 0)
			g_hash_table_insert(
			    fixes,
			    g_strdup(rg_address_get_addr_spec(g_ptr_array_index(list, 0))),
			    g_strdup_printf("fixed.%u@example.org", i));
	}
	(void)rg_sendmail_args_replace(args, fixes);
	(void)rg_message_replace_recipients(message, fixes);
	(void)g_bytes_get_size(rg_message_get_bytes(message));
	/* a fix changes arguments, never how many there are or which are recipients */
	g_assert_cmpuint(args->pass->len, ==, n_args);
	g_assert_cmpuint(args->recipients->len, ==, n_recipients);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_auto(GStrv) pieces = rg_fuzz_split(data, size, 1 + RG_FUZZ_ARGS_MAX);
	guint argc = g_strv_length(pieces);
	/* argv[0] the program, then the arguments; rg_sendmail_args_parse() may change the
	 * pointers, not the strings */
	g_autofree char **argv = g_new0(char *, argc + 1);
	g_auto(RgSendmailArgs) args;
	g_autoptr(GBytes) bytes = g_bytes_new(pieces[0], strlen(pieces[0]));
	g_autoptr(RgMessage) message = NULL;
	g_autofree char *sender = NULL;

	rg_fuzz_init();
	argv[0] = (char *)"rcptguard-sendmail";
	for (guint i = 1; i < argc; i++)
		argv[i] = pieces[i];
	rg_sendmail_args_init(&args);
	if (!rg_sendmail_args_parse(&args, (int)argc, argv, NULL))
		return 0;
	g_assert_cmpuint(args.recipients->len, <=, args.pass->len);
	message = rg_message_new(bytes);
	sender = args.sender != NULL ? g_strdup(args.sender) : rg_message_get_sender(message);
	rg_fuzz_sendmail_fix(&args, message);
	return 0;
}
