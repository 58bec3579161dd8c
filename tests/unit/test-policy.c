/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rcptguard.h"
#include "rg-decision-log.h"
#include "rg-domain.h"
#include "rg-policy-private.h"
#include "rg-test.h"

/* a fresh directory per test, removed at the end */
typedef struct {
	char *dir;
} RgTmp;

static void
rg_tmp_clear(RgTmp *t)
{
	if (t->dir != NULL) {
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", t->dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	g_clear_pointer(&t->dir, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgTmp, rg_tmp_clear)

static char *
tmp_file(RgTmp *t, const char *name, const char *contents, gssize len)
{
	char *path;
	g_autofree char *parent = NULL;
	if (t->dir == NULL)
		t->dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	path = g_build_filename(t->dir, name, NULL);
	parent = g_path_get_dirname(path);
	ck_assert_int_eq(g_mkdir_with_parents(parent, 0700), 0);
	ck_assert(g_file_set_contents(path, contents, len, NULL));
	return path;
}

static gboolean
has_problem(RgPolicy *p, const char *prefix, const char *part)
{
	GPtrArray *problems = rg_policy_get_problems(p);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *s = rg_problem_to_string(g_ptr_array_index(problems, i));
		if (g_str_has_prefix(s, prefix) && (part == NULL || strstr(s, part) != NULL))
			return TRUE;
	}
	return FALSE;
}

/* the problem at @i as printed */
static char *
problem_text(RgPolicy *p, guint i)
{
	return rg_problem_to_string(g_ptr_array_index(rg_policy_get_problems(p), i));
}

static char *
problems_text(RgPolicy *p)
{
	GPtrArray *problems = rg_policy_get_problems(p);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *line = problem_text(p, i);
		g_string_append_printf(s, "%s%s", i > 0 ? "\n" : "", line);
	}
	return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------------ matching */

START_TEST(test_policy_dot_boundary)
{
	ck_assert(rg_domain_matches_rule("example.com", "example.com"));
	ck_assert(rg_domain_matches_rule("mail.example.com", "example.com"));
	ck_assert(rg_domain_matches_rule("a.b.example.com", "example.com"));
	ck_assert(rg_domain_matches_rule("MAIL.Example.COM", "example.com"));
	ck_assert(!rg_domain_matches_rule("notexample.com", "example.com"));
	ck_assert(!rg_domain_matches_rule("example.com.evil", "example.com"));
	ck_assert(!rg_domain_matches_rule("xample.com", "example.com"));
	ck_assert(rg_domain_matches_rule("army.ml", "ml"));
	ck_assert(!rg_domain_matches_rule("army.mil", "ml"));
	ck_assert(!rg_domain_matches_rule("ml.com", "ml"));
}
END_TEST

START_TEST(test_policy_wildcard_forms)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t,
	                                 "policy.conf",
	                                 "[policy]\n"
	                                 "protected-domains=*.navy.mil;.army.mil;state.gov;.gov\n"
	                                 "blocked-domains=.ml;*.tk;evil.org\n"
	                                 "trusted-domains=partner.org;Ally@Friends.org\n",
	                                 -1);
	g_autoptr(RgPolicy) p = rg_policy_new();

	ck_assert(rg_policy_load_file(p, path, NULL));
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
	/* all three spellings mean the domain itself and everything below it */
	for (guint i = 0; i < 3; i++) {
		const char *base[] = {"navy.mil", "army.mil", "state.gov"};
		g_autofree char *sub = g_strconcat("hq.", base[i], NULL);
		g_autofree char *glued = g_strconcat("x", base[i], NULL);
		ck_assert_ptr_nonnull(rg_policy_match_protected(p, base[i]));
		ck_assert_ptr_nonnull(rg_policy_match_protected(p, sub));
		ck_assert_ptr_null(rg_policy_match_protected(p, glued));
	}
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "anything.ml"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "a.b.tk"));
	/* a whole protected TLD does not make every name under it one of ours */
	ck_assert_ptr_null(rg_policy_match_protected(p, "xn--rmy-5cd.gov"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "army.mil"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "html"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "sub.evil.org"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "notevil.org"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, "x", "mail.partner.org"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, "ALLY", "friends.org"));
	ck_assert_ptr_null(rg_policy_match_trusted(p, "other", "friends.org"));
	/* an address rule is that address only, not the subdomains */
	ck_assert_ptr_null(rg_policy_match_trusted(p, "ally", "mail.friends.org"));
	ck_assert_str_eq(rg_policy_match_blocked(p, "x.ml")->origin, path);
}
END_TEST

START_TEST(test_policy_load_rules)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *path = rg_test_data_path("policy-mil.conf");
	g_autoptr(GError) error = NULL;

	ck_assert_msg(rg_policy_load_file(p, path, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
	ck_assert_ptr_nonnull(rg_policy_match_protected(p, "hq.army.mil"));
	ck_assert_ptr_null(rg_policy_match_protected(p, "notarmy.mil"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "anything.ml"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, "Ally", "friends.org"));
}
END_TEST

/* ------------------------------------------------------------------ every key */

START_TEST(test_policy_key_values)
{
	g_autoptr(GPtrArray) rows = rg_test_load_table("policy-values.tsv", 4);

	for (guint i = 0; i < rows->len; i++) {
		char **f = g_ptr_array_index(rows, i);
		g_auto(RgTmp) t = {0};
		const char *value = strcmp(f[1], "<empty>") == 0 ? "" : f[1];
		g_autofree char *text = g_strdup_printf("[policy]\n%s=%s\n", f[0], value);
		g_autofree char *path = tmp_file(&t, "policy.conf", text, -1);
		g_autofree char *prefix = g_strdup_printf("%s:2: %s: ", path, f[0]);
		g_autoptr(RgPolicy) p = rg_policy_new();
		g_autofree char *got = NULL;
		g_autofree char *want = NULL;
		g_autofree char *all = NULL;

		ck_assert(rg_policy_load_file(p, path, NULL));
		all = problems_text(p);
		if (strcmp(f[2], "ok") == 0) {
			ck_assert_msg(rg_policy_get_problems(p)->len == 0,
			              "row %u %s=%s: %s",
			              i,
			              f[0],
			              f[1],
			              all);
			ck_assert_str_eq(rg_policy_get_origin(p, f[0]), path);
		} else {
			ck_assert_msg(
			    rg_policy_get_n_errors(p) > 0, "row %u %s=%s: no error", i, f[0], f[1]);
			ck_assert_msg(has_problem(p, prefix, NULL),
			              "row %u: no problem starting %s in\n%s",
			              i,
			              prefix,
			              all);
		}
		if (strcmp(f[3], "<empty>") == 0)
			want = g_strdup("");
		else if (g_str_has_prefix(f[3], "<home>"))
			want = g_strconcat(g_get_home_dir(), f[3] + strlen("<home>"), NULL);
		else
			want = g_strdup(f[3]);
		got = rg_policy_get_value(p, f[0]);
		ck_assert_msg(g_strcmp0(got, want) == 0,
		              "row %u %s=%s: effective \"%s\", expected \"%s\"",
		              i,
		              f[0],
		              f[1],
		              got,
		              want);
	}
}
END_TEST

START_TEST(test_policy_getters)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t,
	                                 "policy.conf",
	                                 "[policy]\nenabled=false\nallow-override=true\n"
	                                 "allow-trust=false\nlog-only=true\non-error=block\n"
	                                 "notmuch=false\nnotmuch-database=/srv/mail\n"
	                                 "decision-log=/var/log/rg.log\n"
	                                 "level-first-contact=warn\nlevel-tld-typo=off\n"
	                                 "risky-tld-pairs=de:dk\n",
	                                 -1);
	g_autoptr(RgPolicy) d = rg_policy_new();
	g_autoptr(RgPolicy) p = rg_policy_new();
	RgLevel level = RG_LEVEL_BLOCK;

	/* the built-in defaults */
	ck_assert(rg_policy_get_enabled(d));
	ck_assert(!rg_policy_get_allow_override(d));
	ck_assert(rg_policy_get_allow_trust(d));
	ck_assert(!rg_policy_get_log_only(d));
	ck_assert_int_eq(rg_policy_get_on_error(d), RG_POLICY_ON_ERROR_ASK);
	ck_assert(rg_policy_get_read_notmuch(d));
	ck_assert_ptr_null(rg_policy_get_notmuch_database(d));
	ck_assert_ptr_null(rg_policy_get_decision_log(d));
	ck_assert(!rg_policy_get_level_override(d, "first-contact", &level));
	ck_assert_ptr_null(rg_policy_get_origin(d, "enabled"));

	ck_assert(rg_policy_load_file(p, path, NULL));
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
	ck_assert(!rg_policy_get_enabled(p));
	ck_assert(rg_policy_get_allow_override(p));
	ck_assert(!rg_policy_get_allow_trust(p));
	ck_assert(rg_policy_get_log_only(p));
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert(!rg_policy_get_read_notmuch(p));
	ck_assert_str_eq(rg_policy_get_notmuch_database(p), "/srv/mail");
	ck_assert_str_eq(rg_policy_get_decision_log(p), "/var/log/rg.log");
	ck_assert(rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert(rg_policy_get_level_override(p, "tld-typo", &level));
	ck_assert_int_eq(level, RG_LEVEL_OK);
	ck_assert(!rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert(!rg_policy_get_level_override(p, "no-such-code", &level));
	ck_assert_str_eq(rg_policy_risky_partner(p, "de"), "dk");
	ck_assert_ptr_null(rg_policy_risky_partner(p, "d"));
	ck_assert_ptr_null(rg_policy_risky_partner(p, "dk"));
}
END_TEST

START_TEST(test_policy_list_keys)
{
	const char *const *keys = rg_policy_list_keys();
	g_autoptr(RgPolicy) p = rg_policy_new();
	/* every reason code the scorer gives has a level key */
	const char *codes[] = {"tld-typo",
	                       "tld-swap",
	                       "lookalike",
	                       "confusable",
	                       "mixed-script",
	                       "unknown-tld",
	                       "same-message",
	                       "known-local-part",
	                       "risky-tld",
	                       "first-contact",
	                       "blocked-domain",
	                       "blocked-tld",
	                       "hidden-character",
	                       "long-local-part"};
	for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
		g_autofree char *key = g_strconcat("level-", codes[i], NULL);
		ck_assert_msg(g_strv_contains(keys, key), "no key %s", key);
	}
	for (guint i = 0; keys[i] != NULL; i++) {
		g_autofree char *v = rg_policy_get_value(p, keys[i]);
		ck_assert_ptr_nonnull(v);
	}
	ck_assert_ptr_null(rg_policy_get_value(p, "frobnicate"));
}
END_TEST

/* ------------------------------------------------------------------ problems */

/* an invalid escape is one error, reported, never a GError set over another (a warning,
 * made fatal here) nor a value accepted silently */
START_TEST(test_policy_invalid_escape)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t,
	                                 "policy.conf",
	                                 "[policy]\non-error=\\x\ndecision-log=/tmp/a\\qb\n"
	                                 "blocked-domains=bad.example;\\q.example\n",
	                                 -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *on_error = NULL;
	g_autofree char *log = NULL;
	g_autofree char *all = NULL;
	GLogLevelFlags fatal =
	    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

	ck_assert(rg_policy_load_file(p, path, NULL));
	g_log_set_always_fatal(fatal);
	all = problems_text(p);
	ck_assert_msg(rg_policy_get_n_errors(p) == 3, "%s", all);
	ck_assert_msg(has_problem(p, "", "on-error"), "%s", all);
	ck_assert_msg(has_problem(p, "", "decision-log"), "%s", all);
	ck_assert_msg(has_problem(p, "", "blocked-domains"), "%s", all);
	on_error = rg_policy_get_value(p, "on-error");
	ck_assert_str_eq(on_error, "ask");
	log = rg_policy_get_value(p, "decision-log");
	ck_assert_str_eq(log, "");
}
END_TEST

/* the rules are looked up by hash: the first rule in list order still wins, on a dot
 * boundary, and rules added after a lookup are found */
START_TEST(test_policy_rules_indexed)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *first = tmp_file(&t,
	                                  "a.conf",
	                                  "[policy]\nblocked-domains=Sub.Example.com;example.com\n"
	                                  "trusted-domains=boss@partner.example;partner.example\n",
	                                  -1);
	g_autofree char *second =
	    tmp_file(&t, "b.conf", "[policy]\nblocked-domains=late.example\n", -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	const RgPolicyRule *rule;

	ck_assert(rg_policy_load_file(p, first, NULL));
	rule = rg_policy_match_blocked(p, "a.sub.example.com");
	ck_assert_ptr_nonnull(rule);
	ck_assert_str_eq(rule->ascii, "sub.example.com");
	rule = rg_policy_match_blocked(p, "other.EXAMPLE.com");
	ck_assert_ptr_nonnull(rule);
	ck_assert_str_eq(rule->ascii, "example.com");
	ck_assert_ptr_null(rg_policy_match_blocked(p, "notexample.com"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "late.example"));
	rule = rg_policy_match_trusted(p, "Boss", "partner.example");
	ck_assert_ptr_nonnull(rule);
	ck_assert(rule->is_address);
	rule = rg_policy_match_trusted(p, "someone", "mail.partner.example");
	ck_assert_ptr_nonnull(rule);
	ck_assert(!rule->is_address);
	ck_assert(rg_policy_load_file(p, second, NULL));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "late.example"));
}
END_TEST

START_TEST(test_policy_problems_are_data)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path =
	    tmp_file(&t, "policy.conf", "[policy]\nfrobnicate=1\nlog-only=sometimes\n", -1);
	g_autofree char *missing = g_build_filename(t.dir, "sub", NULL);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(RgPolicy) dir = rg_policy_new();
	g_autoptr(GError) error = NULL;
	GPtrArray *problems;
	const RgProblem *unknown, *bad;

	ck_assert(rg_policy_load_file(p, path, NULL));
	problems = rg_policy_get_problems(p);
	ck_assert_uint_eq(problems->len, 2);
	unknown = g_ptr_array_index(problems, 0);
	bad = g_ptr_array_index(problems, 1);
	ck_assert_str_eq(unknown->file, path);
	ck_assert_uint_eq(unknown->line, 2);
	ck_assert_str_eq(unknown->key, "frobnicate");
	ck_assert_int_eq(unknown->severity, RG_PROBLEM_WARNING);
	ck_assert_str_eq(unknown->message, "unknown key, ignored");
	ck_assert_uint_eq(bad->line, 3);
	ck_assert_str_eq(bad->key, "log-only");
	ck_assert_int_eq(bad->severity, RG_PROBLEM_ERROR);
	ck_assert_ptr_nonnull(strstr(bad->message, "true or false"));
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 1);
	/* a copy is a copy */
	{
		g_autoptr(RgProblem) copy = rg_problem_copy(bad);
		g_autofree char *a = rg_problem_to_string(copy);
		g_autofree char *b = rg_problem_to_string(bad);
		ck_assert_str_eq(a, b);
		ck_assert_ptr_ne(copy->message, bad->message);
	}
	/* a file that cannot be read: the problem is the file's, without a line or key; the
	 * error names the file */
	ck_assert_int_eq(g_mkdir(missing, 0700), 0);
	{
		g_autofree char *conf = g_build_filename(missing, "rcptguard", NULL);
		g_autofree char *file = g_build_filename(conf, "policy.conf", NULL);
		ck_assert_int_eq(g_mkdir_with_parents(file, 0700), 0);
		ck_assert(!rg_policy_load_file(dir, file, &error));
		ck_assert(g_str_has_prefix(error->message, "cannot read "));
		problems = rg_policy_get_problems(dir);
		ck_assert_uint_eq(problems->len, 1);
		bad = g_ptr_array_index(problems, 0);
		ck_assert_str_eq(bad->file, file);
		ck_assert_uint_eq(bad->line, 0);
		ck_assert_ptr_null(bad->key);
		ck_assert_str_eq(bad->message, "not a regular file");
	}
}
END_TEST

START_TEST(test_policy_unknown_keys_are_warnings)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path =
	    tmp_file(&t,
	             "policy.conf",
	             "# comment\n[policy]\nblocked-domains=.ml\n\nfrobnicate=1\n"
	             "protected-domain=typo.mil\nlevel-nonsense=warn\nenabled[de]=true\n"
	             "[network]\nproxy=x\n",
	             -1);
	g_autofree char *p5 = g_strdup_printf("%s:5: frobnicate: unknown key", path);
	g_autofree char *p6 = g_strdup_printf("%s:6: protected-domain: unknown key", path);
	g_autofree char *p7 = g_strdup_printf("%s:7: level-nonsense: unknown key", path);
	g_autofree char *p8 = g_strdup_printf("%s:8: enabled[de]: unknown key", path);
	g_autofree char *p9 = g_strdup_printf("%s:9: unknown group [network]", path);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *all = NULL;

	ck_assert(rg_policy_load_file(p, path, NULL));
	all = problems_text(p);
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 0);
	ck_assert_msg(rg_policy_get_problems(p)->len == 5, "%s", all);
	ck_assert_msg(has_problem(p, p5, NULL), "%s", all);
	ck_assert_msg(has_problem(p, p6, NULL), "%s", all);
	ck_assert_msg(has_problem(p, p7, NULL), "%s", all);
	ck_assert_msg(has_problem(p, p8, NULL), "%s", all);
	ck_assert_msg(has_problem(p, p9, NULL), "%s", all);
	/* in line order */
	{
		g_autofree char *first = problem_text(p, 0);
		g_autofree char *last = problem_text(p, 4);
		ck_assert(g_str_has_prefix(first, p5));
		ck_assert(g_str_has_prefix(last, p9));
	}
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.ml"));
}
END_TEST

START_TEST(test_policy_bad_lines_keep_the_rest)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t,
	                                 "policy.conf",
	                                 "orphan=1\r\n"
	                                 "[policy]\r\n"
	                                 "this is not a key file line\r\n"
	                                 "[broken\r\n"
	                                 "=novalue\r\n"
	                                 "blocked-domains=.ml\r\n"
	                                 "allow-override=perhaps\r\n",
	                                 -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *all = NULL;
	const char *expect[] = {":1: orphan: key before",
	                        ":3: not a key=value",
	                        ":4: ",
	                        ":5: ",
	                        ":7: allow-override: "};

	ck_assert(rg_policy_load_file(p, path, NULL));
	all = problems_text(p);
	ck_assert_msg(rg_policy_get_n_errors(p) == 5, "%s", all);
	for (guint i = 0; i < G_N_ELEMENTS(expect); i++) {
		g_autofree char *prefix = g_strconcat(path, expect[i], NULL);
		ck_assert_msg(has_problem(p, prefix, NULL), "no %s in\n%s", prefix, all);
	}
	/* the valid line still applies, with its CR stripped */
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.ml"));
	ck_assert(!rg_policy_get_allow_override(p));
}
END_TEST

START_TEST(test_policy_invalid_utf8)
{
	g_auto(RgTmp) t = {0};
	const char text[] = "[policy]\nprotected-domains=army.mil\nblocked-domains=\xff\xfe.ml\n"
	                    "trusted-domains=ok.org\nenabled=tr\0ue\n";
	g_autofree char *path = tmp_file(&t, "policy.conf", text, sizeof(text) - 1);
	g_autofree char *p3 = NULL;
	g_autofree char *p5 = NULL;
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *all = NULL;

	p3 = g_strdup_printf("%s:3: invalid UTF-8", path);
	p5 = g_strdup_printf("%s:5: invalid UTF-8", path);
	ck_assert(rg_policy_load_file(p, path, NULL));
	all = problems_text(p);
	ck_assert_msg(has_problem(p, p3, NULL), "%s", all);
	ck_assert_msg(has_problem(p, p5, NULL), "%s", all);
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 2);
	/* the lines around still count */
	ck_assert_ptr_nonnull(rg_policy_match_protected(p, "army.mil"));
	ck_assert_ptr_nonnull(rg_policy_match_trusted(p, NULL, "ok.org"));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "x.ml"));
	ck_assert(rg_policy_get_enabled(p));
}
END_TEST

START_TEST(test_policy_huge_file)
{
	g_auto(RgTmp) t = {0};
	gsize n = RG_POLICY_MAX_SIZE + 100;
	g_autofree char *text = g_malloc(n);
	g_autofree char *path = NULL;
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;

	const char *head = "[policy]\nblocked-domains=.ml\n#";
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), 'x', n - strlen(head));
	path = tmp_file(&t, "policy.conf", text, (gssize)n);
	ck_assert(!rg_policy_load_file(p, path, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY));
	ck_assert_ptr_nonnull(strstr(error->message, "too large"));
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 1);
	ck_assert(has_problem(p, path, "too large"));
	/* nothing of it is used */
	ck_assert_ptr_null(rg_policy_match_blocked(p, "x.ml"));
}
END_TEST

START_TEST(test_policy_unreadable)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t, "x", "", -1);
	g_autofree char *dir_policy = g_build_filename(t.dir, "policy.conf", NULL);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;

	/* root reads anything whatever the mode: a directory where the file should be is
	 * unreadable for everybody */
	ck_assert_int_eq(g_mkdir(dir_policy, 0700), 0);
	ck_assert(!rg_policy_load_file(p, dir_policy, &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
	ck_assert(has_problem(p, dir_policy, NULL));
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 1);

	if (geteuid() != 0) {
		g_autoptr(RgPolicy) q = rg_policy_new();
		g_autofree char *locked = tmp_file(&t, "locked.conf", "[policy]\n", -1);
		g_clear_error(&error);
		ck_assert_int_eq(g_chmod(locked, 0), 0);
		ck_assert(!rg_policy_load_file(q, locked, &error));
		ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
		ck_assert(has_problem(q, locked, "ermission"));
	}
}
END_TEST

START_TEST(test_policy_missing_file)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;
	ck_assert(!rg_policy_load_file(p, "/nonexistent/policy.conf", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_NOT_FOUND));
	/* a missing file is normal for the system and user layers: not a problem */
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
}
END_TEST

/* ------------------------------------------------------------------ layers */

START_TEST(test_policy_system_dirs)
{
	g_autoptr(RgPolicy) p = rg_policy_new();
	/* XDG_CONFIG_DIRS points into the build tree in the test environment: nothing there */
	ck_assert(rg_policy_load_system(p, NULL));
	ck_assert_ptr_null(rg_policy_match_blocked(p, "army.ml"));
}
END_TEST

START_TEST(test_policy_layer_order)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *a = tmp_file(
	    &t, "a/rcptguard/policy.conf", "[policy]\non-error=block\nblocked-domains=.ml\n", -1);
	g_autofree char *b = tmp_file(&t,
	                              "b/rcptguard/policy.conf",
	                              "[policy]\non-error=allow\nallow-override=true\n"
	                              "level-first-contact=warn\nblocked-domains=.tk\n",
	                              -1);
	g_autofree char *user = tmp_file(&t,
	                                 "home/settings.conf",
	                                 "[policy]\nlevel-first-contact=notice\n"
	                                 "blocked-domains=.cm\n",
	                                 -1);
	g_autofree char *dir_a = g_build_filename(t.dir, "a", NULL);
	g_autofree char *dir_b = g_build_filename(t.dir, "b", NULL);
	g_autofree char *dir_none = g_build_filename(t.dir, "none", NULL);
	const char *dirs[] = {dir_a, dir_none, dir_b, NULL};
	g_autoptr(RgPolicy) p = rg_policy_new();
	RgLevel level;
	g_autofree char *blocked = NULL;

	ck_assert(rg_policy_load_system_dirs(p, NULL, dirs, NULL));
	/* the first directory is the most important */
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert_str_eq(rg_policy_get_origin(p, "on-error"), a);
	/* what it does not set comes from the others */
	ck_assert(rg_policy_get_allow_override(p));
	ck_assert_str_eq(rg_policy_get_origin(p, "allow-override"), b);
	ck_assert(rg_policy_load_user_file(p, user, NULL));
	/* the user settings come last */
	ck_assert(rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_int_eq(level, RG_LEVEL_NOTICE);
	ck_assert_str_eq(rg_policy_get_origin(p, "level-first-contact"), user);
	/* lists add up over the layers */
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.ml"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.tk"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.cm"));
	blocked = rg_policy_get_value(p, "blocked-domains");
	ck_assert_str_eq(blocked, ".tk;.ml;.cm");
	ck_assert_ptr_nonnull(strstr(rg_policy_get_origin(p, "blocked-domains"), user));
	ck_assert_ptr_nonnull(strstr(rg_policy_get_origin(p, "blocked-domains"), a));
	/* nothing was locked */
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);
	ck_assert_ptr_null(rg_policy_get_locked_by(p, "on-error"));
}
END_TEST

/* ------------------------------------------------------------------ locks */

static RgPolicy *
locked_policy(RgTmp *t, const char *system, const char *user, char **sys_path, char **user_path)
{
	RgPolicy *p = rg_policy_new();
	*sys_path = tmp_file(t, "etc/policy.conf", system, -1);
	*user_path = tmp_file(t, "home/settings.conf", user, -1);
	ck_assert(rg_policy_load_file(p, *sys_path, NULL));
	ck_assert(rg_policy_load_user_file(p, *user_path, NULL));
	return p;
}

START_TEST(test_policy_locks_against_user_settings)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *sys = NULL;
	g_autofree char *user = NULL;
	g_autoptr(RgPolicy) p =
	    locked_policy(&t,
	                  "[policy]\nallow-override=false\nlevel-lookalike=warn\non-error=ask\n"
	                  "trusted-domains=partner.org\nblocked-domains=.ml\n"
	                  "locked-keys=allow-override;level-*;on-error;trusted-domains;"
	                  "blocked-domains;enabled\n",
	                  "[policy]\nallow-override=true\nlevel-lookalike=notice\n"
	                  "level-first-contact=warn\non-error=allow\ntrusted-domains=evil.org\n"
	                  "blocked-domains=.tk\nenabled=false\nlocked-keys=allow-trust\n"
	                  "allow-trust=false\nlevel-tld-swap=block\n",
	                  &sys,
	                  &user);
	RgLevel level;
	g_autofree char *all = problems_text(p);

	/* looser values are ignored, and said so with the file that locks them */
	ck_assert(!rg_policy_get_allow_override(p));
	ck_assert_str_eq(rg_policy_get_locked_by(p, "allow-override"), sys);
	ck_assert_str_eq(rg_policy_get_origin(p, "allow-override"), sys);
	ck_assert(rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_ASK);
	ck_assert_ptr_null(rg_policy_match_trusted(p, NULL, "evil.org"));
	ck_assert(rg_policy_get_enabled(p));
	for (guint line = 2; line <= 9; line++) {
		const char *keys[] = {"allow-override",
		                      "level-lookalike",
		                      "level-first-contact",
		                      "on-error",
		                      "trusted-domains",
		                      NULL,
		                      "enabled",
		                      "locked-keys"};
		g_autofree char *prefix = NULL;
		if (keys[line - 2] == NULL)
			continue;
		prefix = g_strdup_printf("%s:%u: %s: ", user, line, keys[line - 2]);
		ck_assert_msg(has_problem(p, prefix, NULL), "no %s in\n%s", prefix, all);
	}
	ck_assert_msg(rg_policy_get_problems(p)->len == 7, "%s", all);
	ck_assert(has_problem(p, user, sys));
	/* a level locked at "auto" depends on the score: only block is surely stricter */
	ck_assert(!rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert(rg_policy_get_level_override(p, "tld-swap", &level));
	ck_assert_int_eq(level, RG_LEVEL_BLOCK);
	/* more blocked domains are stricter */
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.tk"));
	/* the user cannot lock, but may turn trusting off for themselves */
	ck_assert_ptr_null(rg_policy_get_locked_by(p, "allow-trust"));
	ck_assert(!rg_policy_get_allow_trust(p));
	/* warnings, not errors: the user's file is well-formed */
	ck_assert_uint_eq(rg_policy_get_n_errors(p), 0);
}
END_TEST

START_TEST(test_policy_locks_stricter_allowed)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *sys = NULL;
	g_autofree char *user = NULL;
	g_autoptr(RgPolicy) p =
	    locked_policy(&t,
	                  "[policy]\nallow-override=true\nlevel-lookalike=notice\non-error=allow\n"
	                  "log-only=true\nlocked-keys=*\n",
	                  "[policy]\nallow-override=false\nlevel-lookalike=warn\non-error=block\n"
	                  "log-only=false\nlevel-tld-swap=block\nlevel-risky-tld=notice\n"
	                  "notmuch=false\n",
	                  &sys,
	                  &user);
	RgLevel level;
	g_autofree char *all = problems_text(p);

	ck_assert(!rg_policy_get_allow_override(p));
	ck_assert(rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert(!rg_policy_get_log_only(p));
	/* "auto" locked: block is always at least as strict, notice is not */
	ck_assert(rg_policy_get_level_override(p, "tld-swap", &level));
	ck_assert_int_eq(level, RG_LEVEL_BLOCK);
	ck_assert(!rg_policy_get_level_override(p, "risky-tld", &level));
	/* notmuch has no stricter side: a locked value stays */
	ck_assert(rg_policy_get_read_notmuch(p));
	ck_assert_msg(rg_policy_get_problems(p)->len == 2, "%s", all);
	ck_assert_str_eq(rg_policy_get_locked_by(p, "decision-log"), sys);
	ck_assert_ptr_null(rg_policy_get_locked_by(p, "locked-keys"));
}
END_TEST

/* a key set twice used to be the last one silently: "locked-keys=" after "locked-keys=*"
 * unlocked everything, "blocked-domains=" after ".ml" emptied the block list */
START_TEST(test_policy_repeated_keys)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *path = tmp_file(&t,
	                                 "policy.conf",
	                                 "[policy]\n"
	                                 "locked-keys=*\n"
	                                 "blocked-domains=.ml\n"
	                                 "enabled=false\n"
	                                 "locked-keys=\n"
	                                 "blocked-domains=\n"
	                                 "enabled=true\n"
	                                 "on-error=block\n"
	                                 "on-error=allow\n"
	                                 "level-lookalike=notice\n"
	                                 "level-lookalike=block\n"
	                                 "trusted-domains=a.org;b.org;x@c.org\n"
	                                 "trusted-domains=b.org;X@C.org;d.org\n"
	                                 "decision-log=/var/log/a.log\n"
	                                 "decision-log=/var/log/b.log\n"
	                                 "[policy]\n"
	                                 "allow-trust = false\n"
	                                 "allow-trust = true\n",
	                                 -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *all = NULL;
	g_autofree char *trusted = NULL;
	RgLevel level;
	struct {
		guint line, first;
		const char *key;
	} repeats[] = {
	    {5, 2, "locked-keys"},
	    {6, 3, "blocked-domains"},
	    {7, 4, "enabled"},
	    {9, 8, "on-error"},
	    {11, 10, "level-lookalike"},
	    {13, 12, "trusted-domains"},
	    {15, 14, "decision-log"},
	    {18, 17, "allow-trust"},
	};

	ck_assert(rg_policy_load_file(p, path, NULL));
	all = problems_text(p);
	/* each repeat is an error that names both lines */
	for (guint i = 0; i < G_N_ELEMENTS(repeats); i++) {
		g_autofree char *prefix =
		    g_strdup_printf("%s:%u: %s: ", path, repeats[i].line, repeats[i].key);
		g_autofree char *first = g_strdup_printf("line %u", repeats[i].first);
		ck_assert_msg(
		    has_problem(p, prefix, first), "no %s … %s in\n%s", prefix, first, all);
	}
	ck_assert_uint_eq(rg_policy_get_n_errors(p), G_N_ELEMENTS(repeats));
	/* and the stricter value applies until it is fixed */
	ck_assert_str_eq(rg_policy_get_locked_by(p, "enabled"), path);
	ck_assert_str_eq(rg_policy_get_locked_by(p, "trusted-domains"), path);
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "army.ml"));
	ck_assert(rg_policy_get_enabled(p));
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert(rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert_int_eq(level, RG_LEVEL_BLOCK);
	ck_assert(!rg_policy_get_allow_trust(p));
	/* trusted: only what both lines name */
	trusted = rg_policy_get_value(p, "trusted-domains");
	ck_assert_str_eq(trusted, "b.org;x@c.org");
	ck_assert_ptr_null(rg_policy_match_trusted(p, "x", "a.org"));
	ck_assert_ptr_null(rg_policy_match_trusted(p, "x", "d.org"));
	/* two paths have no order: the first one stays */
	ck_assert_str_eq(rg_policy_get_decision_log(p), "/var/log/a.log");
}
END_TEST

/* the same in the user settings: a repeat cannot undo the stricter value either */
START_TEST(test_policy_repeated_keys_user)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *user = tmp_file(&t,
	                                 "settings.conf",
	                                 "[policy]\nlevel-first-contact=warn\n"
	                                 "level-first-contact=off\nblocked-domains=.tk\n"
	                                 "blocked-domains=\n",
	                                 -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autofree char *want = g_strdup_printf("%s:3: level-first-contact: ", user);
	g_autofree char *text = NULL;
	RgLevel level;

	ck_assert(rg_policy_load_user_file(p, user, NULL));
	ck_assert(has_problem(p, want, "line 2"));
	ck_assert(rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.tk"));
	/* `policy set` leaves the key once, so that the value set is the one that applies */
	ck_assert(rg_policy_set_user_value(p, "level-first-contact", "notice", NULL));
	ck_assert(g_file_get_contents(user, &text, NULL, NULL));
	ck_assert_msg(strstr(text, "level-first-contact=notice") != NULL &&
	                  strstr(text, "level-first-contact=warn") == NULL &&
	                  strstr(text, "level-first-contact=off") == NULL,
	              "%s",
	              text);
	ck_assert(rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_int_eq(level, RG_LEVEL_NOTICE);
}
END_TEST

/* GKeyFile cuts a line at a NUL byte: `policy set` would have written back what was left */
START_TEST(test_policy_set_keeps_unreadable_settings)
{
	g_auto(RgTmp) t = {0};
	static const char text[] = "[policy]\nblocked-domains=.tk\0;.ml\nenabled=true\n";
	g_autofree char *user = tmp_file(&t, "settings.conf", text, sizeof text - 1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *after = NULL;
	gsize len = 0;

	rg_policy_load_user_file(p, user, NULL);
	ck_assert(!rg_policy_set_user_value(p, "level-first-contact", "warn", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY));
	ck_assert_msg(strstr(error->message, "line 2") != NULL, "%s", error->message);
	ck_assert(g_file_get_contents(user, &after, &len, NULL));
	ck_assert_uint_eq(len, sizeof text - 1);
	ck_assert(memcmp(after, text, len) == 0);
}
END_TEST

/* A user ran with XDG_CONFIG_DIRS=$HOME/mine:/etc/xdg and enabled=false in
 * $HOME/mine/rcptguard/policy.conf: the checks were off although /etc/xdg locked them on.
 * The trusted directory is injected here; in the product it is /etc/xdg and the sysconfdir. */
static RgPolicy *
environment_policy(RgTmp *t, const char *trusted_text, const char *env_text, char **env_path)
{
	g_autofree char *sys = tmp_file(t, "etc-xdg/rcptguard/policy.conf", trusted_text, -1);
	g_autofree char *mine = tmp_file(t, "mine/rcptguard/policy.conf", env_text, -1);
	g_autofree char *trusted_dir = g_build_filename(t->dir, "etc-xdg", NULL);
	g_autofree char *mine_dir = g_build_filename(t->dir, "mine", NULL);
	/* the trusted directory also in the list, spelled differently: it is read once */
	g_autofree char *trusted_again = g_strconcat(trusted_dir, "/", NULL);
	const char *trusted[] = {trusted_dir, NULL};
	const char *dirs[] = {mine_dir, trusted_again, NULL};
	RgPolicy *p = rg_policy_new();

	ck_assert(rg_policy_load_system_dirs(p, trusted, dirs, NULL));
	*env_path = g_steal_pointer(&mine);
	return p;
}

static const char rg_trusted_locks[] = "[policy]\n"
                                       "enabled=true\n"
                                       "blocked-domains=.ml\n"
                                       "allow-override=false\n"
                                       "on-error=ask\n"
                                       "level-lookalike=warn\n"
                                       "locked-keys=enabled;blocked-domains;allow-override;"
                                       "on-error;trusted-domains;level-lookalike\n";

START_TEST(test_policy_environment_cannot_weaken_locks)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *mine = NULL;
	g_autoptr(RgPolicy) p = environment_policy(&t,
	                                           rg_trusted_locks,
	                                           "[policy]\nenabled=false\nallow-override=true\n"
	                                           "on-error=allow\ntrusted-domains=army.ml\n"
	                                           "level-lookalike=off\nlocked-keys=\n"
	                                           "log-only=true\n",
	                                           &mine);
	g_autofree char *all = problems_text(p);
	g_autoptr(RgScorer) scorer = rg_scorer_new(NULL, p, NULL);
	const char *to[] = {"gen.smith@army.ml", NULL};
	g_autoptr(RgReport) report = rg_scorer_check(scorer, to, NULL);
	GPtrArray *reasons;
	RgLevel level;

	ck_assert(rg_policy_get_enabled(p));
	ck_assert(!rg_policy_get_allow_override(p));
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_ASK);
	ck_assert_ptr_null(rg_policy_match_trusted(p, "gen.smith", "army.ml"));
	ck_assert(rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert_ptr_nonnull(rg_policy_get_locked_by(p, "enabled"));
	/* each refusal is said, with the file that tried */
	for (guint line = 2; line <= 6; line++) {
		g_autofree char *prefix = g_strdup_printf("%s:%u: ", mine, line);
		ck_assert_msg(has_problem(p, prefix, "locked"), "no %s in\n%s", prefix, all);
	}
	/* a key the trusted policy does not lock: other directories may still set it */
	ck_assert(rg_policy_get_log_only(p));
	/* the check is on and still blocks .ml (log-only, which was not locked, keeps it from
	 * interrupting) */
	reasons = rg_verdict_get_reasons(rg_report_get_verdict(report, 0));
	ck_assert_uint_gt(reasons->len, 0);
	ck_assert_str_eq(rg_reason_get_code(g_ptr_array_index(reasons, 0)), "blocked-tld");
	ck_assert_int_eq(rg_reason_get_level(g_ptr_array_index(reasons, 0)), RG_LEVEL_BLOCK);
	for (guint i = 0; i < rg_report_get_notices(report)->len; i++)
		ck_assert_ptr_null(
		    strstr(g_ptr_array_index(rg_report_get_notices(report), i), "turned off"));
}
END_TEST

START_TEST(test_policy_environment_may_be_stricter)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *mine = NULL;
	g_autoptr(RgPolicy) p =
	    environment_policy(&t,
	                       rg_trusted_locks,
	                       "[policy]\non-error=block\nblocked-domains=.tk\n"
	                       "level-lookalike=block\nlevel-first-contact=warn\n"
	                       "locked-keys=level-first-contact\n",
	                       &mine);
	g_autofree char *user =
	    tmp_file(&t, "settings.conf", "[policy]\nlevel-first-contact=off\n", -1);
	g_autofree char *all = NULL;
	RgLevel level;

	ck_assert(rg_policy_load_user_file(p, user, NULL));
	all = problems_text(p);
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.ml"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.tk"));
	ck_assert(rg_policy_get_level_override(p, "lookalike", &level));
	ck_assert_int_eq(level, RG_LEVEL_BLOCK);
	/* and what it locks holds against the user settings */
	ck_assert_str_eq(rg_policy_get_locked_by(p, "level-first-contact"), mine);
	ck_assert(rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_int_eq(level, RG_LEVEL_WARN);
	ck_assert_msg(
	    rg_policy_get_problems(p)->len == 1 && has_problem(p, user, "locked"), "%s", all);
}
END_TEST

START_TEST(test_policy_set_user_value)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *sys = NULL;
	g_autofree char *user = NULL;
	g_autoptr(RgPolicy) p = locked_policy(
	    &t,
	    "[policy]\nallow-override=false\nlocked-keys=allow-override;trusted-domains\n",
	    "# my settings\n[policy]\n# keep this\nlevel-first-contact=warn\n",
	    &sys,
	    &user);
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	GStatBuf st;
	RgLevel level;

	/* locked and looser: refused, naming the file */
	ck_assert(!rg_policy_set_user_value(p, "allow-override", "true", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert_ptr_nonnull(strstr(error->message, sys));
	g_clear_error(&error);
	ck_assert(!rg_policy_set_user_value(p, "trusted-domains", "x.org", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	g_clear_error(&error);
	/* bad values and keys */
	ck_assert(!rg_policy_set_user_value(p, "on-error", "sometimes", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY));
	g_clear_error(&error);
	ck_assert(!rg_policy_set_user_value(p, "blocked-domains", "good.org;bad domain", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_POLICY));
	g_clear_error(&error);
	ck_assert(!rg_policy_set_user_value(p, "frobnicate", "1", &error));
	g_clear_error(&error);
	ck_assert(!rg_policy_set_user_value(p, "locked-keys", "enabled", &error));
	g_clear_error(&error);
	ck_assert(!rg_policy_set_user_value(p, "on-error", "ask\nenabled=false", &error));
	g_clear_error(&error);
	g_file_get_contents(user, &text, NULL, NULL);
	ck_assert_str_eq(text, "# my settings\n[policy]\n# keep this\nlevel-first-contact=warn\n");
	g_clear_pointer(&text, g_free);

	/* allowed: written, comments kept, applied at once */
	ck_assert_msg(rg_policy_set_user_value(p, "allow-override", "false", &error),
	              "%s",
	              error ? error->message : "");
	ck_assert(rg_policy_set_user_value(p, "blocked-domains", ".tk;evil.org", NULL));
	ck_assert(rg_policy_set_user_value(p, "on-error", "block", NULL));
	ck_assert(rg_policy_set_user_value(p, "level-first-contact", NULL, NULL));
	ck_assert(g_file_get_contents(user, &text, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(text, "# keep this"));
	ck_assert_ptr_nonnull(strstr(text, "blocked-domains=.tk;evil.org"));
	ck_assert_ptr_null(strstr(text, "level-first-contact"));
	ck_assert_ptr_nonnull(rg_policy_match_blocked(p, "x.tk"));
	ck_assert_int_eq(rg_policy_get_on_error(p), RG_POLICY_ON_ERROR_BLOCK);
	ck_assert(!rg_policy_get_level_override(p, "first-contact", &level));
	ck_assert_str_eq(rg_policy_get_origin(p, "on-error"), user);
	ck_assert_uint_eq(rg_policy_get_problems(p)->len, 0);

	/* a new file is private */
	{
		g_autoptr(RgPolicy) q = rg_policy_new();
		g_autofree char *fresh =
		    g_build_filename(t.dir, "new", "dir", "settings.conf", NULL);
		ck_assert(!rg_policy_load_user_file(q, fresh, NULL));
		ck_assert(rg_policy_set_user_value(q, "log-only", "true", NULL));
		ck_assert_int_eq(g_stat(fresh, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0600);
		ck_assert(rg_policy_get_log_only(q));
	}
	/* without a user file there is nowhere to write */
	{
		g_autoptr(RgPolicy) q = rg_policy_new();
		ck_assert(!rg_policy_set_user_value(q, "log-only", "true", &error));
		ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_FAILED));
	}
}
END_TEST

/* ------------------------------------------------------------------ trust */

START_TEST(test_policy_trust_decisions)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *open = tmp_file(&t, "open.conf", "[policy]\nblocked-domains=.ml\n", -1);
	g_autofree char *off = tmp_file(&t, "off.conf", "[policy]\nallow-trust=false\n", -1);
	g_autofree char *locked =
	    tmp_file(&t,
	             "locked.conf",
	             "[policy]\ntrusted-domains=a.org\nlocked-keys=trusted-domains\n",
	             -1);
	g_autoptr(RgPolicy) p = rg_policy_new();
	g_autoptr(RgPolicy) q = rg_policy_new();
	g_autoptr(RgPolicy) r = rg_policy_new();
	g_autoptr(GError) error = NULL;

	ck_assert(rg_policy_load_file(p, open, NULL));
	ck_assert(rg_policy_check_trust(p, "friend@example.org", NULL));
	ck_assert(rg_policy_check_trust(p, "example.org", NULL));
	/* a blocked domain is never trusted */
	ck_assert(!rg_policy_check_trust(p, "x@army.ml", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert_ptr_nonnull(strstr(error->message, open));
	g_clear_error(&error);
	ck_assert(!rg_policy_check_trust(p, "sub.army.ml", &error));
	g_clear_error(&error);
	ck_assert(!rg_policy_check_trust(p, "not a domain", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS));
	g_clear_error(&error);

	ck_assert(rg_policy_load_file(q, off, NULL));
	ck_assert(!rg_policy_check_trust(q, "example.org", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert_ptr_nonnull(strstr(error->message, off));
	g_clear_error(&error);

	ck_assert(rg_policy_load_file(r, locked, NULL));
	ck_assert(!rg_policy_check_trust(r, "example.org", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert_ptr_nonnull(strstr(error->message, locked));
}
END_TEST

static RgSession *
session_with(RgTmp *t, const char *policy_text, const char *settings_text)
{
	RgSession *s = rg_session_new();
	g_autofree char *policy = tmp_file(t, "session/policy.conf", policy_text, -1);
	g_autofree char *settings = settings_text != NULL
	                                ? tmp_file(t, "session/settings.conf", settings_text, -1)
	                                : g_build_filename(t->dir, "session", "none.conf", NULL);
	g_autoptr(GError) error = NULL;
	rg_session_set_policy_file(s, policy);
	rg_session_set_settings_file(s, settings);
	ck_assert_msg(rg_session_load(s, &error), "%s", error ? error->message : "");
	return s;
}

START_TEST(test_policy_session_trust_refused)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) s =
	    session_with(&t,
	                 "[policy]\nallow-trust=false\nlocked-keys=allow-trust\n",
	                 "[policy]\nallow-trust=true\n");
	g_autoptr(GError) error = NULL;
	guint before = rg_history_get_n_domains(rg_session_get_history(s));

	ck_assert(!rg_policy_get_allow_trust(rg_session_get_policy(s)));
	ck_assert(!rg_session_trust(s, "stranger.example", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	ck_assert_uint_eq(rg_history_get_n_domains(rg_session_get_history(s)), before);
}
END_TEST

START_TEST(test_policy_session_trust_never_unblocks)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) s = session_with(&t, "[policy]\nblocked-domains=.ml\n", NULL);
	g_autoptr(GError) error = NULL;
	const char *to[] = {"gen@army.ml", NULL};
	g_autoptr(RgReport) report = NULL;

	ck_assert(!rg_session_trust(s, "army.ml", &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_LOCKED));
	/* even a trust entry that got into the history does not beat the block */
	ck_assert(rg_history_trust_domain(rg_session_get_history(s), "army.ml", NULL));
	report = rg_session_check(s, to, NULL);
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_BLOCK);
}
END_TEST

/* ------------------------------------------------------------------ in the scorer */

static RgLevel
level_of(RgSession *s, const char *address, const char **first_code)
{
	const char *to[] = {address, NULL};
	g_autoptr(RgReport) report = rg_session_check(s, to, NULL);
	RgVerdict *v = rg_report_get_verdict(report, 0);
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	if (first_code != NULL)
		*first_code =
		    reasons->len > 0
		        ? g_intern_string(rg_reason_get_code(g_ptr_array_index(reasons, 0)))
		        : NULL;
	return rg_verdict_get_level(v);
}

START_TEST(test_policy_levels_in_scorer)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) plain =
	    session_with(&t, "[policy]\nprotected-domains=army.mil\n", NULL);
	g_autoptr(RgSession) strict = NULL;
	g_autoptr(RgSession) lax = NULL;
	const char *code = NULL;

	/* the defaults */
	ck_assert_int_eq(level_of(plain, "x@example.org", &code), RG_LEVEL_NOTICE);
	ck_assert_str_eq(code, "first-contact");
	ck_assert_int_eq(level_of(plain, "x@army.ml", NULL), RG_LEVEL_WARN);

	/* an "every external domain" policy */
	strict = session_with(&t,
	                      "[policy]\nprotected-domains=army.mil\nlevel-first-contact=warn\n"
	                      "level-tld-typo=block\n",
	                      NULL);
	ck_assert_int_eq(level_of(strict, "x@example.org", &code), RG_LEVEL_WARN);
	ck_assert_int_eq(level_of(strict, "x@army.ml", NULL), RG_LEVEL_BLOCK);
	ck_assert_int_eq(level_of(strict, "x@army.mil", NULL), RG_LEVEL_OK);

	/* lowered and switched off */
	lax = session_with(&t,
	                   "[policy]\nprotected-domains=army.mil\nlevel-first-contact=off\n"
	                   "level-tld-typo=notice\nlevel-risky-tld=notice\n",
	                   NULL);
	ck_assert_int_eq(level_of(lax, "x@example.org", &code), RG_LEVEL_OK);
	ck_assert_ptr_null(code);
	ck_assert_int_eq(level_of(lax, "x@army.ml", NULL), RG_LEVEL_NOTICE);
}
END_TEST

START_TEST(test_policy_risky_pairs_in_scorer)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) plain =
	    session_with(&t, "[policy]\nprotected-domains=firma.dk;army.mil\n", NULL);
	g_autoptr(RgSession) paired = NULL;
	const char *code = NULL;

	ck_assert_int_eq(level_of(plain, "x@random.de", &code), RG_LEVEL_NOTICE);
	ck_assert_str_eq(code, "first-contact");
	paired = session_with(
	    &t, "[policy]\nprotected-domains=firma.dk;army.mil\nrisky-tld-pairs=de:dk\n", NULL);
	ck_assert_int_eq(level_of(paired, "x@random.de", &code), RG_LEVEL_WARN);
	ck_assert_str_eq(code, "risky-tld");
	/* the built-in pairs still apply */
	ck_assert_int_eq(level_of(paired, "x@random.il", &code), RG_LEVEL_WARN);
	ck_assert_str_eq(code, "risky-tld");
}
END_TEST

START_TEST(test_policy_disabled)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) off =
	    session_with(&t, "[policy]\nblocked-domains=.ml\n", "[policy]\nenabled=false\n");
	const char *to[] = {"x@army.ml", NULL};
	g_autoptr(RgReport) report = rg_session_check(off, to, NULL);
	GPtrArray *notices = rg_report_get_notices(report);

	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_OK);
	ck_assert_uint_eq(rg_verdict_get_reasons(rg_report_get_verdict(report, 0))->len, 0);
	ck_assert_uint_eq(notices->len, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 0), "turned off"));
}
END_TEST

START_TEST(test_policy_decision_log)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *log = NULL;
	g_autofree char *policy = NULL;
	g_autoptr(RgSession) s = NULL;
	const char *to[] = {"Secret Name <gen@army.ml>", "ok@army.mil", "x@example.org", NULL};
	g_autoptr(RgReport) report = NULL;
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_auto(GStrv) fields = NULL;
	GStatBuf st;

	t.dir = g_dir_make_tmp("rg-test-XXXXXX", NULL);
	log = g_build_filename(t.dir, "audit", "decisions.log", NULL);
	policy = g_strdup_printf("[policy]\nprotected-domains=army.mil\nlog-only=true\n"
	                         "decision-log=%s\n",
	                         log);
	s = session_with(&t, policy, NULL);
	report = rg_session_check(s, to, NULL);
	/* nothing interrupts */
	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_NOTICE);
	ck_assert_int_eq(rg_reason_get_level(g_ptr_array_index(
	                     rg_verdict_get_reasons(rg_report_get_verdict(report, 0)), 0)),
	                 RG_LEVEL_WARN);
	/* but what would have interrupted is recorded, and only that */
	ck_assert(g_file_get_contents(log, &text, NULL, NULL));
	lines = g_strsplit(g_strchomp(text), "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 1);
	fields = g_strsplit(lines[0], "\t", -1);
	ck_assert_uint_eq(g_strv_length(fields), 5);
	ck_assert(g_str_has_suffix(fields[0], "Z"));
	ck_assert_str_eq(fields[1], "log-only");
	ck_assert_str_eq(fields[2], "warn");
	ck_assert_str_eq(fields[3], "gen@army.ml");
	ck_assert_ptr_nonnull(strstr(fields[4], "tld-typo"));
	ck_assert_ptr_null(strstr(text, "Secret Name"));
	ck_assert_int_eq(g_stat(log, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	/* a front end records the user's choice */
	ck_assert(rg_decision_log_append(rg_policy_get_decision_log(rg_session_get_policy(s)),
	                                 report,
	                                 "send-corrected",
	                                 g_get_real_time(),
	                                 NULL));
	g_clear_pointer(&text, g_free);
	ck_assert(g_file_get_contents(log, &text, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(text, "\tsend-corrected\twarn\tgen@army.ml\t"));

	/* without a log nothing is written anywhere */
	{
		g_autoptr(RgPolicy) p = rg_policy_new();
		ck_assert(rg_decision_log_append(
		    rg_policy_get_decision_log(p), report, "send", g_get_real_time(), NULL));
	}
}
END_TEST

START_TEST(test_policy_decision_log_unwritable)
{
	g_auto(RgTmp) t = {0};
	g_autofree char *blocker = tmp_file(&t, "file", "", -1);
	g_autofree char *policy = g_strdup_printf(
	    "[policy]\nprotected-domains=army.mil\nlog-only=true\ndecision-log=%s/sub/log\n",
	    blocker);
	g_autoptr(RgSession) s = session_with(&t, policy, NULL);
	const char *to[] = {"x@army.ml", NULL};
	g_autoptr(RgReport) report = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *notices;

	/* the check still answers, and says that the log failed */
	report = rg_session_check(s, to, NULL);
	ck_assert_ptr_nonnull(report);
	notices = rg_report_get_notices(report);
	ck_assert_uint_eq(notices->len, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 0), blocker));
	ck_assert(!rg_decision_log_append(rg_policy_get_decision_log(rg_session_get_policy(s)),
	                                  report,
	                                  "send",
	                                  g_get_real_time(),
	                                  &error));
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_IO));
}
END_TEST

/* ------------------------------------------------------------------ on-error */

START_TEST(test_policy_on_error_modes)
{
	const char *values[] = {"ask", "allow", "block"};
	const RgPolicyOnError modes[] = {
	    RG_POLICY_ON_ERROR_ASK, RG_POLICY_ON_ERROR_ALLOW, RG_POLICY_ON_ERROR_BLOCK};

	for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
		g_auto(RgTmp) t = {0};
		g_autofree char *text = g_strdup_printf("[policy]\non-error=%s\n", values[i]);
		g_autofree char *policy = tmp_file(&t, "policy.conf", text, -1);
		g_autoptr(RgSession) s = rg_session_new();
		g_autoptr(GError) error = NULL;

		/* the check cannot run: the front end asks the policy what to do */
		rg_session_set_policy_file(s, policy);
		rg_session_set_settings_file(s, "/nonexistent/settings.conf");
		rg_session_add_known_file(s, "/nonexistent/known.txt");
		ck_assert(!rg_session_load(s, &error));
		ck_assert_int_eq(rg_session_get_on_error(s), modes[i]);
	}
	{
		/* the policy itself could not be loaded: ask */
		g_autoptr(RgSession) s = rg_session_new();
		rg_session_set_policy_file(s, "/nonexistent/policy.conf");
		ck_assert(!rg_session_load(s, NULL));
		ck_assert_int_eq(rg_session_get_on_error(s), RG_POLICY_ON_ERROR_ASK);
	}
	{
		g_autoptr(RgSession) s = rg_session_new();
		ck_assert_int_eq(rg_session_get_on_error(s), RG_POLICY_ON_ERROR_ASK);
	}
}
END_TEST

START_TEST(test_policy_broken_system_policy_still_guards)
{
	g_auto(RgTmp) t = {0};
	g_autoptr(RgSession) s = session_with(&t,
	                                      "[policy]\nblocked-domains=.ml;bad domain\n"
	                                      "enabled=perhaps\nallow-override=true\n",
	                                      NULL);
	const char *to[] = {"x@army.ml", NULL};
	g_autoptr(RgReport) report = rg_session_check(s, to, NULL);
	GPtrArray *notices = rg_report_get_notices(report);

	ck_assert_int_eq(rg_report_get_level(report), RG_LEVEL_BLOCK);
	ck_assert_uint_eq(notices->len, 2);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 0), ":2: blocked-domains:"));
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(notices, 1), ":3: enabled:"));
	ck_assert(rg_policy_get_allow_override(rg_session_get_policy(s)));
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("matching");
	tcase_add_test(tc, test_policy_dot_boundary);
	tcase_add_test(tc, test_policy_wildcard_forms);
	tcase_add_test(tc, test_policy_load_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_test(tc, test_policy_key_values);
	tcase_add_test(tc, test_policy_getters);
	tcase_add_test(tc, test_policy_list_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("problems");
	tcase_add_test(tc, test_policy_problems_are_data);
	tcase_add_test(tc, test_policy_invalid_escape);
	tcase_add_test(tc, test_policy_rules_indexed);
	tcase_add_test(tc, test_policy_unknown_keys_are_warnings);
	tcase_add_test(tc, test_policy_bad_lines_keep_the_rest);
	tcase_add_test(tc, test_policy_invalid_utf8);
	tcase_add_test(tc, test_policy_huge_file);
	tcase_add_test(tc, test_policy_unreadable);
	tcase_add_test(tc, test_policy_missing_file);
	tcase_add_test(tc, test_policy_broken_system_policy_still_guards);
	suite_add_tcase(s, tc);

	tc = tcase_create("layers");
	tcase_add_test(tc, test_policy_system_dirs);
	tcase_add_test(tc, test_policy_layer_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("locks");
	tcase_add_test(tc, test_policy_locks_against_user_settings);
	tcase_add_test(tc, test_policy_locks_stricter_allowed);
	tcase_add_test(tc, test_policy_repeated_keys);
	tcase_add_test(tc, test_policy_repeated_keys_user);
	tcase_add_test(tc, test_policy_set_keeps_unreadable_settings);
	tcase_add_test(tc, test_policy_environment_cannot_weaken_locks);
	tcase_add_test(tc, test_policy_environment_may_be_stricter);
	tcase_add_test(tc, test_policy_set_user_value);
	tcase_add_test(tc, test_policy_trust_decisions);
	tcase_add_test(tc, test_policy_session_trust_refused);
	tcase_add_test(tc, test_policy_session_trust_never_unblocks);
	suite_add_tcase(s, tc);

	tc = tcase_create("effects");
	tcase_add_test(tc, test_policy_levels_in_scorer);
	tcase_add_test(tc, test_policy_risky_pairs_in_scorer);
	tcase_add_test(tc, test_policy_disabled);
	tcase_add_test(tc, test_policy_decision_log);
	tcase_add_test(tc, test_policy_decision_log_unwritable);
	tcase_add_test(tc, test_policy_on_error_modes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(policy_suite());
}
