/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-milter's handling of the envelope (plugin/milter/rg-milter-callbacks.c): who the
 * sender is, each RCPT TO judged by the server core with the recipients before it, the
 * reply an MTA would get, and at the end of the message what is held, tagged and recorded.
 * The input is cut at NUL bytes: the client's IP address ("" for a local submission), the
 * login name ("" for none), the MAIL FROM argument, then the RCPT TO arguments. */
#include <string.h>

#include "fuzz.h"
#include "rg-milter.h"

#define RG_FUZZ_RCPT_MAX 16

static const char rg_fuzz_milter_policy[] = "[policy]\n"
                                            "protected-domains=army.mil;.mil;.gov\n"
                                            "blocked-domains=.ml\n"
                                            "trusted-domains=nato.int\n"
                                            "server-trusted-networks=10.0.0.0/8;2001:db8::/32\n"
                                            "server-action-notice=tag\n"
                                            "server-action-warn=confirm\n"
                                            "server-action-block=reject\n"
                                            "level-first-contact=notice\n"
                                            "level-tld-typo=block\n"
                                            "level-lookalike=warn\n";

static RgSession *
rg_fuzz_milter_session(void)
{
	static RgSession *session = NULL;
	g_autofree char *policy = NULL;
	g_autoptr(RgEnvironment) env = NULL;

	if (session != NULL)
		return session;
	policy = rg_fuzz_write("policy.conf",
	                       (const uint8_t *)rg_fuzz_milter_policy,
	                       sizeof rg_fuzz_milter_policy - 1);
	env = rg_environment_new_empty();
	session = rg_session_new_for_environment(env);
	rg_session_set_policy_file(session, policy);
	g_assert_true(rg_session_load_policy(session, NULL));
	return session;
}

/* what smfi_setreply() gets: one line of ASCII within its limit */
static void
rg_fuzz_milter_reply(RgServerVerdict *v)
{
	const char *text = rg_server_verdict_get_text(v);
	g_autofree char *reply =
	    rg_milter_reply_text(text != NULL ? text : "refused", RG_MILTER_REPLY_MAX);

	g_assert_cmpuint(strlen(reply), <=, RG_MILTER_REPLY_MAX);
	for (const char *p = reply; *p != '\0'; p++)
		g_assert_true(*p >= 0x20 && *p < 0x7f);
}

/* the verdicts of @all with @action */
static GPtrArray *
rg_fuzz_milter_with(GPtrArray *all, RgServerAction action)
{
	GPtrArray *found = g_ptr_array_new();

	for (guint i = 0; i < all->len; i++) {
		if (rg_server_verdict_get_action(g_ptr_array_index(all, i)) == action)
			g_ptr_array_add(found, g_ptr_array_index(all, i));
	}
	return found;
}

static void
rg_fuzz_milter_eom(RgServer *server, const char *sender, GPtrArray *verdicts)
{
	g_autoptr(GPtrArray) held = rg_fuzz_milter_with(verdicts, RG_SERVER_ACTION_HOLD);
	g_autoptr(GPtrArray) tagged = rg_fuzz_milter_with(verdicts, RG_SERVER_ACTION_TAG);

	if (held->len > 0) {
		g_autofree char *reason = rg_milter_quarantine_reason(held);
		g_assert_cmpuint(strlen(reason), <=, RG_MILTER_QUARANTINE_MAX);
	}
	if (tagged->len > 0) {
		g_autofree char *value = rg_milter_tag_value(tagged);
		g_assert_null(strpbrk(value, "\r\n"));
	}
	(void)rg_server_record_message(server, sender, verdicts, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_auto(GStrv) pieces = rg_fuzz_split(data, size, 3 + RG_FUZZ_RCPT_MAX);
	g_autoptr(RgServer) server = NULL;
	g_autoptr(GPtrArray) accepted = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	g_autofree char *from = NULL;
	g_autofree char *sender = NULL;

	rg_fuzz_init();
	if (g_strv_length(pieces) < 3)
		return 0;
	server = rg_server_new(rg_fuzz_milter_session());
	from = rg_milter_envelope_address(pieces[2]);
	sender = rg_server_identify_sender(server,
	                                   pieces[1][0] != '\0' ? pieces[1] : NULL,
	                                   from,
	                                   pieces[0][0] != '\0' ? pieces[0] : NULL);
	if (sender == NULL)
		return 0;
	for (guint i = 3; pieces[i] != NULL; i++) {
		g_autofree char *rcpt = rg_milter_envelope_address(pieces[i]);
		g_autoptr(GPtrArray) all = g_ptr_array_new_null_terminated(0, NULL, TRUE);
		g_autoptr(RgServerVerdict) v = NULL;

		for (guint k = 0; k < accepted->len; k++)
			g_ptr_array_add(all, g_ptr_array_index(accepted, k));
		g_ptr_array_add(all, rcpt);
		v = rg_server_check(server, sender, (const char *const *)all->pdata);
		g_assert_nonnull(v);
		switch (rg_server_verdict_get_action(v)) {
		case RG_SERVER_ACTION_REJECT:
		case RG_SERVER_ACTION_CONFIRM:
		case RG_SERVER_ACTION_TEMPFAIL:
			rg_fuzz_milter_reply(v);
			break;
		default:
			g_ptr_array_add(accepted, g_steal_pointer(&rcpt));
			g_ptr_array_add(verdicts, g_steal_pointer(&v));
			break;
		}
	}
	rg_fuzz_milter_eom(server, sender, verdicts);
	return 0;
}
