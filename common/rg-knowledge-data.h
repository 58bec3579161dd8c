/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal, build time and tests: the versioned data files of the built-in knowledge
 * (the .tsv files of common/data) and their compiled form */

gboolean rg_knowledge_data_check_file(const char *path, GError **error);
gboolean rg_knowledge_data_compile(const char *src_dir, const char *output, GError **error);
