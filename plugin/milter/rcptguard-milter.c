/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rcptguard-milter: the organisation's policy on its own submission server, for every user
 * and every mail client at once, through the milter interface of Postfix and Sendmail. This
 * file starts it: options, the log, the policy and the store (through the core's session and
 * server), giving up root, and libmilter's main loop. rg-milter-callbacks.c is the filter. */
/* pthread_setattr_default_np() */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <grp.h>
#include <locale.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "rg-milter.h"

#define RG_MILTER_THREAD_STACK (1024 * 1024)

static char *opt_socket = NULL;
static char *opt_user = NULL;
static char *opt_policy = NULL;
static char *opt_store = NULL;
static gint opt_cache = 0;
static gint opt_timeout = 0;
static gboolean opt_syslog = FALSE;
static gboolean opt_check = FALSE;
static gboolean opt_version = FALSE;

static const GOptionEntry rg_milter_options[] = {
    {"socket",
     'p',
     0,
     G_OPTION_ARG_STRING,
     &opt_socket,
     /* TRANSLATORS: keep "local:", "inet:" and "inet6:" as they are */
     N_("Where to listen: local:PATH, inet:PORT@HOST or inet6:PORT@HOST"),
     N_("SOCKET")},
    {"user",
     'u',
     0,
     G_OPTION_ARG_STRING,
     &opt_user,
     N_("Run as USER and their group once started (required when started as root)"),
     N_("USER")},
    {"policy",
     'c',
     0,
     G_OPTION_ARG_FILENAME,
     &opt_policy,
     N_("Read the policy from FILE instead of the system policy"),
     N_("FILE")},
    {"store",
     's',
     0,
     G_OPTION_ARG_FILENAME,
     &opt_store,
     N_("Keep each sender's history and the pending confirmations in FILE"),
     N_("FILE")},
    {"cache-senders",
     0,
     0,
     G_OPTION_ARG_INT,
     &opt_cache,
     N_("Keep the histories of N senders in memory (default 1000)"),
     "N"},
    {"timeout",
     't',
     0,
     G_OPTION_ARG_INT,
     &opt_timeout,
     N_("Wait at most SECONDS for the mail server (default: libmilter's, 7210)"),
     N_("SECONDS")},
    {"syslog",
     0,
     0,
     G_OPTION_ARG_NONE,
     &opt_syslog,
     N_("Log to syslog (facility mail) instead of standard error"),
     NULL},
    {"check",
     0,
     0,
     G_OPTION_ARG_NONE,
     &opt_check,
     N_("Check the policy and the store, print what was found and exit"),
     NULL},
    {"version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version and exit"), NULL},
    {NULL},
};

/* ------------------------------------------------------------------ the log */

static GLogWriterOutput
rg_milter_log_writer(GLogLevelFlags level,
                     const GLogField *fields,
                     gsize n_fields,
                     gpointer user_data)
{
	const char *message = NULL;
	int priority = LOG_INFO;
	const char *prefix = "";

	if ((level & G_LOG_LEVEL_DEBUG) && g_getenv("G_MESSAGES_DEBUG") == NULL)
		return G_LOG_WRITER_HANDLED;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
		priority = LOG_ERR;
		prefix = "error: ";
	} else if (level & G_LOG_LEVEL_WARNING) {
		priority = LOG_WARNING;
		prefix = "warning: ";
	} else if (level & G_LOG_LEVEL_DEBUG) {
		priority = LOG_DEBUG;
	}
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if (message == NULL)
		return G_LOG_WRITER_UNHANDLED;
	if (opt_syslog) {
		syslog(priority, "%s%s", prefix, message);
		return G_LOG_WRITER_HANDLED;
	}
	if (g_log_writer_is_journald(fileno(stderr)))
		return g_log_writer_journald(level, fields, n_fields, user_data);
	/* one line each, so that a line of one thread never splits another's */
	{
		g_autofree char *line =
		    g_strdup_printf("rcptguard-milter: %s%s\n", prefix, message);
		fputs(line, stderr);
		fflush(stderr);
	}
	return G_LOG_WRITER_HANDLED;
}

static void
rg_milter_warning_cb(RgSession *session, const char *message, gpointer user_data)
{
	g_warning("%s", message);
}

/* SIGUSR1 logs the figures since the last one: a thread of its own waits for it. Every
 * thread blocks it, and the signals libmilter's own signal thread waits for (SIGTERM, SIGINT,
 * SIGHUP: stop), so that no other thread is killed by them; later threads inherit the mask. */
static gpointer
rg_milter_report_thread(gpointer data)
{
	sigset_t *set = data;
	int sig;

	for (;;) {
		g_autofree char *summary = NULL;
		if (sigwait(set, &sig) != 0)
			continue;
		summary = rg_milter_stats_summary(TRUE);
		g_message("report: %s", summary);
	}
	return NULL;
}

static void
rg_milter_start_reports(void)
{
	static sigset_t set;

	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	g_thread_unref(g_thread_new("report", rg_milter_report_thread, &set));
}

/* libmilter starts a thread per MTA connection, one per SMTP session. Stacks of 1 MiB
 * instead of the usual 8 are plenty for a check and stay in the C library's cache of stacks
 * for many more connections at once, instead of being mapped and unmapped every time. */
static void
rg_milter_small_stacks(void)
{
	pthread_attr_t attr;

	if (pthread_attr_init(&attr) != 0)
		return;
	if (pthread_attr_setstacksize(&attr, RG_MILTER_THREAD_STACK) == 0)
		pthread_setattr_default_np(&attr);
	pthread_attr_destroy(&attr);
}

/* ------------------------------------------------------------------ start */

/* gives up root for @name and its groups; after this nothing can regain it */
static gboolean
rg_milter_drop_privileges(const char *name, GError **error)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no user \"%s\"", name);
		return FALSE;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		int errsv = errno;
		g_set_error(error,
		            G_IO_ERROR,
		            g_io_error_from_errno(errsv),
		            "cannot become user \"%s\": %s",
		            name,
		            g_strerror(errsv));
		return FALSE;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "root could be regained");
		return FALSE;
	}
	return TRUE;
}

/* set by --check when something is wrong */
static gboolean rg_milter_check_failed = FALSE;

/* the session that reads the organisation's policy: nothing of a user's environment */
static RgSession *
rg_milter_load_policy(GError **error)
{
	/* the trusted system policy, as the desktops read it, and no $XDG_CONFIG_DIRS */
	const char *dirs[] = {"/etc/xdg", RG_SYSCONFDIR_XDG, NULL};
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) session = NULL;
	GPtrArray *problems;

	rg_environment_set_system_dirs(env, dirs);
	session = rg_session_new_for_environment(env);
	if (opt_policy != NULL)
		rg_session_set_policy_file(session, opt_policy);
	if (!rg_session_load_policy(session, error))
		return NULL;
	problems = rg_session_get_policy_problems(session);
	for (guint i = 0; i < problems->len; i++) {
		const RgProblem *problem = g_ptr_array_index(problems, i);
		g_autofree char *text = rg_problem_to_string(problem);
		g_warning("policy: %s", text);
		rg_milter_check_failed |= problem->severity == RG_PROBLEM_ERROR;
	}
	return g_steal_pointer(&session);
}

static const char *
rg_milter_on_error_name(RgSession *session)
{
	switch (rg_session_get_on_error(session)) {
	case RG_POLICY_ON_ERROR_ALLOW:
		return "allow";
	case RG_POLICY_ON_ERROR_BLOCK:
		return "block";
	case RG_POLICY_ON_ERROR_ASK:
	default:
		return "ask";
	}
}

/* the server, its store opened; a store that cannot be used is said, not fatal */
static RgServer *
rg_milter_start_server(RgSession *session)
{
	g_autoptr(RgServer) server = rg_server_new(session);
	g_autoptr(GError) error = NULL;
	RgServerStats stats = {0};

	if (opt_cache > 0)
		rg_server_set_cache_size(server, (guint)opt_cache);
	if (!rg_server_open_store(server, opt_store, &error)) {
		g_warning("the sender store cannot be used: %s; until it can (tried again every "
		          "minute), every recipient is handled as on-error=%s says",
		          error->message,
		          rg_milter_on_error_name(session));
		rg_milter_check_failed = TRUE;
		return g_steal_pointer(&server);
	}
	if (rg_server_get_store_moved_aside_path(server) != NULL)
		g_warning("the sender store was damaged; it was moved to %s and a new one started",
		          rg_server_get_store_moved_aside_path(server));
	if (rg_server_get_stats(server, &stats, &error))
		g_message("the sender store %s holds %u senders and %u addresses",
		          opt_store,
		          stats.n_senders,
		          stats.n_addresses);
	return g_steal_pointer(&server);
}

static gboolean
rg_milter_parse_options(int *argc, char ***argv, GError **error)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);

	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	g_option_context_set_summary(
	    context,
	    _("Checks the recipients of the mail a server's users send, as a milter for Postfix "
	      "and Sendmail."));
	g_option_context_add_main_entries(context, rg_milter_options, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, error))
		return FALSE;
	if (*argc > 1) {
		g_set_error(error,
		            G_OPTION_ERROR,
		            G_OPTION_ERROR_FAILED,
		            /* TRANSLATORS: %s is a command-line argument */
		            _("Unexpected argument “%s”"),
		            (*argv)[1]);
		return FALSE;
	}
	if (opt_socket == NULL)
		opt_socket = g_strdup("local:" RG_MILTER_RUNDIR "/milter.sock");
	if (opt_store == NULL)
		opt_store = g_strdup(RG_MILTER_STATEDIR "/senders.db");
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgServer) server = NULL;
	g_autofree char *summary = NULL;
	int rc;

	/* before any thread exists; an MTA that hangs up must not kill the milter */
	signal(SIGPIPE, SIG_IGN);
	rg_milter_small_stacks();
	rg_milter_start_reports();
	setlocale(LC_ALL, "");
	rg_i18n_init();

	if (!rg_milter_parse_options(&argc, &argv, &error)) {
		g_printerr("rcptguard-milter: %s\n", error->message);
		return EX_USAGE;
	}
	if (opt_version) {
		g_print("rcptguard-milter %s\n", rg_version_string());
		return EX_OK;
	}
	if (opt_syslog)
		openlog("rcptguard-milter", LOG_PID, LOG_MAIL);
	g_log_set_writer_func(rg_milter_log_writer, NULL, NULL);

	if (geteuid() == 0 && opt_user == NULL && !opt_check) {
		g_critical("refusing to run as root: give -u USER (or User= in the systemd unit)");
		return EX_CONFIG;
	}
	/* the policy may be readable by root only; everything after is done as the user */
	session = rg_milter_load_policy(&error);
	if (session == NULL) {
		g_critical("%s", error->message);
		return EX_CONFIG;
	}
	g_signal_connect(session, "warning", G_CALLBACK(rg_milter_warning_cb), NULL);
	/* the replies are English, whatever the locale, unless the policy names their language
	 * (rg-milter-reply.c says why); the report thread does not touch the environment */
	{
		g_autofree char *language =
		    rg_session_get_setting(session, "server-reply-language", NULL, NULL);
		rg_milter_set_reply_language(language);
	}
	if (opt_user != NULL && !rg_milter_drop_privileges(opt_user, &error)) {
		g_critical("%s", error->message);
		return EX_NOUSER;
	}
	/* root would leave a store (and its -wal, -shm files) the milter's user cannot open */
	if (opt_check && geteuid() == 0) {
		g_message(
		    "the store was not checked: give -u USER to check it as the milter's user");
		return rg_milter_check_failed ? EX_CONFIG : EX_OK;
	}
	server = rg_milter_start_server(session);
	if (opt_check)
		return rg_milter_check_failed ? EX_CONFIG : EX_OK;

	rg_milter_set_server(server);
	if (smfi_setconn(opt_socket) != MI_SUCCESS ||
	    (opt_timeout > 0 && smfi_settimeout(opt_timeout) != MI_SUCCESS) ||
	    smfi_register(*rg_milter_get_description()) != MI_SUCCESS) {
		g_critical("cannot set up the milter on %s", opt_socket);
		return EX_SOFTWARE;
	}
	/* the MTA's group may connect to a local socket, nobody else */
	umask(007);
	if (smfi_opensocket(TRUE) != MI_SUCCESS) {
		g_critical("cannot listen on %s", opt_socket);
		return EX_OSERR;
	}
	g_message("listening on %s", opt_socket);
	rc = smfi_main();
	summary = rg_milter_stats_summary(FALSE);
	g_message("stopped: %s", summary);
	return rc == MI_SUCCESS ? EX_OK : EX_SOFTWARE;
}
