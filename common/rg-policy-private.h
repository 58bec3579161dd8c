/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-environment.h"
#include "rg-policy.h"
#include "rg-reasons.h"

/* the largest policy or settings file read; anything bigger is a mistake, not a policy */
#define RG_POLICY_MAX_SIZE (1024 * 1024)

/* A domain rule: the domain itself and every subdomain on a dot boundary, or a whole TLD. */
typedef struct {
	char *pattern; /* as written, for messages */
	char *ascii;   /* normalised ASCII domain without leading "." or "*." */
	gboolean is_address;
	char *local_part; /* lower-case, only when is_address */
	char *origin;     /* the file it came from */
} RgPolicyRule;

const RgPolicyRule *rg_policy_match_blocked(RgPolicy *self, const char *ascii_domain);
const RgPolicyRule *
rg_policy_match_trusted(RgPolicy *self, const char *local_part, const char *ascii_domain);
const RgPolicyRule *rg_policy_match_protected(RgPolicy *self, const char *ascii_domain);
GPtrArray *rg_policy_get_protected(RgPolicy *self);
/* the generic TLD a policy pair puts next to the country-code TLD @tld, or NULL */
const char *rg_policy_risky_partner(RgPolicy *self, const char *tld);
gboolean rg_policy_get_reason_level(RgPolicy *self, RgReasonCode id, RgLevel *level);
void rg_policy_set_environment(RgPolicy *self, RgEnvironment *env);
/* rg_policy_load_system() with @trusted instead of /etc/xdg and the sysconfdir, and @dirs
 * instead of $XDG_CONFIG_DIRS (in order of importance); for tests */
gboolean rg_policy_load_system_dirs(RgPolicy *self,
                                    const char *const *trusted,
                                    const char *const *dirs,
                                    GError **error);

/* the mail server's keys (RgServer): the action for a level as an RgServerAction, the
 * value of a count key, whether a client is in server-trusted-networks */
guint rg_policy_get_server_action(RgPolicy *self, RgLevel level);
const char *rg_policy_server_action_name(guint action);
guint rg_policy_get_count(RgPolicy *self, const char *key);
gboolean rg_policy_is_trusted_network(RgPolicy *self, GInetAddress *address);
