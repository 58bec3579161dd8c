/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A deliberate fault for check-catches.sh, which shows that the asan and valgrind test
 * setups fail a test that has one: "leak" loses a block, "overflow" reads past the end of
 * one, "clean" has neither and must pass. */
#include <glib.h>
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

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "clean";
	char *block = g_malloc(16);

	memset(block, 'x', 16);
	if (g_str_equal(what, "leak")) {
		lose_a_block();
		scrub_stack();
	} else if (g_str_equal(what, "overflow")) {
		/* one past the end (argc is 2), in a way the compiler cannot see */
		sink = (gsize)block[14 + argc];
	}
	g_free(block);
	return 0;
}
