/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An extension of the shell that adds rcptguard's page to Edit → Preferences, and reads the
 * Sent folders and address books once Evolution is up. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <shell/e-shell.h>

#include "rg-evolution-prefs.h"
#include "rg-evolution-shell.h"
#include "rg-evolution-sources.h"

struct _RgEvolutionShell {
	EExtension parent_instance;
};

G_DEFINE_DYNAMIC_TYPE(RgEvolutionShell, rg_evolution_shell, E_TYPE_EXTENSION)

static gboolean
rg_evolution_shell_add_page_idle_cb(gpointer user_data)
{
	EShell *shell = E_SHELL(user_data);
	GtkWidget *window = e_shell_get_preferences_window(shell);

	if (E_IS_PREFERENCES_WINDOW(window))
		e_preferences_window_add_page(E_PREFERENCES_WINDOW(window),
		                              "rcptguard",
		                              "mail-send",
		                              /* TRANSLATORS: the title of rcptguard's page in
		                               * Evolution's Preferences */
		                              _("Recipient Check"),
		                              NULL,
		                              rg_evolution_prefs_page_new,
		                              900);
	/* in the background, once the windows are up: the composer never waits for it */
	rg_evolution_sources_start(shell, FALSE);
	return G_SOURCE_REMOVE;
}

static void
rg_evolution_shell_ready_cb(EShell *shell, gpointer event_data, gpointer user_data)
{
	g_idle_add_full(G_PRIORITY_DEFAULT_IDLE,
	                rg_evolution_shell_add_page_idle_cb,
	                g_object_ref(shell),
	                g_object_unref);
}

/* what runs stops at once; what it read is not written */
static void
rg_evolution_shell_quit_cb(EShell *shell, EActivity *activity, gpointer user_data)
{
	rg_evolution_sources_cancel();
}

static void
rg_evolution_shell_constructed(GObject *object)
{
	EExtensible *extensible;

	G_OBJECT_CLASS(rg_evolution_shell_parent_class)->constructed(object);
	extensible = e_extension_get_extensible(E_EXTENSION(object));
	g_signal_connect(
	    extensible, "event::ready-to-start", G_CALLBACK(rg_evolution_shell_ready_cb), NULL);
	g_signal_connect(
	    extensible, "prepare-for-quit", G_CALLBACK(rg_evolution_shell_quit_cb), NULL);
}

static void
rg_evolution_shell_class_init(RgEvolutionShellClass *klass)
{
	G_OBJECT_CLASS(klass)->constructed = rg_evolution_shell_constructed;
	E_EXTENSION_CLASS(klass)->extensible_type = E_TYPE_SHELL;
}

static void
rg_evolution_shell_class_finalize(RgEvolutionShellClass *klass)
{
}

static void
rg_evolution_shell_init(RgEvolutionShell *self)
{
}

void
rg_evolution_shell_type_register(GTypeModule *type_module)
{
	rg_evolution_shell_register_type(type_module);
}
