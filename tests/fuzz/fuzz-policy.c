/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy and the user settings, both key files, as a session loads them: the input up to
 * its first NUL byte is the system policy, the rest the user's settings (without a NUL, the
 * input is both). Then what reads the result: every setting, the server's keys, and a check
 * of recipients that the policy's rules and levels apply to. */
#include <string.h>

#include "fuzz.h"
#include "rcptguard.h"
#include "rg-policy-private.h"

static const char *const rg_fuzz_recipients[] = {
    "gen.smith@army.ml",
    "alice@gmial.com",
    "x@nato.int",
    "liaison@mod.uk",
    "a@b.com",
    "y@arrny.mil",
    "z@paypa1.com",
    NULL,
};

static void
rg_fuzz_policy_use(RgSession *session)
{
	RgPolicy *policy = rg_session_get_policy(session);
	g_autoptr(RgHistory) history = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *networks[] = {"127.0.0.1", "10.1.2.3", "2001:db8::1"};
	RgLevel level;

	(void)rg_session_get_policy_problems(session)->len;
	for (const char *const *k = rg_session_list_settings(); *k != NULL; k++) {
		const char *origin = NULL, *locked_by = NULL;
		g_free(rg_session_get_setting(session, *k, &origin, &locked_by));
	}
	(void)rg_session_get_enabled(session);
	(void)rg_session_get_ask_flags(session);
	(void)rg_session_get_on_error(session);
	(void)rg_policy_get_level_override(policy, "first-contact", &level);
	(void)rg_policy_check_trust(policy, "com", NULL);
	(void)rg_policy_check_trust(policy, "someone@example.org", NULL);
	for (RgLevel l = RG_LEVEL_OK; l <= RG_LEVEL_BLOCK; l++)
		(void)rg_policy_get_server_action(policy, l);
	for (guint i = 0; i < G_N_ELEMENTS(networks); i++) {
		g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(networks[i]);
		(void)rg_policy_is_trusted_network(policy, inet);
	}
	rg_history_add(history, "gen.smith@army.mil", 3, 1, RG_HISTORY_FLAG_NONE, NULL);
	scorer = rg_scorer_new(history, policy, NULL);
	if (scorer != NULL)
		report = rg_scorer_check(scorer, rg_fuzz_recipients, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t policy_size = nul != NULL ? (size_t)(nul - data) : size;
	const uint8_t *settings = nul != NULL ? nul + 1 : data;
	size_t settings_size = nul != NULL ? size - policy_size - 1 : size;
	g_autofree char *policy_file = rg_fuzz_write("policy.conf", data, policy_size);
	g_autofree char *settings_file = rg_fuzz_write("settings.conf", settings, settings_size);
	g_autoptr(RgSession) session = rg_session_new();

	rg_session_set_policy_file(session, policy_file);
	rg_session_set_settings_file(session, settings_file);
	if (rg_session_load_policy(session, NULL))
		rg_fuzz_policy_use(session);
	return 0;
}
