/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard policy check|show|set and the policy's effect on rcptguard check, on the real
 * binary, with system and user layers in a temporary directory. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rg-test.h"

static const char *rg_docs_dir;

typedef struct {
	char *dir;      /* removed at the end */
	char *etc;      /* XDG_CONFIG_DIRS */
	char *home;     /* XDG_CONFIG_HOME */
	char *system;   /* etc/rcptguard/policy.conf */
	char *settings; /* home/rcptguard/settings.conf */
	int status;
	char *out;
	char *err;
} RgWorld;

static void
rg_world_clear(RgWorld *w)
{
	if (w->dir != NULL) {
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", w->dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	g_free(w->dir);
	g_free(w->etc);
	g_free(w->home);
	g_free(w->system);
	g_free(w->settings);
	g_free(w->out);
	g_free(w->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgWorld, rg_world_clear)

static void
world_init(RgWorld *w)
{
	w->dir = g_dir_make_tmp("rg-cli-policy-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w->dir);
	w->etc = g_build_filename(w->dir, "etc", NULL);
	w->home = g_build_filename(w->dir, "home", NULL);
	w->system = g_build_filename(w->etc, "rcptguard", "policy.conf", NULL);
	w->settings = g_build_filename(w->home, "rcptguard", "settings.conf", NULL);
}

static char *
world_write(RgWorld *w, const char *path_or_name, const char *text)
{
	char *path = g_path_is_absolute(path_or_name)
	                 ? g_strdup(path_or_name)
	                 : g_build_filename(w->dir, path_or_name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	ck_assert_int_eq(g_mkdir_with_parents(parent, 0700), 0);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* runs the CLI with the world's layers, under tests/integration/fault-env.sh @fault_mode
 * unless that is %NULL; NULL-terminated arguments */
static void
world_run_v(RgWorld *w, const char *fault_mode, va_list ap)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	const char *arg;

	g_clear_pointer(&w->out, g_free);
	g_clear_pointer(&w->err, g_free);
	g_subprocess_launcher_setenv(launcher, "XDG_CONFIG_DIRS", w->etc, TRUE);
	g_subprocess_launcher_setenv(launcher, "XDG_CONFIG_HOME", w->home, TRUE);
	if (fault_mode != NULL) {
		g_ptr_array_add(argv, (gpointer)g_getenv("RG_FAULT_ENV"));
		g_ptr_array_add(argv, (gpointer)fault_mode);
	}
	g_ptr_array_add(argv, (gpointer)g_getenv("RG_CLI"));
	while ((arg = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	ck_assert_msg(proc != NULL, "%s", error ? error->message : "");
	ck_assert(g_subprocess_communicate_utf8(proc, NULL, NULL, &w->out, &w->err, &error));
	ck_assert(g_subprocess_get_if_exited(proc));
	w->status = g_subprocess_get_exit_status(proc);
}

static void
world_run(RgWorld *w, ...)
{
	va_list ap;
	va_start(ap, w);
	world_run_v(w, NULL, ap);
	va_end(ap);
}

/* the CLI without root's right to read any file (fault-env.sh unprivileged) */
static void
world_run_unprivileged(RgWorld *w, ...)
{
	va_list ap;
	va_start(ap, w);
	world_run_v(w, "unprivileged", ap);
	va_end(ap);
}

static const char *
line_starting(const char *text, const char *prefix)
{
	const char *p = text;
	while (p != NULL && *p != '\0') {
		if (g_str_has_prefix(p, prefix))
			return p;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* ------------------------------------------------------------------ policy check */

START_TEST(test_cli_policy_check_errors)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *path = NULL;
	g_auto(GStrv) lines = NULL;
	g_autofree char *l4 = NULL;
	g_autofree char *l7 = NULL;
	g_autofree char *l9 = NULL;

	world_init(&w);
	path = world_write(&w,
	                   "policy.conf",
	                   "# example\n[policy]\n\nprotected-domains=army.mil;exmaple .com\n\n\n"
	                   "alow-override=true\n\non-error=deny\n");
	world_run(&w, "policy", "check", path, NULL);
	ck_assert_int_eq(w.status, 2);
	lines = g_strsplit(g_strchomp(w.out), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 3);
	l4 = g_strdup_printf("%s:4: protected-domains: \"exmaple .com\" is not a valid domain name",
	                     path);
	l7 = g_strdup_printf("%s:7: alow-override: unknown key, ignored", path);
	l9 = g_strdup_printf("%s:9: on-error: \"deny\" is not valid; expected ask, allow or block",
	                     path);
	ck_assert_str_eq(lines[0], l4);
	ck_assert_str_eq(lines[1], l7);
	ck_assert_str_eq(lines[2], l9);
	ck_assert_ptr_nonnull(strstr(w.err, "2 errors"));
}
END_TEST

START_TEST(test_cli_policy_check_repeated_key)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *path = NULL;
	g_autofree char *want = NULL;

	world_init(&w);
	path = world_write(&w,
	                   "policy.conf",
	                   "[policy]\nlocked-keys=*\nblocked-domains=.ml\nlocked-keys=\n"
	                   "blocked-domains=\n");
	world_run(&w, "policy", "check", path, NULL);
	/* an error naming both lines, not a silent "the last one wins" */
	ck_assert_int_eq(w.status, 2);
	want = g_strdup_printf("%s:4: locked-keys: set again (first on line 2)", path);
	ck_assert_msg(line_starting(w.out, want) != NULL, "%s", w.out);
	g_free(want);
	want = g_strdup_printf("%s:5: blocked-domains: set again (first on line 3)", path);
	ck_assert_msg(line_starting(w.out, want) != NULL, "%s", w.out);
	/* and the stricter values apply meanwhile */
	world_run(&w, "check", "--policy", path, "x@army.ml", NULL);
	ck_assert_int_eq(w.status, 1);
	ck_assert_ptr_nonnull(strstr(w.out, "BLOCKED"));
}
END_TEST

/* a problem quotes the file: its control characters are spelled out, not sent */
START_TEST(test_cli_policy_check_control_characters)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *path = NULL;

	world_init(&w);
	path = world_write(&w, "policy.conf", "[policy]\nblocked-domains=\x1b[2J\x1b]0;x\x07\n");
	world_run(&w, "policy", "check", path, NULL);
	ck_assert_int_eq(w.status, 2);
	ck_assert_msg(strchr(w.out, '\x1b') == NULL && strchr(w.out, '\x07') == NULL, "%s", w.out);
	ck_assert_ptr_nonnull(strstr(w.out, "\"\\x1b[2J\\x1b]0\""));
	ck_assert_ptr_nonnull(strstr(w.out, "\"x\\x07\""));
}
END_TEST

START_TEST(test_cli_policy_check_warnings_only)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *path = NULL;
	g_autofree char *want = NULL;

	world_init(&w);
	path = world_write(&w, "policy.conf", "[policy]\nblocked-domains=.ml\nfrobnicate=1\n");
	world_run(&w, "policy", "check", path, NULL);
	ck_assert_int_eq(w.status, 0);
	want = g_strdup_printf("%s:3: frobnicate: unknown key, ignored\n", path);
	ck_assert_str_eq(w.out, want);
	ck_assert_ptr_nonnull(strstr(w.err, "1 warning"));
}
END_TEST

START_TEST(test_cli_policy_check_files)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *bad_utf8 = NULL;
	g_autofree char *dir_path = NULL;
	g_autofree char *big = NULL;
	g_autofree char *big_text = NULL;

	world_init(&w);
	bad_utf8 = world_write(&w, "utf8.conf", "[policy]\nenabled=\xc3\x28\n");
	dir_path = g_build_filename(w.dir, "dir.conf", NULL);
	ck_assert_int_eq(g_mkdir(dir_path, 0700), 0);
	big_text = g_strnfill(2 * 1024 * 1024, '#');
	big = world_write(&w, "big.conf", big_text);

	world_run(&w, "policy", "check", bad_utf8, dir_path, big, "/nonexistent/p.conf", NULL);
	ck_assert_int_eq(w.status, 2);
	{
		g_autofree char *a = g_strdup_printf("%s:2: invalid UTF-8", bad_utf8);
		g_autofree char *b = g_strdup_printf("%s: not a regular file", dir_path);
		g_autofree char *c = g_strdup_printf("%s: too large", big);
		ck_assert_msg(line_starting(w.out, a) != NULL, "%s", w.out);
		ck_assert_msg(line_starting(w.out, b) != NULL, "%s", w.out);
		ck_assert_msg(line_starting(w.out, c) != NULL, "%s", w.out);
		ck_assert_ptr_nonnull(strstr(w.out, "/nonexistent/p.conf"));
	}
	ck_assert_ptr_nonnull(strstr(w.err, "4 errors"));
}
END_TEST

START_TEST(test_cli_policy_check_in_use)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *sys = NULL;
	g_autofree char *user = NULL;

	world_init(&w);
	/* no files at all: nothing to say */
	world_run(&w, "policy", "check", NULL);
	ck_assert_int_eq(w.status, 0);
	ck_assert_str_eq(w.out, "");
	sys = world_write(
	    &w, w.system, "[policy]\nallow-override=false\nlocked-keys=allow-override\n");
	user = world_write(&w, w.settings, "[policy]\nallow-override=true\nlevel-lookalike=loud\n");
	world_run(&w, "policy", "check", NULL);
	ck_assert_int_eq(w.status, 2);
	{
		g_autofree char *a = g_strdup_printf("%s:2: allow-override: locked", user);
		g_autofree char *b = g_strdup_printf("%s:3: level-lookalike: ", user);
		ck_assert_msg(line_starting(w.out, a) != NULL, "%s", w.out);
		ck_assert_ptr_nonnull(strstr(w.out, sys));
		ck_assert_msg(line_starting(w.out, b) != NULL, "%s", w.out);
	}
}
END_TEST

START_TEST(test_cli_policy_examples_are_valid)
{
	g_auto(RgWorld) w = {0};
	const char *names[] = {"defence.conf", "company.conf", "home.conf"};

	world_init(&w);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = g_build_filename(rg_docs_dir, "examples", names[i], NULL);
		ck_assert_msg(g_file_test(path, G_FILE_TEST_EXISTS), "no %s", path);
		world_run(&w, "policy", "check", path, NULL);
		ck_assert_msg(w.status == 0 && w.out[0] == '\0' && w.err[0] == '\0',
		              "%s: %d\n%s%s",
		              path,
		              w.status,
		              w.out,
		              w.err);
	}
}
END_TEST

/* every key `policy show` knows is documented in the man page, and the guide shows the
 * example files as they are */
START_TEST(test_cli_policy_docs_complete)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *man_path = g_build_filename(rg_docs_dir, "rcptguard-policy.5", NULL);
	g_autofree char *guide_path = g_build_filename(rg_docs_dir, "admin-guide.md", NULL);
	g_autofree char *man = NULL;
	g_autofree char *guide = NULL;
	g_auto(GStrv) lines = NULL;
	const char *names[] = {"defence.conf", "company.conf", "home.conf"};

	ck_assert(g_file_get_contents(man_path, &man, NULL, NULL));
	ck_assert(g_file_get_contents(guide_path, &guide, NULL, NULL));
	world_init(&w);
	world_run(&w, "policy", "show", NULL);
	ck_assert_int_eq(w.status, 0);
	lines = g_strsplit(g_strchomp(w.out), "\n", -1);
	ck_assert_uint_ge(g_strv_length(lines), 20);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *key = g_strndup(lines[i], strcspn(lines[i], "="));
		g_autofree char *section = g_strdup_printf(".SS %s\n", key);
		g_autofree char *entry = g_strdup_printf(".B %s\n", key);
		ck_assert_msg(strstr(man, section) != NULL ||
		                  (g_str_has_prefix(key, "level-") && strstr(man, entry) != NULL),
		              "%s is not documented in %s",
		              key,
		              man_path);
	}
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = g_build_filename(rg_docs_dir, "examples", names[i], NULL);
		g_autofree char *text = NULL;
		ck_assert(g_file_get_contents(path, &text, NULL, NULL));
		ck_assert_msg(
		    strstr(guide, text) != NULL, "the guide does not show %s as it is", path);
	}
}
END_TEST

/* ------------------------------------------------------------------ policy show */

START_TEST(test_cli_policy_show)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *sys = NULL;
	g_autofree char *user = NULL;
	g_autofree char *want = NULL;

	world_init(&w);
	world_run(&w, "policy", "show", NULL);
	ck_assert_int_eq(w.status, 0);
	ck_assert_ptr_nonnull(line_starting(w.out, "enabled=true\t# built-in default\n"));
	ck_assert_ptr_nonnull(line_starting(w.out, "on-error=ask\t# built-in default\n"));
	ck_assert_ptr_nonnull(
	    line_starting(w.out, "level-first-contact=auto\t# built-in default\n"));

	sys = world_write(&w,
	                  w.system,
	                  "[policy]\nblocked-domains=.ml\nallow-override=false\n"
	                  "locked-keys=allow-override\n");
	user = world_write(&w,
	                   w.settings,
	                   "[policy]\nallow-override=true\nlevel-first-contact=warn\n"
	                   "blocked-domains=.tk\n");
	world_run(&w, "policy", "show", NULL);
	ck_assert_int_eq(w.status, 0);
	want = g_strdup_printf("allow-override=false\t# from %s; locked by %s\n", sys, sys);
	ck_assert_msg(line_starting(w.out, want) != NULL, "%s", w.out);
	g_free(want);
	want = g_strdup_printf("level-first-contact=warn\t# from %s\n", user);
	ck_assert_msg(line_starting(w.out, want) != NULL, "%s", w.out);
	g_free(want);
	want = g_strdup_printf("blocked-domains=.ml;.tk\t# from %s, %s\n", sys, user);
	ck_assert_msg(line_starting(w.out, want) != NULL, "%s", w.out);
	g_free(want);
	/* the overruled user setting is said on stderr */
	want = g_strdup_printf("rcptguard: %s:2: allow-override: locked", user);
	ck_assert_msg(strstr(w.err, want) != NULL, "%s", w.err);

	/* --policy replaces the system layer */
	{
		g_autofree char *other =
		    world_write(&w, "other.conf", "[policy]\non-error=block\n");
		g_autofree char *line = g_strdup_printf("on-error=block\t# from %s\n", other);
		world_run(&w, "policy", "show", "--policy", other, NULL);
		ck_assert_int_eq(w.status, 0);
		ck_assert_msg(line_starting(w.out, line) != NULL, "%s", w.out);
		ck_assert_ptr_nonnull(line_starting(w.out, "allow-override=true\t"));
		ck_assert_ptr_nonnull(line_starting(w.out, "blocked-domains=.tk\t"));
	}
}
END_TEST

/* ------------------------------------------------------------------ policy set */

START_TEST(test_cli_policy_set)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *sys = NULL;
	g_autofree char *text = NULL;

	world_init(&w);
	sys = world_write(&w,
	                  w.system,
	                  "[policy]\nallow-override=false\nlevel-lookalike=warn\n"
	                  "locked-keys=allow-override;level-lookalike\n");
	world_run(&w, "policy", "set", "allow-override", "true", NULL);
	ck_assert_int_eq(w.status, 2);
	ck_assert_ptr_nonnull(strstr(w.err, "locked"));
	ck_assert_ptr_nonnull(strstr(w.err, sys));
	ck_assert(!g_file_test(w.settings, G_FILE_TEST_EXISTS));
	world_run(&w, "policy", "set", "level-lookalike", "notice", NULL);
	ck_assert_int_eq(w.status, 2);
	world_run(&w, "policy", "set", "on-error", "never", NULL);
	ck_assert_int_eq(w.status, 2);
	ck_assert_ptr_nonnull(strstr(w.err, "never"));
	world_run(&w, "policy", "set", "nonsense", "1", NULL);
	ck_assert_int_eq(w.status, 2);
	world_run(&w, "policy", "set", "on-error", NULL);
	ck_assert_int_eq(w.status, 2);

	world_run(&w, "policy", "set", "level-lookalike", "block", NULL);
	ck_assert_int_eq(w.status, 0);
	world_run(&w, "policy", "set", "level-first-contact", "warn", NULL);
	ck_assert_int_eq(w.status, 0);
	ck_assert(g_file_get_contents(w.settings, &text, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(text, "level-lookalike=block"));
	ck_assert_ptr_nonnull(strstr(text, "level-first-contact=warn"));
	world_run(&w, "policy", "show", NULL);
	ck_assert_ptr_nonnull(line_starting(w.out, "level-lookalike=block\t"));
	/* and it takes effect */
	world_run(&w, "check", "--json", "someone@example.org", NULL);
	ck_assert_int_eq(w.status, 1);
	ck_assert_ptr_nonnull(strstr(w.out, "\"warn\""));
	world_run(&w, "policy", "unset", "level-first-contact", NULL);
	ck_assert_int_eq(w.status, 0);
	world_run(&w, "check", "someone@example.org", NULL);
	ck_assert_int_eq(w.status, 0);
}
END_TEST

/* ------------------------------------------------------------------ effect on check */

START_TEST(test_cli_policy_broken_system_policy)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *sys = NULL;
	g_autofree char *want = NULL;

	world_init(&w);
	sys = world_write(
	    &w, w.system, "[policy]\nblocked-domains=.ml;bad domain\nenabled=perhaps\n\xff\n");
	world_run(&w, "check", "--json", "x@army.ml", NULL);
	/* still guarded by what was valid */
	ck_assert_int_eq(w.status, 1);
	ck_assert_ptr_nonnull(strstr(w.out, "blocked-tld"));
	/* and the problems are said */
	want = g_strdup_printf("%s:2: blocked-domains: ", sys);
	ck_assert_msg(strstr(w.err, want) != NULL, "%s", w.err);
	g_free(want);
	want = g_strdup_printf("%s:3: enabled: ", sys);
	ck_assert_msg(strstr(w.err, want) != NULL, "%s", w.err);
	g_free(want);
	want = g_strdup_printf("%s:4: invalid UTF-8", sys);
	ck_assert_msg(strstr(w.err, want) != NULL, "%s", w.err);
}
END_TEST

/* ------------------------------------------------------------------ broken files */

typedef enum {
	BROKEN_DIRECTORY,
	BROKEN_FIFO,
	BROKEN_UNREADABLE,
} RgBroken;

/* @path made into a directory, a FIFO nobody writes to, or a file nobody may read */
static void
make_broken(const char *path, RgBroken how)
{
	g_autofree char *parent = g_path_get_dirname(path);

	ck_assert_int_eq(g_mkdir_with_parents(parent, 0700), 0);
	g_unlink(path);
	switch (how) {
	case BROKEN_DIRECTORY:
		ck_assert_int_eq(g_mkdir(path, 0700), 0);
		break;
	case BROKEN_FIFO:
		ck_assert_int_eq(mkfifo(path, 0600), 0);
		break;
	case BROKEN_UNREADABLE:
		ck_assert(
		    g_file_set_contents(path, "[policy]\nprotected-domains=army.mil\n", -1, NULL));
		ck_assert_int_eq(g_chmod(path, 0), 0);
		break;
	}
}

static void
run_maybe_unprivileged(RgWorld *w,
                       RgBroken how,
                       const char *a,
                       const char *b,
                       const char *c,
                       const char *d,
                       const char *e)
{
	if (how == BROKEN_UNREADABLE)
		world_run_unprivileged(w, a, b, c, d, e, NULL);
	else
		world_run(w, a, b, c, d, e, NULL);
}

/* --policy naming a directory, a FIFO (which must not block) or an unreadable file: an
 * error that names the file, nothing checked */
START_TEST(test_cli_policy_named_file_broken)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *path = NULL;
	RgBroken how = (RgBroken)_i;

	world_init(&w);
	path = g_build_filename(w.dir, "named.conf", NULL);
	make_broken(path, how);
	run_maybe_unprivileged(&w, how, "check", "--policy", path, "--json", "x@army.ml");
	if (w.status == 77)
		return; /* fault-env.sh said why; CI allows namespaces */
	ck_assert_msg(w.status == 2, "%d: %s", w.status, w.err);
	ck_assert_str_eq(w.out, "");
	ck_assert_msg(strstr(w.err, path) != NULL, "%s", w.err);
	ck_assert_msg(
	    strstr(w.err, how == BROKEN_UNREADABLE ? "ermission" : "not a regular file") != NULL,
	    "%s",
	    w.err);
}
END_TEST

/* the system policy or the user's settings broken the same ways: said, and the check goes
 * on with the defaults and the built-in knowledge */
START_TEST(test_cli_policy_layer_broken)
{
	g_auto(RgWorld) w = {0};
	RgBroken how = (RgBroken)(_i % 3);
	gboolean user = _i >= 3;
	const char *path;

	world_init(&w);
	path = user ? w.settings : w.system;
	make_broken(path, how);
	run_maybe_unprivileged(&w, how, "check", "--json", "gen.smith@army.ml", NULL, NULL);
	if (w.status == 77)
		return;
	/* the built-in knowledge still knows army.mil */
	ck_assert_msg(w.status == 1, "%d: %s%s", w.status, w.out, w.err);
	ck_assert_msg(strstr(w.out, "\"suggestion\":\"gen.smith@army.mil\"") != NULL, "%s", w.out);
	ck_assert_msg(strstr(w.err, path) != NULL, "the problem is not said: %s", w.err);
}
END_TEST

START_TEST(test_cli_policy_levels)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *sys = NULL;

	world_init(&w);
	world_run(&w, "check", "someone@example.org", NULL);
	ck_assert_int_eq(w.status, 0);
	sys = world_write(&w, w.system, "[policy]\nlevel-first-contact=warn\n");
	world_run(&w, "check", "someone@example.org", NULL);
	ck_assert_int_eq(w.status, 1);
	/* log-only: nothing interrupts */
	g_free(world_write(&w, w.system, "[policy]\nlevel-first-contact=warn\nlog-only=true\n"));
	world_run(&w, "check", "someone@example.org", NULL);
	ck_assert_int_eq(w.status, 0);
	/* off */
	g_free(world_write(&w, w.settings, "[policy]\nenabled=false\n"));
	g_free(world_write(&w, w.system, "[policy]\nblocked-domains=.ml\n"));
	world_run(&w, "check", "x@army.ml", NULL);
	ck_assert_int_eq(w.status, 0);
	ck_assert_ptr_nonnull(strstr(w.err, "turned off"));
	/* unless the system policy locks it on */
	g_free(world_write(&w, w.system, "[policy]\nblocked-domains=.ml\nlocked-keys=enabled\n"));
	world_run(&w, "check", "x@army.ml", NULL);
	ck_assert_int_eq(w.status, 1);
}
END_TEST

static Suite *
cli_policy_suite(void)
{
	Suite *s = suite_create("cli-policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, test_cli_policy_check_errors);
	tcase_add_test(tc, test_cli_policy_check_repeated_key);
	tcase_add_test(tc, test_cli_policy_check_control_characters);
	tcase_add_test(tc, test_cli_policy_check_warnings_only);
	tcase_add_test(tc, test_cli_policy_check_files);
	tcase_add_test(tc, test_cli_policy_check_in_use);
	tcase_add_test(tc, test_cli_policy_examples_are_valid);
	tcase_add_test(tc, test_cli_policy_docs_complete);
	tcase_add_test(tc, test_cli_policy_show);
	tcase_add_test(tc, test_cli_policy_set);
	tcase_add_test(tc, test_cli_policy_broken_system_policy);
	tcase_add_test(tc, test_cli_policy_levels);
	tcase_add_loop_test(tc, test_cli_policy_named_file_broken, 0, 3);
	tcase_add_loop_test(tc, test_cli_policy_layer_broken, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		g_printerr("usage: %s DOCS-DIR\n", argv[0]);
		return 2;
	}
	rg_docs_dir = argv[1];
	return rg_test_run(cli_policy_suite());
}
