/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <e-util/e-util.h>

G_BEGIN_DECLS

GtkWidget *rg_evolution_prefs_page_new(EPreferencesWindow *window);

G_END_DECLS
