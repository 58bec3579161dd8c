/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-sendmail: its command line (the parser, and the real binary), the refusal, the
 * bytes and arguments a recording transport gets, the transport's status, a missing
 * transport, and the terminal prompt on a pseudo-terminal left in raw mode. */
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "rg-sendmail.h"
#include "rg-test.h"

/* ------------------------------------------------------------------ the parser */

typedef struct {
	const char *argv[16];
	const char *pass; /* the transport's arguments, joined with "|" */
	const char *recipients;
	const char *transport;
	const char *sender;
	gboolean from_headers;
} ArgsCase;

static const ArgsCase args_cases[] = {
    /* mutt: $sendmail split at spaces, quotes and all; -f from use_envelope_from */
    {{"--sendmail", "'msmtp", "-C", "/x/rc'", "-oi", "-f", "me@x.org", "--", "a@army.mil"},
     "-oi|-f|me@x.org|--|a@army.mil",
     "a@army.mil",
     "msmtp -C /x/rc",
     "me@x.org",
     FALSE},
    /* git send-email: no "--", recipients last */
    {{"--sendmail=/usr/bin/msmtp", "-f", "me@x.org", "-i", "a@b.org", "c@d.org"},
     "-f|me@x.org|-i|a@b.org|c@d.org",
     "a@b.org|c@d.org",
     "/usr/bin/msmtp",
     "me@x.org",
     FALSE},
    /* options after recipients, attached values, -t */
    {{"a@b.org", "-oi", "-fme@x.org", "--policy", "/p.conf", "c@d.org", "-t"},
     "a@b.org|-oi|-fme@x.org|c@d.org|-t",
     "a@b.org|c@d.org",
     NULL,
     "me@x.org",
     TRUE},
    /* every option the clients pass, clusters, -r as an old -f */
    {{"-F",
      "Me Myself",
      "-N",
      "success,failure",
      "-R",
      "hdrs",
      "-V",
      "env1",
      "-ti",
      "-v",
      "-r",
      "old@x.org",
      "-bm",
      "-odb",
      "-oem"},
     "-F|Me Myself|-N|success,failure|-R|hdrs|-V|env1|-ti|-v|-r|old@x.org|-bm|-odb|-oem",
     "",
     NULL,
     "old@x.org",
     TRUE},
    /* after "--" everything is a recipient */
    {{"--sendmail", "rec", "--", "-odd@x.org", "--known"},
     "--|-odd@x.org|--known",
     "-odd@x.org|--known",
     "rec",
     NULL,
     FALSE},
};

static char *
join(GPtrArray *items)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < items->len; i++)
		g_string_append_printf(
		    out, "%s%s", i > 0 ? "|" : "", (const char *)g_ptr_array_index(items, i));
	return g_string_free(out, FALSE);
}

static int
args_argv(const ArgsCase *c, char **argv)
{
	int argc = 1;
	argv[0] = (char *)"rcptguard-sendmail";
	while (c->argv[argc - 1] != NULL) {
		argv[argc] = (char *)c->argv[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	return argc;
}

START_TEST(test_sendmail_args_clients)
{
	const ArgsCase *c = &args_cases[_i];
	g_auto(RgSendmailArgs) args;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) recipients = NULL;
	g_autofree char *pass = NULL;
	g_autofree char *got = NULL;
	char *argv[18];
	int argc = args_argv(c, argv);

	rg_sendmail_args_init(&args);
	ck_assert_msg(rg_sendmail_args_parse(&args, argc, argv, &error),
	              "case %d: %s",
	              _i,
	              error ? error->message : "");
	pass = join(args.pass);
	ck_assert_str_eq(pass, c->pass);
	recipients = rg_sendmail_args_get_recipients(&args);
	got = join(recipients);
	ck_assert_str_eq(got, c->recipients);
	ck_assert_pstr_eq(args.transport, c->transport);
	ck_assert_pstr_eq(args.sender, c->sender);
	ck_assert_int_eq(args.from_headers, c->from_headers);
}
END_TEST

START_TEST(test_sendmail_args_errors)
{
	const char *bad[][4] = {
	    {"-q", NULL},
	    {"-bp", NULL},
	    {"-bs", "a@b.org", NULL},
	    {"--bogus", NULL},
	    {"-x", NULL},
	    {"-f", NULL},
	    {"--sendmail", NULL},
	    {"--sendmail", "'msmtp", "-C", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_auto(RgSendmailArgs) args;
		g_autoptr(GError) error = NULL;
		char *argv[6] = {(char *)"rcptguard-sendmail"};
		int argc = 1;
		while (bad[i][argc - 1] != NULL) {
			argv[argc] = (char *)bad[i][argc - 1];
			argc++;
		}
		rg_sendmail_args_init(&args);
		ck_assert_msg(
		    !rg_sendmail_args_parse(&args, argc, argv, &error), "case %u parsed", i);
		ck_assert(error != NULL && error->message[0] != '\0');
	}
}
END_TEST

START_TEST(test_sendmail_args_replace)
{
	g_auto(RgSendmailArgs) args;
	g_autoptr(GHashTable) fixes = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *pass = NULL;
	char *argv[] = {(char *)"x",
	                (char *)"-oi",
	                (char *)"--",
	                (char *)"gen.smith@army.ml",
	                (char *)"Gen <gen.smith@ARMY.ML>",
	                (char *)"other@army.ml",
	                NULL};

	rg_sendmail_args_init(&args);
	ck_assert(rg_sendmail_args_parse(&args, 6, argv, NULL));
	g_hash_table_insert(fixes, (gpointer) "gen.smith@army.ml", (gpointer) "gen.smith@army.mil");
	ck_assert_uint_eq(rg_sendmail_args_replace(&args, fixes), 2);
	pass = join(args.pass);
	ck_assert_str_eq(pass, "-oi|--|gen.smith@army.mil|Gen <gen.smith@army.mil>|other@army.ml");
}
END_TEST

/* ------------------------------------------------------------------ the real binary */

typedef struct {
	char *dir;
	char *policy;
	char *known;
	char *rec;  /* the recording transport */
	char *args; /* what it records */
	char *msg;
} World;

static void
world_clear(World *w)
{
	if (w->dir != NULL)
		rg_test_remove_tree(w->dir);
	g_free(w->dir);
	g_free(w->policy);
	g_free(w->known);
	g_free(w->rec);
	g_free(w->args);
	g_free(w->msg);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(World, world_clear)

static void
world_init(World *w)
{
	g_autofree char *script = NULL;

	w->dir = g_dir_make_tmp("rg-sendmail-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w->dir);
	w->policy = g_build_filename(w->dir, "policy.conf", NULL);
	w->known = g_build_filename(w->dir, "known.txt", NULL);
	w->rec = g_build_filename(w->dir, "rec.sh", NULL);
	w->args = g_build_filename(w->dir, "rec.args", NULL);
	w->msg = g_build_filename(w->dir, "rec.msg", NULL);
	ck_assert(
	    g_file_set_contents(w->policy, "[policy]\nprotected-domains=army.mil\n", -1, NULL));
	ck_assert(
	    g_file_set_contents(w->known, "friend@example.net\ncol.jones@army.mil\n", -1, NULL));
	/* one argument a line, then the message as it came */
	script = g_strdup_printf(
	    "#!/bin/sh\n: > '%s'\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" >> '%s'; "
	    "done\ncat > '%s'\nexit ${REC_STATUS:-0}\n",
	    w->args,
	    w->args,
	    w->msg);
	ck_assert(g_file_set_contents(w->rec, script, -1, NULL));
	ck_assert_int_eq(g_chmod(w->rec, 0755), 0);
}

/* no controlling terminal, as under mutt; no display */
static void
child_setsid(gpointer user_data)
{
	setsid();
}

static GSubprocessLauncher *
launcher(World *w, const char *tty)
{
	g_autofree char *data = g_build_filename(w->dir, "data", NULL);
	GSubprocessLauncher *l;

	l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
	                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                              G_SUBPROCESS_FLAGS_STDERR_PIPE);
	/* a history store of its own: what one test sends is not known to the next */
	g_subprocess_launcher_setenv(l, "XDG_DATA_HOME", data, TRUE);
	g_subprocess_launcher_unsetenv(l, "DISPLAY");
	g_subprocess_launcher_unsetenv(l, "WAYLAND_DISPLAY");
	if (tty != NULL)
		g_subprocess_launcher_setenv(l, "RCPTGUARD_TTY", tty, TRUE);
	else
		g_subprocess_launcher_unsetenv(l, "RCPTGUARD_TTY");
	g_subprocess_launcher_set_child_setup(l, child_setsid, NULL, NULL);
	return l;
}

static GSubprocess *
spawn(World *w, GSubprocessLauncher *l, const char *transport, const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_null_terminated(0, NULL, TRUE);
	g_autoptr(GError) error = NULL;
	GSubprocess *proc;

	g_ptr_array_add(argv, (gpointer)g_getenv("RG_SENDMAIL"));
	g_ptr_array_add(argv, (gpointer) "--policy");
	g_ptr_array_add(argv, w->policy);
	g_ptr_array_add(argv, (gpointer) "--known");
	g_ptr_array_add(argv, w->known);
	if (transport != NULL) {
		g_ptr_array_add(argv, (gpointer) "--sendmail");
		g_ptr_array_add(argv, (gpointer)transport);
	}
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	proc = g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &error);
	ck_assert_msg(proc != NULL, "%s", error != NULL ? error->message : "");
	return proc;
}

static void
run(World *w, RgRun *r, const char *message, const char *transport, const char *const *args)
{
	g_autoptr(GSubprocessLauncher) l = launcher(w, NULL);
	g_autoptr(GSubprocess) proc = spawn(w, l, transport, args);
	rg_run_finish(proc, message, r);
}

static char *
slurp(const char *path)
{
	char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	return text;
}

/* CRLF in the header, 8-bit bytes and a lone CR in the body, no final newline */
static const char message_known[] =
    "From: Me <me@example.org>\r\nTo: Friend <friend@example.net>\r\nSubject: hi\r\n\r\n"
    "caf\xc3\xa9 \xff\r line\r\n.\r\nend";

START_TEST(test_sendmail_pass_through)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autofree char *args = NULL;
	g_autofree char *msg = NULL;
	const char *argv[] = {"-oi", "-f", "me@example.org", "--", "friend@example.net", NULL};

	world_init(&w);
	run(&w, &r, message_known, w.rec, argv);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.err, "");
	args = slurp(w.args);
	ck_assert_str_eq(args, "-oi\n-f\nme@example.org\n--\nfriend@example.net\n");
	msg = slurp(w.msg);
	ck_assert_str_eq(msg, message_known);
}
END_TEST

START_TEST(test_sendmail_transport_from_settings)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autofree char *policy = NULL;
	g_autofree char *args = NULL;
	const char *argv[] = {"-i", "friend@example.net", NULL};

	world_init(&w);
	/* with arguments of its own, quoted as a shell would */
	policy = g_strdup_printf(
	    "[policy]\nprotected-domains=army.mil\nsendmail-command=%s 'a b' -c\n", w.rec);
	ck_assert(g_file_set_contents(w.policy, policy, -1, NULL));
	run(&w, &r, message_known, NULL, argv);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	args = slurp(w.args);
	ck_assert_str_eq(args, "a b\n-c\n-i\nfriend@example.net\n");
}
END_TEST

static const char message_typo[] =
    "From: Me <me@example.org>\nTo: \"Gen. Smith\" <gen.smith@army.ml>,\n"
    " Friend <friend@example.net>\nSubject: orders\n\nbody\n";

START_TEST(test_sendmail_refused)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_auto(GStrv) lines = NULL;
	const char *argv[] = {"-oi", "--", "gen.smith@army.ml", "friend@example.net", NULL};

	world_init(&w);
	run(&w, &r, message_typo, w.rec, argv);
	ck_assert_int_eq(r.status, 67);
	/* nothing reached the transport */
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));
	ck_assert_str_eq(r.out, "");
	lines = g_strsplit(g_strchomp(r.err), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 2);
	ck_assert_str_eq(lines[0],
	                 "rcptguard-sendmail: not sent to gen.smith@army.ml: “.ml” is the country "
	                 "domain of Mali, one letter away from “.mil”; army.mil is protected by "
	                 "your organization's policy. Did "
	                 "you mean gen.smith@army.mil?");
	ck_assert(g_str_has_prefix(lines[1], "rcptguard-sendmail: nothing was sent;"));
	ck_assert_ptr_nonnull(strstr(lines[1], "RCPTGUARD_TTY"));
}
END_TEST

/* -t: the recipients come from To, Cc and Bcc; a typo in Bcc is found too */
START_TEST(test_sendmail_from_headers)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_auto(RgRun) ok = {0};
	g_autofree char *args = NULL;
	const char *argv[] = {"-t", "-oi", NULL};
	const char *typo =
	    "From: me@example.org\nTo: friend@example.net\nBcc: Col <col.jones@army.ml>\n\nx\n";
	const char *fine =
	    "From: me@example.org\nTo: friend@example.net\nCc: col.jones@army.mil\n\nx\n";

	world_init(&w);
	run(&w, &r, typo, w.rec, argv);
	ck_assert_int_eq(r.status, 67);
	ck_assert_ptr_nonnull(strstr(r.err, "not sent to col.jones@army.ml:"));
	ck_assert_ptr_nonnull(strstr(r.err, "Did you mean col.jones@army.mil?"));
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));

	run(&w, &ok, fine, w.rec, argv);
	ck_assert_msg(ok.status == 0, "status %d: %s", ok.status, ok.err);
	args = slurp(w.args);
	ck_assert_str_eq(args, "-t\n-oi\n");
}
END_TEST

START_TEST(test_sendmail_transport_status)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autoptr(GSubprocessLauncher) l = launcher(&w, NULL);
	g_autoptr(GSubprocess) proc = NULL;
	const char *argv[] = {"friend@example.net", NULL};

	world_init(&w);
	g_subprocess_launcher_setenv(l, "REC_STATUS", "75", TRUE);
	proc = spawn(&w, l, w.rec, argv);
	rg_run_finish(proc, message_known, &r);
	ck_assert_int_eq(r.status, 75);
	ck_assert_ptr_nonnull(strstr(r.err, "failed with exit status 75"));
}
END_TEST

START_TEST(test_sendmail_missing_transport)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autofree char *missing = NULL;
	const char *argv[] = {"friend@example.net", NULL};

	world_init(&w);
	missing = g_build_filename(w.dir, "no-such-sendmail", NULL);
	run(&w, &r, message_known, missing, argv);
	ck_assert_int_eq(r.status, 69);
	ck_assert_ptr_nonnull(strstr(r.err, "nothing was sent: cannot run the transport"));
	ck_assert_ptr_nonnull(strstr(r.err, missing));
}
END_TEST

/* a recipient that cannot be read: the policy's on-error decides, and nobody can be asked */
START_TEST(test_sendmail_unreadable_recipient)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_auto(RgRun) allowed = {0};
	g_autofree char *policy = NULL;
	g_autofree char *args = NULL;
	const char *argv[] = {"--", "bad@@x..org", NULL};

	world_init(&w);
	run(&w, &r, message_known, w.rec, argv);
	ck_assert_int_eq(r.status, 65);
	ck_assert_ptr_nonnull(
	    strstr(r.err, "nothing was sent: the recipients could not be checked"));
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));

	policy = g_strdup_printf("[policy]\nprotected-domains=army.mil\non-error=allow\n");
	ck_assert(g_file_set_contents(w.policy, policy, -1, NULL));
	run(&w, &allowed, message_known, w.rec, argv);
	ck_assert_msg(allowed.status == 0, "status %d: %s", allowed.status, allowed.err);
	ck_assert_ptr_nonnull(strstr(allowed.err, "sent unchecked, as the policy says"));
	args = slurp(w.args);
	ck_assert_str_eq(args, "--\nbad@@x..org\n");
}
END_TEST

/* A message of 10,000 recipients in one To line, and a header line of 1 MiB: it finishes (the
 * test's timeout is the bound; the time is measured in tests/bench, bench-hostile), reaches
 * the transport byte for byte, and one typo among them is still found. */
static char *
huge_message(const char *typo)
{
	GString *m = g_string_new("From: me@example.org\nTo: ");
	g_autofree char *subject = g_strnfill(1024 * 1024, 'x');

	for (guint i = 0; i < 10000; i++)
		g_string_append_printf(m, "%suser%u@example.net", i > 0 ? ", " : "", i);
	if (typo != NULL)
		g_string_append_printf(m, ", %s", typo);
	g_string_append_printf(m, "\nSubject: %s\n\nbody\n", subject);
	return g_string_free(m, FALSE);
}

START_TEST(test_sendmail_huge_message)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_auto(RgRun) typo = {0};
	g_autofree char *msg = huge_message(NULL);
	g_autofree char *with_typo = huge_message("gen.smith@army.ml");
	g_autofree char *got = NULL;
	const char *argv[] = {"-t", "-oi", NULL};

	world_init(&w);
	run(&w, &r, msg, w.rec, argv);
	ck_assert_msg(r.status == 0, "status %d: %.300s", r.status, r.err);
	got = slurp(w.msg);
	ck_assert(g_strcmp0(got, msg) == 0);
	g_unlink(w.args);
	run(&w, &typo, with_typo, w.rec, argv);
	ck_assert_int_eq(typo.status, 67);
	ck_assert_ptr_nonnull(strstr(typo.err, "not sent to gen.smith@army.ml:"));
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));
}
END_TEST

/* what could hide or act on the terminal is spelled out on stderr */
START_TEST(test_sendmail_hidden_characters_spelled_out)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	const char *argv[] = {"--", "x\033[31m@army.ml", "gen.smith@army.m\xe2\x80\xael", NULL};

	world_init(&w);
	run(&w, &r, message_known, w.rec, argv);
	ck_assert_int_eq(r.status, 65);
	ck_assert_ptr_null(strchr(r.err, '\033'));
	ck_assert_ptr_null(strstr(r.err, "\xe2\x80\xae"));
	ck_assert_ptr_nonnull(strstr(r.err, "x\\x1b[31m@army.ml"));
	ck_assert_ptr_nonnull(strstr(r.err, "army.m<U+202E>l"));
}
END_TEST

/* ------------------------------------------------------------------ the terminal */

/* reads what the prompt wrote until @want appears; FALSE after 20 s */
static gboolean
pty_expect(int master, GString *seen, const char *want)
{
	gint64 end = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (strstr(seen->str, want) == NULL) {
		char buf[512];
		ssize_t n;
		if (g_get_monotonic_time() > end)
			return FALSE;
		n = read(master, buf, sizeof(buf));
		if (n > 0)
			g_string_append_len(seen, buf, n);
		else
			g_usleep(20000);
	}
	return TRUE;
}

/* runs rcptguard-sendmail on a pty left in raw mode, waits for @prompt and types @answer
 * (NULL: sends SIGTERM instead) */
static void
prompt_and_answer(World *w,
                  const char *prompt,
                  const char *answer,
                  RgRun *r,
                  GString *seen,
                  struct termios *after)
{
	g_autoptr(GSubprocessLauncher) l = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autofree char *input = NULL;
	struct termios raw;
	int master, slave;
	char name[64];
	const char *argv[] = {"-oi", "--", "Gen <gen.smith@army.ml>", "friend@example.net", NULL};

	ck_assert_int_eq(openpty(&master, &slave, name, NULL, NULL), 0);
	g_unix_set_fd_nonblocking(master, TRUE, NULL);
	/* as curses leaves it */
	tcgetattr(slave, &raw);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	/* the message comes from a file, so that only the terminal is left to answer */
	input = g_build_filename(w->dir, "input.eml", NULL);
	ck_assert(g_file_set_contents(input, message_typo, -1, NULL));
	l = launcher(w, name);
	g_subprocess_launcher_set_flags(
	    l, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_stdin_file_path(l, input);
	proc = spawn(w, l, w->rec, argv);
	ck_assert_msg(pty_expect(master, seen, prompt), "no prompt in: %s", seen->str);
	if (answer != NULL)
		ck_assert_int_eq(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
	else
		g_subprocess_send_signal(proc, SIGTERM);
	{
		g_autofree char *out = NULL;
		g_autoptr(GError) error = NULL;
		ck_assert_msg(
		    g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &r->err, &error),
		    "%s",
		    error != NULL ? error->message : "");
		r->status = g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc)
		                                             : -g_subprocess_get_term_sig(proc);
	}
	tcgetattr(slave, after);
	close(master);
	close(slave);
}

START_TEST(test_sendmail_tty_corrected)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree char *args = NULL;
	g_autofree char *msg = NULL;
	struct termios after;

	world_init(&w);
	/* Enter in raw mode is a CR */
	prompt_and_answer(&w, "Your choice [e]:", "c\r", &r, seen, &after);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(seen->str, "gen.smith@army.ml"));
	ck_assert_ptr_nonnull(strstr(seen->str, "Did you mean gen.smith@army.mil?"));
	ck_assert_ptr_nonnull(strstr(seen->str, "[c] Send corrected"));
	/* the line discipline wrote LF as CRLF while the prompt ran */
	ck_assert_ptr_nonnull(strstr(seen->str, "\r\n"));
	/* and the raw mode is back */
	ck_assert_int_eq(after.c_lflag & (ICANON | ECHO), 0);
	args = slurp(w.args);
	ck_assert_str_eq(args, "-oi\n--\nGen <gen.smith@army.mil>\nfriend@example.net\n");
	msg = slurp(w.msg);
	ck_assert_str_eq(msg,
	                 "From: Me <me@example.org>\nTo: \"Gen. Smith\" <gen.smith@army.mil>, "
	                 "Friend <friend@example.net>\nSubject: orders\n\nbody\n");
}
END_TEST

START_TEST(test_sendmail_tty_edit)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autoptr(GString) seen = g_string_new(NULL);
	struct termios after;

	world_init(&w);
	prompt_and_answer(&w, "Your choice [e]:", "\r", &r, seen, &after);
	ck_assert_int_eq(r.status, 67);
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));
	ck_assert_ptr_nonnull(strstr(r.err, "nothing was sent; edit the message"));
}
END_TEST

/* "t" trusts the flagged recipient and sends as typed; the next message to it goes through
 * without a question */
START_TEST(test_sendmail_tty_trust)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_auto(RgRun) again = {0};
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree char *args = NULL;
	struct termios after;
	const char *argv[] = {"--", "gen.smith@army.ml", NULL};

	world_init(&w);
	prompt_and_answer(&w, "Your choice [e]:", "t\r", &r, seen, &after);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	args = slurp(w.args);
	ck_assert_str_eq(args, "-oi\n--\nGen <gen.smith@army.ml>\nfriend@example.net\n");
	run(&w, &again, message_typo, w.rec, argv);
	ck_assert_msg(again.status == 0, "status %d: %s", again.status, again.err);
}
END_TEST

/* in German: the prompt, the reasons with iso-codes' country name and the keys come from
 * the catalogues; "k" (korrigiert) sends the corrected message */
START_TEST(test_sendmail_tty_german)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree char *args = NULL;
	struct termios after;

	if (!rg_test_german_children())
		return;
	world_init(&w);
	prompt_and_answer(&w, "Ihre Wahl [b]:", "k\r", &r, seen, &after);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_msg(strstr(seen->str, "rcptguard: Prüfen Sie die Empfänger dieser Nachricht") !=
	                  NULL,
	              "%s",
	              seen->str);
	ck_assert_ptr_nonnull(strstr(seen->str, "WARNUNG  gen.smith@army.ml"));
	ck_assert_ptr_nonnull(strstr(seen->str, "„.ml“ ist die Länderdomain von Mali"));
	ck_assert_ptr_nonnull(strstr(seen->str, "Meinten Sie gen.smith@army.mil?"));
	ck_assert_ptr_nonnull(strstr(seen->str, "[b] Nachricht bearbeiten"));
	ck_assert_ptr_nonnull(strstr(seen->str, "[k] Korrigiert senden"));
	args = slurp(w.args);
	ck_assert_str_eq(args, "-oi\n--\nGen <gen.smith@army.mil>\nfriend@example.net\n");
}
END_TEST

/* killed while it asks: the terminal gets its raw mode back, nothing is sent */
START_TEST(test_sendmail_tty_signal_restores)
{
	g_auto(World) w = {0};
	g_auto(RgRun) r = {0};
	g_autoptr(GString) seen = g_string_new(NULL);
	struct termios after;

	world_init(&w);
	prompt_and_answer(&w, "Your choice [e]:", NULL, &r, seen, &after);
	ck_assert_int_eq(r.status, -SIGTERM);
	ck_assert_int_eq(after.c_lflag & (ICANON | ECHO), 0);
	ck_assert_int_eq(after.c_oflag & OPOST, 0);
	ck_assert(!g_file_test(w.args, G_FILE_TEST_EXISTS));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sendmail");
	TCase *tc = tcase_create("args");
	tcase_add_loop_test(tc, test_sendmail_args_clients, 0, G_N_ELEMENTS(args_cases));
	tcase_add_test(tc, test_sendmail_args_errors);
	tcase_add_test(tc, test_sendmail_args_replace);
	suite_add_tcase(s, tc);
	tc = tcase_create("transport");
	tcase_add_test(tc, test_sendmail_pass_through);
	tcase_add_test(tc, test_sendmail_transport_from_settings);
	tcase_add_test(tc, test_sendmail_transport_status);
	tcase_add_test(tc, test_sendmail_missing_transport);
	suite_add_tcase(s, tc);
	tc = tcase_create("refuse");
	tcase_add_test(tc, test_sendmail_refused);
	tcase_add_test(tc, test_sendmail_from_headers);
	tcase_add_test(tc, test_sendmail_unreadable_recipient);
	tcase_add_test(tc, test_sendmail_hidden_characters_spelled_out);
	tcase_add_test(tc, test_sendmail_huge_message);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	tc = tcase_create("tty");
	tcase_add_test(tc, test_sendmail_tty_corrected);
	tcase_add_test(tc, test_sendmail_tty_edit);
	tcase_add_test(tc, test_sendmail_tty_trust);
	tcase_add_test(tc, test_sendmail_tty_signal_restores);
	tcase_add_test(tc, test_sendmail_tty_german);
	suite_add_tcase(s, tc);
	return rg_test_run(s);
}
