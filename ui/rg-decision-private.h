/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-dialog.h"

/* both strings are copied */
void rg_decision_add_replacement(RgDecision *self, const char *original, const char *corrected);
void rg_decision_add_trusted(RgDecision *self, const char *address_or_domain);
