/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-report.h"

/* internal: the one table of reason codes. The scorer gives reasons by these ids, the
 * policy derives its `level-CODE` keys from the table, the JSON prints the code, and
 * docs/checks.md lists the same codes, levels and titles (tests/unit/test-report.c compares
 * them). The order is the order of the `level-*` keys in `rcptguard policy show`. */

typedef enum {
	RG_REASON_TLD_TYPO,
	RG_REASON_TLD_SWAP,
	RG_REASON_LOOKALIKE,
	RG_REASON_SIBLING,
	RG_REASON_CONFUSABLE,
	RG_REASON_MIXED_SCRIPT,
	RG_REASON_UNKNOWN_TLD,
	RG_REASON_SAME_MESSAGE,
	RG_REASON_KNOWN_LOCAL_PART,
	RG_REASON_RISKY_TLD,
	RG_REASON_NEAR_RESTRICTED_TLD,
	RG_REASON_FIRST_CONTACT,
	RG_REASON_SENT_ANYWAY,
	RG_REASON_BLOCKED_DOMAIN,
	RG_REASON_BLOCKED_TLD,
	RG_REASON_HIDDEN_CHARACTER,
	RG_REASON_LONG_LOCAL_PART,
	RG_REASON_ADDRESS_BOOK,
	RG_REASON_N_CODES,
} RgReasonCode;

typedef struct {
	RgReasonCode id;
	const char *code;       /* stable: JSON, the decision log, `level-CODE` */
	const char *policy_key; /* "level-" and the code */
	const char *title;      /* untranslated; rg_reason_code_get_title() translates */
	/* the levels the reason's own score gives, before the policy sets one */
	RgLevel min_level;
	RgLevel max_level;
} RgReasonInfo;

const RgReasonInfo *rg_reason_info(RgReasonCode id);
const RgReasonInfo *rg_reason_info_lookup(const char *code);
