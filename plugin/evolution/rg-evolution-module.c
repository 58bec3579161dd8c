/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* module-rcptguard.so: Evolution loads every module in its module directory and calls
 * e_module_load(). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "rg-evolution-composer.h"
#include "rg-evolution-settings.h"
#include "rg-evolution-shell.h"
#include "rg-evolution-sources.h"

G_MODULE_EXPORT void e_module_load(GTypeModule *type_module);
G_MODULE_EXPORT void e_module_unload(GTypeModule *type_module);

G_MODULE_EXPORT void
e_module_load(GTypeModule *type_module)
{
	rg_i18n_init();
	rg_evolution_composer_type_register(type_module);
	rg_evolution_shell_type_register(type_module);
}

G_MODULE_EXPORT void
e_module_unload(GTypeModule *type_module)
{
	rg_evolution_sources_cancel();
	rg_evolution_session_forget_all();
}
