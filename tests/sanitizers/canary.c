/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A deliberate fault for check-catches.sh, which shows that the asan and valgrind test
 * setups fail a test that has one: "leak" loses a block, "loop-leak" loses one in a callback
 * a main loop dispatched, "overflow" reads past the end of one, "clean" has neither and must
 * pass. "spawn WHAT" runs a second canary with WHAT, as a test runs the CLI or the sendmail
 * wrapper: it ignores the child's exit status (the setup must find the child's fault by
 * itself) and fails when the child's stderr is not empty (memcheck's messages of a child
 * belong in its log, not in the stderr a test compares). */
#include <glib.h>
#include <stdio.h>
#include <string.h>

static volatile gsize sink;

/* the only pointer to the block dies with this frame: a definite leak */
static void __attribute__((noinline)) lose_a_block(void)
{
	volatile char *block = g_malloc(16);

	block[0] = 'x';
}

/* LeakSanitizer scans the stack conservatively: no copy of the pointer may stay there */
static void __attribute__((noinline)) scrub_stack(void)
{
	volatile char buf[8192];

	memset((char *)buf, 0, sizeof buf);
}

/* an idle callback: the block is lost in code the loop dispatched, below a frame of GLib's */
static gboolean
lose_a_block_cb(gpointer data)
{
	lose_a_block();
	scrub_stack();
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static int
spawn(const char *self, const char *what)
{
	const char *child[] = {self, what, NULL};
	g_autofree char *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL,
	                  (char **)child,
	                  NULL,
	                  G_SPAWN_STDOUT_TO_DEV_NULL,
	                  NULL,
	                  NULL,
	                  NULL,
	                  &err,
	                  &status,
	                  &error)) {
		fprintf(stderr, "canary: cannot run %s: %s\n", self, error->message);
		return 1;
	}
	if (err[0] != '\0') {
		printf("canary: the child's stderr is not empty:\n%s", err);
		return 1;
	}
	printf("canary: the child's stderr is empty\n");
	return 0;
}

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "clean";
	char *block;

	if (g_str_equal(what, "spawn") && argc > 2)
		return spawn(argv[0], argv[2]);
	block = g_malloc(16);

	memset(block, 'x', 16);
	if (g_str_equal(what, "leak")) {
		lose_a_block();
		scrub_stack();
	} else if (g_str_equal(what, "loop-leak")) {
		GMainLoop *loop = g_main_loop_new(NULL, FALSE);

		g_idle_add(lose_a_block_cb, loop);
		g_main_loop_run(loop);
		g_main_loop_unref(loop);
		scrub_stack();
	} else if (g_str_equal(what, "overflow")) {
		/* one past the end (argc is 2), in a way the compiler cannot see */
		sink = (gsize)block[14 + argc];
	}
	g_free(block);
	return 0;
}
