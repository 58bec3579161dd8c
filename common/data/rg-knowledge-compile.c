/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rg-knowledge-compile SRC_DIR OUTPUT: checks the versioned data files in SRC_DIR and writes
 * the compiled knowledge that librcptguard maps. Run by the build; exits 1 on a bad file. */
#include <stdio.h>

#include "rg-knowledge-data.h"

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SRC_DIR OUTPUT\n", argv[0]);
		return 2;
	}
	if (!rg_knowledge_data_compile(argv[1], argv[2], &error)) {
		fprintf(stderr, "%s: %s\n", argv[0], error->message);
		return 1;
	}
	return 0;
}
