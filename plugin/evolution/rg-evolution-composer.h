/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

#define RG_TYPE_EVOLUTION_COMPOSER (rg_evolution_composer_get_type())
G_DECLARE_FINAL_TYPE(RgEvolutionComposer, rg_evolution_composer, RG, EVOLUTION_COMPOSER, EExtension)

void rg_evolution_composer_type_register(GTypeModule *type_module);

G_END_DECLS
