/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

#define RG_TYPE_EVOLUTION_SHELL (rg_evolution_shell_get_type())
G_DECLARE_FINAL_TYPE(RgEvolutionShell, rg_evolution_shell, RG, EVOLUTION_SHELL, EExtension)

void rg_evolution_shell_type_register(GTypeModule *type_module);

G_END_DECLS
