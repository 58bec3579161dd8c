/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_TYPE_POLICY (rg_policy_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgPolicy, rg_policy, RG, POLICY, GObject)

RG_API RgPolicy *rg_policy_new(void);
RG_API gboolean rg_policy_load_file(RgPolicy *self, const char *path, GError **error);
RG_API gboolean rg_policy_load_system(RgPolicy *self, GError **error);
RG_API GPtrArray *rg_policy_get_problems(RgPolicy *self);

G_END_DECLS
