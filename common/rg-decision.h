/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

/**
 * RgDecisionKind:
 * @RG_DECISION_EDIT: back to the composer, nothing sent (also Esc and closing the window)
 * @RG_DECISION_SEND: send as it is ("Send Anyway")
 * @RG_DECISION_SEND_CORRECTED: send with the replacements ("Send Corrected")
 *
 * What the user decided about a message that needed asking.
 */
typedef enum {
	RG_DECISION_EDIT,
	RG_DECISION_SEND,
	RG_DECISION_SEND_CORRECTED,
} RgDecisionKind;

RG_API const char *rg_decision_kind_to_string(RgDecisionKind kind);

typedef struct _RgDecision RgDecision;
#define RG_TYPE_DECISION (rg_decision_get_type())
RG_API GType rg_decision_get_type(void);
RG_API RgDecision *rg_decision_new(RgDecisionKind kind);
RG_API RgDecision *rg_decision_copy(const RgDecision *self);
RG_API void rg_decision_free(RgDecision *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgDecision, rg_decision_free)

RG_API void
rg_decision_add_replacement(RgDecision *self, const char *original, const char *corrected);
RG_API void rg_decision_add_trusted(RgDecision *self, const char *address_or_domain);

RG_API RgDecisionKind rg_decision_get_kind(const RgDecision *self);
RG_API GHashTable *rg_decision_get_replacements(const RgDecision *self);
RG_API const char *const *rg_decision_get_trusted(const RgDecision *self);
RG_API char *rg_decision_to_json(const RgDecision *self);
RG_API RgDecision *rg_decision_new_from_json(const char *json, GError **error);

G_END_DECLS
