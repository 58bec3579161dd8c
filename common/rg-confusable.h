/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* internal: the only door to ICU. Skeletons are computed when needed and never stored. */

typedef struct _RgConfusable RgConfusable;

RgConfusable *rg_confusable_new(GError **error);
void rg_confusable_free(RgConfusable *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgConfusable, rg_confusable_free)

char *rg_confusable_skeleton(RgConfusable *self, const char *utf8);
char *rg_confusable_fold(RgConfusable *self, const char *utf8);
char *rg_confusable_unfold(RgConfusable *self, const char *fold);
gboolean rg_confusable_is_mixed_script(RgConfusable *self, const char *utf8);
