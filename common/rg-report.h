/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

/**
 * RgLevel:
 * @RG_LEVEL_OK: nothing to say
 * @RG_LEVEL_NOTICE: worth showing, never interrupts the send
 * @RG_LEVEL_WARN: ask before sending; the user may send anyway
 * @RG_LEVEL_BLOCK: do not send until fixed, unless policy allows an override
 */
typedef enum {
	RG_LEVEL_OK,
	RG_LEVEL_NOTICE,
	RG_LEVEL_WARN,
	RG_LEVEL_BLOCK,
} RgLevel;

RG_API const char *rg_level_to_string(RgLevel level);

typedef struct _RgReason RgReason;
#define RG_TYPE_REASON (rg_reason_get_type())
RG_API GType rg_reason_get_type(void);
RG_API void rg_reason_free(RgReason *self);
RG_API RgReason *rg_reason_copy(const RgReason *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgReason, rg_reason_free)
RG_API const char *rg_reason_get_code(const RgReason *self);
RG_API const char *rg_reason_get_message(const RgReason *self);
RG_API RgLevel rg_reason_get_level(const RgReason *self);
RG_API const char *rg_reason_get_evidence(const RgReason *self);
RG_API const char *rg_reason_get_title(const RgReason *self);
RG_API const char *const *rg_reason_list_codes(void);
RG_API const char *rg_reason_code_get_title(const char *code);

#define RG_TYPE_VERDICT (rg_verdict_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgVerdict, rg_verdict, RG, VERDICT, GObject)

RG_API const char *rg_verdict_get_input(RgVerdict *self);
RG_API const char *rg_verdict_get_address(RgVerdict *self);
RG_API const char *rg_verdict_get_name(RgVerdict *self);
RG_API const char *rg_verdict_get_domain(RgVerdict *self);
RG_API const char *rg_verdict_get_domain_ascii(RgVerdict *self);
RG_API RgLevel rg_verdict_get_level(RgVerdict *self);
RG_API guint rg_verdict_get_score(RgVerdict *self);
RG_API GPtrArray *rg_verdict_get_reasons(RgVerdict *self);
RG_API const char *rg_verdict_get_suggestion(RgVerdict *self);
RG_API const char *rg_verdict_get_trust_warning(RgVerdict *self);
RG_API char *rg_verdict_to_json(RgVerdict *self);

#define RG_TYPE_REPORT (rg_report_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgReport, rg_report, RG, REPORT, GObject)

RG_API guint rg_report_get_n_verdicts(RgReport *self);
RG_API RgVerdict *rg_report_get_verdict(RgReport *self, guint idx);
RG_API RgLevel rg_report_get_level(RgReport *self);
RG_API gboolean rg_report_needs_decision(RgReport *self);
RG_API GPtrArray *rg_report_get_notices(RgReport *self);
RG_API GPtrArray *rg_report_get_unchecked(RgReport *self);
RG_API gboolean rg_report_is_complete(RgReport *self, GError **error);

G_END_DECLS
