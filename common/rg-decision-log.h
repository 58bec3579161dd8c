/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-report.h"

/* internal: the policy's opt-in audit log of what was flagged and what the user chose */

gboolean rg_decision_log_append(
    const char *path, RgReport *report, const char *choice, gint64 now, GError **error);
/* one line, with the sender as a sixth field, for a recipient a mail server acted on */
gboolean rg_decision_log_append_server(const char *path,
                                       const char *sender,
                                       RgVerdict *verdict,
                                       const char *choice,
                                       gint64 now,
                                       GError **error);
