/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* every target implements the libFuzzer entry point; replay.c drives it from a corpus */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* in fuzz-common.c, for every target: rg_fuzz_init() before the first input */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* fuzz-common.c: the world of a target, made once per process: HOME and the XDG directories
 * in a temporary directory of its own (removed at exit), the build tree's knowledge, a UTF-8
 * locale, critical warnings fatal and the library's chatter dropped. Returns that directory. */
const char *rg_fuzz_init(void);
/* @data as the contents of the file @name in that directory; returns its path */
char *rg_fuzz_write(const char *name, const uint8_t *data, size_t size);
/* @data split at NUL bytes into at most @max strings (a NUL-terminated array) */
GStrv rg_fuzz_split(const uint8_t *data, size_t size, guint max);
