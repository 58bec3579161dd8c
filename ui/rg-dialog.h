/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The confirm-or-fix dialog shared by every host. Hosts create it with their composer as
 * transient parent (rg_dialog_new_for_session()), run it, and hand the decision to
 * rg_session_apply_decision(); the dialog only reports it. It never calls gtk_init(). */

#include <gtk/gtk.h>
#include <rcptguard.h>

G_BEGIN_DECLS

#ifndef RG_UI_API
#define RG_UI_API __attribute__((visibility("default")))
#endif

/**
 * RgDialogFlags:
 * @RG_DIALOG_FLAG_NONE: defaults: no override at block, trusting allowed
 * @RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE: "Send Anyway" stays sensitive at block (policy)
 * @RG_DIALOG_FLAG_NO_TRUST: hide "Trust this address/domain" (policy)
 */
typedef enum {
	RG_DIALOG_FLAG_NONE = 0,
	RG_DIALOG_FLAG_ALLOW_BLOCK_OVERRIDE = 1 << 0,
	RG_DIALOG_FLAG_NO_TRUST = 1 << 1,
} RgDialogFlags;

#define RG_TYPE_DIALOG (rg_dialog_get_type())
RG_UI_API
G_DECLARE_FINAL_TYPE(RgDialog, rg_dialog, RG, DIALOG, GtkDialog)

RG_UI_API gboolean rg_dialog_is_needed(RgReport *report);
RG_UI_API RgDialog *
rg_dialog_new(GtkWindow *parent, RgReport *report, RgScorer *scorer, RgDialogFlags flags);
RG_UI_API RgDialogFlags rg_dialog_flags_for_session(RgSession *session);
RG_UI_API RgDialog *
rg_dialog_new_for_session(GtkWindow *parent, RgSession *session, RgReport *report);
RG_UI_API RgDecision *rg_dialog_run_decision(RgDialog *self);
RG_UI_API void rg_dialog_present_async(RgDialog *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
RG_UI_API RgDecision *rg_dialog_present_finish(RgDialog *self, GAsyncResult *res, GError **error);

G_END_DECLS
