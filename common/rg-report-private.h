/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-address.h"
#include "rg-report.h"

RgVerdict *rg_verdict_new(const RgAddress *addr);
void rg_verdict_add_reason(RgVerdict *self,
                           const char *code,
                           RgLevel level,
                           guint score,
                           const char *evidence,
                           char *message);
void rg_verdict_set_suggestion(RgVerdict *self, const char *suggestion);
void rg_verdict_set_score(RgVerdict *self, guint score);
void rg_verdict_set_level(RgVerdict *self, RgLevel level);
RgReport *rg_report_new(void);
void rg_report_add_verdict(RgReport *self, RgVerdict *verdict);
void rg_report_add_notice(RgReport *self, const char *notice);
void rg_report_add_unchecked(RgReport *self, const char *recipient);
RgLevel rg_level_for_score(guint score);
