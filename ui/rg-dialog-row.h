/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: one flagged recipient in the dialog */

#include <gtk/gtk.h>
#include <rcptguard.h>

G_BEGIN_DECLS

#define RG_TYPE_DIALOG_ROW (rg_dialog_row_get_type())
G_DECLARE_FINAL_TYPE(RgDialogRow, rg_dialog_row, RG, DIALOG_ROW, GtkListBoxRow)

RgDialogRow *rg_dialog_row_new(RgVerdict *verdict, RgScorer *scorer, gboolean allow_trust);
RgVerdict *rg_dialog_row_get_verdict(RgDialogRow *self);
const char *rg_dialog_row_get_replacement(RgDialogRow *self);
gboolean rg_dialog_row_get_blocking(RgDialogRow *self);
gboolean rg_dialog_row_get_fix_doubtful(RgDialogRow *self);
gboolean rg_dialog_row_get_trust_address(RgDialogRow *self);
gboolean rg_dialog_row_get_trust_domain(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_default_focus(RgDialogRow *self);

/* for tests */
GtkWidget *rg_dialog_row_get_address_label(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_reasons_box(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_suggestion_button(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_entry(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_status_label(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_trust_address_button(RgDialogRow *self);
GtkWidget *rg_dialog_row_get_trust_domain_button(RgDialogRow *self);

/* @address with the characters that differ from @suggestion highlighted; Pango markup */
char *rg_dialog_markup_address(const char *address, const char *suggestion, const char *color);

G_END_DECLS
