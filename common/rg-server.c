/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The judgement of an organisation's mail server, for every sender at once: who the sender
 * is, what their own history says about each recipient, what the policy wants done about it
 * (reject, confirm, hold, tag, log), the sentence that explains it, and what a sender's
 * confirmation and sent mail teach the history. rcptguard-milter is glue around this.
 *
 * One RgServer serves many threads, with three kinds of lock, always taken in this order and
 * never the other way round: the store lock (the SQLite connection, and anything that must
 * not interleave with its writes, such as reading a history into the cache), the cache lock
 * (the table of histories in memory, held only for a lookup), and one lock per cached sender
 * (a scorer and its history are not thread-safe). A recipient of a sender whose history is
 * in memory therefore waits for no write of the store. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-decision-log.h"
#include "rg-error.h"
#include "rg-history-private.h"
#include "rg-i18n.h"
#include "rg-policy-private.h"
#include "rg-report-private.h"
#include "rg-scorer-private.h"
#include "rg-sender-store-private.h"
#include "rg-server.h"
#include "rg-session-private.h"

/* senders whose history stays in memory; more are read from the store again when needed */
#define RG_SERVER_CACHE_SIZE_DEFAULT 1000
/* the recipients before the one judged that count as the rest of its message: enough for
 * every real message, bounded for a message to ten thousand recipients */
#define RG_SERVER_MAX_CONTEXT 100
/* how soon a store that could not be opened is tried again */
#define RG_SERVER_STORE_RETRY (60 * G_USEC_PER_SEC)
/* what was sent is written together with what other messages sent in the next moment: one
 * transaction for many messages */
#define RG_SERVER_FLUSH_DELAY (50 * G_TIME_SPAN_MILLISECOND)
/* more waiting than this is written at once, by the sender that adds to it */
#define RG_SERVER_FLUSH_MAX 5000
/* recipients of a sender's recent messages, kept read for the next ones */
#define RG_SERVER_PARSED_MAX 256
/* how often old histories and attempts are forgotten */
#define RG_SERVER_EXPIRE_EVERY (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define RG_SERVER_SECONDS_PER_DAY (24 * 3600)

/* ------------------------------------------------------------------ RgServerVerdict */

struct _RgServerVerdict {
	GObject parent_instance;
	RgServerAction action;
	char *address; /* as judged, or as given when it could not be read */
	char *key;     /* the normalised address the store keys it by; NULL when unreadable */
	RgVerdict *verdict;
	RgLevel level;
	char *codes;
	char *text;
	gboolean confirmed;
	GError *error;
};

G_DEFINE_TYPE(RgServerVerdict, rg_server_verdict, G_TYPE_OBJECT)

static void
rg_server_verdict_finalize(GObject *object)
{
	RgServerVerdict *self = RG_SERVER_VERDICT(object);
	g_free(self->address);
	g_free(self->key);
	g_clear_object(&self->verdict);
	g_free(self->codes);
	g_free(self->text);
	g_clear_error(&self->error);
	G_OBJECT_CLASS(rg_server_verdict_parent_class)->finalize(object);
}

static void
rg_server_verdict_class_init(RgServerVerdictClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_server_verdict_finalize;
}

static void
rg_server_verdict_init(RgServerVerdict *self)
{
	self->codes = g_strdup("");
}

/**
 * rg_server_action_to_string:
 * @action: an #RgServerAction
 *
 * Returns: (transfer none): the action's name, as the policy and the logs write it
 *   ("accept", "log", "tag", "confirm", "hold", "reject", "tempfail")
 */
const char *
rg_server_action_to_string(RgServerAction action)
{
	if (action == RG_SERVER_ACTION_TEMPFAIL)
		return "tempfail";
	return rg_policy_server_action_name(action);
}

/**
 * rg_server_verdict_get_action:
 * @self: an #RgServerVerdict
 *
 * Returns: what to do with the recipient
 */
RgServerAction
rg_server_verdict_get_action(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), RG_SERVER_ACTION_TEMPFAIL);
	return self->action;
}

/**
 * rg_server_verdict_get_address:
 * @self: an #RgServerVerdict
 *
 * Returns: (transfer none): the recipient, normalised, or as given when it could not be read
 */
const char *
rg_server_verdict_get_address(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), NULL);
	return self->address;
}

/**
 * rg_server_verdict_get_verdict:
 * @self: an #RgServerVerdict
 *
 * Returns: (transfer none) (nullable): the core's verdict on the recipient: its level,
 *   reasons and fix; %NULL when the check could not be made
 */
RgVerdict *
rg_server_verdict_get_verdict(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), NULL);
	return self->verdict;
}

/**
 * rg_server_verdict_get_level:
 * @self: an #RgServerVerdict
 *
 * Returns: the level the action was chosen for: the verdict's, or in `log-only` mode the
 *   level its reasons would have given
 */
RgLevel
rg_server_verdict_get_level(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), RG_LEVEL_OK);
	return self->level;
}

/**
 * rg_server_verdict_get_codes:
 * @self: an #RgServerVerdict
 *
 * Returns: (transfer none): the reason codes, separated by commas; empty for none
 */
const char *
rg_server_verdict_get_codes(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), NULL);
	return self->codes;
}

/**
 * rg_server_verdict_get_text:
 * @self: an #RgServerVerdict
 *
 * What to tell the sender, translated: the recipient, why it looks wrong, the fix when one
 * candidate wins ("Did you mean gen.smith@army.mil?") and, for %RG_SERVER_ACTION_CONFIRM,
 * how to confirm; or why the recipient could not be checked. One line of any length, in
 * UTF-8: an SMTP front end still has to make it fit its reply.
 *
 * Returns: (transfer none) (nullable): the explanation; %NULL when nothing was found
 */
const char *
rg_server_verdict_get_text(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), NULL);
	return self->text;
}

/**
 * rg_server_verdict_get_confirmed:
 * @self: an #RgServerVerdict
 *
 * Returns: whether the recipient is let through because the sender sent to it again within
 *   the confirmation window
 */
gboolean
rg_server_verdict_get_confirmed(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), FALSE);
	return self->confirmed;
}

/**
 * rg_server_verdict_get_error:
 * @self: an #RgServerVerdict
 *
 * Returns: (transfer none) (nullable): why the check could not be made, for the log:
 *   %RG_ERROR_INVALID_ADDRESS for a recipient that is not an address, a store error
 *   otherwise; the action then is what `on-error` says
 */
const GError *
rg_server_verdict_get_error(RgServerVerdict *self)
{
	g_return_val_if_fail(RG_IS_SERVER_VERDICT(self), NULL);
	return self->error;
}

/* ------------------------------------------------------------------ RgServer */

typedef struct {
	gatomicrefcount ref;
	GMutex lock;
	char *sender;
	RgHistory *history;
	RgScorer *scorer;
	GHashTable *parsed; /* recipient as given → RgAddress, of recent messages */
	GList link;         /* in the server's lru; data is the entry */
} RgServerEntry;

/* a recipient of a message that left, not written yet */
typedef struct {
	char *sender;
	char *address;
	gboolean confirmed;
} RgPending;

static void
rg_pending_clear(RgPending *p)
{
	g_free(p->sender);
	g_free(p->address);
}

struct _RgServer {
	GObject parent_instance;
	RgSession *session;
	RgPolicy *policy;
	RgEnvironment *env;
	GMutex store_lock;    /* the store and the fields down to expired_at */
	RgSenderStore *store; /* NULL while it cannot be opened */
	char *store_path;     /* NULL: in memory */
	GError *store_error;  /* why it could not be opened */
	gint64 store_retry_at;
	char *moved_aside;
	gint64 expired_at;
	GArray *pending;  /* RgPending, what rg_server_flush() writes */
	GCond flush_cond; /* something is pending, or the server stops */
	GThread *flusher;
	gboolean stopping;
	GMutex cache_lock; /* the fields below */
	GHashTable *cache; /* sender → RgServerEntry */
	GQueue lru;        /* RgServerEntry, the most recently used first */
	guint cache_size;
};

G_DEFINE_TYPE(RgServer, rg_server, G_TYPE_OBJECT)

static RgServerEntry *
rg_server_entry_ref(RgServerEntry *e)
{
	g_atomic_ref_count_inc(&e->ref);
	return e;
}

static void
rg_server_entry_unref(RgServerEntry *e)
{
	if (!g_atomic_ref_count_dec(&e->ref))
		return;
	g_mutex_clear(&e->lock);
	g_free(e->sender);
	g_clear_object(&e->scorer);
	g_clear_object(&e->history);
	g_hash_table_unref(e->parsed);
	g_free(e);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgServerEntry, rg_server_entry_unref)

static gboolean rg_server_flush_locked(RgServer *self, GError **error);

/* the pending writes go before the server does */
static void
rg_server_dispose(GObject *object)
{
	RgServer *self = RG_SERVER(object);
	g_autoptr(GError) error_local = NULL;

	g_mutex_lock(&self->store_lock);
	self->stopping = TRUE;
	g_cond_signal(&self->flush_cond);
	g_mutex_unlock(&self->store_lock);
	if (self->flusher != NULL)
		g_thread_join(g_steal_pointer(&self->flusher));
	g_mutex_lock(&self->store_lock);
	if (!rg_server_flush_locked(self, &error_local) && self->session != NULL) {
		g_autofree char *msg = g_strdup_printf(
		    /* TRANSLATORS: %s is a technical error message */
		    _("The recipients of sent mail could not be recorded: %s"),
		    error_local->message);
		rg_session_warn(self->session, msg);
	}
	g_mutex_unlock(&self->store_lock);
	G_OBJECT_CLASS(rg_server_parent_class)->dispose(object);
}

static void
rg_server_finalize(GObject *object)
{
	RgServer *self = RG_SERVER(object);
	g_array_unref(self->pending);
	g_cond_clear(&self->flush_cond);
	g_queue_init(&self->lru);
	g_hash_table_unref(self->cache);
	g_clear_pointer(&self->store, rg_sender_store_free);
	g_free(self->store_path);
	g_clear_error(&self->store_error);
	g_free(self->moved_aside);
	g_mutex_clear(&self->store_lock);
	g_mutex_clear(&self->cache_lock);
	g_clear_object(&self->policy);
	g_clear_object(&self->env);
	g_clear_object(&self->session);
	G_OBJECT_CLASS(rg_server_parent_class)->finalize(object);
}

static void
rg_server_class_init(RgServerClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = rg_server_dispose;
	G_OBJECT_CLASS(klass)->finalize = rg_server_finalize;
}

static void
rg_server_init(RgServer *self)
{
	g_mutex_init(&self->store_lock);
	g_mutex_init(&self->cache_lock);
	g_cond_init(&self->flush_cond);
	self->pending = g_array_new(FALSE, FALSE, sizeof(RgPending));
	g_array_set_clear_func(self->pending, (GDestroyNotify)rg_pending_clear);
	self->cache = g_hash_table_new_full(
	    g_str_hash, g_str_equal, NULL, (GDestroyNotify)rg_server_entry_unref);
	g_queue_init(&self->lru);
	self->cache_size = RG_SERVER_CACHE_SIZE_DEFAULT;
}

static gint64
rg_server_now(RgServer *self)
{
	return rg_environment_get_real_time(self->env);
}

/**
 * rg_server_new:
 * @session: a session whose policy is loaded (rg_session_load_policy()): the
 *   organisation's policy, and the environment whose clock the server uses
 *
 * A server judges the recipients of every sender with the session's policy and a history
 * per sender, learned from the mail that sender sent through it. Its store is in memory
 * until rg_server_open_store() gives it a file.
 *
 * rg_server_check(), rg_server_record_message(), rg_server_record_sent(),
 * rg_server_flush(), rg_server_expire() and rg_server_get_stats() may be called from many
 * threads at once; the rest before that. What senders sent is written to the store a moment
 * later by a thread of the server's own, and when the server is disposed of.
 *
 * Returns: (transfer full): a server
 */
RgServer *
rg_server_new(RgSession *session)
{
	RgServer *self;

	g_return_val_if_fail(RG_IS_SESSION(session), NULL);
	g_return_val_if_fail(rg_session_get_policy(session) != NULL, NULL);

	self = g_object_new(RG_TYPE_SERVER, NULL);
	self->session = g_object_ref(session);
	self->policy = g_object_ref(rg_session_get_policy(session));
	self->env = g_object_ref(rg_session_get_environment(session));
	self->store = rg_sender_store_open(NULL, 0, NULL);
	self->expired_at = rg_server_now(self);
	return self;
}

/* drops every cached history */
static void
rg_server_clear_cache(RgServer *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->cache_lock);

	/* the links live in the entries: forget them, do not free them */
	g_queue_init(&self->lru);
	g_hash_table_remove_all(self->cache);
}

/* drops the cached history of @sender, to be read again */
static void
rg_server_uncache(RgServer *self, const char *sender)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->cache_lock);
	RgServerEntry *e = g_hash_table_lookup(self->cache, sender);

	if (e == NULL)
		return;
	g_queue_unlink(&self->lru, &e->link);
	g_hash_table_remove(self->cache, sender);
}

/* under the store lock: a store to use, opening it again when it failed before and the
 * retry time has come */
static gboolean
rg_server_ensure_store(RgServer *self, GError **error)
{
	gint64 now;
	g_autoptr(GError) error_local = NULL;

	if (self->store != NULL)
		return TRUE;
	now = rg_server_now(self);
	if (self->store_error != NULL && now < self->store_retry_at) {
		g_propagate_error(error, g_error_copy(self->store_error));
		return FALSE;
	}
	self->store = rg_sender_store_open(self->store_path, now / G_USEC_PER_SEC, &error_local);
	if (self->store == NULL) {
		g_clear_error(&self->store_error);
		self->store_error = g_error_copy(error_local);
		self->store_retry_at = now + RG_SERVER_STORE_RETRY;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (rg_sender_store_get_moved_aside_path(self->store) != NULL) {
		g_free(self->moved_aside);
		self->moved_aside = g_strdup(rg_sender_store_get_moved_aside_path(self->store));
	}
	g_clear_error(&self->store_error);
	/* what was cached came from the store before; it may have been replaced */
	rg_server_clear_cache(self);
	return TRUE;
}

/* under the store lock: a damaged store is opened anew (and moved aside) at the next use */
static void
rg_server_store_failed(RgServer *self, const GError *error)
{
	if (!g_error_matches(error, RG_ERROR, RG_ERROR_CORRUPT))
		return;
	g_clear_pointer(&self->store, rg_sender_store_free);
	self->store_retry_at = 0;
}

/**
 * rg_server_open_store:
 * @self: an #RgServer
 * @path: (nullable): the store file (created with mode 0600; its directory must exist), or
 *   %NULL for one in memory
 * @error: return location for a #GError
 *
 * Opens the store that keeps, per sender, the addresses they sent to and the recipients
 * waiting for their confirmation, so that both survive a restart. A file that is not a
 * database is moved aside (rg_server_get_store_moved_aside_path()) and a new store started.
 *
 * When the store cannot be opened, the server keeps the path and tries again a minute later
 * on use; until then every recipient is handled as the policy's `on-error` says.
 *
 * Returns: %FALSE with %RG_ERROR_IO, %RG_ERROR_BUSY or %RG_ERROR_CORRUPT (written by a
 *   newer version) set when the store cannot be opened now
 */
gboolean
rg_server_open_store(RgServer *self, const char *path, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	locker = g_mutex_locker_new(&self->store_lock);
	rg_server_flush_locked(self, NULL);
	g_clear_pointer(&self->store, rg_sender_store_free);
	g_clear_error(&self->store_error);
	g_free(self->store_path);
	self->store_path = g_strdup(path);
	self->store_retry_at = 0;
	if (!rg_server_ensure_store(self, error))
		return FALSE;
	/* what is older than the retention goes now, not an hour after a restart */
	self->expired_at = 0;
	return TRUE;
}

/**
 * rg_server_get_store_moved_aside_path:
 * @self: an #RgServer
 *
 * Returns: (transfer none) (nullable): where a damaged store file was moved before a new one
 *   was started; %NULL when that did not happen
 */
const char *
rg_server_get_store_moved_aside_path(RgServer *self)
{
	g_return_val_if_fail(RG_IS_SERVER(self), NULL);
	return self->moved_aside;
}

/**
 * rg_server_set_cache_size:
 * @self: an #RgServer
 * @n_senders: how many senders' histories stay in memory (at least 1; default 1000)
 *
 * A sender whose history is not in memory is read from the store at their next recipient.
 */
void
rg_server_set_cache_size(RgServer *self, guint n_senders)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_if_fail(RG_IS_SERVER(self));
	locker = g_mutex_locker_new(&self->cache_lock);
	self->cache_size = MAX(n_senders, 1);
}

/**
 * rg_server_identify_sender:
 * @self: an #RgServer
 * @authenticated: (nullable): the name the client authenticated with (SMTP AUTH, the
 *   `{auth_authen}` macro), or %NULL or "" when it did not
 * @envelope_sender: (nullable): the envelope sender (MAIL FROM), with or without the angle
 *   brackets
 * @client_address: (nullable): the client's IP address; %NULL for a local submission
 *
 * Who the recipients are judged for: an authenticated client by its login name, else the
 * envelope sender when the client is in `server-trusted-networks` (or local). Mail from
 * anyone else (the Internet, arriving on the same server) and bounces (the null sender) are
 * not judged.
 *
 * Returns: (transfer full) (nullable): the sender's key for rg_server_check(), or %NULL when
 *   the message is not to be judged
 */
char *
rg_server_identify_sender(RgServer *self,
                          const char *authenticated,
                          const char *envelope_sender,
                          const char *client_address)
{
	g_autoptr(RgAddress) addr = NULL;
	g_autofree char *bare = NULL;
	gsize len;

	g_return_val_if_fail(RG_IS_SERVER(self), NULL);

	if (authenticated != NULL && g_strstrip(bare = g_strdup(authenticated))[0] != '\0')
		return g_steal_pointer(&bare);
	g_clear_pointer(&bare, g_free);
	if (client_address != NULL) {
		g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(client_address);
		if (inet == NULL || !rg_policy_is_trusted_network(self->policy, inet))
			return NULL;
	}
	if (envelope_sender == NULL)
		return NULL;
	bare = g_strstrip(g_strdup(envelope_sender));
	len = strlen(bare);
	if (len >= 2 && bare[0] == '<' && bare[len - 1] == '>') {
		memmove(bare, bare + 1, len - 2);
		bare[len - 2] = '\0';
	}
	if (bare[0] == '\0')
		return NULL;
	addr = rg_address_parse(bare, NULL);
	return addr != NULL ? rg_history_normalize(addr) : NULL;
}

/* under the cache lock: puts @e first in the lru and drops the least recently used ones */
static void
rg_server_touch(RgServer *self, RgServerEntry *e)
{
	if (e->link.data != NULL)
		g_queue_unlink(&self->lru, &e->link);
	e->link.data = e;
	g_queue_push_head_link(&self->lru, &e->link);
	while (self->lru.length > self->cache_size) {
		RgServerEntry *old = g_queue_peek_tail(&self->lru);
		g_queue_unlink(&self->lru, &old->link);
		g_hash_table_remove(self->cache, old->sender);
	}
}

/* the cached entry of @sender, referenced, or NULL */
static RgServerEntry *
rg_server_lookup(RgServer *self, const char *sender)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->cache_lock);
	RgServerEntry *e = g_hash_table_lookup(self->cache, sender);

	if (e == NULL)
		return NULL;
	rg_server_touch(self, e);
	return rg_server_entry_ref(e);
}

/* the sender's history and scorer, from the cache or the store */
static RgServerEntry *
rg_server_get_entry(RgServer *self, const char *sender, GError **error)
{
	g_autoptr(GMutexLocker) store_locker = NULL;
	g_autoptr(GMutexLocker) cache_locker = NULL;
	g_autoptr(RgHistory) history = NULL;
	g_autoptr(GError) error_local = NULL;
	RgServerEntry *e = rg_server_lookup(self, sender);

	if (e != NULL)
		return e;
	/* read under the store lock, so that no write of the store falls between the read and
	 * the history in the cache */
	store_locker = g_mutex_locker_new(&self->store_lock);
	e = rg_server_lookup(self, sender);
	if (e != NULL)
		return e;
	if (!rg_server_ensure_store(self, error))
		return NULL;
	/* what this sender sent a moment ago belongs in the history read now */
	if (!rg_server_flush_locked(self, &error_local))
		g_debug("%s", error_local->message);
	g_clear_error(&error_local);
	history = rg_history_new();
	if (!rg_sender_store_load(self->store, sender, history, &error_local)) {
		rg_server_store_failed(self, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	e = g_new0(RgServerEntry, 1);
	g_atomic_ref_count_init(&e->ref);
	g_mutex_init(&e->lock);
	e->sender = g_strdup(sender);
	e->parsed = g_hash_table_new_full(
	    g_str_hash, g_str_equal, g_free, (GDestroyNotify)rg_address_unref);
	e->scorer = rg_scorer_new(history, self->policy, error);
	if (e->scorer == NULL) {
		rg_server_entry_unref(e);
		return NULL;
	}
	e->history = g_steal_pointer(&history);
	cache_locker = g_mutex_locker_new(&self->cache_lock);
	g_hash_table_insert(self->cache, e->sender, e);
	rg_server_touch(self, e);
	return rg_server_entry_ref(e);
}

/* what on-error says when the check could not be made */
static RgServerVerdict *
rg_server_verdict_new_error(RgServer *self, const char *address, GError *error)
{
	RgServerVerdict *v = g_object_new(RG_TYPE_SERVER_VERDICT, NULL);

	v->address = g_strdup(address);
	v->action = rg_session_get_on_error(self->session) == RG_POLICY_ON_ERROR_ALLOW
	                ? RG_SERVER_ACTION_ACCEPT
	                : RG_SERVER_ACTION_TEMPFAIL;
	if (g_error_matches(error, RG_ERROR, RG_ERROR_INVALID_ADDRESS))
		/* TRANSLATORS: %s is what the sender's mail program gave as a recipient */
		v->text = g_strdup_printf(_("“%s” is not an e-mail address rcptguard can read. "
		                            "Check the address and send the message again."),
		                          address);
	else
		v->text = g_strdup(_("The recipients cannot be checked right now. Send the message "
		                     "again later."));
	v->error = error;
	return v;
}

/* the recipient, why it looks wrong (the reasons at its level), the fix, and how to
 * confirm */
static char *
rg_server_explain(RgServer *self, RgServerVerdict *v)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v->verdict);
	const char *suggestion = rg_verdict_get_suggestion(v->verdict);
	g_autoptr(GString) why = g_string_new(NULL);
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; i < reasons->len; i++) {
		RgReason *r = g_ptr_array_index(reasons, i);
		if (rg_reason_get_level(r) < v->level)
			continue;
		if (why->len > 0)
			g_string_append_c(why, ' ');
		g_string_append(why, rg_reason_get_message(r));
	}
	if (why->len == 0)
		return NULL;
	g_string_append_printf(text,
	                       /* TRANSLATORS: %1$s is a recipient's address, %2$s one or more
	                        * sentences saying why it looks wrong */
	                       _("%1$s: %2$s"),
	                       v->address,
	                       why->str);
	if (suggestion != NULL) {
		g_string_append_c(text, ' ');
		/* TRANSLATORS: %s is the corrected address */
		g_string_append_printf(text, _("Did you mean %s?"), suggestion);
	}
	if (v->action == RG_SERVER_ACTION_CONFIRM) {
		guint minutes = rg_policy_get_count(self->policy, "server-confirm-minutes");
		g_string_append_c(text, ' ');
		g_string_append_printf(
		    text,
		    g_dngettext(
		        GETTEXT_PACKAGE,
		        /* TRANSLATORS: %u is a number of minutes. The mail server refused the
		         * recipient once; sending the same message again confirms it. */
		        "If the address is right, send the message again within %u minute.",
		        "If the address is right, send the message again within %u minutes.",
		        minutes),
		    minutes);
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/* the action the policy gives the verdict; sets the level it was chosen for */
static RgServerAction
rg_server_choose(RgServer *self, RgServerVerdict *v, const char **choice)
{
	g_autoptr(GString) codes = g_string_new(NULL);
	RgLevel raw = rg_verdict_get_reasons_level(v->verdict, codes);
	RgServerAction action;

	g_free(v->codes);
	v->codes = g_string_free(g_steal_pointer(&codes), FALSE);
	if (rg_policy_get_log_only(self->policy)) {
		/* a trial: nothing more than a line in the log */
		v->level = raw;
		action = MIN(rg_policy_get_server_action(self->policy, raw), RG_SERVER_ACTION_LOG);
		*choice = "log-only";
		return action;
	}
	v->level = rg_verdict_get_level(v->verdict);
	action = rg_policy_get_server_action(self->policy, v->level);
	*choice = rg_server_action_to_string(action);
	return action;
}

/* the first attempt of a confirmation is remembered; a second in time lets it through */
static gboolean
rg_server_confirm(
    RgServer *self, const char *sender, RgServerVerdict *v, gboolean *confirmed, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->store_lock);
	g_autoptr(GError) error_local = NULL;
	gint64 window = (gint64)rg_policy_get_count(self->policy, "server-confirm-minutes") * 60;

	if (!rg_server_ensure_store(self, error))
		return FALSE;
	if (!rg_sender_store_confirm(self->store,
	                             sender,
	                             v->key,
	                             rg_server_now(self) / G_USEC_PER_SEC,
	                             window,
	                             confirmed,
	                             &error_local)) {
		rg_server_store_failed(self, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return TRUE;
}

static void
rg_server_log(RgServer *self, const char *sender, RgServerVerdict *v, const char *choice)
{
	g_autoptr(GError) error_local = NULL;

	if (rg_decision_log_append_server(rg_policy_get_decision_log(self->policy),
	                                  sender,
	                                  v->verdict,
	                                  choice,
	                                  rg_server_now(self),
	                                  &error_local))
		return;
	{
		/* TRANSLATORS: %s is a technical error message naming the file */
		g_autofree char *msg = g_strdup_printf(
		    _("The decision log could not be written: %s"), error_local->message);
		rg_session_warn(self->session, msg);
	}
}

/* under the entry's lock: a recipient as an address, read once for all the RCPTs of a
 * message (each is the rest of the message for the ones after it) */
static RgAddress *
rg_server_entry_parse(RgServerEntry *e, const char *text, RgAddress *known)
{
	RgAddress *addr = g_hash_table_lookup(e->parsed, text);

	if (addr != NULL)
		return rg_address_ref(addr);
	addr = known != NULL ? rg_address_ref(known) : rg_address_parse(text, NULL);
	if (addr == NULL)
		return NULL;
	if (g_hash_table_size(e->parsed) >= RG_SERVER_PARSED_MAX)
		g_hash_table_remove_all(e->parsed);
	g_hash_table_insert(e->parsed, g_strdup(text), rg_address_ref(addr));
	return addr;
}

/* under the entry's lock: the last recipient, with up to RG_SERVER_MAX_CONTEXT before it */
static GPtrArray *
rg_server_entry_message(RgServerEntry *e, const char *const *recipients, guint n, RgAddress *last)
{
	GPtrArray *addresses = g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);

	/* the rest of the message was judged already: what cannot be read there is no reason
	 * to refuse this one */
	for (guint i = n - 1 > RG_SERVER_MAX_CONTEXT ? n - 1 - RG_SERVER_MAX_CONTEXT : 0; i < n - 1;
	     i++) {
		RgAddress *a = rg_server_entry_parse(e, recipients[i], NULL);
		if (a != NULL)
			g_ptr_array_add(addresses, a);
	}
	g_ptr_array_add(addresses, rg_server_entry_parse(e, recipients[n - 1], last));
	return addresses;
}

/**
 * rg_server_check:
 * @self: an #RgServer
 * @sender: the sender, from rg_server_identify_sender()
 * @recipients: (array zero-terminated=1): the recipients of the message so far: the last is
 *   judged, the others (already let through) count as the rest of its message
 *
 * Judges one recipient as the SMTP envelope brings it, with the sender's history and the
 * policy, and decides what to do: the `server-action-LEVEL` for the verdict's level, a
 * first attempt of %RG_SERVER_ACTION_CONFIRM remembered (a second one within
 * `server-confirm-minutes` is let through), nothing more than %RG_SERVER_ACTION_LOG in
 * `log-only` mode. Every recipient acted on gets a line in the policy's decision log, with
 * the sender. A recipient that is not an address, or a store that cannot be used, gets what
 * `on-error` says: %RG_SERVER_ACTION_ACCEPT for `allow`, else %RG_SERVER_ACTION_TEMPFAIL.
 *
 * Returns: (transfer full): the decision on the last recipient
 */
RgServerVerdict *
rg_server_check(RgServer *self, const char *sender, const char *const *recipients)
{
	g_autoptr(GPtrArray) addresses = NULL;
	g_autoptr(RgServerEntry) e = NULL;
	g_autoptr(RgReport) report = NULL;
	g_autoptr(RgServerVerdict) v = NULL;
	g_autoptr(RgAddress) last = NULL;
	GError *error = NULL;
	const char *choice = NULL;
	guint n;

	g_return_val_if_fail(RG_IS_SERVER(self), NULL);
	g_return_val_if_fail(sender != NULL, NULL);
	g_return_val_if_fail(recipients != NULL && recipients[0] != NULL, NULL);

	n = g_strv_length((char **)recipients);
	last = rg_address_parse(recipients[n - 1], &error);
	if (last == NULL)
		return rg_server_verdict_new_error(self, recipients[n - 1], error);
	e = rg_server_get_entry(self, sender, &error);
	if (e == NULL)
		return rg_server_verdict_new_error(self, recipients[n - 1], error);
	g_mutex_lock(&e->lock);
	addresses = rg_server_entry_message(e, recipients, n, last);
	report = rg_scorer_check_last(e->scorer, addresses);
	g_mutex_unlock(&e->lock);

	v = g_object_new(RG_TYPE_SERVER_VERDICT, NULL);
	v->verdict = g_object_ref(rg_report_get_verdict(report, 0));
	v->address = g_strdup(rg_verdict_get_address(v->verdict));
	v->key = rg_history_normalize(g_ptr_array_index(addresses, addresses->len - 1));
	v->action = rg_server_choose(self, v, &choice);
	if (v->action == RG_SERVER_ACTION_CONFIRM) {
		gboolean confirmed = FALSE;
		if (!rg_server_confirm(self, sender, v, &confirmed, &error)) {
			RgServerVerdict *failed =
			    rg_server_verdict_new_error(self, recipients[n - 1], error);
			failed->verdict = g_steal_pointer(&v->verdict);
			return failed;
		}
		if (confirmed) {
			v->action = RG_SERVER_ACTION_ACCEPT;
			v->confirmed = TRUE;
			choice = "confirmed";
		}
	}
	v->text = rg_server_explain(self, v);
	if (v->action != RG_SERVER_ACTION_ACCEPT || v->confirmed)
		rg_server_log(self, sender, v, choice);
	return g_steal_pointer(&v);
}

/* under the store lock: forgets what is older than the retention, once an hour */
static gboolean
rg_server_expire_locked(RgServer *self, gboolean force, GError **error)
{
	gint64 now = rg_server_now(self);
	gint64 days = rg_policy_get_count(self->policy, "server-history-days");
	gint64 window = (gint64)rg_policy_get_count(self->policy, "server-confirm-minutes") * 60;
	g_autoptr(GError) error_local = NULL;
	guint n_forgotten = 0;

	if (!force && now - self->expired_at < RG_SERVER_EXPIRE_EVERY)
		return TRUE;
	if (!rg_server_ensure_store(self, error) || !rg_server_flush_locked(self, error))
		return FALSE;
	self->expired_at = now;
	if (!rg_sender_store_expire(self->store,
	                            now / G_USEC_PER_SEC - days * RG_SERVER_SECONDS_PER_DAY,
	                            now / G_USEC_PER_SEC - window,
	                            &n_forgotten,
	                            &error_local)) {
		rg_server_store_failed(self, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (n_forgotten > 0)
		rg_server_clear_cache(self);
	return TRUE;
}

/**
 * rg_server_expire:
 * @self: an #RgServer
 * @error: return location for a #GError
 *
 * Forgets the addresses a sender has not sent to for `server-history-days` and the
 * confirmations that were not given in time. The server also does this by itself, once an
 * hour, when it records.
 *
 * Returns: %FALSE when the store cannot be used
 */
gboolean
rg_server_expire(RgServer *self, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	locker = g_mutex_locker_new(&self->store_lock);
	return rg_server_expire_locked(self, TRUE, error);
}

/* under the store lock: teaches the cached history of @sender */
static void
rg_server_teach(RgServer *self, const char *sender, GArray *records)
{
	g_autoptr(RgServerEntry) e = rg_server_lookup(self, sender);

	if (e == NULL)
		return;
	g_mutex_lock(&e->lock);
	for (guint i = 0; i < records->len; i++) {
		const RgSenderRecord *r = &g_array_index(records, RgSenderRecord, i);
		rg_history_add_normalized(e->history,
		                          r->address,
		                          1,
		                          0,
		                          r->confirmed ? RG_HISTORY_FLAG_CONFIRMED
		                                       : RG_HISTORY_FLAG_NONE);
	}
	g_mutex_unlock(&e->lock);
}

/* under the store lock: writes @records of @sender, keeping the store within its size */
static gboolean
rg_server_write(RgServer *self,
                const char *sender,
                const RgSenderRecord *records,
                guint n_records,
                GError **error)
{
	g_autoptr(RgServerEntry) e = rg_server_lookup(self, sender);
	guint n_dropped = 0;

	/* a history in memory has every address of the store (all writes are made here) */
	if (!rg_sender_store_record(self->store,
	                            sender,
	                            records,
	                            n_records,
	                            rg_server_now(self) / G_USEC_PER_SEC,
	                            rg_policy_get_count(self->policy, "server-history-size"),
	                            e != NULL ? rg_history_get_n_addresses(e->history) : G_MAXUINT,
	                            &n_dropped,
	                            error))
		return FALSE;
	/* read again next time, without what was dropped */
	if (n_dropped > 0)
		rg_server_uncache(self, sender);
	return TRUE;
}

/* under the store lock: the pending recipients in one transaction, sender by sender */
static gboolean
rg_server_write_pending(RgServer *self, GError **error)
{
	g_autoptr(GHashTable) by_sender =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
	GHashTableIter iter;
	gpointer sender, records;

	for (guint i = 0; i < self->pending->len; i++) {
		const RgPending *p = &g_array_index(self->pending, RgPending, i);
		GArray *mine = g_hash_table_lookup(by_sender, p->sender);
		RgSenderRecord r = {p->address, p->confirmed};
		if (mine == NULL) {
			mine = g_array_new(FALSE, FALSE, sizeof(RgSenderRecord));
			g_hash_table_insert(by_sender, p->sender, mine);
		}
		g_array_append_val(mine, r);
	}
	if (!rg_sender_store_begin(self->store, error))
		return FALSE;
	g_hash_table_iter_init(&iter, by_sender);
	while (g_hash_table_iter_next(&iter, &sender, &records)) {
		GArray *r = records;
		if (!rg_server_write(
		        self, sender, (const RgSenderRecord *)r->data, r->len, error)) {
			rg_sender_store_abort(self->store);
			return FALSE;
		}
	}
	return rg_sender_store_commit(self->store, error);
}

/* under the store lock: writes what is pending; what cannot be written is dropped (the
 * histories in memory have it, the store misses these messages) */
static gboolean
rg_server_flush_locked(RgServer *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint n = self->pending->len;
	gboolean ok;

	if (n == 0)
		return TRUE;
	if (!rg_server_ensure_store(self, error))
		return FALSE;
	ok = rg_server_write_pending(self, &error_local);
	g_array_set_size(self->pending, 0);
	if (ok)
		return TRUE;
	rg_server_store_failed(self, error_local);
	g_propagate_prefixed_error(
	    error, g_steal_pointer(&error_local), "%u recipients not recorded: ", n);
	return FALSE;
}

/* writes what is pending a moment after it came, so that the messages of that moment share
 * one transaction */
static gpointer
rg_server_flusher(gpointer data)
{
	RgServer *self = data;

	g_mutex_lock(&self->store_lock);
	while (!self->stopping) {
		gint64 end;
		g_autoptr(GError) error_local = NULL;
		if (self->pending->len == 0) {
			g_cond_wait(&self->flush_cond, &self->store_lock);
			continue;
		}
		end = g_get_monotonic_time() + RG_SERVER_FLUSH_DELAY;
		while (!self->stopping && g_get_monotonic_time() < end)
			g_cond_wait_until(&self->flush_cond, &self->store_lock, end);
		if (rg_server_flush_locked(self, &error_local))
			continue;
		{
			g_autofree char *msg = g_strdup_printf(
			    /* TRANSLATORS: %s is a technical error message */
			    _("The recipients of sent mail could not be recorded: %s"),
			    error_local->message);
			rg_session_warn(self->session, msg);
		}
	}
	g_mutex_unlock(&self->store_lock);
	return NULL;
}

/* @records of @sender: taught to the cached history at once; written now when @now, else
 * with what is written in the next moment */
static gboolean
rg_server_record(RgServer *self, const char *sender, GArray *records, gboolean now, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;
	g_autoptr(GError) error_local = NULL;

	if (records->len == 0)
		return TRUE;
	/* held until the cached history has it too, so that a history read from the store
	 * meanwhile neither misses it nor counts it twice */
	locker = g_mutex_locker_new(&self->store_lock);
	if (!rg_server_ensure_store(self, error))
		return FALSE;
	if (now) {
		if (!rg_server_flush_locked(self, error) ||
		    !rg_server_write(
		        self, sender, (const RgSenderRecord *)records->data, records->len, error))
			return FALSE;
	} else {
		for (guint i = 0; i < records->len; i++) {
			const RgSenderRecord *r = &g_array_index(records, RgSenderRecord, i);
			RgPending p = {g_strdup(sender), g_strdup(r->address), r->confirmed};
			g_array_append_val(self->pending, p);
		}
		if (self->flusher == NULL)
			self->flusher = g_thread_new("rg-server-flush", rg_server_flusher, self);
		g_cond_signal(&self->flush_cond);
		/* a store that cannot keep up: whoever adds waits */
		if (self->pending->len >= RG_SERVER_FLUSH_MAX &&
		    !rg_server_flush_locked(self, error))
			return FALSE;
	}
	rg_server_teach(self, sender, records);
	/* the sender's mail went out in any case: forgetting old entries may fail later */
	if (!rg_server_expire_locked(self, FALSE, &error_local))
		g_debug("%s", error_local->message);
	return TRUE;
}

/**
 * rg_server_flush:
 * @self: an #RgServer
 * @error: return location for a #GError
 *
 * Writes to the store what rg_server_record_message() learned and has not written yet
 * (it writes a moment later, together with the messages of that moment, and when the
 * server goes).
 *
 * Returns: %FALSE when the store cannot be written; what was pending is lost for the store
 *   then (the histories in memory keep it)
 */
gboolean
rg_server_flush(RgServer *self, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	locker = g_mutex_locker_new(&self->store_lock);
	return rg_server_flush_locked(self, error);
}

/**
 * rg_server_record_message:
 * @self: an #RgServer
 * @sender: the sender, from rg_server_identify_sender()
 * @verdicts: (element-type RgServerVerdict): the verdicts of the message's recipients, from
 *   rg_server_check()
 * @error: return location for a #GError
 *
 * Learns from a message that left: every recipient that was let through is now one the
 * sender writes to. A recipient that was flagged and went all the same (confirmed, tagged,
 * logged) becomes known as an address, but its domain does not vouch for others while it
 * looks like a domain the sender really writes to. A held message teaches nothing, nor do
 * recipients that were refused or not read. The sender's history in memory learns at once;
 * the store a moment later, with the messages of that moment (rg_server_flush()), and a
 * failure then is emitted as #RgSession::warning.
 *
 * Returns: %FALSE when the store cannot be used; the message went out all the same
 */
gboolean
rg_server_record_message(RgServer *self, const char *sender, GPtrArray *verdicts, GError **error)
{
	g_autoptr(GArray) records = g_array_new(FALSE, FALSE, sizeof(RgSenderRecord));

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	g_return_val_if_fail(sender != NULL, FALSE);
	g_return_val_if_fail(verdicts != NULL, FALSE);

	for (guint i = 0; i < verdicts->len; i++) {
		RgServerVerdict *v = g_ptr_array_index(verdicts, i);
		g_return_val_if_fail(RG_IS_SERVER_VERDICT(v), FALSE);
		if (v->action == RG_SERVER_ACTION_HOLD)
			return TRUE;
	}
	for (guint i = 0; i < verdicts->len; i++) {
		RgServerVerdict *v = g_ptr_array_index(verdicts, i);
		RgSenderRecord r = {v->key, v->level >= RG_LEVEL_WARN};
		if (v->key == NULL || v->action > RG_SERVER_ACTION_TAG)
			continue;
		g_array_append_val(records, r);
	}
	return rg_server_record(self, sender, records, FALSE, error);
}

/**
 * rg_server_record_sent:
 * @self: an #RgServer
 * @sender: the sender, as rg_server_identify_sender() names them
 * @addresses: (array zero-terminated=1): addresses the sender wrote to, such as the
 *   recipients of their sent mail, to give a new server a history from the first day
 * @error: return location for a #GError
 *
 * Records one message to each of @addresses, as from real mail, in the store at once.
 *
 * Returns: %FALSE with %RG_ERROR_INVALID_ADDRESS when an address is malformed (then nothing
 *   is recorded), or when the store cannot be written
 */
gboolean
rg_server_record_sent(RgServer *self,
                      const char *sender,
                      const char *const *addresses,
                      GError **error)
{
	g_autoptr(GArray) records = g_array_new(FALSE, FALSE, sizeof(RgSenderRecord));
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	g_return_val_if_fail(sender != NULL, FALSE);
	g_return_val_if_fail(addresses != NULL, FALSE);

	for (guint i = 0; addresses[i] != NULL; i++) {
		g_autoptr(RgAddress) addr = rg_address_parse(addresses[i], error);
		if (addr == NULL)
			return FALSE;
		g_ptr_array_add(keys, rg_history_normalize(addr));
	}
	for (guint i = 0; i < keys->len; i++) {
		RgSenderRecord r = {g_ptr_array_index(keys, i), FALSE};
		g_array_append_val(records, r);
	}
	return rg_server_record(self, sender, records, TRUE, error);
}

/**
 * rg_server_get_stats:
 * @self: an #RgServer
 * @stats: (out caller-allocates): the figures
 * @error: return location for a #GError
 *
 * Returns: %FALSE when the store cannot be read
 */
gboolean
rg_server_get_stats(RgServer *self, RgServerStats *stats, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_SERVER(self), FALSE);
	g_return_val_if_fail(stats != NULL, FALSE);
	locker = g_mutex_locker_new(&self->store_lock);
	if (!rg_server_ensure_store(self, error) || !rg_server_flush_locked(self, error))
		return FALSE;
	g_mutex_lock(&self->cache_lock);
	stats->n_cached = g_hash_table_size(self->cache);
	g_mutex_unlock(&self->cache_lock);
	if (!rg_sender_store_count(
	        self->store, &stats->n_senders, &stats->n_addresses, &error_local)) {
		rg_server_store_failed(self, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return TRUE;
}
