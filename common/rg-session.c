/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every front end does before and after a check, in one place: find and load the
 * policy layers and the history, build the scorer, and record what the user decided. The
 * shims and the CLI stay glue. Paths come from the XDG variables here and nowhere else. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-history-notmuch.h"
#include "rg-i18n.h"
#include "rg-report-private.h"
#include "rg-session.h"
#include "rg-store.h"

struct _RgSession {
	GObject parent_instance;
	char *policy_file;   /* replaces the system layer when set */
	char *settings_file; /* the user layer; NULL for the XDG default */
	char *notmuch_path;
	GPtrArray *known_files;
	GPtrArray *identities;
	RgPolicy *policy;
	RgHistory *history;
	RgStore *store; /* the user's store, or one in memory when it cannot be used */
	RgScorer *scorer;
	GPtrArray *notices; /* translated, for the report and stderr */
};

G_DEFINE_TYPE(RgSession, rg_session, G_TYPE_OBJECT)

static void
rg_session_finalize(GObject *object)
{
	RgSession *self = RG_SESSION(object);
	g_free(self->policy_file);
	g_free(self->settings_file);
	g_free(self->notmuch_path);
	g_ptr_array_unref(self->known_files);
	g_ptr_array_unref(self->identities);
	g_ptr_array_unref(self->notices);
	g_clear_object(&self->policy);
	g_clear_object(&self->history);
	g_clear_object(&self->store);
	g_clear_object(&self->scorer);
	G_OBJECT_CLASS(rg_session_parent_class)->finalize(object);
}

static void
rg_session_class_init(RgSessionClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_session_finalize;
}

static void
rg_session_init(RgSession *self)
{
	self->known_files = g_ptr_array_new_with_free_func(g_free);
	self->identities = g_ptr_array_new_with_free_func(g_free);
	self->notices = g_ptr_array_new_with_free_func(g_free);
}

/**
 * rg_session_new:
 *
 * Returns: (transfer full): a session with the default sources: the system policy, the
 *   user's settings and history store. Adjust with the setters, then call rg_session_load().
 */
RgSession *
rg_session_new(void)
{
	rg_i18n_init();
	return g_object_new(RG_TYPE_SESSION, NULL);
}

/**
 * rg_session_set_policy_file:
 * @self: an #RgSession
 * @path: (nullable): a policy file that replaces the system policy layer
 */
void
rg_session_set_policy_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->policy_file);
	self->policy_file = g_strdup(path);
}

/**
 * rg_session_set_settings_file:
 * @self: an #RgSession
 * @path: (nullable): the user settings file; %NULL for
 *   `$XDG_CONFIG_HOME/rcptguard/settings.conf`
 */
void
rg_session_set_settings_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->settings_file);
	self->settings_file = g_strdup(path);
}

/**
 * rg_session_get_settings_file:
 * @self: an #RgSession
 *
 * Returns: (transfer full): the user settings file the session reads and the preference
 *   tools write
 */
char *
rg_session_get_settings_file(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	if (self->settings_file != NULL)
		return g_strdup(self->settings_file);
	return g_build_filename(g_get_user_config_dir(), "rcptguard", "settings.conf", NULL);
}

/**
 * rg_session_add_known_file:
 * @self: an #RgSession
 * @path: a file of known correspondents, one address per line
 */
void
rg_session_add_known_file(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_ptr_array_add(self->known_files, g_strdup(path));
}

/**
 * rg_session_add_identity:
 * @self: an #RgSession
 * @address: one of the user's own addresses, always known
 */
void
rg_session_add_identity(RgSession *self, const char *address)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_ptr_array_add(self->identities, g_strdup(address));
}

/**
 * rg_session_set_notmuch_path:
 * @self: an #RgSession
 * @path: (nullable): a notmuch database to read history from
 *
 * rg_session_load() refreshes the history store from it incrementally. Without it, the
 * database of the user's notmuch configuration is used, when there is one.
 */
void
rg_session_set_notmuch_path(RgSession *self, const char *path)
{
	g_return_if_fail(RG_IS_SESSION(self));
	g_free(self->notmuch_path);
	self->notmuch_path = g_strdup(path);
}

/* policy problems reach the report through the scorer; this is for the other sources */
static void
rg_session_add_notice(RgSession *self, char *notice)
{
	g_ptr_array_add(self->notices, notice);
}

/* The policy layers: the system policy (or the explicit file that replaces it), then the
 * user settings. An explicit file that cannot be read is an error; a broken system or
 * settings file only shows up as problems (the scorer turns them into report notices), so
 * the guard never switches itself off. */
static gboolean
rg_session_load_policy(RgSession *self, GError **error)
{
	g_autofree char *settings = rg_session_get_settings_file(self);
	g_autoptr(GError) error_local = NULL;

	self->policy = rg_policy_new();
	if (self->policy_file != NULL) {
		if (!rg_policy_load_file(self->policy, self->policy_file, error))
			return FALSE;
	} else {
		/* unreadable files are listed in the problems already */
		rg_policy_load_system(self->policy, NULL);
	}
	if (!rg_policy_load_user_file(self->policy, settings, &error_local) &&
	    !g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
		g_debug("%s", error_local->message);
	return TRUE;
}

/* the user's store; when it cannot be opened, one in memory, so the check still works */
static void
rg_session_open_store(RgSession *self)
{
	g_autoptr(GError) error_local = NULL;

	self->store = rg_store_open(NULL, &error_local);
	if (self->store == NULL) {
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is a technical error message */
		    g_strdup_printf(_("Your history store could not be opened, so this check only "
		                      "uses what it was given directly: %s"),
		                    error_local->message));
		self->store = rg_store_new_in_memory(NULL);
		return;
	}
	if (rg_store_get_moved_aside_path(self->store) != NULL)
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is the path of a file */
		    g_strdup_printf(
		        _("Your history store was damaged. It was moved to %s and a new "
		          "one was started."),
		        rg_store_get_moved_aside_path(self->store)));
}

/* an explicit notmuch database that cannot be read is an error; the configured one only a
 * notice, and no configuration at all is not worth a word */
static gboolean
rg_session_refresh_notmuch(RgSession *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	const char *path = self->notmuch_path;

	/* without an explicit database, the policy says whether and where to read notmuch */
	if (path == NULL) {
		const char *configured = rg_policy_get_notmuch_database(self->policy);
		if (!rg_policy_get_read_notmuch(self->policy))
			return TRUE;
		if (configured != NULL && configured[0] != '\0')
			path = configured;
	}
	if (rg_history_notmuch_import(self->store, path, NULL, NULL, NULL, NULL, &error_local))
		return TRUE;
	if (g_error_matches(error_local, RG_ERROR, RG_ERROR_BUSY)) {
		rg_session_add_notice(self,
		                      g_strdup(_("Your history store is busy in another program. "
		                                 "New mail from notmuch is used for this check but "
		                                 "saved later.")));
		return TRUE;
	}
	if (self->notmuch_path != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
		return TRUE;
	rg_session_add_notice(
	    self,
	    /* TRANSLATORS: %s is a technical error message */
	    g_strdup_printf(_("Your notmuch database could not be read, so the history from it may "
	                      "be out of date: %s"),
	                    error_local->message));
	return TRUE;
}

static gboolean
rg_session_trust_allowed_cb(const char *entry, gpointer user_data)
{
	RgSession *self = user_data;
	return rg_policy_check_trust(self->policy, entry, NULL);
}

/* the history: the store (refreshed from notmuch first), known files and identities */
static gboolean
rg_session_load_history(RgSession *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	self->history = rg_history_new();
	rg_session_open_store(self);
	if (self->store != NULL)
		rg_store_set_trust_filter(self->store, rg_session_trust_allowed_cb, self);
	if (self->store != NULL && !rg_session_refresh_notmuch(self, error))
		return FALSE;
	if (self->store != NULL && !rg_store_load(self->store, self->history, &error_local))
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %s is a technical error message */
		    g_strdup_printf(_("Your history store could not be read, so this check may not "
		                      "know all your correspondents: %s"),
		                    error_local->message));
	else if (self->store != NULL && rg_store_get_n_skipped(self->store) > 0)
		rg_session_add_notice(
		    self,
		    /* TRANSLATORS: %1$u is a number of entries, %2$s the path of a file */
		    g_strdup_printf(
		        g_dngettext(GETTEXT_PACKAGE,
		                    "%1$u entry of your history store (%2$s) is damaged "
		                    "and was skipped; the others are used.",
		                    "%1$u entries of your history store (%2$s) are "
		                    "damaged and were skipped; the others are used.",
		                    rg_store_get_n_skipped(self->store)),
		        rg_store_get_n_skipped(self->store),
		        rg_store_get_path(self->store) != NULL ? rg_store_get_path(self->store)
		                                               : ""));
	for (guint i = 0; i < self->known_files->len; i++) {
		if (!rg_history_load_known_file(
		        self->history, g_ptr_array_index(self->known_files, i), error))
			return FALSE;
	}
	for (guint i = 0; i < self->identities->len; i++) {
		if (!rg_history_add_identity(
		        self->history, g_ptr_array_index(self->identities, i), error)) {
			g_prefix_error(error, "identity: ");
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * rg_session_load:
 * @self: an #RgSession
 * @error: return location for a #GError
 *
 * Loads the policy and the history and builds the scorer. Problems with default sources
 * (a broken system policy, an unreadable store) do not fail: the session goes on with what
 * could be read and lists the problem in rg_session_get_notices().
 *
 * Returns: %FALSE when an explicitly given file cannot be used
 */
gboolean
rg_session_load(RgSession *self, GError **error)
{
	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->scorer == NULL, FALSE);

	if (!rg_session_load_policy(self, error))
		return FALSE;
	if (!rg_session_load_history(self, error))
		return FALSE;
	self->scorer = rg_scorer_new(self->history, self->policy, error);
	return self->scorer != NULL;
}

/**
 * rg_session_get_policy:
 * @self: a loaded #RgSession
 *
 * Returns: (transfer none): the effective policy
 */
RgPolicy *
rg_session_get_policy(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->policy;
}

/**
 * rg_session_get_history:
 * @self: a loaded #RgSession
 *
 * Returns: (transfer none): the history
 */
RgHistory *
rg_session_get_history(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->history;
}

/**
 * rg_session_get_scorer:
 * @self: a loaded #RgSession
 *
 * Returns: (transfer none): the scorer
 */
RgScorer *
rg_session_get_scorer(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->scorer;
}

/**
 * rg_session_get_notices:
 * @self: an #RgSession
 *
 * Returns: (transfer none) (element-type utf8): translated remarks on sources that could
 *   not be used fully; valid as long as @self
 */
GPtrArray *
rg_session_get_notices(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	return self->notices;
}

/* the mailboxes of one recipient as typed; what cannot be read is listed in @report as not
 * checked, with a notice, and the rest of the text is still read */
static void
rg_session_parse_recipient(const char *text, GPtrArray *addresses, RgReport *report)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) whole = rg_address_list_parse(text, &error_local);
	g_autoptr(GPtrArray) pieces = NULL;

	if (whole != NULL) {
		g_ptr_array_extend_and_steal(addresses, g_steal_pointer(&whole));
		return;
	}
	/* one bad mailbox in a list typed into one field must not hide the others */
	pieces = rg_address_list_split(text);
	for (guint i = 0; i < pieces->len; i++) {
		const char *piece = g_ptr_array_index(pieces, i);
		g_autoptr(GError) error_piece = NULL;
		g_autoptr(GPtrArray) list =
		    pieces->len > 1 ? rg_address_list_parse(piece, &error_piece) : NULL;
		g_autofree char *shown = NULL;
		g_autofree char *notice = NULL;

		if (list != NULL) {
			g_ptr_array_extend_and_steal(addresses, g_steal_pointer(&list));
			continue;
		}
		shown = rg_address_make_visible(piece, NULL);
		/* TRANSLATORS: %1$s is what the user typed as a recipient, %2$s a technical
		 * error message */
		notice =
		    g_strdup_printf(_("“%1$s” is not an address that can be read, so it was not "
		                      "checked: %2$s"),
		                    shown,
		                    (error_piece != NULL ? error_piece : error_local)->message);
		rg_report_add_unchecked(report, piece);
		rg_report_add_notice(report, notice);
	}
}

/**
 * rg_session_check:
 * @self: a loaded #RgSession
 * @recipients: (array zero-terminated=1): the recipients of one message, each an address or
 *   an address list as typed
 * @error: return location for a #GError
 *
 * Parses and judges every recipient, like rg_scorer_check(), but what cannot be read as an
 * address does not stop the check: it is listed in rg_report_get_unchecked() (a mailbox of a
 * list on its own, when the others of the list can be read), a notice says why, and every
 * other recipient is judged. A front end applies the policy's `on-error` to the unchecked
 * ones.
 *
 * Returns: (transfer full): the report; %NULL only with a programming error
 */
RgReport *
rg_session_check(RgSession *self, const char *const *recipients, GError **error)
{
	g_autoptr(GPtrArray) addresses =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_address_unref);
	g_autoptr(RgReport) unread = rg_report_new();
	g_autoptr(GError) error_local = NULL;
	RgReport *report;

	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(self->scorer != NULL, NULL);
	g_return_val_if_fail(recipients != NULL, NULL);

	for (guint i = 0; recipients[i] != NULL; i++)
		rg_session_parse_recipient(recipients[i], addresses, unread);
	report = rg_scorer_check_addresses(self->scorer, addresses);
	for (guint i = 0; i < rg_report_get_unchecked(unread)->len; i++)
		rg_report_add_unchecked(report,
		                        g_ptr_array_index(rg_report_get_unchecked(unread), i));
	for (guint i = 0; i < rg_report_get_notices(unread)->len; i++)
		rg_report_add_notice(report, g_ptr_array_index(rg_report_get_notices(unread), i));
	/* what could not be read at load (a busy or damaged store, a broken system policy)
	 * travels with every report, so the dialog can say what the check did not see */
	for (guint i = 0; i < self->notices->len; i++)
		rg_report_add_notice(report, g_ptr_array_index(self->notices, i));
	/* in log-only mode nobody decides anything: the check itself is the record */
	if (rg_policy_get_log_only(self->policy) &&
	    !rg_policy_log_decision(self->policy, report, "log-only", &error_local)) {
		/* TRANSLATORS: %s is a technical error message naming the file */
		g_autofree char *msg = g_strdup_printf(
		    _("The decision log could not be written: %s"), error_local->message);
		rg_report_add_notice(report, msg);
	}
	return report;
}

/**
 * rg_session_get_on_error:
 * @self: an #RgSession, loaded or not
 *
 * What a front end does when rg_session_load() or a check failed: the policy's `on-error`
 * when the policy could be loaded, else %RG_POLICY_ON_ERROR_ASK.
 *
 * Returns: an #RgPolicyOnError
 */
RgPolicyOnError
rg_session_get_on_error(RgSession *self)
{
	g_return_val_if_fail(RG_IS_SESSION(self), RG_POLICY_ON_ERROR_ASK);
	if (self->policy == NULL)
		return RG_POLICY_ON_ERROR_ASK;
	return rg_policy_get_on_error(self->policy);
}

/**
 * rg_session_record_sent:
 * @self: a loaded #RgSession
 * @addresses: (array zero-terminated=1): the recipients of a message that was sent
 * @error: return location for a #GError
 *
 * Remembers that the user wrote to @addresses, in memory and in the history store.
 *
 * Returns: %FALSE when an address is malformed or the store cannot be written
 */
gboolean
rg_session_record_sent(RgSession *self, const char *const *addresses, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->history != NULL, FALSE);
	g_return_val_if_fail(addresses != NULL, FALSE);

	/* the store validates every address first: all or nothing */
	if (self->store != NULL && !rg_store_record_sent(self->store, addresses, &error_local) &&
	    g_error_matches(error_local, RG_ERROR, RG_ERROR_INVALID_ADDRESS)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	for (guint i = 0; addresses[i] != NULL; i++)
		rg_history_add(self->history, addresses[i], 1, 0, RG_HISTORY_FLAG_CONFIRMED, NULL);
	if (error_local != NULL) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "remembered for this session only: ");
		return FALSE;
	}
	return TRUE;
}

/**
 * rg_session_trust:
 * @self: a loaded #RgSession
 * @address_or_domain: an address or a domain the user trusts from now on
 * @error: return location for a #GError
 *
 * Trusts @address_or_domain in memory and in the history store.
 *
 * Returns: %FALSE with %RG_ERROR_LOCKED when the policy does not allow it (see
 *   rg_policy_check_trust()), or when @address_or_domain is malformed or the store cannot be
 *   written (then it is still trusted for this session)
 */
gboolean
rg_session_trust(RgSession *self, const char *address_or_domain, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gboolean ok;

	g_return_val_if_fail(RG_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->history != NULL, FALSE);
	g_return_val_if_fail(address_or_domain != NULL, FALSE);

	/* the policy may forbid it; a lock is never undone by a trust decision */
	if (!rg_policy_check_trust(self->policy, address_or_domain, error))
		return FALSE;
	if (strchr(address_or_domain, '@') != NULL)
		ok = rg_history_add(
		    self->history, address_or_domain, 0, 0, RG_HISTORY_FLAG_TRUSTED, error);
	else
		ok = rg_history_trust_domain(self->history, address_or_domain, error);
	if (!ok)
		return FALSE;
	if (self->store != NULL &&
	    !rg_store_trust(self->store, address_or_domain, "user", &error_local)) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "trusted for this session only: ");
		return FALSE;
	}
	return TRUE;
}
