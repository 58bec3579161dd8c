/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-policy.h"

/* A domain rule: the domain itself and every subdomain on a dot boundary, or a whole TLD. */
typedef struct {
	char *pattern; /* as written, for messages */
	char *ascii;   /* normalised ASCII domain without leading "." or "*." */
	gboolean is_address;
	char *local_part; /* lower-case, only when is_address */
} RgPolicyRule;

const RgPolicyRule *rg_policy_match_blocked(RgPolicy *self, const char *ascii_domain);
const RgPolicyRule *
rg_policy_match_trusted(RgPolicy *self, const char *local_part, const char *ascii_domain);
const RgPolicyRule *rg_policy_match_protected(RgPolicy *self, const char *ascii_domain);
GPtrArray *rg_policy_get_protected(RgPolicy *self);
gboolean rg_domain_matches_rule(const char *ascii_domain, const char *rule_ascii);
