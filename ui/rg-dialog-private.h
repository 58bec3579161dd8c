/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: what the tests and the screenshot tool look at */

#include "rg-dialog-row.h"
#include "rg-dialog.h"

#define RG_DIALOG_RESPONSE_SEND 1
#define RG_DIALOG_RESPONSE_SEND_CORRECTED 2

GPtrArray *rg_dialog_get_rows(RgDialog *self);
GtkWidget *rg_dialog_get_headline_label(RgDialog *self);
GtkWidget *rg_dialog_get_notices_expander(RgDialog *self);
GtkWidget *rg_dialog_get_check_notes_label(RgDialog *self);
GtkWidget *rg_dialog_get_notices_box(RgDialog *self);
GtkWidget *rg_dialog_get_rows_scroll(RgDialog *self);
GtkWidget *rg_dialog_get_edit_button(RgDialog *self);
GtkWidget *rg_dialog_get_send_anyway_button(RgDialog *self);
GtkWidget *rg_dialog_get_send_corrected_button(RgDialog *self);
RgDecision *rg_dialog_build_decision(RgDialog *self, int response);
