/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-address.h"
#include "rg-reasons.h"

/* The level boundaries of a score (docs/checks.md): a reason at RG_SCORE_NOTICE or more is a
 * notice, at RG_SCORE_WARN a warning, at RG_SCORE_BLOCK a block. Every other threshold of
 * the scorer is one of these. */
#define RG_SCORE_NOTICE 20
#define RG_SCORE_WARN 50
#define RG_SCORE_BLOCK 90
/* the most a reason may score without blocking: how far a look-alike alone can go */
#define RG_SCORE_BELOW_BLOCK (RG_SCORE_BLOCK - 1)
/* the most any reason scores */
#define RG_SCORE_MAX 100
#include "rg-report.h"

RgVerdict *rg_verdict_new(const RgAddress *addr);
void rg_verdict_add_reason(RgVerdict *self,
                           RgReasonCode code,
                           RgLevel level,
                           guint score,
                           const char *evidence,
                           char *message);
void rg_verdict_set_suggestion(RgVerdict *self, const char *suggestion);
void rg_verdict_set_trust_warning(RgVerdict *self, char *warning);
void rg_verdict_set_score(RgVerdict *self, guint score);
void rg_verdict_set_level(RgVerdict *self, RgLevel level);
RgReport *rg_report_new(void);
void rg_report_add_verdict(RgReport *self, RgVerdict *verdict);
void rg_report_add_notice(RgReport *self, const char *notice);
void rg_report_add_unchecked(RgReport *self, const char *recipient);
RgLevel rg_level_for_score(guint score);
/* the level @self had before log-only mode lowered it: the highest of its reasons; appends
 * the reason codes to @codes (comma-separated) when it is not NULL */
RgLevel rg_verdict_get_reasons_level(RgVerdict *self, GString *codes);
