/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The confirm-or-fix dialog shared by every host. Hosts create it with their composer as
 * transient parent, run it, and apply the decision themselves; the dialog only reports it.
 * It never calls gtk_init(). */

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

/**
 * RgDecisionKind:
 * @RG_DECISION_EDIT: back to the composer, nothing sent (also Esc and closing the window)
 * @RG_DECISION_SEND: send as it is ("Send Anyway")
 * @RG_DECISION_SEND_CORRECTED: send with the replacements ("Send Corrected")
 */
typedef enum {
	RG_DECISION_EDIT,
	RG_DECISION_SEND,
	RG_DECISION_SEND_CORRECTED,
} RgDecisionKind;

typedef struct _RgDecision RgDecision;
#define RG_TYPE_DECISION (rg_decision_get_type())
RG_UI_API GType rg_decision_get_type(void);
RG_UI_API RgDecision *rg_decision_new(RgDecisionKind kind);
RG_UI_API RgDecision *rg_decision_copy(const RgDecision *self);
RG_UI_API void rg_decision_free(RgDecision *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgDecision, rg_decision_free)

RG_UI_API RgDecisionKind rg_decision_get_kind(const RgDecision *self);
/* original addr-spec (as rg_verdict_get_address() gives it) → corrected addr-spec */
RG_UI_API GHashTable *rg_decision_get_replacements(const RgDecision *self);
/* addresses and domains the user chose to trust */
RG_UI_API const char *const *rg_decision_get_trusted(const RgDecision *self);
RG_UI_API char *rg_decision_to_json(const RgDecision *self);

#define RG_TYPE_DIALOG (rg_dialog_get_type())
RG_UI_API
G_DECLARE_FINAL_TYPE(RgDialog, rg_dialog, RG, DIALOG, GtkDialog)

RG_UI_API gboolean rg_dialog_is_needed(RgReport *report);
RG_UI_API RgDialog *
rg_dialog_new(GtkWindow *parent, RgReport *report, RgScorer *scorer, RgDialogFlags flags);
RG_UI_API RgDecision *rg_dialog_run_decision(RgDialog *self);
RG_UI_API void rg_dialog_present_async(RgDialog *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
RG_UI_API RgDecision *rg_dialog_present_finish(RgDialog *self, GAsyncResult *res, GError **error);

G_END_DECLS
