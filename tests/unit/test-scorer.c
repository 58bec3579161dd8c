/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include "rcptguard.h"
#include "rg-history-private.h"
#include "rg-knowledge.h"
#include "rg-reasons.h"
#include "rg-scorer-private.h"
#include "rg-test.h"

/* 2026-12-03T12:00:00Z: when the knowledge table's "anyway" sends were sent */
#define ANYWAY_TIME G_GINT64_CONSTANT(1796299200)

static gboolean
has_code(RgVerdict *v, const char *code)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	for (guint i = 0; i < reasons->len; i++)
		if (strcmp(rg_reason_get_code(g_ptr_array_index(reasons, i)), code) == 0)
			return TRUE;
	return FALSE;
}

static char *
codes(RgVerdict *v)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < reasons->len; i++)
		g_string_append_printf(
		    s, "%s%s", i ? "," : "", rg_reason_get_code(g_ptr_array_index(reasons, i)));
	return g_string_free(s, FALSE);
}

/* the checks every table makes of one row: f[0] the recipients, f[1] the index, f[2] the
 * level, f[3] a code, f[4] the suggestion; @levels_set when a policy sets levels of codes;
 * @out (optional) gets the verdict */
static void
check_row(const char *table, RgScorer *scorer, char **f, gboolean levels_set, RgVerdict **out);

static void
run_table(const char *table, RgScorer *scorer)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table(table, 5);

	for (guint i = 0; i < rows->len; i++)
		check_row(table, scorer, g_ptr_array_index(rows, i), FALSE, NULL);
}

/* the suggestion of @v differs from its address (case aside), and alone in a message it
 * would not be at warn or above */
static void
check_suggestion(const char *table, RgScorer *scorer, RgVerdict *v)
{
	const char *sugg = rg_verdict_get_suggestion(v);
	const char *typed = rg_verdict_get_address(v);
	const char *alone[] = {sugg, NULL};
	g_autoptr(RgReport) again = NULL;
	RgVerdict *fixed;

	if (sugg == NULL)
		return;
	ck_assert_msg(g_ascii_strcasecmp(sugg, typed) != 0,
	              "%s: %s: the suggestion is the address itself",
	              table,
	              typed);
	again = rg_scorer_check(scorer, alone, NULL);
	ck_assert_ptr_nonnull(again);
	fixed = rg_report_get_verdict(again, 0);
	ck_assert_msg(rg_verdict_get_level(fixed) < RG_LEVEL_WARN,
	              "%s: %s: the suggestion %s is at %s itself",
	              table,
	              typed,
	              sugg,
	              rg_level_to_string(rg_verdict_get_level(fixed)));
}

static void
check_row(const char *table, RgScorer *scorer, char **f, gboolean levels_set, RgVerdict **out)
{
	{
		g_auto(GStrv) recipients = g_strsplit(f[0], " | ", -1);
		guint idx = (guint)g_ascii_strtoull(f[1], NULL, 10);
		g_autoptr(GError) error = NULL;
		g_autoptr(RgReport) report =
		    rg_scorer_check(scorer, (const char *const *)recipients, &error);
		RgVerdict *v;
		g_autofree char *got_codes = NULL;
		const char *sugg;

		ck_assert_msg(report != NULL, "%s: %s", f[0], error ? error->message : "");
		ck_assert_uint_eq(rg_report_get_n_verdicts(report), g_strv_length(recipients));
		v = rg_report_get_verdict(report, idx);
		got_codes = codes(v);
		ck_assert_msg(strcmp(rg_level_to_string(rg_verdict_get_level(v)), f[2]) == 0,
		              "%s: %s:%u: level %s (%s), expected %s",
		              table,
		              f[0],
		              idx,
		              rg_level_to_string(rg_verdict_get_level(v)),
		              got_codes,
		              f[2]);
		if (strcmp(f[3], "-") != 0)
			ck_assert_msg(has_code(v, f[3]),
			              "%s: %s: codes %s, expected %s",
			              table,
			              f[0],
			              got_codes,
			              f[3]);
		else
			ck_assert_msg(rg_verdict_get_reasons(v)->len == 0 ||
			                  rg_verdict_get_level(v) == RG_LEVEL_OK,
			              "%s: unexpected reasons %s",
			              f[0],
			              got_codes);
		sugg = rg_verdict_get_suggestion(v);
		if (strcmp(f[4], "-") == 0)
			ck_assert_msg(sugg == NULL, "%s: unexpected suggestion %s", f[0], sugg);
		else
			ck_assert_msg(g_strcmp0(sugg, f[4]) == 0,
			              "%s: suggestion %s, expected %s",
			              f[0],
			              sugg,
			              f[4]);
		/* every reason is at a level its row of the reason table allows, unless the
		 * policy sets one */
		for (guint n = 0; !levels_set && n < rg_report_get_n_verdicts(report); n++) {
			GPtrArray *reasons =
			    rg_verdict_get_reasons(rg_report_get_verdict(report, n));
			for (guint r = 0; r < reasons->len; r++) {
				RgReason *reason = g_ptr_array_index(reasons, r);
				const RgReasonInfo *info =
				    rg_reason_info_lookup(rg_reason_get_code(reason));
				ck_assert_ptr_nonnull(info);
				ck_assert_msg(rg_reason_get_level(reason) >= info->min_level &&
				                  rg_reason_get_level(reason) <= info->max_level,
				              "%s: %s at %s, outside the reason table's range",
				              f[0],
				              info->code,
				              rg_level_to_string(rg_reason_get_level(reason)));
			}
		}
		/* a fix is never the address typed, nor one the scorer would flag itself */
		for (guint n = 0; !levels_set && n < rg_report_get_n_verdicts(report); n++)
			check_suggestion(table, scorer, rg_report_get_verdict(report, n));
		/* score and level agree, unless a policy sets the level */
		if (rg_verdict_get_level(v) >= RG_LEVEL_WARN && !levels_set)
			ck_assert_uint_ge(rg_verdict_get_score(v), 50);
		else if (!levels_set)
			ck_assert_uint_lt(rg_verdict_get_score(v), 50);
		if (out != NULL)
			*out = g_object_ref(v);
	}
}

static gint64
two_days_later_clock(gpointer user_data)
{
	return (ANYWAY_TIME + 2 * 24 * 3600) * G_USEC_PER_SEC;
}

/* a scorer with the knowledge of this build, whose clock says two days after ANYWAY_TIME */
static RgScorer *
scorer_with_knowledge(RgHistory *h, RgPolicy *p)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgKnowledge) k = rg_knowledge_new(g_getenv("RCPTGUARD_DATA_DIR"), &error);
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	RgScorer *scorer = rg_scorer_new(h, p, NULL);

	ck_assert_msg(k != NULL, "%s", error != NULL ? error->message : "");
	rg_scorer_set_knowledge(scorer, k);
	rg_environment_set_clock(env, two_days_later_clock, NULL, NULL);
	rg_scorer_set_environment(scorer, env);
	return scorer;
}

/* a history from the knowledge table's notation (tests/data/scorer-knowledge.tsv) */
static RgHistory *
history_from_spec(const char *spec)
{
	RgHistory *h = rg_history_new();
	g_auto(GStrv) entries = g_strsplit(spec, " ", -1);

	for (guint i = 0; strcmp(spec, "-") != 0 && entries[i] != NULL; i++) {
		const char *colon = strchr(entries[i], ':');
		g_autofree char *kind = NULL;
		const char *what;
		gboolean ok;
		ck_assert_msg(
		    colon != NULL, "scorer-knowledge.tsv: bad history entry %s", entries[i]);
		kind = g_strndup(entries[i], colon - entries[i]);
		what = colon + 1;
		if (strcmp(kind, "sent") == 0)
			ok = rg_history_add(h, what, 3, 0, RG_HISTORY_FLAG_NONE, NULL);
		else if (strcmp(kind, "received") == 0)
			ok = rg_history_add(h, what, 0, 2, RG_HISTORY_FLAG_NONE, NULL);
		else if (strcmp(kind, "book") == 0)
			ok = rg_history_add(h, what, 0, 0, RG_HISTORY_FLAG_ADDRESS_BOOK, NULL);
		else if (strcmp(kind, "confirmed") == 0)
			ok = rg_history_add(h, what, 1, 0, RG_HISTORY_FLAG_CONFIRMED, NULL);
		else if (strcmp(kind, "anyway") == 0)
			ok = rg_history_add_sent_anyway(h, what, ANYWAY_TIME, NULL);
		else if (strcmp(kind, "known") == 0)
			ok = rg_history_add(h, what, 0, 0, RG_HISTORY_FLAG_KNOWN, NULL);
		else if (strcmp(kind, "identity") == 0)
			ok = rg_history_add_identity(h, what, NULL);
		else if (strcmp(kind, "junk") == 0)
			ok = rg_history_add(h, what, 0, 1, RG_HISTORY_FLAG_JUNK, NULL);
		else if (strcmp(kind, "trusted") == 0)
			ok = rg_history_add(h, what, 0, 0, RG_HISTORY_FLAG_TRUSTED, NULL);
		else if (strcmp(kind, "trusted-domain") == 0)
			ok = rg_history_trust_domain(h, what, NULL);
		else
			ck_abort_msg("scorer-knowledge.tsv: unknown history kind %s", kind);
		ck_assert_msg(ok, "scorer-knowledge.tsv: cannot add %s", entries[i]);
	}
	return h;
}

static RgPolicy *
policy_from_spec(const char *spec)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	RgPolicy *p = rg_policy_new();

	if (strcmp(spec, "-") == 0)
		return p;
	dir = g_dir_make_tmp("rg-scorer-XXXXXX", NULL);
	path = g_build_filename(dir, "policy.conf", NULL);
	lines = g_strsplit(spec, " ; ", -1);
	text = g_strconcat("[policy]\n", NULL);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *more = g_strconcat(text, lines[i], "\n", NULL);
		g_free(text);
		text = more;
	}
	ck_assert(g_file_set_contents(path, text, -1, NULL));
	ck_assert(rg_policy_load_file(p, path, NULL));
	ck_assert_msg(rg_policy_get_problems(p)->len == 0, "scorer-knowledge.tsv: policy %s", spec);
	g_unlink(path);
	g_rmdir(dir);
	return p;
}

static gboolean
verdict_says(RgVerdict *v, const char *text)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	for (guint i = 0; i < reasons->len; i++)
		if (strstr(rg_reason_get_message(g_ptr_array_index(reasons, i)), text) != NULL)
			return TRUE;
	return FALSE;
}

/* the built-in knowledge and the evidence model, each row in a world of its own */
START_TEST(test_scorer_knowledge_table)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("scorer-knowledge.tsv", 8);

	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		g_autoptr(RgHistory) h = history_from_spec(f[0]);
		g_autoptr(RgPolicy) p = policy_from_spec(f[1]);
		g_autoptr(RgScorer) scorer = scorer_with_knowledge(h, p);
		g_autoptr(RgVerdict) v = NULL;
		g_autofree char *got = NULL;

		check_row(
		    "scorer-knowledge.tsv", scorer, f + 2, strstr(f[1], "level-") != NULL, &v);
		got = codes(v);
		ck_assert_msg(strcmp(f[7], "-") == 0 || verdict_says(v, f[7]),
		              "scorer-knowledge.tsv: %s (history %s): no reason says \"%s\" (%s)",
		              f[2],
		              f[0],
		              f[7],
		              got);
	}
}
END_TEST

START_TEST(test_scorer_history_table)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *known = rg_test_data_path("known-army.txt");
	g_autoptr(RgScorer) scorer = NULL;

	ck_assert(rg_history_load_known_file(h, known, NULL));
	scorer = rg_scorer_new(h, NULL, NULL);
	ck_assert_ptr_nonnull(scorer);
	run_table("scorer.tsv", scorer);
}
END_TEST

START_TEST(test_scorer_policy_table)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *path = rg_test_data_path("policy-mil.conf");
	g_autoptr(RgScorer) scorer = NULL;

	ck_assert(rg_policy_load_file(p, path, NULL));
	scorer = rg_scorer_new(NULL, p, NULL);
	run_table("scorer-policy.tsv", scorer);
}
END_TEST

START_TEST(test_scorer_context_table)
{
	g_autoptr(RgScorer) scorer = rg_scorer_new(NULL, NULL, NULL);
	run_table("scorer-context.tsv", scorer);
}
END_TEST

START_TEST(test_scorer_message_names_country_and_count)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *recipients[] = {"gen.smith@army.ml", NULL};
	const char *msg;

	ck_assert(rg_history_add(h, "gen.smith@army.mil", 42, 3, RG_HISTORY_FLAG_NONE, NULL));
	scorer = rg_scorer_new(h, NULL, NULL);
	report = rg_scorer_check(scorer, recipients, NULL);
	msg = rg_reason_get_message(
	    g_ptr_array_index(rg_verdict_get_reasons(rg_report_get_verdict(report, 0)), 0));
	ck_assert_msg(strstr(msg, "Mali") != NULL && strstr(msg, "army.mil") != NULL &&
	                  strstr(msg, "42") != NULL,
	              "message lacks evidence: %s",
	              msg);
}
END_TEST

START_TEST(test_scorer_sees_history_growth)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgScorer) scorer = rg_scorer_new(h, NULL, NULL);
	const char *recipients[] = {"x@contoso.com", NULL};
	g_autoptr(RgReport) before = rg_scorer_check(scorer, recipients, NULL);
	g_autoptr(RgReport) after = NULL;

	ck_assert_int_eq(rg_verdict_get_level(rg_report_get_verdict(before, 0)), RG_LEVEL_NOTICE);
	ck_assert(rg_history_add(h, "y@contoso.com", 1, 0, RG_HISTORY_FLAG_NONE, NULL));
	after = rg_scorer_check(scorer, recipients, NULL);
	ck_assert_int_eq(rg_verdict_get_level(rg_report_get_verdict(after, 0)), RG_LEVEL_OK);
}
END_TEST

START_TEST(test_scorer_identity_is_known)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	const char *recipients[] = {"colleague@myorg.example", NULL};
	g_autoptr(RgReport) report = NULL;

	ck_assert(rg_history_add_identity(h, "me@myorg.example", NULL));
	scorer = rg_scorer_new(h, NULL, NULL);
	report = rg_scorer_check(scorer, recipients, NULL);
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_OK);
}
END_TEST

START_TEST(test_scorer_bad_recipient_fails_whole_check)
{
	g_autoptr(RgScorer) scorer = rg_scorer_new(NULL, NULL, NULL);
	const char *recipients[] = {"good@example.org", "not an address", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(RgReport) report = rg_scorer_check(scorer, recipients, &error);
	ck_assert_ptr_null(report);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
}
END_TEST

START_TEST(test_scorer_policy_problem_is_a_notice)
{
	g_autofree char *dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "policy.conf", NULL);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(RgScorer) scorer = NULL;
	g_autoptr(RgReport) report = NULL;
	const char *recipients[] = {"x@army.ml", NULL};

	ck_assert(g_file_set_contents(path, "[policy]\nblocked-domains=.ml;bad value\n", -1, NULL));
	ck_assert(rg_policy_load_file(p, path, NULL));
	scorer = rg_scorer_new(NULL, p, NULL);
	report = rg_scorer_check(scorer, recipients, NULL);
	ck_assert_uint_eq(rg_report_get_notices(report)->len, 1);
	/* the valid part still blocks */
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_BLOCK);
}
END_TEST

/* a send recorded through rcptguard keeps a first contact from being announced again, but
 * never silences a warning; only trust does */
START_TEST(test_scorer_confirmed_send_never_silences_a_warning)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autoptr(RgScorer) scorer = NULL;
	const char *same[] = {"someone@army.ml", NULL};
	const char *other[] = {"other@army.ml", NULL};
	const char *trusted[] = {"x@army.ml", NULL};
	const char *colleague[] = {"alice@newcorp.com", NULL};
	g_autoptr(RgReport) r1 = NULL;
	g_autoptr(RgReport) r2 = NULL;
	g_autoptr(RgReport) r3 = NULL;
	g_autoptr(RgReport) r4 = NULL;

	ck_assert(rg_history_add(h, "gen.smith@army.mil", 40, 3, RG_HISTORY_FLAG_NONE, NULL));
	/* the user sent to someone@army.ml through rcptguard once, and trusted one other address */
	ck_assert(rg_history_add(h, "someone@army.ml", 1, 0, RG_HISTORY_FLAG_CONFIRMED, NULL));
	ck_assert(rg_history_add(h, "x@army.ml", 0, 0, RG_HISTORY_FLAG_TRUSTED, NULL));
	/* a confirmed send to a domain that looks like nothing known */
	ck_assert(rg_history_add(h, "bob@newcorp.com", 1, 0, RG_HISTORY_FLAG_CONFIRMED, NULL));
	scorer = rg_scorer_new(h, NULL, NULL);
	r1 = rg_scorer_check(scorer, same, NULL);
	r2 = rg_scorer_check(scorer, other, NULL);
	r3 = rg_scorer_check(scorer, trusted, NULL);
	r4 = rg_scorer_check(scorer, colleague, NULL);
	ck_assert_int_eq(rg_report_get_level(r1), RG_LEVEL_WARN);
	ck_assert_str_eq(rg_verdict_get_suggestion(rg_report_get_verdict(r1, 0)),
	                 "someone@army.mil");
	ck_assert_int_eq(rg_report_get_level(r2), RG_LEVEL_WARN);
	ck_assert_str_eq(rg_verdict_get_suggestion(rg_report_get_verdict(r2, 0)), "other@army.mil");
	ck_assert_int_eq(rg_report_get_level(r3), RG_LEVEL_OK);
	/* no first-contact notice: the user has written there */
	ck_assert_int_eq(rg_report_get_level(r4), RG_LEVEL_OK);
}
END_TEST

/* checks @recipient alone: its level is @level, and it has @code exactly when that is a
 * warning; the report is kept in @report for the caller's further asserts */
static RgVerdict *
check_level_code(RgScorer *scorer,
                 const char *recipient,
                 guint i,
                 RgLevel level,
                 const char *code,
                 RgReport **report)
{
	const char *recipients[] = {recipient, NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *got = NULL;
	RgVerdict *v;

	*report = rg_scorer_check(scorer, recipients, &error);
	ck_assert_msg(*report != NULL, "%s: %s", recipient, error->message);
	v = rg_report_get_verdict(*report, 0);
	got = codes(v);
	ck_assert_msg(rg_verdict_get_level(v) == level,
	              "case %u: level %s (%s)",
	              i,
	              rg_level_to_string(rg_verdict_get_level(v)),
	              got);
	ck_assert_msg(has_code(v, code) == (level == RG_LEVEL_WARN), "case %u: codes %s", i, got);
	return v;
}

/* characters nobody can see inside the address warn, even at a known domain; the fix is the
 * address without them. Display names may hold them (right-to-left marks in Arabic and Hebrew
 * names), so they do not count. */
START_TEST(test_scorer_hidden_characters)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *known = rg_test_data_path("known-army.txt");
	g_autoptr(RgScorer) scorer = NULL;
	struct {
		const char *recipient;
		RgLevel level;
		const char *suggestion;
	} cases[] = {
	    {"gen.smith\u202e@army.mil", RG_LEVEL_WARN, "gen.smith@army.mil"},
	    {"gen.\u200bsmith@army.mil", RG_LEVEL_WARN, "gen.smith@army.mil"},
	    {"\"gen.smith\x1b[2J\"@army.mil", RG_LEVEL_WARN, "\"gen.smith[2J\"@army.mil"},
	    {"gen.smith\u2066@army.ml", RG_LEVEL_WARN, "gen.smith@army.mil"},
	    /* IDNA drops a zero-width space from the domain: the address reads army.mil, which
	     * is what the warning is about; there is nothing else to suggest */
	    {"gen.smith@ar\u200bmy.mil", RG_LEVEL_WARN, NULL},
	    {"\"\u05d3\u05e0\u05d4 \u200f\" <gen.smith@army.mil>", RG_LEVEL_OK, NULL},
	    {"gen.smith@army.mil", RG_LEVEL_OK, NULL},
	};

	ck_assert(rg_history_load_known_file(h, known, NULL));
	scorer = rg_scorer_new(h, NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RgReport) report = NULL;
		RgVerdict *v = check_level_code(
		    scorer, cases[i].recipient, i, cases[i].level, "hidden-character", &report);
		ck_assert_msg(g_strcmp0(rg_verdict_get_suggestion(v), cases[i].suggestion) == 0,
		              "case %u: suggestion %s",
		              i,
		              rg_verdict_get_suggestion(v));
	}
}
END_TEST

/* RFC 5321 allows a local part of 64 octets; a longer one (a sentence pasted before the @)
 * is not refused by every server, so it is a warning, not an error, even at a known domain */
START_TEST(test_scorer_long_local_part)
{
	g_autoptr(RgHistory) h = rg_history_new();
	g_autofree char *known = rg_test_data_path("known-army.txt");
	g_autoptr(RgScorer) scorer = NULL;
	g_autofree char *a64 = g_strnfill(64, 'a');
	g_autofree char *a65 = g_strnfill(65, 'a');
	g_autofree char *at64 = g_strconcat(a64, "@army.mil", NULL);
	g_autofree char *at65 = g_strconcat(a65, "@army.mil", NULL);
	/* 33 two-octet letters: 33 characters, 66 octets */
	g_autoptr(GString) wide = g_string_new(NULL);
	struct {
		const char *recipient;
		RgLevel level;
	} cases[] = {{at64, RG_LEVEL_OK}, {at65, RG_LEVEL_WARN}, {NULL, RG_LEVEL_WARN}};

	for (guint i = 0; i < 33; i++)
		g_string_append(wide, "\u00e9");
	g_string_append(wide, "@army.mil");
	cases[2].recipient = wide->str;
	ck_assert(rg_history_load_known_file(h, known, NULL));
	rg_history_add(h, at64, 3, 0, RG_HISTORY_FLAG_NONE, NULL);
	scorer = rg_scorer_new(h, NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RgReport) report = NULL;
		check_level_code(
		    scorer, cases[i].recipient, i, cases[i].level, "long-local-part", &report);
	}
}
END_TEST

/* A recipient the core cannot read made the whole check fail, so a mail client could only
 * ask "send unchecked?" about every other recipient too. Now it is listed as unchecked,
 * with a notice, and the others are judged: a bad mailbox inside a list costs only itself. */
START_TEST(test_scorer_session_checks_what_it_can_read)
{
	g_autofree char *known = rg_test_data_path("known-army.txt");
	g_autoptr(RgSession) s = rg_session_new();
	const char *to[] = {"gen.smith@army.mil, bad@@, \"Doe, J.\" <j.doe@army.ml>",
	                    "not an address",
	                    "k.lee@army.ml",
	                    NULL};
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *unchecked;
	gboolean said = FALSE;

	rg_session_add_known_file(s, known);
	ck_assert_msg(rg_session_load(s, &error), "%s", error->message);
	report = rg_session_check(s, to, &error);
	ck_assert_ptr_nonnull(report);
	ck_assert_uint_eq(rg_report_get_n_verdicts(report), 3);
	ck_assert_str_eq(rg_verdict_get_address(rg_report_get_verdict(report, 1)), "j.doe@army.ml");
	ck_assert_int_eq(rg_verdict_get_level(rg_report_get_verdict(report, 1)), RG_LEVEL_WARN);
	ck_assert_int_eq(rg_verdict_get_level(rg_report_get_verdict(report, 2)), RG_LEVEL_WARN);
	unchecked = rg_report_get_unchecked(report);
	ck_assert_uint_eq(unchecked->len, 2);
	ck_assert_str_eq(g_ptr_array_index(unchecked, 0), "bad@@");
	ck_assert_str_eq(g_ptr_array_index(unchecked, 1), "not an address");
	for (guint i = 0; i < rg_report_get_notices(report)->len; i++)
		said |=
		    strstr(g_ptr_array_index(rg_report_get_notices(report), i), "“bad@@”") != NULL;
	ck_assert(said);
	/* the scorer itself stays strict: a script gets an error, never a partial report */
	ck_assert_ptr_null(rg_scorer_check(rg_session_get_scorer(s), to, NULL));
}
END_TEST

static Suite *
scorer_suite(void)
{
	Suite *s = suite_create("scorer");
	TCase *tc = tcase_create("tables");
	TCase *tc2 = tcase_create("behaviour");
	tcase_add_test(tc, test_scorer_history_table);
	tcase_add_test(tc, test_scorer_policy_table);
	tcase_add_test(tc, test_scorer_context_table);
	tcase_add_test(tc, test_scorer_knowledge_table);
	tcase_add_test(tc2, test_scorer_message_names_country_and_count);
	tcase_add_test(tc2, test_scorer_sees_history_growth);
	tcase_add_test(tc2, test_scorer_identity_is_known);
	tcase_add_test(tc2, test_scorer_confirmed_send_never_silences_a_warning);
	tcase_add_test(tc2, test_scorer_bad_recipient_fails_whole_check);
	tcase_add_test(tc2, test_scorer_policy_problem_is_a_notice);
	tcase_add_test(tc2, test_scorer_hidden_characters);
	tcase_add_test(tc2, test_scorer_long_local_part);
	tcase_add_test(tc2, test_scorer_session_checks_what_it_can_read);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tc2);
	return s;
}

int
main(void)
{
	return rg_test_run(scorer_suite());
}
