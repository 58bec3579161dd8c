/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `rcptguard check -` (plugin/cli/rg-cli-check.c): the input as its standard input, checked
 * line by line with the session the command loads, printed as --json and as text. Every line
 * of the JSON output must be a JSON object, whatever came in. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "rg-cli.h"

/* the file stdout goes to during a run, and the real stdout */
static int rg_fuzz_cli_out = -1;
static int rg_fuzz_cli_stdout = -1;

static RgSession *
rg_fuzz_cli_session(void)
{
	static RgSession *session = NULL;
	static const char known[] = "gen.smith@army.mil\nalice@gmail.com\nbob@bbc.co.uk\n"
	                            "\"Zoë\" <zoe@xn--bcher-kva.example>\n";
	g_autofree char *known_file = NULL;
	g_autofree char *out = NULL;

	if (session != NULL)
		return session;
	rg_fuzz_init();
	known_file = rg_fuzz_write("known.txt", (const uint8_t *)known, sizeof known - 1);
	/* what the command prints goes to a file, read back after each run */
	out = g_build_filename(rg_fuzz_init(), "stdout", NULL);
	rg_fuzz_cli_out = g_open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	rg_fuzz_cli_stdout = dup(STDOUT_FILENO);
	g_assert_cmpint(rg_fuzz_cli_out, >=, 0);
	g_assert_cmpint(rg_fuzz_cli_stdout, >=, 0);
	rg_cli_init_output();
	session = rg_session_new();
	rg_session_add_known_file(session, known_file);
	rg_session_add_identity(session, "me@army.mil");
	g_assert_true(rg_session_load(session, NULL));
	return session;
}

/* stdout into the file from here on */
static void
rg_fuzz_cli_capture(void)
{
	fflush(stdout);
	g_assert_cmpint(dup2(rg_fuzz_cli_out, STDOUT_FILENO), ==, STDOUT_FILENO);
}

/* stdout back where it was; what was printed since rg_fuzz_cli_capture() */
static char *
rg_fuzz_cli_release(void)
{
	GString *text = g_string_new(NULL);
	char buf[4096];
	ssize_t n;

	fflush(stdout);
	g_assert_cmpint(dup2(rg_fuzz_cli_stdout, STDOUT_FILENO), ==, STDOUT_FILENO);
	g_assert_cmpint(lseek(rg_fuzz_cli_out, 0, SEEK_SET), ==, 0);
	while ((n = read(rg_fuzz_cli_out, buf, sizeof buf)) > 0)
		g_string_append_len(text, buf, n);
	g_assert_cmpint(ftruncate(rg_fuzz_cli_out, 0), ==, 0);
	g_assert_cmpint(lseek(rg_fuzz_cli_out, 0, SEEK_SET), ==, 0);
	return g_string_free(text, FALSE);
}

static void
rg_fuzz_cli_run(const uint8_t *data, size_t size, gboolean json)
{
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data(data, (gssize)size, NULL);
	RgSession *session = rg_fuzz_cli_session();
	gboolean flagged = FALSE;
	g_autofree char *out = NULL;
	g_auto(GStrv) lines = NULL;
	int status;

	rg_fuzz_cli_capture();
	status = rg_cli_check_lines(session, in, json, !json, &flagged);
	out = rg_fuzz_cli_release();

	g_assert_true(status == EXIT_CLEAN || status == EXIT_USAGE);
	if (!json)
		return;
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(JsonParser) parser = json_parser_new();
		if (lines[i][0] == '\0')
			continue;
		g_assert_true(json_parser_load_from_data(parser, lines[i], -1, NULL));
		g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_fuzz_cli_run(data, size, TRUE);
	rg_fuzz_cli_run(data, size, FALSE);
	return 0;
}
