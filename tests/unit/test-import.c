/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Imports of mail read by rcptguard itself (mbox files, Maildir folders) and of what a mail
 * client feeds (its folders and address books), against fixture mailboxes this test
 * writes, into a real store in a temp dir, through the session as every front end runs
 * them. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rcptguard.h"
#include "rg-history-private.h"
#include "rg-test.h"

#define ME "me@home.example.org"

typedef struct {
	char *dir;
	RgEnvironment *env;
	gint64 clock; /* seconds; every reading of the clock moves it on by one */
} RgWorld;

static void
rg_world_clear(RgWorld *w)
{
	rg_test_remove_tree(w->dir);
	g_clear_pointer(&w->dir, g_free);
	g_clear_object(&w->env);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RgWorld, rg_world_clear)

/* a clock that ticks at every reading: a write to the store shows in a source's read_at */
static gint64
ticking_clock(gpointer user_data)
{
	RgWorld *w = user_data;
	return ++w->clock * G_USEC_PER_SEC;
}

static char *
world_path(RgWorld *w, const char *name)
{
	return g_build_filename(w->dir, name, NULL);
}

static void
world_init(RgWorld *w, const char *policy)
{
	g_autofree char *data = NULL;
	g_autofree char *etc = NULL;
	const char *dirs[] = {NULL, NULL};

	w->dir = g_dir_make_tmp("rg-import-XXXXXX", NULL);
	ck_assert_ptr_nonnull(w->dir);
	w->env = rg_environment_new_empty();
	data = world_path(w, "data");
	rg_environment_set_data_home(w->env, data);
	w->clock = 1700000000;
	rg_environment_set_clock(w->env, ticking_clock, w, NULL);
	if (policy != NULL) {
		g_autofree char *file = NULL;
		etc = world_path(w, "etc");
		file = g_build_filename(etc, "rcptguard", "policy.conf", NULL);
		ck_assert_int_eq(g_mkdir_with_parents(etc, 0700), 0);
		{
			g_autofree char *d = g_path_get_dirname(file);
			ck_assert_int_eq(g_mkdir_with_parents(d, 0700), 0);
		}
		ck_assert(g_file_set_contents(file, policy, -1, NULL));
		dirs[0] = etc;
		rg_environment_set_system_dirs(w->env, dirs);
	}
}

static RgSession *
world_session(RgWorld *w, const char *identity)
{
	RgSession *s = rg_session_new_for_environment(w->env);
	if (identity != NULL)
		rg_session_add_identity(s, identity);
	ck_assert(rg_session_load_policy(s, NULL));
	return s;
}

/* imports @source in the calling thread; the error, if any, is returned */
static GError *
try_import(RgWorld *w, RgImportSource *source, const char *identity, RgImportResult *result)
{
	g_autoptr(RgSession) s = world_session(w, identity);
	GError *error = NULL;

	memset(result, 0, sizeof *result);
	rg_session_import(s, source, NULL, NULL, NULL, result, &error);
	return error;
}

static RgImportResult
import(RgWorld *w, RgImportSource *source, const char *identity)
{
	RgImportResult result;
	g_autoptr(GError) error = try_import(w, source, identity, &result);
	ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
	return result;
}

static RgImportResult
import_mbox(RgWorld *w, const char *path, const char *identity)
{
	g_autoptr(RgImportSource) source = rg_import_source_new_mbox(path);
	return import(w, source, identity);
}

static RgImportResult
import_maildir(RgWorld *w, const char *path, const char *identity)
{
	g_autoptr(RgImportSource) source = rg_import_source_new_maildir(path);
	return import(w, source, identity);
}

/* the store's record of a source, or NULL */
static RgImportRecord *
record_of(RgWorld *w, const char *kind, const char *name)
{
	g_autoptr(RgSession) s = world_session(w, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) records = rg_session_list_sources(s, &error);
	g_autofree char *canonical = g_canonicalize_filename(name, NULL);
	RgImportRecord *r;
	RgImportRecord *copy;

	ck_assert_msg(records != NULL, "%s", error != NULL ? error->message : "");
	r = rg_import_record_find(records, kind, name[0] == '/' ? canonical : name);
	if (r == NULL)
		return NULL;
	copy = g_new0(RgImportRecord, 1);
	*copy = *r;
	copy->kind = g_strdup(r->kind);
	copy->name = g_strdup(r->name);
	copy->label = g_strdup(r->label);
	copy->state = g_strdup(r->state);
	return copy;
}

/* a loaded session and what its history says about @address */
static RgSession *
loaded(RgWorld *w)
{
	RgSession *s = rg_session_new_for_environment(w->env);
	g_autoptr(GError) error = NULL;
	ck_assert_msg(rg_session_load(s, &error), "%s", error != NULL ? error->message : "");
	return s;
}

static const RgHistoryEntry *
entry(RgSession *s, const char *local, const char *domain)
{
	return rg_history_lookup_address(rg_session_get_history(s), local, domain);
}

static guint
sent_to(RgWorld *w, const char *local, const char *domain)
{
	g_autoptr(RgSession) s = loaded(w);
	const RgHistoryEntry *e = entry(s, local, domain);
	return e != NULL ? e->sent : 0;
}

static guint
received_from(RgWorld *w, const char *local, const char *domain)
{
	g_autoptr(RgSession) s = loaded(w);
	const RgHistoryEntry *e = entry(s, local, domain);
	return e != NULL ? e->received : 0;
}

static RgVerdict *
check_one(RgSession *s, const char *address)
{
	const char *to[] = {address, NULL};
	g_autoptr(RgReport) report = rg_session_check(s, to, NULL);
	ck_assert_ptr_nonnull(report);
	return g_object_ref(rg_report_get_verdict(report, 0));
}

static gboolean
has_reason(RgVerdict *v, const char *code)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	for (guint i = 0; i < reasons->len; i++) {
		if (strcmp(rg_reason_get_code(g_ptr_array_index(reasons, i)), code) == 0)
			return TRUE;
	}
	return FALSE;
}

/* ------------------------------------------------------------------ fixtures */

static void
append(const char *path, const char *text, gssize len)
{
	FILE *f = fopen(path, "ab");
	ck_assert_ptr_nonnull(f);
	if (len < 0)
		len = (gssize)strlen(text);
	ck_assert_int_eq(fwrite(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
}

/* one message in mbox form; @headers end with "\n" */
static char *
mbox_message(const char *headers, const char *body)
{
	return g_strdup_printf(
	    "From sender@example.org Mon Jan  1 10:00:00 2024\n%s\n%s\n\n", headers, body);
}

static void
append_sent(const char *path, const char *id, const char *to)
{
	g_autofree char *headers = g_strdup_printf(
	    "From: Me <" ME ">\nTo: %s\nMessage-ID: <%s>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n"
	    "Subject: about %s\n",
	    to,
	    id,
	    id);
	g_autofree char *msg = mbox_message(headers, "Hello.\n>From the start.");
	append(path, msg, -1);
}

static void
append_received(const char *path, const char *id, const char *from)
{
	g_autofree char *headers =
	    g_strdup_printf("From: %s\nTo: " ME "\nMessage-ID: <%s>\nSubject: hi\n", from, id);
	g_autofree char *msg = mbox_message(headers, "Hi there.");
	append(path, msg, -1);
}

/* a file's times set an hour back, so that "unchanged since" can be trusted */
static void
age(const char *path)
{
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

static void
maildir_write(const char *maildir, const char *sub, const char *name, const char *text)
{
	g_autofree char *dir = g_build_filename(maildir, sub, NULL);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
}

static char *
sent_text(const char *id, const char *to)
{
	return g_strdup_printf(
	    "From: " ME
	    "\nTo: %s\nMessage-ID: <%s>\nDate: Tue, 02 Jan 2024 10:00:00 +0000\n\nbody\n",
	    to,
	    id);
}

/* ------------------------------------------------------------------ mbox */

START_TEST(test_import_mbox_sent_and_received)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autoptr(RgImportRecord) r = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "Gen. Smith <gen.smith@army.mil>");
	append_sent(mbox, "s2@home", "gen.smith@army.mil, \"Lee, K.\" <k.lee@army.mil>");
	append_received(mbox, "r1@x", "Pal <pal@friend.example.com>");
	res = import_mbox(&w, mbox, ME);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_sent, 2);
	ck_assert_uint_eq(res.n_received, 1);
	ck_assert_uint_eq(res.n_unreadable, 0);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 1);
	ck_assert_uint_eq(received_from(&w, "pal", "friend.example.com"), 1);
	/* the user's own address is not a correspondent, but it is known as theirs */
	ck_assert_uint_eq(sent_to(&w, "me", "home.example.org"), 0);
	r = record_of(&w, "mbox", mbox);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_messages, 3);
	ck_assert_uint_eq(r->n_sent, 2);
	ck_assert_uint_eq(r->n_received, 1);
	ck_assert_uint_eq(r->n_addresses, 3);
	ck_assert_ptr_nonnull(strstr(r->state, "offset="));

	/* the evidence works: army.ml is a typo of where the mail goes */
	{
		g_autoptr(RgSession) s = loaded(&w);
		g_autoptr(RgVerdict) v = check_one(s, "gen.smith@army.ml");
		g_autoptr(RgVerdict) ok = check_one(s, "k.lee@army.mil");
		ck_assert_int_ge(rg_verdict_get_level(v), RG_LEVEL_WARN);
		ck_assert_str_eq(rg_verdict_get_suggestion(v), "gen.smith@army.mil");
		ck_assert_int_eq(rg_verdict_get_level(ok), RG_LEVEL_OK);
	}
}
END_TEST

START_TEST(test_import_mbox_incremental)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autoptr(RgImportRecord) before = NULL;
	g_autoptr(RgImportRecord) after = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil");
	append_sent(mbox, "s2@home", "gen.smith@army.mil");
	ck_assert_uint_eq(import_mbox(&w, mbox, ME).n_messages, 2);
	/* nothing new: nothing read */
	res = import_mbox(&w, mbox, ME);
	ck_assert(!res.full);
	ck_assert_uint_eq(res.n_messages, 0);
	/* one more: only it is read */
	append_sent(mbox, "s3@home", "gen.smith@army.mil, j.doe@army.mil");
	res = import_mbox(&w, mbox, ME);
	ck_assert(!res.full);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(res.n_sent, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 3);
	ck_assert_uint_eq(sent_to(&w, "j.doe", "army.mil"), 1);

	/* a file unchanged for a while is not even opened: the store is not written */
	age(mbox);
	import_mbox(&w, mbox, ME); /* notes the settled time */
	before = record_of(&w, "mbox", mbox);
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 0);
	after = record_of(&w, "mbox", mbox);
	ck_assert_int_eq(before->read_at, after->read_at);
	ck_assert_str_eq(before->state, after->state);
	ck_assert_uint_eq(after->n_messages, 3);
}
END_TEST

START_TEST(test_import_mbox_truncated)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autofree char *whole = NULL;
	const char *cut;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil");
	/* a mail program is writing the next message: its headers stop in the middle */
	whole = g_strdup("From me Mon Jan  1 10:00:00 2024\nFrom: " ME "\nTo: j.doe@army.mil\n"
	                 "Message-ID: <s2@home>\nSubj");
	cut = "ect: late\n\nbody\n\n";
	append(mbox, whole, -1);
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(res.n_unreadable, 1);
	ck_assert_uint_eq(sent_to(&w, "j.doe", "army.mil"), 0);
	/* finished: read the next time, once */
	append(mbox, cut, -1);
	res = import_mbox(&w, mbox, ME);
	ck_assert(!res.full);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(res.n_unreadable, 0);
	ck_assert_uint_eq(sent_to(&w, "j.doe", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);

	/* headers that end at the end of the file, without a body yet, wait too */
	append(mbox, "From me Mon Jan  1 10:00:00 2024\nFrom: " ME "\nTo: x@army.mil\n", -1);
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 0);
	ck_assert_uint_eq(res.n_unreadable, 1);
	append(mbox, "Message-ID: <s3@home>\n\nbody\n\n", -1);
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(sent_to(&w, "x", "army.mil"), 1);
}
END_TEST

START_TEST(test_import_mbox_rewritten)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil");
	append_sent(mbox, "s2@home", "gen.smith@army.mil");
	append_sent(mbox, "s3@home", "old.friend@example.com");
	import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
	/* the user deleted two messages and the mail program wrote the file anew, longer
	 * than before: what it held is read again, not added */
	ck_assert_int_eq(g_unlink(mbox), 0);
	append_sent(mbox, "s2@home", "gen.smith@army.mil");
	append_sent(mbox, "s4@home", "new.friend@example.com, a.very.long.name@army.mil");
	append_sent(mbox, "s5@home", "new.friend@example.com, another.long.name@army.mil");
	res = import_mbox(&w, mbox, ME);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "new.friend", "example.com"), 2);
	/* gone from the mailbox, gone from what it gave */
	ck_assert_uint_eq(sent_to(&w, "old.friend", "example.com"), 0);
	{
		g_autoptr(RgImportRecord) r = record_of(&w, "mbox", mbox);
		ck_assert_uint_eq(r->n_messages, 3);
		ck_assert_uint_eq(r->n_sent, 3);
	}
}
END_TEST

START_TEST(test_import_mbox_broken_headers)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autofree char *m1 = NULL;
	g_autofree char *m2 = NULL;
	g_autofree char *m3 = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	/* a header line without a colon, a To where one mailbox is garbage, no Message-ID */
	m1 = mbox_message("From: " ME "\nThis line is no header at all\n"
	                  "To: <<broken>>, ok@army.mil, @@@\nCc: \"unterminated <cc@army.mil>\n",
	                  "body");
	/* no From at all: received from nobody, and nothing breaks */
	m2 = mbox_message("To: " ME "\nSubject: anonymous\n", "body");
	/* bytes that are not text in the headers */
	m3 = mbox_message("From: " ME "\nTo: bin\xff\xfe@x <binary@army.mil>\nX-Junk: \x01\x02\n"
	                  "Message-ID: <b3@home>\n",
	                  "body");
	append(mbox, m1, -1);
	append(mbox, m2, -1);
	append(mbox, m3, -1);
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_sent, 2);
	ck_assert_uint_eq(res.n_received, 1);
	ck_assert_uint_gt(res.n_skipped, 0);
	ck_assert_uint_eq(sent_to(&w, "ok", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "binary", "army.mil"), 1);
	/* read again, the message without a Message-ID is still the same message */
	append_sent(mbox, "s9@home", "later@army.mil");
	res = import_mbox(&w, mbox, ME);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(sent_to(&w, "ok", "army.mil"), 1);
}
END_TEST

START_TEST(test_import_mbox_encoded_and_8bit)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autofree char *m1 = NULL;
	g_autofree char *m2 = NULL;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	/* encoded words in the display names, a comma inside one; UTF-8 written as it is, an
	 * IDN domain, an upper-case local part; a Latin-1 display name as raw bytes */
	m1 = mbox_message("From: =?UTF-8?Q?M=C3=A9?= <" ME ">\n"
	                  "To: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@army.mil>,\n"
	                  " =?ISO-8859-1?Q?Smith=2C_G=E9n=E9ral?= <Gen.Smith@Army.MIL>\n"
	                  "Cc: Jürgen Groß <jg@münchen.example>\n"
	                  "Message-ID: <e1@home>\n",
	                  "body");
	m2 = mbox_message("From: " ME
	                  "\nTo: J\xfcrgen Gro\xdf <latin1@army.mil>\nMessage-ID: <e2@home>\n",
	                  "body");
	append(mbox, m1, -1);
	append(mbox, m2, -1);
	ck_assert_uint_eq(import_mbox(&w, mbox, ME).n_sent, 2);
	ck_assert_uint_eq(sent_to(&w, "juergen", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "jg", "xn--mnchen-3ya.example"), 1);
	ck_assert_uint_eq(sent_to(&w, "latin1", "army.mil"), 1);
}
END_TEST

START_TEST(test_import_mbox_errors)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *garbage = NULL;
	g_autofree char *missing = NULL;
	g_autoptr(RgImportSource) s1 = NULL;
	g_autoptr(RgImportSource) s2 = NULL;
	g_autoptr(GError) e1 = NULL;
	g_autoptr(GError) e2 = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	garbage = world_path(&w, "notes.txt");
	ck_assert(g_file_set_contents(garbage, "shopping list\nmilk\n", -1, NULL));
	missing = world_path(&w, "nowhere");
	s1 = rg_import_source_new_mbox(garbage);
	e1 = try_import(&w, s1, ME, &res);
	ck_assert(g_error_matches(e1, RG_ERROR, RG_ERROR_INVALID_DATA));
	ck_assert_ptr_nonnull(strstr(e1->message, "notes.txt"));
	s2 = rg_import_source_new_mbox(missing);
	e2 = try_import(&w, s2, ME, &res);
	ck_assert(g_error_matches(e2, RG_ERROR, RG_ERROR_NOT_FOUND));
	/* nothing is recorded for either */
	ck_assert_ptr_null(record_of(&w, "mbox", garbage));
	ck_assert_ptr_null(record_of(&w, "mbox", missing));
	/* the file is read-only to the import */
	{
		g_autofree char *text = NULL;
		ck_assert(g_file_get_contents(garbage, &text, NULL, NULL));
		ck_assert_str_eq(text, "shopping list\nmilk\n");
	}
}
END_TEST

START_TEST(test_import_mbox_identities)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil");
	/* no identity anywhere: all of it counts as received, from the user */
	res = import_mbox(&w, mbox, NULL);
	ck_assert_uint_eq(res.n_sent, 0);
	ck_assert_uint_eq(res.n_received, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 0);
	/* with the identity, the same file counts again, as sent, and only once */
	res = import_mbox(&w, mbox, ME);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_sent, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
	ck_assert_uint_eq(received_from(&w, "me", "home.example.org"), 0);
	/* the store remembers it: a later import without --identity goes by it */
	append_sent(mbox, "s2@home", "gen.smith@army.mil");
	res = import_mbox(&w, mbox, NULL);
	ck_assert(!res.full);
	ck_assert_uint_eq(res.n_sent, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
}
END_TEST

/* the identities the settings name count like --identity */
START_TEST(test_import_mbox_identities_from_settings)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	RgImportResult res;

	world_init(&w, "[policy]\nidentities=Me <" ME ">\n");
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil");
	res = import_mbox(&w, mbox, NULL);
	ck_assert_uint_eq(res.n_sent, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
	/* and they are known as the user's own */
	{
		g_autoptr(RgSession) s = loaded(&w);
		g_autoptr(RgVerdict) v = check_one(s, ME);
		ck_assert_int_eq(rg_verdict_get_level(v), RG_LEVEL_OK);
	}
}
END_TEST

/* ------------------------------------------------------------------ Maildir */

START_TEST(test_import_maildir)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *md = NULL;
	g_autofree char *t1 = NULL;
	g_autofree char *t2 = NULL;
	g_autofree char *t3 = NULL;
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	md = world_path(&w, "Maildir/.Sent");
	t1 = sent_text("m1@home", "gen.smith@army.mil");
	t2 = sent_text("m2@home", "gen.smith@army.mil, j.doe@army.mil");
	t3 = g_strdup("From: Spammer <win@army-mil.example.com>\nTo: " ME
	              "\nMessage-ID: <sp@x>\n\n");
	maildir_write(md, "cur", "1700000001.a1.host:2,S", t1);
	maildir_write(md, "new", "1700000002.a2.host", t2);
	maildir_write(md, "cur", "1700000003.a3.host:2,ST", t3);
	maildir_write(md, "tmp", "1700000004.a4.host", t1);
	res = import_maildir(&w, md, ME);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_sent, 2);
	ck_assert_uint_eq(res.n_junk, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
	/* trashed mail is junk: its sender never becomes known */
	{
		g_autoptr(RgSession) s = loaded(&w);
		const RgHistoryEntry *e = entry(s, "win", "army-mil.example.com");
		ck_assert_ptr_nonnull(e);
		ck_assert(e->flags & RG_HISTORY_FLAG_JUNK);
	}
	/* nothing new */
	res = import_maildir(&w, md, ME);
	ck_assert_uint_eq(res.n_messages, 0);
	/* the mail program moves a message to cur/ and flags it: it is not read again */
	from = g_build_filename(md, "new", "1700000002.a2.host", NULL);
	to = g_build_filename(md, "cur", "1700000002.a2.host:2,RS", NULL);
	ck_assert_int_eq(g_rename(from, to), 0);
	res = import_maildir(&w, md, ME);
	ck_assert_uint_eq(res.n_messages, 0);
	/* a new one is */
	{
		g_autofree char *t4 = sent_text("m4@home", "k.lee@army.mil");
		maildir_write(md, "new", "1700000005.a5.host", t4);
	}
	res = import_maildir(&w, md, ME);
	ck_assert(!res.full);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 1);
}
END_TEST

START_TEST(test_import_maildir_unchanged_not_listed)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *md = NULL;
	g_autofree char *cur = NULL;
	g_autofree char *newdir = NULL;
	g_autofree char *t1 = NULL;
	g_autoptr(RgImportRecord) before = NULL;
	g_autoptr(RgImportRecord) after = NULL;

	world_init(&w, NULL);
	md = world_path(&w, "Maildir");
	t1 = sent_text("m1@home", "gen.smith@army.mil");
	maildir_write(md, "cur", "1.a:2,S", t1);
	maildir_write(md, "new", "2.b", t1);
	cur = g_build_filename(md, "cur", NULL);
	newdir = g_build_filename(md, "new", NULL);
	age(cur);
	age(newdir);
	ck_assert_uint_eq(import_maildir(&w, md, ME).n_messages, 2);
	before = record_of(&w, "maildir", md);
	ck_assert_uint_eq(import_maildir(&w, md, ME).n_messages, 0);
	after = record_of(&w, "maildir", md);
	/* no file came or went: the store was not written */
	ck_assert_int_eq(before->read_at, after->read_at);
	/* the same Message-ID in two files counts once */
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
}
END_TEST

typedef struct {
	char *victim;
	char *moved_to;
	gboolean done;
} RgVanish;

/* called before the first file is read: one of the listed files goes away, as when the
 * mail program moves it to cur/ with new flags at that moment */
static void
vanish_progress_cb(guint done, guint total, gpointer user_data)
{
	RgVanish *v = user_data;
	if (v->done || total < 2)
		return;
	ck_assert_int_eq(g_rename(v->victim, v->moved_to), 0);
	v->done = TRUE;
}

START_TEST(test_import_maildir_file_vanishes)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *md = NULL;
	RgVanish v = {0};
	RgImportResult res = {0};

	world_init(&w, NULL);
	md = world_path(&w, "Maildir");
	for (guint i = 0; i < 4; i++) {
		g_autofree char *id = g_strdup_printf("v%u@home", i);
		g_autofree char *to = g_strdup_printf("person%u@army.mil", i);
		g_autofree char *text = sent_text(id, to);
		g_autofree char *name = g_strdup_printf("17000000%02u.v%u.host", i, i);
		maildir_write(md, "new", name, text);
	}
	v.victim = g_build_filename(md, "new", "1700000002.v2.host", NULL);
	v.moved_to = g_build_filename(md, "cur", "1700000002.v2.host:2,S", NULL);
	{
		g_autofree char *cur = g_build_filename(md, "cur", NULL);
		ck_assert_int_eq(g_mkdir_with_parents(cur, 0700), 0);
	}
	s = world_session(&w, ME);
	source = rg_import_source_new_maildir(md);
	ck_assert_msg(rg_session_import(s, source, NULL, vanish_progress_cb, &v, &res, &error),
	              "%s",
	              error != NULL ? error->message : "");
	ck_assert(v.done);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_unreadable, 1);
	ck_assert_uint_eq(sent_to(&w, "person2", "army.mil"), 0);
	/* next time it is read where it is now, and only it */
	res = import_maildir(&w, md, ME);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(res.n_unreadable, 0);
	ck_assert_uint_eq(sent_to(&w, "person2", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "person1", "army.mil"), 1);
	g_free(v.victim);
	g_free(v.moved_to);
}
END_TEST

/* what a mail client reading a Maildir itself keeps to know it unchanged */
START_TEST(test_import_maildir_stamp)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *md = NULL;
	g_autofree char *cur = NULL;
	g_autofree char *newdir = NULL;
	g_autofree char *plain = NULL;
	g_autofree char *t1 = NULL;
	g_autofree char *before = NULL;
	g_autofree char *again = NULL;
	g_autofree char *fresh = NULL;
	g_autofree char *after = NULL;

	world_init(&w, NULL);
	md = world_path(&w, "Maildir/.Sent");
	t1 = sent_text("s1@home", "gen.smith@army.mil");
	maildir_write(md, "cur", "1.a:2,S", t1);
	maildir_write(md, "new", "2.b", t1);
	cur = g_build_filename(md, "cur", NULL);
	newdir = g_build_filename(md, "new", NULL);
	age(cur);
	age(newdir);
	before = rg_import_maildir_stamp(md);
	ck_assert_ptr_nonnull(before);
	again = rg_import_maildir_stamp(md);
	ck_assert_str_eq(before, again);
	/* a message came just now: the stamp is unknown until the folder settles */
	maildir_write(md, "new", "3.c", t1);
	fresh = rg_import_maildir_stamp(md);
	ck_assert_ptr_null(fresh);
	{
		/* aged by the same hour as before, but later: another time */
		struct timespec t[2];
		clock_gettime(CLOCK_REALTIME, &t[0]);
		t[0].tv_sec -= 1800;
		t[1] = t[0];
		ck_assert_int_eq(utimensat(AT_FDCWD, newdir, t, 0), 0);
	}
	after = rg_import_maildir_stamp(md);
	ck_assert_ptr_nonnull(after);
	ck_assert_str_ne(before, after);
	/* no Maildir */
	plain = world_path(&w, "plain");
	ck_assert_int_eq(g_mkdir_with_parents(plain, 0700), 0);
	ck_assert_ptr_null(rg_import_maildir_stamp(plain));
}
END_TEST

START_TEST(test_import_maildir_errors)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *plain = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(GError) error = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	plain = world_path(&w, "just-a-dir");
	ck_assert_int_eq(g_mkdir_with_parents(plain, 0700), 0);
	source = rg_import_source_new_maildir(plain);
	error = try_import(&w, source, ME, &res);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_DATA));
	ck_assert_ptr_nonnull(strstr(error->message, "not a Maildir"));
}
END_TEST

/* ------------------------------------------------------------------ MH */

static void
mh_write(const char *dir, guint n, const char *text)
{
	g_autofree char *name = g_strdup_printf("%u", n);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
}

/* an MH folder as Claws Mail keeps it, filed under the mail client's own kind and name */
static RgImportSource *
mh_source(const char *dir, gboolean again)
{
	RgImportSource *source = rg_import_source_new_mh(dir);
	rg_import_source_set_record(source, "claws-folder", "#mh/Mailbox/sent", "sent (Work)");
	rg_import_source_set_replace(source, again);
	return source;
}

static RgImportResult
import_mh(RgWorld *w, const char *dir, gboolean again)
{
	g_autoptr(RgImportSource) source = mh_source(dir, again);
	return import(w, source, ME);
}

START_TEST(test_import_mh)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mh = NULL;
	g_autofree char *t1 = NULL;
	g_autofree char *t2 = NULL;
	g_autofree char *t3 = NULL;
	g_autofree char *junk = NULL;
	g_autoptr(RgImportRecord) r = NULL;
	g_autoptr(RgImportRecord) r2 = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	mh = world_path(&w, "Mail/sent");
	t1 = sent_text("h1@home", "gen.smith@army.mil");
	t2 = sent_text("h2@home", "gen.smith@army.mil, j.doe@army.mil");
	t3 = g_strdup("From: Boss <boss@army.mil>\nTo: " ME "\nMessage-ID: <h3@x>\n\n");
	mh_write(mh, 1, t1);
	mh_write(mh, 2, t2);
	mh_write(mh, 4, t3);
	/* Claws' own files, and names that are not message numbers */
	junk = g_build_filename(mh, ".claws_cache", NULL);
	ck_assert(g_file_set_contents(junk, "\x01\x02not mail", -1, NULL));
	g_free(junk);
	junk = g_build_filename(mh, "3~", NULL);
	ck_assert(g_file_set_contents(junk, t1, -1, NULL));
	res = import_mh(&w, mh, FALSE);
	ck_assert(res.full);
	ck_assert(!res.unchanged);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_sent, 2);
	ck_assert_uint_eq(res.n_received, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
	ck_assert_uint_eq(received_from(&w, "boss", "army.mil"), 1);
	/* filed under the mail client's kind and name, shown with its label */
	r = record_of(&w, "claws-folder", "#mh/Mailbox/sent");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->label, "sent (Work)");
	ck_assert_uint_eq(r->n_sent, 2);
	ck_assert_ptr_null(record_of(&w, "mh", mh));

	/* nothing came or went: nothing read, the store not written */
	res = import_mh(&w, mh, FALSE);
	ck_assert(res.unchanged);
	ck_assert_uint_eq(res.n_messages, 0);
	r2 = record_of(&w, "claws-folder", "#mh/Mailbox/sent");
	ck_assert_int_eq(r->read_at, r2->read_at);
	g_clear_pointer(&r2, rg_import_record_free);

	/* a new message: only it is read */
	{
		g_autofree char *t5 = sent_text("h5@home", "k.lee@army.mil");
		mh_write(mh, 5, t5);
	}
	res = import_mh(&w, mh, FALSE);
	ck_assert(!res.full);
	ck_assert(!res.unchanged);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);

	/* one deleted: nothing to read, but the count of files is kept for next time */
	{
		g_autofree char *one = g_build_filename(mh, "1", NULL);
		ck_assert_int_eq(g_unlink(one), 0);
	}
	res = import_mh(&w, mh, FALSE);
	ck_assert(!res.unchanged);
	ck_assert_uint_eq(res.n_messages, 0);
	ck_assert(import_mh(&w, mh, FALSE).unchanged);

	/* read again: everything from the start, replacing what the folder gave */
	res = import_mh(&w, mh, TRUE);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
	r2 = record_of(&w, "claws-folder", "#mh/Mailbox/sent");
	ck_assert_uint_eq(r2->n_messages, 3);
	g_clear_pointer(&r2, rg_import_record_free);

	/* renumbered (Claws' "sort folder"): the highest number went down, all is read again */
	{
		g_autofree char *from = g_build_filename(mh, "5", NULL);
		g_autofree char *to = g_build_filename(mh, "3", NULL);
		ck_assert_int_eq(g_rename(from, to), 0);
	}
	res = import_mh(&w, mh, FALSE);
	ck_assert(res.full);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 1);
}
END_TEST

/* an MH folder whose directory did not change since it was read is not even listed */
START_TEST(test_import_mh_unchanged_not_listed)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mh = NULL;
	g_autofree char *t1 = NULL;
	g_autofree char *t2 = NULL;
	struct stat st;
	struct timespec then[2];
	RgImportResult res;

	world_init(&w, NULL);
	mh = world_path(&w, "Mail/sent");
	t1 = sent_text("n1@home", "gen.smith@army.mil");
	mh_write(mh, 1, t1);
	age(mh);
	ck_assert_uint_eq(import_mh(&w, mh, FALSE).n_messages, 1);
	/* a file slipped in with the directory's time put back: the folder is taken as it was,
	 * which shows that it was not listed */
	ck_assert_int_eq(stat(mh, &st), 0);
	then[0] = st.st_atim;
	then[1] = st.st_mtim;
	t2 = sent_text("n2@home", "k.lee@army.mil");
	mh_write(mh, 2, t2);
	ck_assert_int_eq(utimensat(AT_FDCWD, mh, then, 0), 0);
	res = import_mh(&w, mh, FALSE);
	ck_assert(res.unchanged);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 0);
	/* the directory's time moves with any real change: the new message is read */
	age(mh);
	res = import_mh(&w, mh, FALSE);
	ck_assert(!res.unchanged);
	ck_assert_uint_eq(res.n_messages, 1);
	ck_assert_uint_eq(sent_to(&w, "k.lee", "army.mil"), 1);
}
END_TEST

START_TEST(test_import_mh_file_vanishes)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *mh = NULL;
	RgVanish v = {0};
	RgImportResult res = {0};

	world_init(&w, NULL);
	mh = world_path(&w, "Mail/sent");
	for (guint i = 1; i <= 4; i++) {
		g_autofree char *id = g_strdup_printf("hv%u@home", i);
		g_autofree char *to = g_strdup_printf("person%u@army.mil", i);
		g_autofree char *text = sent_text(id, to);
		mh_write(mh, i, text);
	}
	/* deleted in the mail client while the folder is read */
	v.victim = g_build_filename(mh, "3", NULL);
	v.moved_to = world_path(&w, "trash-3");
	s = world_session(&w, ME);
	source = mh_source(mh, FALSE);
	ck_assert_msg(rg_session_import(s, source, NULL, vanish_progress_cb, &v, &res, &error),
	              "%s",
	              error != NULL ? error->message : "");
	ck_assert(v.done);
	ck_assert_uint_eq(res.n_messages, 3);
	ck_assert_uint_eq(res.n_unreadable, 1);
	ck_assert_uint_eq(sent_to(&w, "person3", "army.mil"), 0);
	ck_assert_uint_eq(sent_to(&w, "person4", "army.mil"), 1);
	/* it is gone for good: nothing is left to read, and then the folder is as recorded */
	res = import_mh(&w, mh, FALSE);
	ck_assert_uint_eq(res.n_messages, 0);
	ck_assert_uint_eq(res.n_unreadable, 0);
	ck_assert(import_mh(&w, mh, FALSE).unchanged);
	g_free(v.victim);
	g_free(v.moved_to);
}
END_TEST

START_TEST(test_import_mh_errors)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *missing = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(GError) error = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	/* an empty folder never read: no record, not even of the identities */
	{
		g_autofree char *empty = world_path(&w, "Mail/empty");
		g_autoptr(RgImportSource) e = NULL;
		ck_assert_int_eq(g_mkdir_with_parents(empty, 0700), 0);
		e = mh_source(empty, FALSE);
		ck_assert(import(&w, e, ME).unchanged);
		ck_assert_ptr_null(record_of(&w, "claws-folder", "#mh/Mailbox/sent"));
	}
	missing = world_path(&w, "Mail/nowhere");
	source = rg_import_source_new_mh(missing);
	error = try_import(&w, source, ME, &res);
	ck_assert(g_error_matches(error, RG_ERROR, RG_ERROR_NOT_FOUND));
	ck_assert_ptr_nonnull(strstr(error->message, "Mail/nowhere"));
}
END_TEST

/* the same message in two sources (notmuch, a Sent mbox, a mail client's folder) counts once */
START_TEST(test_import_same_message_once)
{
	g_auto(RgWorld) w = {0};
	g_autofree char *mbox = NULL;
	g_autofree char *md = NULL;
	g_autofree char *t = NULL;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	md = world_path(&w, "Maildir");
	append_sent(mbox, "same@home", "gen.smith@army.mil");
	t = sent_text("same@home", "gen.smith@army.mil");
	maildir_write(md, "cur", "1.x:2,S", t);
	ck_assert_uint_eq(import_mbox(&w, mbox, ME).n_sent, 1);
	ck_assert_uint_eq(import_maildir(&w, md, ME).n_sent, 0);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 1);
}
END_TEST

/* ------------------------------------------------------------------ fed by a mail client */

static RgImportSource *
feed_with(const char *kind, const char *name, guint n_sent)
{
	RgImportSource *f = rg_import_source_new_feed(kind, name, "Sent (Work)");
	rg_import_source_add_identity(f, ME);
	for (guint i = 0; i < n_sent; i++) {
		g_autofree char *id = g_strdup_printf("%s-%u@home", name, i);
		rg_import_source_add_message(
		    f, id, "Me <" ME ">", "gen.smith@army.mil", 1700000000 + i);
	}
	return f;
}

START_TEST(test_import_feed_folder)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) f = feed_with("claws-folder", "#mh/Mailbox/sent", 5);
	g_autoptr(RgImportRecord) r = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	rg_import_source_add_message(f, NULL, "Boss <boss@army.mil>", ME, 0);
	rg_import_source_set_state(f, "last=6");
	res = import(&w, f, NULL);
	ck_assert_uint_eq(res.n_messages, 6);
	ck_assert_uint_eq(res.n_sent, 5);
	ck_assert_uint_eq(res.n_received, 1);
	r = record_of(&w, "claws-folder", "#mh/Mailbox/sent");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->state, "last=6");
	ck_assert_str_eq(r->label, "Sent (Work)");
	ck_assert_uint_eq(r->n_sent, 5);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 5);
	ck_assert_uint_eq(received_from(&w, "boss", "army.mil"), 1);

	/* the import took what was added: the same source object is filled anew */
	rg_import_source_add_message(f, "new-1@home", ME, "j.doe@army.mil", 0);
	rg_import_source_add_message(f, "#mh/Mailbox/sent-0@home", ME, "gen.smith@army.mil", 0);
	rg_import_source_set_state(f, "last=8");
	res = import(&w, f, NULL);
	ck_assert_uint_eq(res.n_messages, 2);
	ck_assert_uint_eq(res.n_sent, 1);
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 5);

	/* read again: what it gave is replaced */
	{
		g_autoptr(RgImportSource) again = feed_with("claws-folder", "#mh/Mailbox/sent", 2);
		g_autoptr(RgImportRecord) r2 = NULL;
		rg_import_source_set_replace(again, TRUE);
		rg_import_source_set_state(again, "last=2");
		res = import(&w, again, NULL);
		ck_assert(res.full);
		ck_assert_uint_eq(res.n_sent, 2);
		ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 2);
		ck_assert_uint_eq(sent_to(&w, "j.doe", "army.mil"), 0);
		r2 = record_of(&w, "claws-folder", "#mh/Mailbox/sent");
		ck_assert_uint_eq(r2->n_messages, 2);
		ck_assert_str_eq(r2->state, "last=2");
	}
}
END_TEST

START_TEST(test_import_feed_address_book)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) book = NULL;
	g_autoptr(RgImportRecord) r = NULL;
	RgImportResult res;

	world_init(&w, NULL);
	book =
	    rg_import_source_new_feed("evolution-addressbook", "system-address-book", "Personal");
	rg_import_source_add_contact(book, "Pat Partner <pat@partner.example.com>");
	rg_import_source_add_contact(book, "gen.smith@army.ml");
	rg_import_source_add_contact(book, "Pat Partner <PAT@partner.example.com>");
	rg_import_source_add_contact(book, "not an address");
	rg_import_source_set_state(book, "revision=1");
	res = import(&w, book, NULL);
	ck_assert_uint_eq(res.n_contacts, 3);
	ck_assert_uint_eq(res.n_messages, 0);
	r = record_of(&w, "evolution-addressbook", "system-address-book");
	ck_assert_uint_eq(r->n_contacts, 2);
	ck_assert_uint_eq(r->n_addresses, 2);
	{
		g_autoptr(RgSession) s = loaded(&w);
		const RgHistoryEntry *e = entry(s, "pat", "partner.example.com");
		ck_assert_ptr_nonnull(e);
		ck_assert(e->flags & RG_HISTORY_FLAG_ADDRESS_BOOK);
		ck_assert_int_eq(rg_history_entry_get_evidence(e), RG_EVIDENCE_ADDRESS_BOOK);
		/* for that address only, not for its domain */
		ck_assert_int_eq(rg_history_domain_get_evidence(rg_history_lookup_domain(
		                     rg_session_get_history(s), "partner.example.com")),
		                 RG_EVIDENCE_NONE);
	}
	/* the book changed: its list replaces the old one */
	{
		g_autoptr(RgImportSource) b2 =
		    rg_import_source_new_feed("evolution-addressbook", "system-address-book", NULL);
		g_autoptr(RgImportRecord) r2 = NULL;
		rg_import_source_add_contact(b2, "gen.smith@army.mil");
		rg_import_source_set_state(b2, "revision=2");
		import(&w, b2, NULL);
		r2 = record_of(&w, "evolution-addressbook", "system-address-book");
		ck_assert_uint_eq(r2->n_contacts, 1);
		ck_assert_str_eq(r2->label, "Personal");
		{
			g_autoptr(RgSession) s = loaded(&w);
			ck_assert_ptr_null(entry(s, "pat", "partner.example.com"));
			ck_assert_ptr_nonnull(entry(s, "gen.smith", "army.mil"));
		}
	}
}
END_TEST

/* An address book vouches for its exact address only, and loses to a typo of a domain with
 * stronger evidence: gen.smith@army.ml saved by mistake, next to 200 messages sent to
 * army.mil, is still flagged, and the reasons say it is in the address book. */
START_TEST(test_import_address_book_loses_to_typo)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) sent = feed_with("claws-folder", "sent", 200);
	g_autoptr(RgImportSource) book = rg_import_source_new_feed(
	    "claws-addressbook", "addrbook-000001.xml", "Personal address book");
	g_autoptr(RgSession) s = NULL;

	/* first contacts interrupt here, so that a vouch shows as the absence of a dialog */
	world_init(&w, "[policy]\nlevel-first-contact=warn\n");
	rg_import_source_add_contact(book, "Gen. Smith <gen.smith@army.ml>");
	rg_import_source_add_contact(book, "Pat <pat@partner.example.com>");
	import(&w, sent, NULL);
	import(&w, book, NULL);
	s = loaded(&w);
	{
		g_autoptr(RgVerdict) v = check_one(s, "gen.smith@army.ml");
		ck_assert_int_eq(rg_verdict_get_level(v), RG_LEVEL_WARN);
		ck_assert_str_eq(rg_verdict_get_suggestion(v), "gen.smith@army.mil");
		ck_assert(has_reason(v, "tld-typo"));
		ck_assert(has_reason(v, "address-book"));
	}
	{
		/* the contact: no question */
		g_autoptr(RgVerdict) v = check_one(s, "pat@partner.example.com");
		ck_assert_int_eq(rg_verdict_get_level(v), RG_LEVEL_OK);
	}
	{
		/* its domain is not vouched for */
		g_autoptr(RgVerdict) v = check_one(s, "bob@partner.example.com");
		ck_assert_int_eq(rg_verdict_get_level(v), RG_LEVEL_WARN);
		ck_assert(has_reason(v, "first-contact"));
		ck_assert(!has_reason(v, "address-book"));
	}
	{
		g_autoptr(RgVerdict) v = check_one(s, "gen.smith@army.mil");
		ck_assert_int_eq(rg_verdict_get_level(v), RG_LEVEL_OK);
	}
}
END_TEST

/* the same for a domain the policy protects */
START_TEST(test_import_address_book_loses_to_policy)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) book = rg_import_source_new_feed("claws-addressbook", "b", NULL);
	g_autoptr(RgSession) s = NULL;
	g_autoptr(RgVerdict) v = NULL;

	world_init(&w, "[policy]\nprotected-domains=army.mil\n");
	rg_import_source_add_contact(book, "gen.smith@army.ml");
	import(&w, book, NULL);
	s = loaded(&w);
	v = check_one(s, "gen.smith@army.ml");
	ck_assert_int_ge(rg_verdict_get_level(v), RG_LEVEL_WARN);
	ck_assert(has_reason(v, "address-book"));
}
END_TEST

START_TEST(test_import_forget_and_export)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) book = rg_import_source_new_feed("claws-addressbook", "b", NULL);
	g_autofree char *mbox = NULL;
	g_autofree char *store_path = NULL;
	g_autoptr(RgStore) store = NULL;
	g_autoptr(GOutputStream) out = NULL;
	g_autoptr(GError) error = NULL;
	const char *text;
	guint n = 0;

	world_init(&w, NULL);
	mbox = world_path(&w, "Sent");
	append_sent(mbox, "s1@home", "gen.smith@army.mil, j.doe@army.mil");
	import_mbox(&w, mbox, ME);
	rg_import_source_add_contact(book, "j.doe@army.mil");
	import(&w, book, NULL);
	store_path = rg_environment_get_store_path(w.env);
	store = rg_store_open(store_path, &error);
	ck_assert_ptr_nonnull(store);
	out = g_memory_output_stream_new_resizable();
	ck_assert(rg_store_export(store, out, NULL));
	ck_assert(g_output_stream_close(out, NULL, NULL));
	text = g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(out));
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"source\",\"kind\":\"mbox\""));
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"source\",\"kind\":\"claws-addressbook\""));
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"source-address\",\"kind\":\"mbox\""));
	ck_assert_ptr_nonnull(strstr(text,
	                             "\"address\":\"j.doe@army.mil\",\"sent\":0,\"received\":0,"
	                             "\"junk\":0,\"in_address_book\":true"));
	ck_assert_ptr_nonnull(strstr(text, "\"sources\":[\"mailbox\",\"address-book\"]"));

	/* forgotten everywhere: in the sums and in each source */
	ck_assert(rg_store_forget(store, "j.doe@army.mil", &n, NULL));
	ck_assert_uint_eq(n, 1);
	g_clear_object(&out);
	out = g_memory_output_stream_new_resizable();
	ck_assert(rg_store_export(store, out, NULL));
	ck_assert(g_output_stream_close(out, NULL, NULL));
	text = g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(out));
	ck_assert_ptr_null(strstr(text, "j.doe@army.mil"));
	ck_assert_ptr_nonnull(strstr(text, "gen.smith@army.mil"));
	ck_assert_uint_eq(sent_to(&w, "j.doe", "army.mil"), 0);
	{
		g_autoptr(RgImportRecord) r = record_of(&w, "claws-addressbook", "b");
		ck_assert_uint_eq(r->n_addresses, 0);
	}
	/* a domain takes every source's rows with it */
	ck_assert(rg_store_forget(store, "army.mil", &n, NULL));
	{
		g_autoptr(RgImportRecord) r = record_of(&w, "mbox", mbox);
		ck_assert_uint_eq(r->n_addresses, 0);
	}
}
END_TEST

typedef struct {
	gboolean done;
	GError *error;
} RgDone;

static void
import_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RgDone *d = user_data;
	rg_session_import_finish(RG_SESSION(source), res, NULL, &d->error);
	d->done = TRUE;
}

START_TEST(test_import_cancelled_writes_nothing)
{
	g_auto(RgWorld) w = {0};
	g_autoptr(RgImportSource) f = feed_with("evolution-folder", "local/Sent", 3000);
	g_autoptr(RgSession) s = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	RgDone d = {0};

	world_init(&w, NULL);
	s = world_session(&w, NULL);
	g_cancellable_cancel(cancellable);
	rg_session_import_async(s, f, cancellable, NULL, NULL, NULL, import_done_cb, &d);
	while (!d.done)
		g_main_context_iteration(NULL, TRUE);
	ck_assert(g_error_matches(d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	g_clear_error(&d.error);
	ck_assert_ptr_null(record_of(&w, "evolution-folder", "local/Sent"));
	ck_assert_uint_eq(sent_to(&w, "gen.smith", "army.mil"), 0);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("mbox");

	tcase_add_test(tc, test_import_mbox_sent_and_received);
	tcase_add_test(tc, test_import_mbox_incremental);
	tcase_add_test(tc, test_import_mbox_truncated);
	tcase_add_test(tc, test_import_mbox_rewritten);
	tcase_add_test(tc, test_import_mbox_broken_headers);
	tcase_add_test(tc, test_import_mbox_encoded_and_8bit);
	tcase_add_test(tc, test_import_mbox_errors);
	tcase_add_test(tc, test_import_mbox_identities);
	tcase_add_test(tc, test_import_mbox_identities_from_settings);
	suite_add_tcase(s, tc);
	tc = tcase_create("maildir");
	tcase_add_test(tc, test_import_maildir);
	tcase_add_test(tc, test_import_maildir_unchanged_not_listed);
	tcase_add_test(tc, test_import_maildir_file_vanishes);
	tcase_add_test(tc, test_import_maildir_errors);
	tcase_add_test(tc, test_import_maildir_stamp);
	tcase_add_test(tc, test_import_same_message_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("mh");
	tcase_add_test(tc, test_import_mh);
	tcase_add_test(tc, test_import_mh_unchanged_not_listed);
	tcase_add_test(tc, test_import_mh_file_vanishes);
	tcase_add_test(tc, test_import_mh_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("feed");
	tcase_add_test(tc, test_import_feed_folder);
	tcase_add_test(tc, test_import_feed_address_book);
	tcase_add_test(tc, test_import_address_book_loses_to_typo);
	tcase_add_test(tc, test_import_address_book_loses_to_policy);
	tcase_add_test(tc, test_import_forget_and_export);
	tcase_add_test(tc, test_import_cancelled_writes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rg_test_run(import_suite());
}
