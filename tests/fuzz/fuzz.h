/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* every target implements the libFuzzer entry point; replay.c drives it from a corpus */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
