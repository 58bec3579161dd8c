/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <rcptguard.h>

G_BEGIN_DECLS

RgSession *rg_evolution_settings_new(void);

RgSession *rg_evolution_session_ref(const char *identity, GError **error);
void rg_evolution_session_forget_all(void);

G_END_DECLS
