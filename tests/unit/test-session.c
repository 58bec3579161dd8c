/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The session: the one flow every front end runs (check, what may be offered, what happens
 * after the decision), in environments of its own. */
#include <glib/gstdio.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-test.h"

/* 2001-02-03T04:05:06Z, in microseconds */
#define FIXED_TIME (G_GINT64_CONSTANT(981173106) * G_USEC_PER_SEC)

typedef struct {
	char *dir;
	RgEnvironment *env;
	char *log;
	GPtrArray *warnings;
} RgWorld;

static void
rg_world_clear(RgWorld *w)
{
	rg_test_remove_tree(w->dir);
	g_clear_pointer(&w->dir, g_free);
	g_clear_pointer(&w->log, g_free);
	g_clear_object(&w->env);
	g_clear_pointer(&w->warnings, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgWorld, rg_world_clear)

static gint64
fixed_clock(gpointer user_data)
{
	return FIXED_TIME;
}

static void
write_file(const char *path, const char *text)
{
	g_autofree char *dir = g_path_get_dirname(path);
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
}

/* A world of its own: a system policy (with @policy_tail after a decision log line), no user
 * settings, a history store, no notmuch, and a clock that always says FIXED_TIME. Nothing of
 * the process environment is used. */
static void
world_init(RgWorld *w, const char *policy_tail)
{
	g_autofree char *etc = NULL;
	g_autofree char *policy = NULL;
	g_autofree char *text = NULL;
	const char *dirs[] = {NULL, NULL};

	w->dir = g_dir_make_tmp("rg-session-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w->dir);
	etc = g_build_filename(w->dir, "etc", NULL);
	w->log = g_build_filename(w->dir, "decisions.log", NULL);
	policy = g_build_filename(etc, "rcptguard", "policy.conf", NULL);
	text = g_strdup_printf(
	    "[policy]\nprotected-domains=army.mil\ndecision-log=%s\n%s", w->log, policy_tail);
	write_file(policy, text);
	w->env = rg_environment_new_empty();
	dirs[0] = etc;
	/* the organisation's policy: what it locks nothing else loosens */
	rg_environment_set_system_dirs(w->env, dirs);
	{
		g_autofree char *data = g_build_filename(w->dir, "data", NULL);
		rg_environment_set_data_home(w->env, data);
	}
	rg_environment_set_clock(w->env, fixed_clock, NULL, NULL);
	/* the built-in knowledge of this build */
	rg_environment_set_data_dir(w->env, g_getenv("RCPTGUARD_DATA_DIR"));
	w->warnings = g_ptr_array_new_with_free_func(g_free);
}

static void
warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	RgWorld *w = user_data;
	g_ptr_array_add(w->warnings, g_strdup(message));
}

static RgSession *
world_session(RgWorld *w)
{
	RgSession *s = rg_session_new_for_environment(w->env);
	g_autoptr(GError) error = NULL;

	g_signal_connect(s, "warning", G_CALLBACK(warning_cb), w);
	ck_assert_msg(rg_session_load(s, &error), "%s", error != NULL ? error->message : "");
	return s;
}

/* how many lines of the decision log have @choice for @address (NULL: any) */
static guint
log_count(RgWorld *w, const char *choice, const char *address)
{
	return rg_test_decision_log_count(w->log, choice, address);
}

static gboolean
is_known(RgSession *s, const char *address)
{
	const char *to[] = {address, NULL};
	g_autoptr(RgReport) report = rg_session_check(s, to, NULL);
	return rg_verdict_get_level(rg_report_get_verdict(report, 0)) == RG_LEVEL_OK;
}

/* the message of the reason @code of @address's verdict, or NULL */
static char *
reason_of(RgSession *s, const char *address, const char *code)
{
	const char *to[] = {address, NULL};
	g_autoptr(RgReport) report = rg_session_check(s, to, NULL);
	GPtrArray *reasons = rg_verdict_get_reasons(rg_report_get_verdict(report, 0));

	for (guint i = 0; i < reasons->len; i++) {
		RgReason *r = g_ptr_array_index(reasons, i);
		if (strcmp(rg_reason_get_code(r), code) == 0)
			return g_strdup(rg_reason_get_message(r));
	}
	return NULL;
}

/* flagged again, and told that it was sent anyway */
static gboolean
flagged_again(RgSession *s, const char *address)
{
	g_autofree char *said = reason_of(s, address, "sent-anyway");
	return !is_known(s, address) && said != NULL;
}

/* ------------------------------------------------------------------ log-only */

START_TEST(test_session_log_only_one_line_per_flagged_recipient)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *to[] = {"gen@army.ml", "x@armyy.mil", "ok@army.mil", NULL};
	g_autofree char *text = NULL;

	world_init(&w, "log-only=true\n");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	ck_assert_ptr_nonnull(report);
	/* nothing to decide: a front end sends straight away */
	ck_assert(!rg_report_needs_decision(report));
	ck_assert(rg_session_apply_decision(s, report, NULL, RG_APPLY_ALL));
	/* a decision given anyway (a host that always passes one) adds nothing either */
	{
		g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
		ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	}
	ck_assert_uint_eq(log_count(&w, NULL, NULL), 2);
	ck_assert_uint_eq(log_count(&w, "log-only", "gen@army.ml"), 1);
	ck_assert_uint_eq(log_count(&w, "log-only", "x@armyy.mil"), 1);
	/* the environment's clock stamps the line */
	ck_assert(g_file_get_contents(w.log, &text, NULL, NULL));
	ck_assert(g_str_has_prefix(text, "2001-02-03T04:05:06Z\t"));
	ck_assert_uint_eq(w.warnings->len, 0);
}
END_TEST

START_TEST(test_session_check_unreadable_and_parsed)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgReport) again = NULL;
	g_autoptr(GPtrArray) parsed = rg_address_list_parse("gen@army.ml", NULL);
	g_autoptr(GError) error = NULL;
	const char *to[] = {"gen@army.ml", "foo", NULL};

	world_init(&w, "log-only=true\n");
	s = world_session(&w);
	/* what is not an address is left out and named; the rest is checked and logged */
	report = rg_session_check(s, to, NULL);
	ck_assert_uint_eq(rg_report_get_n_verdicts(report), 1);
	ck_assert(!rg_report_is_complete(report, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
	ck_assert_ptr_nonnull(strstr(error->message, "“foo”"));
	/* nothing readable at all: sent unchecked, if the front end says so, and nothing is
	 * recorded */
	{
		const char *none[] = {"foo", NULL};
		g_autoptr(RgReport) empty = rg_session_check(s, none, NULL);
		ck_assert_uint_eq(rg_report_get_n_verdicts(empty), 0);
		ck_assert(rg_session_apply_decision(s, empty, NULL, RG_APPLY_ALL));
		ck_assert_uint_eq(w.warnings->len, 0);
	}
	/* addresses read already are checked the same way, log-only included */
	again = rg_session_check_addresses(s, parsed);
	ck_assert(rg_report_is_complete(again, NULL));
	ck_assert_int_eq(rg_report_get_level(again), rg_report_get_level(report));
	ck_assert_uint_eq(log_count(&w, "log-only", "gen@army.ml"), 2);
}
END_TEST

/* ------------------------------------------------------------------ after the decision */

START_TEST(test_session_apply_edit)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_EDIT);
	const char *to[] = {"gen@army.ml", NULL};

	world_init(&w, "");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	ck_assert(rg_report_needs_decision(report));
	ck_assert(!rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert_uint_eq(log_count(&w, "edit", "gen@army.ml"), 1);
	/* nothing was sent, so nothing is remembered */
	ck_assert(!is_known(s, "gen@army.ml"));
}
END_TEST

START_TEST(test_session_apply_send_corrected)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgSession) again = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND_CORRECTED);
	const char *to[] = {"gen@army.ml", "new@example.org", NULL};

	world_init(&w, "");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	rg_decision_add_replacement(d, "gen@army.ml", "gen@army.mil");
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert_uint_eq(log_count(&w, "send-corrected", "gen@army.ml"), 1);
	/* one line per flagged recipient: the first contact was only a notice */
	ck_assert_uint_eq(log_count(&w, NULL, NULL), 1);
	/* what left is remembered, in this session and in the store */
	ck_assert(is_known(s, "new@example.org"));
	again = world_session(&w);
	ck_assert(is_known(again, "new@example.org"));
	ck_assert(is_known(again, "gen@army.mil"));
	ck_assert(!is_known(again, "gen@army.ml"));
}
END_TEST

START_TEST(test_session_apply_trust)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgSession) again = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
	const char *to[] = {"partner@armyy.mil", NULL};

	world_init(&w, "");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	ck_assert(rg_report_needs_decision(report));
	rg_decision_add_trusted(d, "partner@armyy.mil");
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert_uint_eq(log_count(&w, "send", "partner@armyy.mil"), 1);
	again = world_session(&w);
	ck_assert(is_known(again, "partner@armyy.mil"));
	ck_assert_uint_eq(w.warnings->len, 0);
}
END_TEST

START_TEST(test_session_apply_trust_refused_is_a_warning)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
	const char *to[] = {"partner@armyy.mil", NULL};

	world_init(&w, "allow-trust=false\n");
	s = world_session(&w);
	ck_assert(!(rg_session_get_ask_flags(s) & RG_ASK_FLAG_ALLOW_TRUST));
	report = rg_session_check(s, to, NULL);
	rg_decision_add_trusted(d, "partner@armyy.mil");
	/* the message still goes out as decided; the refusal is said */
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert_uint_eq(w.warnings->len, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(w.warnings, 0), "partner@armyy.mil"));
}
END_TEST

START_TEST(test_session_apply_steps_apart)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
	const char *to[] = {"gen@army.ml", NULL};

	world_init(&w, "");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	/* a sendmail wrapper: trust and log first, record once the message left */
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_TRUST | RG_APPLY_LOG));
	ck_assert_uint_eq(log_count(&w, "send", "gen@army.ml"), 1);
	ck_assert(!flagged_again(s, "gen@army.ml"));
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_RECORD));
	ck_assert_uint_eq(log_count(&w, NULL, NULL), 1);
	/* recorded, as sent anyway: the next message warns again */
	ck_assert(flagged_again(s, "gen@army.ml"));
}
END_TEST

START_TEST(test_session_apply_log_unwritable_is_a_warning)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
	const char *to[] = {"gen@army.ml", NULL};

	world_init(&w, "");
	/* a directory where the log should be */
	ck_assert_int_eq(g_mkdir_with_parents(w.log, 0700), 0);
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert_uint_eq(w.warnings->len, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(w.warnings, 0), w.log));
	/* the recipients are recorded all the same */
	ck_assert(flagged_again(s, "gen@army.ml"));
}
END_TEST

/* Send Anyway at warn: recorded, but the next message warns again, in this session and the
 * next, and says when it was sent anyway; only trust silences it */
START_TEST(test_session_send_anyway_warns_again)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgSession) again = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgDecision) d = rg_decision_new(RG_DECISION_SEND);
	g_autoptr(RgDecision) trust = rg_decision_new(RG_DECISION_SEND);
	g_autofree char *said = NULL;
	const char *to[] = {"gen@army.ml", "new@example.org", NULL};

	world_init(&w, "");
	s = world_session(&w);
	report = rg_session_check(s, to, NULL);
	ck_assert_int_eq(rg_verdict_get_level(rg_report_get_verdict(report, 0)), RG_LEVEL_WARN);
	ck_assert(rg_session_apply_decision(s, report, d, RG_APPLY_ALL));
	ck_assert(flagged_again(s, "gen@army.ml"));
	/* the clock says 2001-02-03 */
	said = reason_of(s, "gen@army.ml", "sent-anyway");
	ck_assert_str_eq(said,
	                 "You sent to this address anyway on 3 February; that does not make "
	                 "it right.");
	/* the notice-level recipient beside it: recorded as written to, quiet from now on */
	ck_assert(is_known(s, "new@example.org"));
	/* a colleague at the domain sent anyway to is no first contact, but still a typo */
	ck_assert(!is_known(s, "other@army.ml"));
	ck_assert_ptr_null(reason_of(s, "other@army.ml", "first-contact"));

	/* the store keeps it */
	again = world_session(&w);
	ck_assert(flagged_again(again, "gen@army.ml"));
	ck_assert(is_known(again, "new@example.org"));

	/* trust silences it */
	g_clear_object(&report);
	report = rg_session_check(again, to, NULL);
	rg_decision_add_trusted(trust, "gen@army.ml");
	ck_assert(rg_session_apply_decision(again, report, trust, RG_APPLY_ALL));
	ck_assert(is_known(again, "gen@army.ml"));
}
END_TEST

/* a session whose data dir has no built-in knowledge still checks, and says what it misses */
START_TEST(test_session_without_knowledge)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) s = rg_session_new_for_environment(env);
	g_autofree char *dir = g_dir_make_tmp("rg-session-XXXXXX", NULL);
	g_autoptr(RgReport) report = NULL;
	const char *to[] = {"alice@hotmial.com", NULL};
	GPtrArray *notices;

	rg_environment_set_data_dir(env, dir);
	ck_assert(rg_session_load(s, NULL));
	notices = rg_session_get_notices(s);
	ck_assert_uint_eq(notices->len, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 0), "built-in knowledge"));
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 0), dir));
	report = rg_session_check(s, to, NULL);
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_NOTICE);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_session_decide_unattended)
{
	const struct {
		const char *policy;
		const char *to;
		RgDecisionKind kind;
	} cases[] = {
	    /* a warning goes out; the front end logs it */
	    {"", "gen@army.ml", RG_DECISION_SEND},
	    /* a block stops, since asking cannot happen */
	    {"blocked-domains=.ml\n", "gen@army.ml", RG_DECISION_EDIT},
	    {"blocked-domains=.ml\non-error=block\n", "gen@army.ml", RG_DECISION_EDIT},
	    /* unless failures are to be let through */
	    {"blocked-domains=.ml\non-error=allow\n", "gen@army.ml", RG_DECISION_SEND},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(RgWorld) w = {0};
		g_autoptr(RgSession) s = NULL;
		g_autoptr(RgReport) report = NULL;
		g_autoptr(RgDecision) d = NULL;
		const char *to[] = {cases[i].to, NULL};

		world_init(&w, cases[i].policy);
		s = world_session(&w);
		report = rg_session_check(s, to, NULL);
		ck_assert(rg_report_needs_decision(report));
		d = rg_session_decide_unattended(s, report);
		ck_assert_msg(rg_decision_get_kind(d) == cases[i].kind,
		              "%s: %s",
		              cases[i].policy,
		              rg_decision_kind_to_string(rg_decision_get_kind(d)));
	}
}
END_TEST

START_TEST(test_session_ask_flags)
{
	const struct {
		const char *policy;
		RgAskFlags flags;
	} cases[] = {
	    {"", RG_ASK_FLAG_ALLOW_TRUST},
	    {"allow-override=true\n", RG_ASK_FLAG_ALLOW_TRUST | RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE},
	    {"allow-trust=false\n", RG_ASK_FLAG_NONE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(RgWorld) w = {0};
		g_autoptr(RgSession) s = NULL;
		world_init(&w, cases[i].policy);
		s = world_session(&w);
		ck_assert_int_eq(rg_session_get_ask_flags(s), cases[i].flags);
	}
}
END_TEST

/* ------------------------------------------------------------------ environments */

START_TEST(test_session_environments_side_by_side)
{
	g_auto(RgWorld) a = {0};
	g_auto(RgWorld) b = {0};
	g_autoptr(RgSession) sa = NULL;
	g_autoptr(RgSession) sb = NULL;
	g_autoptr(RgSession) sa2 = NULL;
	g_autoptr(RgSession) sb2 = NULL;
	const char *to[] = {"friend@example.org", NULL};

	world_init(&a, "");
	world_init(&b, "enabled=false\n");
	sa = world_session(&a);
	sb = world_session(&b);
	/* each reads its own policy */
	ck_assert(rg_session_get_enabled(sa));
	ck_assert(!rg_session_get_enabled(sb));
	/* and writes its own store */
	ck_assert(rg_session_record_sent(sa, to, NULL));
	sa2 = world_session(&a);
	sb2 = world_session(&b);
	ck_assert_uint_eq(rg_session_get_n_known_addresses(sa2), 1);
	ck_assert_uint_eq(rg_session_get_n_known_addresses(sb2), 0);
	{
		RgHistoryStats stats = {0};
		ck_assert(rg_session_get_history_stats(sa2, &stats, NULL));
		ck_assert_uint_eq(stats.n_addresses, 1);
		ck_assert(rg_session_get_history_stats(sb2, &stats, NULL));
		ck_assert_uint_eq(stats.n_addresses, 0);
	}
}
END_TEST

START_TEST(test_session_environment_defaults)
{
	g_autoptr(RgEnvironment) env = rg_environment_new();
	g_autoptr(RgEnvironment) empty = rg_environment_new_empty();
	const char *const *dirs = rg_environment_get_config_dirs(env);
	const char *const *system = rg_environment_get_system_dirs(env);
	g_autofree char *store = rg_environment_get_store_path(env);
	g_autofree char *settings = rg_environment_get_settings_path(env);
	g_autofree char *want_store =
	    g_build_filename(g_getenv("XDG_DATA_HOME"), "rcptguard", "history.db", NULL);
	g_autofree char *want_settings =
	    g_build_filename(g_getenv("XDG_CONFIG_HOME"), "rcptguard", "settings.conf", NULL);

	/* the XDG defaults of this process (tests/meson.build sets the variables) */
	ck_assert_str_eq(store, want_store);
	ck_assert_str_eq(settings, want_settings);
	ck_assert_str_eq(dirs[0], g_getenv("XDG_CONFIG_DIRS"));
	ck_assert_ptr_null(dirs[1]);
	/* the trusted system policy: /etc/xdg, whatever the environment says */
	ck_assert_str_eq(system[0], "/etc/xdg");
	ck_assert_str_eq(rg_environment_get_home(env), g_getenv("HOME"));
	ck_assert_ptr_null(rg_environment_get_notmuch_config(env));
	ck_assert_str_eq(rg_environment_get_data_dir(env), g_getenv("RCPTGUARD_DATA_DIR"));
	/* and one that reaches nothing of the user's */
	ck_assert_ptr_null(rg_environment_get_config_home(empty));
	ck_assert_ptr_null(rg_environment_get_data_home(empty));
	ck_assert_ptr_null(rg_environment_get_home(empty));
	ck_assert_str_eq(rg_environment_get_notmuch_config(empty), "");
	ck_assert_uint_eq(g_strv_length((char **)rg_environment_get_config_dirs(empty)), 0);
	ck_assert_uint_eq(g_strv_length((char **)rg_environment_get_system_dirs(empty)), 0);
	ck_assert_ptr_nonnull(rg_environment_get_data_dir(empty));
	/* its clock is the real one until told otherwise */
	ck_assert_int_ge(rg_environment_get_real_time(empty),
	                 G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC);
	rg_environment_set_clock(empty, fixed_clock, NULL, NULL);
	ck_assert_int_eq(rg_environment_get_real_time(empty), FIXED_TIME);
}
END_TEST

START_TEST(test_session_empty_environment)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) s = rg_session_new_for_environment(env);
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *settings = NULL;
	const char *to[] = {"gen@example.org", NULL};

	/* no files at all: no settings, a store in memory, the built-in policy; only the data
	 * files of this build */
	rg_environment_set_data_dir(env, g_getenv("RCPTGUARD_DATA_DIR"));
	settings = rg_session_get_settings_file(s);
	ck_assert_ptr_null(settings);
	ck_assert(rg_session_load(s, &error));
	ck_assert_uint_eq(rg_session_get_notices(s)->len, 0);
	ck_assert_uint_eq(rg_session_get_policy_problems(s)->len, 0);
	report = rg_session_check(s, to, NULL);
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_NOTICE);
	ck_assert(rg_session_record_sent(s, to, NULL));
	ck_assert(is_known(s, "gen@example.org"));
}
END_TEST

START_TEST(test_session_clock_stamps_the_store)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autofree char *db = NULL;
	const char *to[] = {"friend@example.org", NULL};

	world_init(&w, "");
	s = world_session(&w);
	ck_assert(rg_session_record_sent(s, to, NULL));
	db = g_build_filename(w.dir, "data", "rcptguard", "history.db", NULL);
	store = rg_store_open(db, NULL);
	ck_assert_ptr_nonnull(store);
	ck_assert(rg_store_export(store, out, NULL));
	ck_assert(g_output_stream_write_all(out, "", 1, NULL, NULL, NULL));
	ck_assert(g_output_stream_close(out, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(out)),
	                             "2001-02-03T04:05:06"));
}
END_TEST

START_TEST(test_session_settings_through_the_session)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgSession) again = NULL;
	g_autofree char *config = NULL;
	g_autofree char *value = NULL;
	const char *origin = NULL;
	const char *locked = NULL;

	world_init(&w, "locked-keys=allow-override\n");
	config = g_build_filename(w.dir, "config", NULL);
	rg_environment_set_config_home(w.env, config);
	s = world_session(&w);
	ck_assert(g_strv_contains(rg_session_list_settings(), "enabled"));
	ck_assert(rg_session_set_setting(s, "enabled", "false", NULL));
	/* this session reads its policy again, and so does a new one */
	ck_assert(!rg_session_get_enabled(s));
	again = world_session(&w);
	ck_assert(!rg_session_get_enabled(again));
	value = rg_session_get_setting(again, "enabled", &origin, &locked);
	ck_assert_str_eq(value, "false");
	ck_assert(g_str_has_prefix(origin, config));
	ck_assert_ptr_null(locked);
	ck_assert_ptr_nonnull(rg_session_get_locked_by(again, "allow-override"));
	ck_assert(!rg_session_set_setting(again, "allow-override", "true", NULL));
}
END_TEST

/* the dialog helper: a stand-in that records its arguments and answers as
 * rcptguard-dialog does; the real one is run under Xvfb by the ui and e2e suites */
static char *
fake_helper(RgWorld *w, const char *answer, int status)
{
	g_autofree char *path = g_build_filename(w->dir, "helper.sh", NULL);
	g_autofree char *args = g_build_filename(w->dir, "helper.args", NULL);
	g_autofree char *script = g_strdup_printf(
	    "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '%s'\necho 'a notice'\n"
	    "echo '%s'\necho 'it said no' >&2\nexit %d\n",
	    args,
	    answer,
	    status);
	write_file(path, script);
	ck_assert_int_eq(g_chmod(path, 0755), 0);
	rg_environment_set_dialog_helper(w->env, path);
	return g_steal_pointer(&args);
}

START_TEST(test_session_ask_dialog_helper)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgDecision) d = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *args = NULL;
	g_autofree char *got = NULL;
	g_autofree char *known = NULL;
	g_autofree char *want = NULL;
	const char *rcpt[] = {"gen.smith@army.ml", "-odd@army.mil", NULL};

	world_init(&w, "");
	args =
	    fake_helper(&w,
	                "{\"decision\":\"send-corrected\",\"replacements\":{\"gen.smith@army.ml\":"
	                "\"gen.smith@army.mil\"},\"trusted\":[]}",
	                0);
	known = g_build_filename(w.dir, "known.txt", NULL);
	write_file(known, "col.jones@army.mil\n");
	s = rg_session_new_for_environment(w.env);
	rg_session_set_policy_file(s, "/p.conf");
	rg_session_add_known_file(s, known);
	rg_session_add_identity(s, "me@example.org");
	d = rg_session_ask_dialog_helper(s, rcpt, NULL, &error);
	ck_assert_msg(d != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_int_eq(rg_decision_get_kind(d), RG_DECISION_SEND_CORRECTED);
	ck_assert_str_eq(g_hash_table_lookup(rg_decision_get_replacements(d), "gen.smith@army.ml"),
	                 "gen.smith@army.mil");
	/* the session's own sources, then the recipients after "--" */
	ck_assert(g_file_get_contents(args, &got, NULL, NULL));
	want = g_strdup_printf("--policy\n/p.conf\n--known\n%s\n--identity\nme@example.org\n--\n"
	                       "gen.smith@army.ml\n-odd@army.mil\n",
	                       known);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_session_ask_dialog_helper_fails)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) missing = NULL;
	g_autofree char *args = NULL;
	const char *rcpt[] = {"gen.smith@army.ml", NULL};

	world_init(&w, "");
	/* no display: the helper's exit 2 and its words */
	args = fake_helper(&w, "", 2);
	s = rg_session_new_for_environment(w.env);
	ck_assert_ptr_null(rg_session_ask_dialog_helper(s, rcpt, NULL, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_FAILED));
	ck_assert_ptr_nonnull(strstr(error->message, "it said no"));
	/* none installed */
	rg_environment_set_dialog_helper(w.env, "/nonexistent/rcptguard-dialog");
	ck_assert_ptr_null(rg_session_ask_dialog_helper(s, rcpt, NULL, &missing));
	ck_assert(g_error_matches(missing, RG_ERROR, RG_ERROR_NOT_SUPPORTED));
}
END_TEST

static Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("log-only");
	tcase_add_test(tc, test_session_log_only_one_line_per_flagged_recipient);
	tcase_add_test(tc, test_session_check_unreadable_and_parsed);
	suite_add_tcase(s, tc);
	tc = tcase_create("decision");
	tcase_add_test(tc, test_session_apply_edit);
	tcase_add_test(tc, test_session_apply_send_corrected);
	tcase_add_test(tc, test_session_apply_trust);
	tcase_add_test(tc, test_session_apply_trust_refused_is_a_warning);
	tcase_add_test(tc, test_session_apply_steps_apart);
	tcase_add_test(tc, test_session_send_anyway_warns_again);
	tcase_add_test(tc, test_session_apply_log_unwritable_is_a_warning);
	tcase_add_test(tc, test_session_decide_unattended);
	tcase_add_test(tc, test_session_ask_flags);
	tcase_add_test(tc, test_session_ask_dialog_helper);
	tcase_add_test(tc, test_session_ask_dialog_helper_fails);
	suite_add_tcase(s, tc);
	tc = tcase_create("environment");
	tcase_add_test(tc, test_session_environments_side_by_side);
	tcase_add_test(tc, test_session_environment_defaults);
	tcase_add_test(tc, test_session_empty_environment);
	tcase_add_test(tc, test_session_without_knowledge);
	tcase_add_test(tc, test_session_clock_stamps_the_store);
	tcase_add_test(tc, test_session_settings_through_the_session);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(session_suite());
}
