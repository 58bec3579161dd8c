/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Without libFuzzer, a target replays its corpus as an ordinary test: every file in the
 * directories given on the command line goes through LLVMFuzzerTestOneInput() once. */
#include <glib.h>
#include <stdio.h>

#include "fuzz.h"

int
main(int argc, char **argv)
{
	guint n = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
		const char *name;
		if (dir == NULL) {
			fprintf(stderr, "cannot open corpus %s\n", argv[i]);
			return 1;
		}
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *path = g_build_filename(argv[i], name, NULL);
			g_autofree char *data = NULL;
			gsize len = 0;
			if (!g_file_get_contents(path, &data, &len, NULL))
				continue;
			LLVMFuzzerTestOneInput((const uint8_t *)data, len);
			n++;
		}
	}
	if (n == 0) {
		fprintf(stderr, "empty corpus\n");
		return 1;
	}
	printf("%u passed, 0 failed\n", n);
	return 0;
}
