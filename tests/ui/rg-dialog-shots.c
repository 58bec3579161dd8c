/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Renders the dialog into PNGs for docs/images: rg-dialog-shots OUTDIR CASE...
 * Cases: light dark two block long rtl scale2 de. The theme, the scale and the language come
 * from the environment: run "dark" with GTK_THEME=Adwaita:dark, "scale2" with GDK_SCALE=2 and
 * "de" with LANGUAGE=de LC_ALL=de_DE.UTF-8 (the recipients of "light", in German).
 * Needs a display (Xvfb in CI); exits 77 without one. */
#include "config.h"

#include <gtk/gtk.h>
#include <rcptguard.h>
#include <stdlib.h>
#include <string.h>

#include "rg-dialog-private.h"

static RgSession *
rg_shots_session(gboolean with_policy)
{
	const char *data = g_getenv("RG_TEST_DATA");
	g_autofree char *known = g_build_filename(data, "known-army.txt", NULL);
	g_autofree char *policy = g_build_filename(data, "policy-mil.conf", NULL);
	g_autofree char *empty = g_build_filename(g_get_tmp_dir(), "rg-shots-no-policy.conf", NULL);
	g_autoptr(RgSession) session = rg_session_new();
	g_autoptr(GError) error = NULL;

	if (!with_policy)
		g_file_set_contents(empty, "[policy]\n", -1, NULL);
	rg_session_set_policy_file(session, with_policy ? policy : empty);
	rg_session_add_known_file(session, known);
	if (!rg_session_load(session, &error))
		g_error("cannot load the sample session: %s", error->message);
	return g_steal_pointer(&session);
}

static void
rg_shots_settle(void)
{
	for (guint i = 0; i < 30; i++) {
		while (gtk_events_pending())
			gtk_main_iteration();
		g_usleep(10000);
	}
}

static gboolean
rg_shots_write(GtkWidget *widget, const char *path)
{
	int scale = gtk_widget_get_scale_factor(widget);
	int w = gtk_widget_get_allocated_width(widget);
	int h = gtk_widget_get_allocated_height(widget);
	cairo_surface_t *surface =
	    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w * scale, h * scale);
	cairo_t *cr;
	cairo_status_t status;

	cairo_surface_set_device_scale(surface, scale, scale);
	cr = cairo_create(surface);
	gtk_widget_draw(widget, cr);
	cairo_destroy(cr);
	status = cairo_surface_write_to_png(surface, path);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		g_printerr("cannot write %s: %s\n", path, cairo_status_to_string(status));
		return FALSE;
	}
	g_print("%s: %dx%d at scale %d\n", path, w * scale, h * scale, scale);
	return TRUE;
}

static gboolean
rg_shots_case(const char *outdir, const char *name)
{
	gboolean block = g_strcmp0(name, "block") == 0;
	g_autoptr(RgSession) session = rg_shots_session(block);
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *file = g_strdup_printf("dialog-%s.png", name);
	g_autofree char *path = g_build_filename(outdir, file, NULL);
	const char *one[] = {"\"Gen. Smith\" <gen.smith@army.ml>",
	                     "j.doe@army.mil",
	                     "new.contact@example.org",
	                     NULL};
	const char *two[] = {"gen.smith@army.ml", "bob@yahooo.com", "j.doe@army.mil", NULL};
	const char *blocked[] = {"gen.smith@army.ml", "j.doe@army.mil", NULL};
	const char *longer[] = {
	    "\"Lieutenant Colonel Alexandra Konstantinopoulou-Vanderbilt, Joint "
	    "Logistics Directorate\" "
	    "<alexandra.konstantinopoulou-vanderbilt.logistics.directorate@army.ml>",
	    "j.doe@army.mil",
	    NULL};
	const char *const *recipients = one;
	RgDialog *dialog;
	gboolean ok;

	gtk_widget_set_default_direction(g_strcmp0(name, "rtl") == 0 ? GTK_TEXT_DIR_RTL
	                                                             : GTK_TEXT_DIR_LTR);
	if (g_strcmp0(name, "two") == 0)
		recipients = two;
	else if (block)
		recipients = blocked;
	else if (g_strcmp0(name, "long") == 0)
		recipients = longer;
	report = rg_session_check(session, recipients, &error);
	if (report == NULL)
		g_error("cannot check the sample recipients: %s", error->message);
	dialog = rg_dialog_new(NULL, report, rg_session_get_scorer(session), RG_DIALOG_FLAG_NONE);
	if (g_strcmp0(name, "two") == 0) {
		/* show the state after the first fix was clicked */
		RgDialogRow *row = g_ptr_array_index(rg_dialog_get_rows(dialog), 0);
		gtk_button_clicked(GTK_BUTTON(rg_dialog_row_get_suggestion_button(row)));
	}
	gtk_widget_show(GTK_WIDGET(dialog));
	rg_shots_settle();
	ok = rg_shots_write(GTK_WIDGET(dialog), path);
	gtk_widget_destroy(GTK_WIDGET(dialog));
	rg_shots_settle();
	return ok;
}

int
main(int argc, char **argv)
{
	if (g_getenv("RG_TEST_DATA") == NULL) {
		g_printerr(
		    "RG_TEST_DATA is not set; run through meson or tests/ui/screenshots.sh\n");
		return EXIT_FAILURE;
	}
	if (!gtk_init_check(&argc, &argv)) {
		g_printerr("SKIP: no display (run under xvfb-run -a)\n");
		return 77;
	}
	if (argc < 3) {
		g_printerr("usage: %s OUTDIR CASE...\n", argv[0]);
		return EXIT_FAILURE;
	}
	g_object_set(gtk_settings_get_default(),
	             "gtk-icon-theme-name",
	             "Adwaita",
	             "gtk-font-name",
	             "Cantarell 11",
	             NULL);
	for (int i = 2; i < argc; i++) {
		if (!rg_shots_case(argv[1], argv[i]))
			return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
