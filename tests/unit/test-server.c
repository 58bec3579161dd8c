/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mail server's judgement (RgServer): who the sender is, the action per level, the
 * confirmation by sending again, what a sent message teaches, the store's bounds, and what
 * happens when the store or an address cannot be used. A real SQLite file in a temporary
 * directory, a clock the test moves. */
#include <glib/gstdio.h>
#include <string.h>

#include "rcptguard.h"
#include "rg-test.h"

/* 2001-02-03T04:05:06Z, in microseconds */
#define T0 (G_GINT64_CONSTANT(981173106) * G_USEC_PER_SEC)
#define MINUTES(n) ((gint64)(n)*60 * G_USEC_PER_SEC)

/* clang-format off */
#define ARMY_ML_WHY \
	"gen.smith@army.ml: “.ml” is the country domain of Mali, one letter away from “.mil”; " \
	"army.mil is protected by your organization's policy. Did you mean gen.smith@army.mil?"
/* clang-format on */

typedef struct {
	char *dir;
	char *store;
	char *log;
	gint64 now;
	RgEnvironment *env;
	RgSession *session;
	GPtrArray *warnings;
} RgWorld;

static void
rg_world_clear(RgWorld *w)
{
	g_clear_object(&w->session);
	g_clear_object(&w->env);
	rg_test_remove_tree(w->dir);
	g_clear_pointer(&w->dir, g_free);
	g_clear_pointer(&w->store, g_free);
	g_clear_pointer(&w->log, g_free);
	g_clear_pointer(&w->warnings, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgWorld, rg_world_clear)

static gint64
world_clock(gpointer user_data)
{
	RgWorld *w = user_data;
	return w->now;
}

static void
warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	RgWorld *w = user_data;
	g_ptr_array_add(w->warnings, g_strdup(message));
}

/* a system policy of "protected-domains=army.mil", a decision log and @policy_tail; the
 * store in the world's directory; the world's clock */
static void
world_init(RgWorld *w, const char *policy_tail)
{
	g_autofree char *etc = NULL;
	g_autofree char *policy = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	const char *dirs[] = {NULL, NULL};

	w->dir = g_dir_make_tmp("rg-server-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w->dir);
	w->store = g_build_filename(w->dir, "senders.db", NULL);
	w->log = g_build_filename(w->dir, "decisions.log", NULL);
	etc = g_build_filename(w->dir, "etc", NULL);
	policy = g_build_filename(etc, "rcptguard", "policy.conf", NULL);
	text = g_strdup_printf(
	    "[policy]\nprotected-domains=army.mil\ndecision-log=%s\n%s", w->log, policy_tail);
	{
		g_autofree char *d = g_path_get_dirname(policy);
		ck_assert_int_eq(g_mkdir_with_parents(d, 0700), 0);
	}
	ck_assert(g_file_set_contents(policy, text, -1, NULL));
	w->now = T0;
	w->env = rg_environment_new_empty();
	dirs[0] = etc;
	rg_environment_set_system_dirs(w->env, dirs);
	rg_environment_set_clock(w->env, world_clock, w, NULL);
	w->session = rg_session_new_for_environment(w->env);
	w->warnings = g_ptr_array_new_with_free_func(g_free);
	g_signal_connect(w->session, "warning", G_CALLBACK(warning_cb), w);
	ck_assert_msg(rg_session_load_policy(w->session, &error), "%s", error->message);
	ck_assert_uint_eq(rg_session_get_policy_problems(w->session)->len, 0);
}

/* a server on the world's store file, as a restarted milter would have */
static RgServer *
world_server(RgWorld *w)
{
	g_autoptr(GError) error = NULL;
	RgServer *server = rg_server_new(w->session);
	ck_assert_msg(rg_server_open_store(server, w->store, &error), "%s", error->message);
	return server;
}

/* judges @rcpt for @sender as the only recipient so far */
static RgServerVerdict *
check_one(RgServer *server, const char *sender, const char *rcpt)
{
	const char *to[] = {rcpt, NULL};
	RgServerVerdict *v = rg_server_check(server, sender, to);
	ck_assert_ptr_nonnull(v);
	return v;
}

static RgServerAction
action_of(RgServer *server, const char *sender, const char *rcpt)
{
	g_autoptr(RgServerVerdict) v = check_one(server, sender, rcpt);
	return rg_server_verdict_get_action(v);
}

/* a message from @sender to @rcpts that went out: judged, then recorded */
static void
send_message(RgServer *server, const char *sender, const char *const *rcpts)
{
	g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) so_far = g_ptr_array_new_null_terminated(0, NULL, TRUE);
	g_autoptr(GError) error = NULL;

	for (guint i = 0; rcpts[i] != NULL; i++) {
		RgServerVerdict *v;
		g_ptr_array_add(so_far, (gpointer)rcpts[i]);
		v = rg_server_check(server, sender, (const char *const *)so_far->pdata);
		if (rg_server_verdict_get_action(v) > RG_SERVER_ACTION_HOLD) {
			g_ptr_array_remove_index(so_far, so_far->len - 1);
			g_object_unref(v);
			continue;
		}
		g_ptr_array_add(verdicts, v);
	}
	ck_assert_msg(rg_server_record_message(server, sender, verdicts, &error),
	              "%s",
	              error != NULL ? error->message : "");
}

/* the decision log's lines with @choice for @address; each has the sender as field 6 */
static guint
log_count(RgWorld *w, const char *choice, const char *address, const char *sender)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	guint n = 0;

	if (!g_file_get_contents(w->log, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = NULL;
		if (lines[i][0] == '\0')
			continue;
		f = g_strsplit(lines[i], "\t", -1);
		ck_assert_msg(
		    g_strv_length(f) == 6, "not a server decision-log line: %s", lines[i]);
		if (strcmp(f[1], choice) == 0 && strcmp(f[3], address) == 0 &&
		    strcmp(f[5], sender) == 0)
			n++;
	}
	return n;
}

/* ------------------------------------------------------------------ the sender */

START_TEST(test_server_identify_sender)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	struct {
		const char *auth, *from, *client, *want;
	} rows[] = {
	    /* the login name wins, whoever the envelope names and wherever the client is */
	    {"alice", "<someone@example.org>", "203.0.113.9", "alice"},
	    {" alice ", NULL, NULL, "alice"},
	    /* no login: the envelope sender, from a trusted network or a local submission */
	    {NULL, "<Bob@Example.ORG>", "127.0.0.1", "bob@example.org"},
	    {"", "bob@example.org", "::1", "bob@example.org"},
	    {NULL, "<bob@example.org>", "::ffff:127.0.0.1", "bob@example.org"},
	    {NULL, "<bob@example.org>", NULL, "bob@example.org"},
	    /* anyone else is not judged: mail from the Internet, bounces, nonsense */
	    {NULL, "<bob@example.org>", "203.0.113.9", NULL},
	    {NULL, "<bob@example.org>", "unknown", NULL},
	    {NULL, "<>", "127.0.0.1", NULL},
	    {NULL, "", NULL, NULL},
	    {NULL, "<not an address>", "127.0.0.1", NULL},
	    {NULL, NULL, "127.0.0.1", NULL},
	};

	world_init(&w, "");
	server = world_server(&w);
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got =
		    rg_server_identify_sender(server, rows[i].auth, rows[i].from, rows[i].client);
		ck_assert_msg(g_strcmp0(got, rows[i].want) == 0,
		              "row %u: %s, want %s",
		              i,
		              got != NULL ? got : "(null)",
		              rows[i].want != NULL ? rows[i].want : "(null)");
	}
}
END_TEST

START_TEST(test_server_trusted_networks_from_policy)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autofree char *inside = NULL;
	g_autofree char *loopback = NULL;

	world_init(&w, "server-trusted-networks=192.0.2.0/24;2001:db8::/32\n");
	server = world_server(&w);
	inside = rg_server_identify_sender(server, NULL, "<a@example.org>", "192.0.2.7");
	ck_assert_str_eq(inside, "a@example.org");
	g_free(inside);
	inside = rg_server_identify_sender(server, NULL, "<a@example.org>", "2001:db8::25");
	ck_assert_str_eq(inside, "a@example.org");
	/* the list replaces the default one */
	loopback = rg_server_identify_sender(server, NULL, "<a@example.org>", "127.0.0.1");
	ck_assert_ptr_null(loopback);
}
END_TEST

/* ------------------------------------------------------------------ actions */

START_TEST(test_server_reject_says_why_and_the_fix)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) v = NULL;
	g_autoptr(RgServerVerdict) known = NULL;

	world_init(&w, "level-tld-typo=block\n");
	server = world_server(&w);
	v = check_one(server, "alice", "<gen.smith@army.ml>");
	ck_assert_int_eq(rg_server_verdict_get_action(v), RG_SERVER_ACTION_REJECT);
	ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_BLOCK);
	ck_assert_str_eq(rg_server_verdict_get_codes(v), "tld-typo");
	ck_assert_str_eq(rg_server_verdict_get_text(v), ARMY_ML_WHY);
	ck_assert_ptr_null(rg_server_verdict_get_error(v));
	ck_assert_str_eq(rg_verdict_get_suggestion(rg_server_verdict_get_verdict(v)),
	                 "gen.smith@army.mil");
	/* the policy's own domain goes through without a word */
	known = check_one(server, "alice", "john@army.mil");
	ck_assert_int_eq(rg_server_verdict_get_action(known), RG_SERVER_ACTION_ACCEPT);
	ck_assert_ptr_null(rg_server_verdict_get_text(known));
	/* the decision log names the sender */
	ck_assert_uint_eq(log_count(&w, "reject", "gen.smith@army.ml", "alice"), 1);
	ck_assert_uint_eq(w.warnings->len, 0);
}
END_TEST

/* what each server-action-warn value does with a recipient at warn */
START_TEST(test_server_actions_per_level)
{
	struct {
		const char *policy;
		RgServerAction want;
	} rows[] = {
	    {"", RG_SERVER_ACTION_CONFIRM}, /* the default */
	    {"server-action-warn=reject\n", RG_SERVER_ACTION_REJECT},
	    {"server-action-warn=hold\n", RG_SERVER_ACTION_HOLD},
	    {"server-action-warn=tag\n", RG_SERVER_ACTION_TAG},
	    {"server-action-warn=log\n", RG_SERVER_ACTION_LOG},
	    {"server-action-warn=accept\n", RG_SERVER_ACTION_ACCEPT},
	    /* block has its own key, reject by default */
	    {"level-tld-typo=block\n", RG_SERVER_ACTION_REJECT},
	    {"level-tld-typo=block\nserver-action-block=hold\n", RG_SERVER_ACTION_HOLD},
	    /* a trial: nothing more than a line in the log */
	    {"log-only=true\nlevel-tld-typo=block\n", RG_SERVER_ACTION_LOG},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_auto(RgWorld) w = {0};
		g_autoptr(RgServer) server = NULL;
		world_init(&w, rows[i].policy);
		server = world_server(&w);
		ck_assert_msg(action_of(server, "alice", "gen.smith@army.ml") == rows[i].want,
		              "row %u (%s): %s",
		              i,
		              rows[i].policy,
		              rg_server_action_to_string(action_of(server, "alice", "x@army.ml")));
	}
}
END_TEST

START_TEST(test_server_notice_level)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) v = NULL;

	/* a first contact is only a notice: let through by default */
	world_init(&w, "");
	server = world_server(&w);
	v = check_one(server, "alice", "bob@example.com");
	ck_assert_int_eq(rg_server_verdict_get_action(v), RG_SERVER_ACTION_ACCEPT);
	ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_NOTICE);
	ck_assert_str_eq(rg_server_verdict_get_codes(v), "first-contact");
	ck_assert_uint_eq(log_count(&w, "log", "bob@example.com", "alice"), 0);
	g_clear_object(&server);
	rg_world_clear(&w);

	world_init(&w, "server-action-notice=log\n");
	server = world_server(&w);
	ck_assert_int_eq(action_of(server, "alice", "bob@example.com"), RG_SERVER_ACTION_LOG);
	ck_assert_uint_eq(log_count(&w, "log", "bob@example.com", "alice"), 1);
}
END_TEST

START_TEST(test_server_log_only)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) v = NULL;

	world_init(&w, "log-only=true\n");
	server = world_server(&w);
	v = check_one(server, "alice", "gen.smith@army.ml");
	ck_assert_int_eq(rg_server_verdict_get_action(v), RG_SERVER_ACTION_LOG);
	/* the level the reasons give, not the lowered one */
	ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_WARN);
	ck_assert_uint_eq(log_count(&w, "log-only", "gen.smith@army.ml", "alice"), 1);
}
END_TEST

START_TEST(test_server_rest_of_the_message)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) alone = NULL;
	g_autoptr(RgServerVerdict) with = NULL;
	const char *message[] = {"a@contoso.com", "b@contosso.com", NULL};

	world_init(&w, "");
	server = world_server(&w);
	alone = check_one(server, "alice", "b@contosso.com");
	ck_assert_str_eq(rg_server_verdict_get_codes(alone), "first-contact");
	/* the recipients before it are the rest of its message */
	with = rg_server_check(server, "alice", message);
	ck_assert_str_eq(rg_server_verdict_get_address(with), "b@contosso.com");
	ck_assert_ptr_nonnull(strstr(rg_server_verdict_get_codes(with), "same-message"));
}
END_TEST

/* ------------------------------------------------------------------ confirm */

START_TEST(test_server_confirm_by_sending_again)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) first = NULL;
	g_autoptr(RgServerVerdict) again = NULL;

	world_init(&w, "");
	server = world_server(&w);
	first = check_one(server, "alice", "gen.smith@army.ml");
	ck_assert_int_eq(rg_server_verdict_get_action(first), RG_SERVER_ACTION_CONFIRM);
	ck_assert_str_eq(rg_server_verdict_get_text(first),
	                 ARMY_ML_WHY " If the address is right, send the message again within 30 "
	                             "minutes.");
	/* another sender's attempt confirms nothing for alice, nor the other way round */
	ck_assert_int_eq(action_of(server, "bob", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
	w.now += MINUTES(29);
	again = check_one(server, "alice", "gen.smith@army.ml");
	ck_assert_int_eq(rg_server_verdict_get_action(again), RG_SERVER_ACTION_ACCEPT);
	ck_assert(rg_server_verdict_get_confirmed(again));
	ck_assert_ptr_nonnull(rg_server_verdict_get_text(again));
	ck_assert_uint_eq(log_count(&w, "confirm", "gen.smith@army.ml", "alice"), 1);
	ck_assert_uint_eq(log_count(&w, "confirmed", "gen.smith@army.ml", "alice"), 1);
	/* too late: bob's attempt was 29 minutes and more ago, his window closed */
	w.now += MINUTES(2);
	ck_assert_int_eq(action_of(server, "bob", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
	/* and that late attempt is the new first one */
	w.now += MINUTES(1);
	ck_assert_int_eq(action_of(server, "bob", "gen.smith@army.ml"), RG_SERVER_ACTION_ACCEPT);
}
END_TEST

START_TEST(test_server_confirm_survives_a_restart)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServerVerdict) again = NULL;

	world_init(&w, "server-confirm-minutes=5\n");
	server = world_server(&w);
	ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
	g_clear_object(&server);
	w.now += MINUTES(4);
	server = world_server(&w);
	again = check_one(server, "alice", "gen.smith@army.ml");
	ck_assert_int_eq(rg_server_verdict_get_action(again), RG_SERVER_ACTION_ACCEPT);
	ck_assert(rg_server_verdict_get_confirmed(again));
}
END_TEST

/* ------------------------------------------------------------------ learning */

START_TEST(test_server_learns_from_sent_mail)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(RgServer) restarted = NULL;
	const char *first[] = {"bob@example.com", "carol@example.net", NULL};
	const char *confirmed[] = {"gen.smith@army.ml", NULL};
	RgServerStats stats = {0};
	g_autoptr(GError) error = NULL;

	world_init(&w, "");
	server = world_server(&w);
	send_message(server, "alice", first);
	/* what alice sent to is known to her, not to others */
	{
		g_autoptr(RgServerVerdict) v = check_one(server, "alice", "bob@example.com");
		ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
	{
		g_autoptr(RgServerVerdict) v = check_one(server, "dave", "bob@example.com");
		ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_NOTICE);
	}
	/* confirmed: the message goes, but a confirmation is not trust (as Send Anyway is not):
	 * once the confirmation window is over, the look-alike of a protected domain is asked about
	 * again, and its domain vouches for nobody else */
	ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
	send_message(server, "alice", confirmed);
	w.now += MINUTES(60);
	ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
	ck_assert_int_eq(action_of(server, "alice", "other@army.ml"), RG_SERVER_ACTION_CONFIRM);
	/* all of it goes to the store a moment later, by itself: another server sees it */
	restarted = world_server(&w);
	for (guint i = 0; i < 100; i++) {
		ck_assert(rg_server_get_stats(restarted, &stats, &error));
		if (stats.n_addresses == 3)
			break;
		g_usleep(20 * 1000);
	}
	ck_assert_uint_eq(stats.n_addresses, 3);
	ck_assert(rg_server_flush(server, &error));
	/* a restart knows it */
	g_clear_object(&restarted);
	restarted = world_server(&w);
	{
		g_autoptr(RgServerVerdict) v = check_one(restarted, "alice", "carol@example.net");
		ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
	ck_assert_int_eq(action_of(restarted, "alice", "gen.smith@army.ml"),
	                 RG_SERVER_ACTION_ACCEPT);
	ck_assert(rg_server_get_stats(restarted, &stats, &error));
	ck_assert_uint_eq(stats.n_senders, 1);
	ck_assert_uint_eq(stats.n_addresses, 3);
}
END_TEST

START_TEST(test_server_held_message_teaches_nothing)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	const char *rcpts[] = {"bob@example.com", "gen.smith@army.ml", NULL};
	RgServerStats stats = {0};

	world_init(&w, "server-action-warn=hold\n");
	server = world_server(&w);
	send_message(server, "alice", rcpts);
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 0);
	ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"), RG_SERVER_ACTION_HOLD);
}
END_TEST

START_TEST(test_server_record_sent_seeds_a_history)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	g_autoptr(GError) error = NULL;
	const char *good[] = {"Bob@Example.COM", "carol@example.net", NULL};
	const char *bad[] = {"dave@example.org", "not an address", NULL};
	RgServerStats stats = {0};

	world_init(&w, "");
	server = world_server(&w);
	ck_assert(rg_server_record_sent(server, "alice", good, &error));
	/* all or nothing */
	ck_assert(!rg_server_record_sent(server, "alice", bad, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 2);
	{
		g_autoptr(RgServerVerdict) v = check_one(server, "alice", "bob@example.com");
		ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
}
END_TEST

START_TEST(test_server_history_is_bounded)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	RgServerStats stats = {0};

	world_init(&w, "server-history-size=10\n");
	server = world_server(&w);
	for (guint i = 0; i < 15; i++) {
		g_autofree char *a = g_strdup_printf("p%u@example%u.com", i, i);
		const char *one[] = {a, NULL};
		w.now += MINUTES(1);
		ck_assert(rg_server_record_sent(server, "alice", one, NULL));
	}
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 10);
	/* the ones seen last stay, the oldest went */
	{
		g_autoptr(RgServerVerdict) v = check_one(server, "alice", "p14@example14.com");
		ck_assert_int_eq(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
	{
		/* no longer known (it even looks like the ones that are) */
		g_autoptr(RgServerVerdict) v = check_one(server, "alice", "p0@example0.com");
		ck_assert_int_gt(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
}
END_TEST

START_TEST(test_server_retention)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	const char *old[] = {"bob@example.com", NULL};
	const char *recent[] = {"carol@example.net", NULL};
	RgServerStats stats = {0};
	g_autoptr(GError) error = NULL;

	world_init(&w, "server-history-days=30\n");
	server = world_server(&w);
	ck_assert(rg_server_record_sent(server, "alice", old, NULL));
	w.now += (gint64)20 * 24 * 3600 * G_USEC_PER_SEC;
	ck_assert(rg_server_record_sent(server, "alice", recent, NULL));
	w.now += (gint64)15 * 24 * 3600 * G_USEC_PER_SEC;
	ck_assert(rg_server_expire(server, &error));
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 1);
	{
		g_autoptr(RgServerVerdict) v = check_one(server, "alice", "bob@example.com");
		ck_assert_int_gt(rg_server_verdict_get_level(v), RG_LEVEL_OK);
	}
	/* the server also does it by itself when it records, once an hour */
	w.now += (gint64)16 * 24 * 3600 * G_USEC_PER_SEC;
	ck_assert(rg_server_record_sent(server, "bob", old, NULL));
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_addresses, 1);
	ck_assert_uint_eq(stats.n_senders, 1);
}
END_TEST

/* ------------------------------------------------------------------ failures */

START_TEST(test_server_malformed_address)
{
	const char *garbage[] = {"not an address", "", "a@", "@", "<>", "a@b@c", "\x01\xff@x"};

	for (guint pass = 0; pass < 2; pass++) {
		g_auto(RgWorld) w = {0};
		g_autoptr(RgServer) server = NULL;
		world_init(&w, pass == 0 ? "" : "on-error=allow\n");
		server = world_server(&w);
		for (guint i = 0; i < G_N_ELEMENTS(garbage); i++) {
			g_autoptr(RgServerVerdict) v = check_one(server, "alice", garbage[i]);
			ck_assert_int_eq(rg_server_verdict_get_action(v),
			                 pass == 0 ? RG_SERVER_ACTION_TEMPFAIL
			                           : RG_SERVER_ACTION_ACCEPT);
			ck_assert(g_error_matches(
			    rg_server_verdict_get_error(v), RG_ERROR, RG_ERROR_INVALID_ADDRESS));
			ck_assert_ptr_nonnull(rg_server_verdict_get_text(v));
			ck_assert_ptr_null(rg_server_verdict_get_verdict(v));
		}
		/* and the next recipient is judged as ever */
		ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"),
		                 RG_SERVER_ACTION_CONFIRM);
	}
}
END_TEST

START_TEST(test_server_store_unusable_follows_on_error)
{
	struct {
		const char *policy;
		RgServerAction want;
	} rows[] = {
	    {"", RG_SERVER_ACTION_TEMPFAIL},
	    {"on-error=block\n", RG_SERVER_ACTION_TEMPFAIL},
	    {"on-error=allow\n", RG_SERVER_ACTION_ACCEPT},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_auto(RgWorld) w = {0};
		g_autoptr(RgServer) server = NULL;
		g_autoptr(RgServerVerdict) v = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree char *nowhere = NULL;
		const char *one[] = {"bob@example.com", NULL};

		world_init(&w, rows[i].policy);
		nowhere = g_build_filename(w.dir, "no-such-dir", "senders.db", NULL);
		server = rg_server_new(w.session);
		ck_assert(!rg_server_open_store(server, nowhere, &error));
		ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
		g_clear_error(&error);
		v = check_one(server, "alice", "gen.smith@army.ml");
		ck_assert_int_eq(rg_server_verdict_get_action(v), rows[i].want);
		ck_assert(g_error_matches(rg_server_verdict_get_error(v), RG_ERROR, RG_ERROR_IO));
		ck_assert(!rg_server_record_sent(server, "alice", one, &error));
		/* tried again a minute later, and it works once the directory is there */
		{
			g_autofree char *dir = g_path_get_dirname(nowhere);
			ck_assert_int_eq(g_mkdir(dir, 0700), 0);
		}
		g_clear_object(&v);
		v = check_one(server, "alice", "gen.smith@army.ml");
		ck_assert_int_eq(rg_server_verdict_get_action(v), rows[i].want);
		w.now += MINUTES(2);
		g_clear_object(&v);
		v = check_one(server, "alice", "gen.smith@army.ml");
		ck_assert_int_eq(rg_server_verdict_get_action(v), RG_SERVER_ACTION_CONFIRM);
		ck_assert_ptr_null(rg_server_verdict_get_error(v));
	}
}
END_TEST

START_TEST(test_server_damaged_store_is_moved_aside)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;

	world_init(&w, "");
	ck_assert(
	    g_file_set_contents(w.store, "this is not a database, not at all......", -1, NULL));
	server = world_server(&w);
	ck_assert_ptr_nonnull(rg_server_get_store_moved_aside_path(server));
	ck_assert(g_file_test(rg_server_get_store_moved_aside_path(server), G_FILE_TEST_EXISTS));
	ck_assert_int_eq(action_of(server, "alice", "gen.smith@army.ml"), RG_SERVER_ACTION_CONFIRM);
}
END_TEST

START_TEST(test_server_store_is_private)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	GStatBuf st;

	world_init(&w, "");
	server = world_server(&w);
	ck_assert_int_eq(g_stat(w.store, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

/* ------------------------------------------------------------------ threads */

typedef struct {
	RgServer *server;
	guint id;
	guint n_flagged;
} RgWorker;

/* per round: a first recipient (let through and recorded) and army.ml beside it (logged,
 * not recorded, so that it stays flagged) */
static gpointer
worker_run(gpointer data)
{
	RgWorker *wk = data;

	for (guint i = 0; i < 150; i++) {
		g_autofree char *sender = g_strdup_printf("user%u", (wk->id + i) % 7);
		g_autofree char *rcpt = g_strdup_printf("p%u@example.com", i % 13);
		const char *first[] = {rcpt, NULL};
		const char *both[] = {rcpt, "gen.smith@army.ml", NULL};
		g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func(g_object_unref);
		g_autoptr(RgServerVerdict) bad = NULL;

		g_ptr_array_add(sent, rg_server_check(wk->server, sender, first));
		bad = rg_server_check(wk->server, sender, both);
		if (rg_server_verdict_get_level(bad) >= RG_LEVEL_WARN)
			wk->n_flagged++;
		rg_server_record_message(wk->server, sender, sent, NULL);
	}
	return NULL;
}

START_TEST(test_server_many_threads)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgServer) server = NULL;
	RgWorker workers[8];
	GThread *threads[8];
	RgServerStats stats = {0};

	world_init(&w, "server-action-warn=log\n");
	server = world_server(&w);
	/* fewer cached senders than senders: histories are dropped and read again meanwhile */
	rg_server_set_cache_size(server, 3);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		workers[i] = (RgWorker){server, i, 0};
		threads[i] = g_thread_new("worker", worker_run, &workers[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		g_thread_join(threads[i]);
		/* army.ml is flagged every time, whatever else happens at once */
		ck_assert_uint_eq(workers[i].n_flagged, 150);
	}
	ck_assert(rg_server_get_stats(server, &stats, NULL));
	ck_assert_uint_eq(stats.n_senders, 7);
	ck_assert_uint_eq(stats.n_addresses, 7 * 13);
	ck_assert_uint_le(stats.n_cached, 3);
}
END_TEST

static Suite *
server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("sender");
	tcase_add_test(tc, test_server_identify_sender);
	tcase_add_test(tc, test_server_trusted_networks_from_policy);
	suite_add_tcase(s, tc);
	tc = tcase_create("actions");
	tcase_add_test(tc, test_server_reject_says_why_and_the_fix);
	tcase_add_test(tc, test_server_actions_per_level);
	tcase_add_test(tc, test_server_notice_level);
	tcase_add_test(tc, test_server_log_only);
	tcase_add_test(tc, test_server_rest_of_the_message);
	suite_add_tcase(s, tc);
	tc = tcase_create("confirm");
	tcase_add_test(tc, test_server_confirm_by_sending_again);
	tcase_add_test(tc, test_server_confirm_survives_a_restart);
	suite_add_tcase(s, tc);
	tc = tcase_create("learning");
	tcase_add_test(tc, test_server_learns_from_sent_mail);
	tcase_add_test(tc, test_server_held_message_teaches_nothing);
	tcase_add_test(tc, test_server_record_sent_seeds_a_history);
	tcase_add_test(tc, test_server_history_is_bounded);
	tcase_add_test(tc, test_server_retention);
	suite_add_tcase(s, tc);
	tc = tcase_create("failures");
	tcase_add_test(tc, test_server_malformed_address);
	tcase_add_test(tc, test_server_store_unusable_follows_on_error);
	tcase_add_test(tc, test_server_damaged_store_is_moved_aside);
	tcase_add_test(tc, test_server_store_is_private);
	suite_add_tcase(s, tc);
	tc = tcase_create("threads");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_server_many_threads);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(server_suite());
}
