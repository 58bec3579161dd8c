/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <shell/e-shell.h>

G_BEGIN_DECLS

typedef void (*RgEvolutionSourcesNotify)(gpointer data);

gboolean rg_evolution_sources_start(EShell *shell, gboolean again);
gboolean rg_evolution_sources_running(void);
void rg_evolution_sources_set_notify(RgEvolutionSourcesNotify notify, gpointer data);
void rg_evolution_sources_cancel(void);

G_END_DECLS
