/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI contract of DESIGN.md §5, exercised on the real binary. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rg-test.h"

static void
run_cli_argv(RgRun *r, const char *stdin_data, gsize len, GPtrArray *argv)
{
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;

	g_ptr_array_insert(argv, 0, (gpointer)g_getenv("RG_CLI"));
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_newv((const char *const *)argv->pdata,
	                         G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                             G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                         &error);
	ck_assert_msg(proc != NULL, "%s", error ? error->message : "");
	rg_run_finish_len(proc, stdin_data, len, r);
}

static void
run_cli(RgRun *r, const char *stdin_text, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	va_list ap;
	const char *arg;

	va_start(ap, stdin_text);
	while ((arg = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	run_cli_argv(r,
	             stdin_text != NULL ? stdin_text : "",
	             stdin_text != NULL ? strlen(stdin_text) : 0,
	             argv);
}

/* standard input with NUL bytes in it: `rcptguard check --json --known KNOWN -` */
static void
run_cli_stdin(RgRun *r, const char *data, gsize len)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *known = rg_test_data_path("known-army.txt");

	g_ptr_array_add(argv, "check");
	g_ptr_array_add(argv, "--json");
	g_ptr_array_add(argv, "--known");
	g_ptr_array_add(argv, known);
	g_ptr_array_add(argv, "-");
	run_cli_argv(r, data, len, argv);
}

static char *
known_path(void)
{
	return rg_test_data_path("known-army.txt");
}

/* the CLI with a history store of its own in @data_home */
static void
run_cli_in(RgRun *r, const char *data_home, const char *const *args)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	    G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;

	g_subprocess_launcher_setenv(launcher, "XDG_DATA_HOME", data_home, TRUE);
	g_ptr_array_add(argv, (gpointer)g_getenv("RG_CLI"));
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	ck_assert_msg(proc != NULL, "%s", error ? error->message : "");
	rg_run_finish(proc, NULL, r);
}

/* the level and suggestion of each JSON line, "level suggestion" per line */
static char *
levels_and_fixes(const char *out)
{
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	GString *s = g_string_new(NULL);

	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonObject *o;
		ck_assert(json_parser_load_from_data(parser, lines[i], -1, NULL));
		o = json_node_get_object(json_parser_get_root(parser));
		g_string_append_printf(
		    s,
		    "%s%s %s",
		    i > 0 ? "; " : "",
		    json_object_get_string_member(o, "level"),
		    json_object_get_string_member_with_default(o, "suggestion", "-") ?: "-");
	}
	return g_string_free(s, FALSE);
}

/* A fresh install, no history, no notmuch: the built-in knowledge warns with the right fix,
 * real first contacts stay notices, and a send recorded (as Send Anyway leaves it) never
 * silences the warning nor makes army.ml the fix for army.mil. */
START_TEST(test_cli_first_send)
{
	g_autofree char *home = g_dir_make_tmp("rg-cli-XXXXXX", NULL);
	const char *check[] = {"check",
	                       "--json",
	                       "gen.smith@army.ml",
	                       "alice@hotmial.com",
	                       "bob@gmail.con",
	                       "carol@gnail.con",
	                       "dave@yahooo.cmo",
	                       "erin@debian.org",
	                       "test@yahoo.co.uk",
	                       NULL};
	const char *record[] = {"history", "record", "gen.smith@army.ml", NULL};
	const char *again[] = {"check", "--json", "gen.smith@army.ml", "col.jones@army.mil", NULL};
	g_auto(RgRun) first = {0};
	g_auto(RgRun) rec = {0};
	g_auto(RgRun) second = {0};
	g_autofree char *got = NULL;
	g_autofree char *got_again = NULL;

	run_cli_in(&first, home, check);
	ck_assert_int_eq(first.status, 1);
	ck_assert_msg(strstr(first.err, "knowledge") == NULL, "%s", first.err);
	got = levels_and_fixes(first.out);
	ck_assert_str_eq(got,
	                 "warn gen.smith@army.mil; warn alice@hotmail.com; warn bob@gmail.com; "
	                 "warn carol@gmail.com; warn dave@yahoo.com; notice -; notice -");
	ck_assert_ptr_nonnull(strstr(first.out, "army.mil is a US military domain (US Army)"));

	run_cli_in(&rec, home, record);
	ck_assert_msg(rec.status == 0, "%s", rec.err);
	run_cli_in(&second, home, again);
	got_again = levels_and_fixes(second.out);
	ck_assert_str_eq(got_again, "warn gen.smith@army.mil; notice -");
	rg_test_remove_tree(home);
}
END_TEST

START_TEST(test_cli_exit_ok)
{
	g_auto(RgRun) r = {0};
	g_autofree char *known = known_path();
	run_cli(&r, NULL, "check", "--known", known, "gen.smith@army.mil", "new@army.mil", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "gen.smith@army.mil"));
}
END_TEST

START_TEST(test_cli_exit_flagged)
{
	g_auto(RgRun) r = {0};
	g_autofree char *known = known_path();
	run_cli(&r, NULL, "check", "--known", known, "--", "gen.smith@army.ml", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "Mali"));
	ck_assert_ptr_nonnull(strstr(r.out, "gen.smith@army.mil"));
	/* no colour codes when stdout is not a terminal */
	ck_assert_ptr_null(strchr(r.out, '\033'));
}
END_TEST

START_TEST(test_cli_notice_is_exit_zero)
{
	g_auto(RgRun) r = {0};
	run_cli(&r, NULL, "check", "someone@example.org", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "notice"));
}
END_TEST

START_TEST(test_cli_json_lines)
{
	g_auto(RgRun) r = {0};
	g_autofree char *known = known_path();
	g_auto(GStrv) lines = NULL;
	const char *members[] = {
	    "input", "address", "domain", "level", "score", "reasons", "suggestion"};

	run_cli(&r,
	        NULL,
	        "check",
	        "--json",
	        "--known",
	        known,
	        "Gen <gen.smith@army.ml>",
	        "x@аrmy.mil",
	        "k.lee@army.mil",
	        NULL);
	ck_assert_int_eq(r.status, 1);
	lines = g_strsplit(g_strchomp(r.out), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 3);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(JsonParser) p = json_parser_new();
		JsonObject *o;
		ck_assert_msg(
		    json_parser_load_from_data(p, lines[i], -1, NULL), "bad JSON: %s", lines[i]);
		o = json_node_get_object(json_parser_get_root(p));
		for (guint m = 0; m < G_N_ELEMENTS(members); m++)
			ck_assert_msg(json_object_has_member(o, members[m]),
			              "no %s in %s",
			              members[m],
			              lines[i]);
		if (i == 0) {
			ck_assert_str_eq(json_object_get_string_member(o, "level"), "warn");
			ck_assert_str_eq(json_object_get_string_member(o, "input"),
			                 "Gen <gen.smith@army.ml>");
			ck_assert_str_eq(json_object_get_string_member(o, "suggestion"),
			                 "gen.smith@army.mil");
		} else if (i == 1) {
			ck_assert_str_eq(json_object_get_string_member(o, "level"), "block");
			ck_assert_str_eq(json_object_get_string_member(o, "domain"), "аrmy.mil");
			ck_assert_str_eq(json_object_get_string_member(o, "ascii"),
			                 "xn--rmy-5cd.mil");
		} else {
			ck_assert_str_eq(json_object_get_string_member(o, "level"), "ok");
			ck_assert(json_object_get_null_member(o, "suggestion"));
		}
	}
}
END_TEST

START_TEST(test_cli_stdin_bad_line)
{
	g_auto(RgRun) r = {0};
	g_autofree char *known = known_path();
	g_auto(GStrv) lines = NULL;

	run_cli(&r,
	        "gen.smith@army.mil\n\nthis is no address\nj.doe@army.ml\n",
	        "check",
	        "--json",
	        "--known",
	        known,
	        "-",
	        NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "line 3") != NULL, "stderr: %s", r.err);
	lines = g_strsplit(g_strchomp(r.out), "\n", -1);
	/* the bad line is skipped, the rest is still checked */
	ck_assert_uint_eq(g_strv_length(lines), 2);
	ck_assert_ptr_nonnull(strstr(lines[1], "\"warn\""));
}
END_TEST

START_TEST(test_cli_stdin_lines_are_separate_messages)
{
	g_auto(RgRun) r = {0};
	/* in one message two domains one typo apart are a near miss; on separate lines they
	 * are not (domains nothing else knows) */
	run_cli(&r, "a@acme-widgets.com\nb@acme-wigdets.com\n", "check", "--json", "-", NULL);
	ck_assert_ptr_null(strstr(r.out, "same-message"));
	g_clear_pointer(&r.out, g_free);
	g_clear_pointer(&r.err, g_free);
	run_cli(&r, "a@acme-widgets.com, b@acme-wigdets.com\n", "check", "--json", "-", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "same-message"));
}
END_TEST

START_TEST(test_cli_usage_errors)
{
	g_auto(RgRun) r = {0};
	run_cli(&r, NULL, "check", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	rg_run_clear(&r);
	run_cli(&r, NULL, "check", "--frobnicate", "a@b.com", NULL);
	ck_assert_int_eq(r.status, 2);
	rg_run_clear(&r);
	run_cli(&r, NULL, "frobnicate", NULL);
	ck_assert_int_eq(r.status, 2);
	rg_run_clear(&r);
	run_cli(&r, NULL, "check", "not an address", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "not an address"));
	rg_run_clear(&r);
	run_cli(&r, NULL, "check", "--known", "/nonexistent/known.txt", "a@b.com", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/known.txt"));
	rg_run_clear(&r);
	run_cli(&r, NULL, "check", "--policy", "/nonexistent/policy.conf", "a@b.com", NULL);
	ck_assert_int_eq(r.status, 2);
}
END_TEST

START_TEST(test_cli_policy_blocks)
{
	g_auto(RgRun) r = {0};
	g_autofree char *policy = rg_test_data_path("policy-mil.conf");
	run_cli(&r, NULL, "check", "--json", "--policy", policy, "x@mali.ml", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "\"block\""));
	ck_assert_ptr_nonnull(strstr(r.out, "blocked-tld"));
}
END_TEST

START_TEST(test_cli_log_only_writes_the_decision_log)
{
	g_autofree char *dir = g_dir_make_tmp("rg-cli-XXXXXX", NULL);
	g_autofree char *log = g_build_filename(dir, "decisions.log", NULL);
	g_autofree char *policy = g_build_filename(dir, "policy.conf", NULL);
	g_autofree char *text = g_strdup_printf(
	    "[policy]\nprotected-domains=army.mil\nlog-only=true\ndecision-log=%s\n", log);
	g_autofree char *known = known_path();

	ck_assert(g_file_set_contents(policy, text, -1, NULL));
	/* arguments: one message, two of its recipients would have been flagged */
	{
		g_auto(RgRun) r = {0};
		run_cli(&r,
		        NULL,
		        "check",
		        "--policy",
		        policy,
		        "--known",
		        known,
		        "gen.smith@army.ml",
		        "new.person@example.org",
		        "x@armyy.mil",
		        NULL);
		/* nothing interrupts */
		ck_assert_int_eq(r.status, 0);
		ck_assert_uint_eq(rg_test_decision_log_count(log, NULL, NULL), 2);
		ck_assert_uint_eq(rg_test_decision_log_count(log, "log-only", "gen.smith@army.ml"),
		                  1);
		ck_assert_uint_eq(rg_test_decision_log_count(log, "log-only", "x@armyy.mil"), 1);
	}
	/* standard input: each line a message, each flagged recipient once */
	{
		g_auto(RgRun) r = {0};
		run_cli(&r,
		        "gen.smith@army.ml\nfriend@example.org\nb@navy.ml, c@army.mil\n",
		        "check",
		        "--policy",
		        policy,
		        "-",
		        NULL);
		ck_assert_int_eq(r.status, 0);
		ck_assert_uint_eq(rg_test_decision_log_count(log, NULL, NULL), 4);
		ck_assert_uint_eq(rg_test_decision_log_count(log, "log-only", "gen.smith@army.ml"),
		                  2);
		ck_assert_uint_eq(rg_test_decision_log_count(log, "log-only", "b@navy.ml"), 1);
	}
	rg_test_remove_tree(dir);
}
END_TEST

START_TEST(test_cli_check_without_log_only_logs_nothing)
{
	g_autofree char *dir = g_dir_make_tmp("rg-cli-XXXXXX", NULL);
	g_autofree char *log = g_build_filename(dir, "decisions.log", NULL);
	g_autofree char *policy = g_build_filename(dir, "policy.conf", NULL);
	g_autofree char *text =
	    g_strdup_printf("[policy]\nprotected-domains=army.mil\ndecision-log=%s\n", log);
	g_auto(RgRun) r = {0};

	ck_assert(g_file_set_contents(policy, text, -1, NULL));
	/* a check decides nothing: the dialog or the mail client does */
	run_cli(&r, NULL, "check", "--policy", policy, "gen.smith@army.ml", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert(!g_file_test(log, G_FILE_TEST_EXISTS));
	rg_test_remove_tree(dir);
}
END_TEST

START_TEST(test_cli_version_and_help)
{
	g_auto(RgRun) r = {0};
	run_cli(&r, NULL, "--version", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert(g_str_has_prefix(r.out, "rcptguard "));
	rg_run_clear(&r);
	run_cli(&r, NULL, "check", "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--known"));
}
END_TEST

/* a NUL byte cut the line there, and the recipients after it were never checked */
START_TEST(test_cli_stdin_nul_byte)
{
	g_auto(RgRun) r = {0};
	static const char input[] = "zz@army.mil\0, evil@army.ml\nj.doe@army.ml\n";
	g_auto(GStrv) lines = NULL;

	run_cli_stdin(&r, input, sizeof input - 1);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "stdin line 1: ") != NULL && strstr(r.err, "NUL") != NULL,
	              "stderr: %s",
	              r.err);
	/* the bad line is an input error as a whole; the next one is still checked */
	lines = g_strsplit(g_strchomp(r.out), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 1);
	ck_assert_ptr_nonnull(strstr(lines[0], "\"j.doe@army.ml\""));
	ck_assert_ptr_null(strstr(r.out, "zz@army.mil"));
}
END_TEST

/* one stdin line of 10,000 recipients, and one of a single 1 MiB address: both finish
 * (the test's timeout is the bound; bench-hostile measures), every recipient has its line, and
 * the one typo among them is found */
START_TEST(test_cli_stdin_huge_lines)
{
	g_auto(RgRun) r = {0};
	g_autoptr(GString) in = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;

	for (guint i = 0; i < 10000; i++)
		g_string_append_printf(in, "%suser%u@example.net", i > 0 ? ", " : "", i);
	g_string_append(in, ", gen.smith@army.ml\n");
	/* a display name of 1 MiB */
	g_string_append_c(in, '"');
	for (guint i = 0; i < 1024 * 1024; i++)
		g_string_append_c(in, 'x');
	g_string_append(in, "\" <j.doe@army.mil>\n");
	run_cli_stdin(&r, in->str, in->len);
	ck_assert_msg(r.status == 1, "%d: %.300s", r.status, r.err);
	lines = g_strsplit(g_strchomp(r.out), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 10002);
	ck_assert_ptr_nonnull(strstr(lines[10000], "\"suggestion\":\"gen.smith@army.mil\""));
	ck_assert_ptr_nonnull(strstr(lines[10001], "\"address\":\"j.doe@army.mil\""));
}
END_TEST

/* an invalid UTF-8 line swallowed the line after it, and later line numbers were off by one */
START_TEST(test_cli_stdin_invalid_utf8)
{
	g_auto(RgRun) r = {0};
	static const char input[] = "a\xff"
	                            "b@army.mil\nx@army.ml\ny@army.ml\n\x01@@\n";

	run_cli_stdin(&r, input, sizeof input - 1);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "stdin line 1: ") != NULL, "stderr: %s", r.err);
	ck_assert_msg(strstr(r.err, "stdin line 4: ") != NULL, "stderr: %s", r.err);
	ck_assert_msg(strstr(r.err, "stdin line 3") == NULL, "stderr: %s", r.err);
	ck_assert_msg(strstr(r.out, "\"x@army.ml\"") != NULL, "stdout: %s", r.out);
	ck_assert_msg(strstr(r.out, "\"y@army.ml\"") != NULL, "stdout: %s", r.out);
	/* the error message shows the control character, it does not send it */
	ck_assert_ptr_null(strchr(r.err, '\x01'));
	ck_assert_ptr_nonnull(strstr(r.err, "\\x01@@"));
}
END_TEST

/* a NUL byte in a --known file dropped the rest of the file without a word */
START_TEST(test_cli_known_file_nul_byte)
{
	g_auto(RgRun) r = {0};
	g_autofree char *dir = g_dir_make_tmp("rg-cli-XXXXXX", NULL);
	g_autofree char *known = g_build_filename(dir, "known.txt", NULL);
	static const char text[] = "gen.smith@army.mil\nj.doe@army.mil\0junk\nk.lee@army.mil\n";

	ck_assert(g_file_set_contents(known, text, sizeof text - 1, NULL));
	run_cli(&r, NULL, "check", "--known", known, "k.lee@army.mil", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	{
		g_autofree char *want = g_strdup_printf("%s:2: ", known);
		ck_assert_msg(strstr(r.err, want) != NULL && strstr(r.err, "NUL") != NULL,
		              "stderr: %s",
		              r.err);
	}
	g_unlink(known);
	g_rmdir(dir);
}
END_TEST

static gboolean
has_control_byte(const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if ((guchar)*p < 0x20 && *p != '\n')
			return TRUE;
	return FALSE;
}

/* control characters went to the terminal as they were; a bidi override reordered the line */
START_TEST(test_cli_control_characters_visible)
{
	g_auto(RgRun) r = {0};
	const char *evil = "\"\x1b]0;pwned\x07\x1b[2J\"@army.mil";
	const char *bidi = "gen.smith\u202e@army.mil";
	g_autofree char *known = known_path();
	g_auto(GStrv) lines = NULL;

	run_cli(&r, NULL, "check", "--known", known, evil, bidi, NULL);
	ck_assert_msg(!has_control_byte(r.out), "raw control byte in: %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\"\\x1b]0;pwned\\x07\\x1b[2J\"@army.mil"));
	ck_assert_ptr_null(strstr(r.out, "\u202e"));
	ck_assert_ptr_nonnull(strstr(r.out, "gen.smith<U+202E>@army.mil"));
	/* and both are a reason to warn, with the address they hide as the fix */
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "Did you mean gen.smith@army.mil?"));
	rg_run_clear(&r);

	/* error messages too */
	run_cli(&r, NULL, "check", "x\x1b[2J@@", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(!has_control_byte(r.err), "raw control byte in: %s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "x\\x1b[2J@@"));
	rg_run_clear(&r);

	/* JSON stays exact and valid: the escapes parse back to the characters */
	run_cli(&r, NULL, "check", "--json", "--known", known, evil, bidi, NULL);
	ck_assert_msg(!has_control_byte(r.out), "raw control byte in: %s", r.out);
	ck_assert_ptr_null(strstr(r.out, "\u202e"));
	lines = g_strsplit(g_strchomp(r.out), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 2);
	for (guint i = 0; i < 2; i++) {
		g_autoptr(JsonParser) p = json_parser_new();
		JsonObject *o;
		JsonArray *reasons;
		gboolean hidden = FALSE;
		ck_assert_msg(
		    json_parser_load_from_data(p, lines[i], -1, NULL), "bad JSON: %s", lines[i]);
		o = json_node_get_object(json_parser_get_root(p));
		ck_assert_str_eq(json_object_get_string_member(o, "input"), i == 0 ? evil : bidi);
		reasons = json_object_get_array_member(o, "reasons");
		for (guint k = 0; k < json_array_get_length(reasons); k++)
			hidden |= g_strcmp0(json_object_get_string_member(
			                        json_array_get_object_element(reasons, k), "code"),
			                    "hidden-character") == 0;
		ck_assert_msg(hidden, "no hidden-character reason: %s", lines[i]);
	}
}
END_TEST

/* a known correspondent at example.com, so that example.co is a TLD typo of it */
static char *
cli_known_example_com(void)
{
	g_autofree char *dir = g_dir_make_tmp("rg-cli-XXXXXX", NULL);
	char *path = g_build_filename(dir, "known.txt", NULL);
	ck_assert(g_file_set_contents(path, "j.doe@example.com\nk.lee@example.com\n", -1, NULL));
	return path;
}

START_TEST(test_cli_translated_explanation)
{
	g_auto(RgRun) r = {0};
	g_auto(RgRun) json = {0};
	g_autofree char *known = cli_known_example_com();
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *reason;

	if (!rg_test_german_children())
		return;
	run_cli(&r, NULL, "check", "--known", known, "--", "j.doe@example.co", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(g_str_has_prefix(r.out, "WARNUNG  j.doe@example.co\n"), "%s", r.out);
	/* our sentence, iso-codes' country name (Colombia in English) */
	ck_assert_msg(strstr(r.out,
	                     "„.co“ ist die Länderdomain von Kolumbien, einen Buchstaben von "
	                     "„.com“ entfernt; Sie kennen 2 Personen bei example.com.") != NULL,
	              "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "Meinten Sie j.doe@example.com?") != NULL, "%s", r.out);

	/* JSON: the code stays what scripts compare, the words are German */
	run_cli(&json, NULL, "check", "--json", "--known", known, "--", "j.doe@example.co", NULL);
	ck_assert_int_eq(json.status, 1);
	ck_assert(json_parser_load_from_data(p, json.out, -1, NULL));
	reason = json_array_get_object_element(
	    json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "reasons"),
	    0);
	ck_assert_str_eq(json_object_get_string_member(reason, "code"), "tld-typo");
	ck_assert_str_eq(json_object_get_string_member(reason, "level"), "warn");
	ck_assert_ptr_nonnull(
	    strstr(json_object_get_string_member(reason, "message"), "Kolumbien"));
	ck_assert_str_eq(json_object_get_string_member(reason, "title"),
	                 "Bekannter Name unter einer Top-Level-Domain, die sich um einen "
	                 "Buchstaben unterscheidet");
}
END_TEST

START_TEST(test_cli_translated_help)
{
	g_auto(RgRun) help = {0};
	g_auto(RgRun) check = {0};
	g_auto(RgRun) usage = {0};

	if (!rg_test_german_children())
		return;
	run_cli(&help, NULL, "help", NULL);
	ck_assert_int_eq(help.status, 0);
	ck_assert_msg(
	    strstr(help.out, "Aufruf: rcptguard BEFEHL [OPTION …]") != NULL, "%s", help.out);
	ck_assert_ptr_nonnull(
	    strstr(help.out, "Empfänger prüfen, bevor eine Nachricht gesendet wird"));
	run_cli(&check, NULL, "check", "--help", NULL);
	ck_assert_int_eq(check.status, 0);
	ck_assert_msg(
	    strstr(check.out, "DATEI als Systemrichtlinie verwenden") != NULL, "%s", check.out);
	/* a usage error: the message on stderr, in German, and nothing on stdout */
	run_cli(&usage, NULL, "check", NULL);
	ck_assert_int_eq(usage.status, 2);
	ck_assert_str_eq(usage.out, "");
	ck_assert_str_eq(usage.err, "rcptguard check: keine Adresse angegeben; siehe --help\n");
}
END_TEST

/* one answer line from @out, waiting at most 30 s (a liveness bound, not a timing); NULL
 * when none came */
static char *
read_answer(GPollableInputStream *out, GString *pending)
{
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		char buf[4096];
		const char *nl = memchr(pending->str, '\n', pending->len);
		gssize n;
		if (nl != NULL) {
			char *line = g_strndup(pending->str, nl - pending->str);
			g_string_erase(pending, 0, nl - pending->str + 1);
			return line;
		}
		n = g_pollable_input_stream_read_nonblocking(out, buf, sizeof buf, NULL, NULL);
		if (n > 0)
			g_string_append_len(pending, buf, n);
		else if (n == 0)
			return NULL;
		else
			g_usleep(10000);
	}
	return NULL;
}

START_TEST(test_cli_stdin_answers_each_line_at_once)
{
	/* a program that writes a line and waits for its answer gets it while standard input
	 * stays open: the batch mode's buffered output is flushed before every read that can
	 * wait */
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) pending = g_string_new(NULL);
	const char *argv[] = {g_getenv("RG_CLI"), "check", "--json", "-", NULL};
	g_autoptr(GSubprocess) proc = g_subprocess_newv(
	    argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
	GOutputStream *in;
	GPollableInputStream *out;
	const char *lines[] = {"a@example.org\n", "b@example.org, c@example.org\n"};
	const char *want[][2] = {{"a@example.org", NULL}, {"b@example.org", "c@example.org"}};

	ck_assert_msg(proc != NULL, "%s", error ? error->message : "");
	in = g_subprocess_get_stdin_pipe(proc);
	out = G_POLLABLE_INPUT_STREAM(g_subprocess_get_stdout_pipe(proc));
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
		ck_assert(
		    g_output_stream_write_all(in, lines[i], strlen(lines[i]), NULL, NULL, &error));
		ck_assert(g_output_stream_flush(in, NULL, &error));
		for (guint k = 0; k < 2 && want[i][k] != NULL; k++) {
			g_autofree char *answer = read_answer(out, pending);
			ck_assert_msg(
			    answer != NULL, "no answer to line %u while stdin is open", i + 1);
			ck_assert_msg(strstr(answer, want[i][k]) != NULL, "answer: %s", answer);
		}
	}
	ck_assert(g_output_stream_close(in, NULL, &error));
	ck_assert(g_subprocess_wait(proc, NULL, &error));
	/* 0 or 1 (fine or flagged), not a usage error */
	ck_assert_int_lt(g_subprocess_get_exit_status(proc), 2);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("check");
	tcase_add_test(tc, test_cli_exit_ok);
	tcase_add_test(tc, test_cli_first_send);
	tcase_add_test(tc, test_cli_exit_flagged);
	tcase_add_test(tc, test_cli_notice_is_exit_zero);
	tcase_add_test(tc, test_cli_json_lines);
	tcase_add_test(tc, test_cli_stdin_bad_line);
	tcase_add_test(tc, test_cli_stdin_lines_are_separate_messages);
	tcase_add_test(tc, test_cli_stdin_answers_each_line_at_once);
	tcase_add_test(tc, test_cli_stdin_nul_byte);
	tcase_add_test(tc, test_cli_stdin_huge_lines);
	tcase_add_test(tc, test_cli_stdin_invalid_utf8);
	tcase_add_test(tc, test_cli_known_file_nul_byte);
	tcase_add_test(tc, test_cli_control_characters_visible);
	tcase_add_test(tc, test_cli_usage_errors);
	tcase_add_test(tc, test_cli_policy_blocks);
	tcase_add_test(tc, test_cli_log_only_writes_the_decision_log);
	tcase_add_test(tc, test_cli_check_without_log_only_logs_nothing);
	tcase_add_test(tc, test_cli_version_and_help);
	suite_add_tcase(s, tc);
	tc = tcase_create("translated");
	tcase_add_test(tc, test_cli_translated_explanation);
	tcase_add_test(tc, test_cli_translated_help);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(cli_suite());
}
