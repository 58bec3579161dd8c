/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"
#include "rg-history.h"
#include "rg-policy.h"
#include "rg-report.h"

G_BEGIN_DECLS

#define RG_TYPE_SCORER (rg_scorer_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgScorer, rg_scorer, RG, SCORER, GObject)

RG_API RgScorer *rg_scorer_new(RgHistory *history, RgPolicy *policy, GError **error);
RG_API RgReport *rg_scorer_check(RgScorer *self, const char *const *recipients, GError **error);
RG_API RgReport *rg_scorer_check_addresses(RgScorer *self, GPtrArray *addresses);

G_END_DECLS
