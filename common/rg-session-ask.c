/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asking through the dialog helper: a front end that links no GTK (the sendmail wrapper)
 * shows the same dialog as the mail client plugins by running `rcptguard-dialog`, which
 * takes the session's own sources and prints the decision as JSON. */
#include "config.h"

#include <string.h>

#include "rg-decision.h"
#include "rg-error.h"
#include "rg-session-private.h"

static GPtrArray *
rg_session_dialog_helper_argv(RgSession *self, const char *helper, const char *const *recipients)
{
	GPtrArray *argv = g_ptr_array_new_null_terminated(0, g_free, TRUE);

	g_ptr_array_add(argv, g_strdup(helper));
	if (self->policy_file != NULL) {
		g_ptr_array_add(argv, g_strdup("--policy"));
		g_ptr_array_add(argv, g_strdup(self->policy_file));
	}
	if (self->notmuch_path != NULL) {
		g_ptr_array_add(argv, g_strdup("--notmuch"));
		g_ptr_array_add(argv, g_strdup(self->notmuch_path));
	}
	for (guint i = 0; i < self->known_files->len; i++) {
		g_ptr_array_add(argv, g_strdup("--known"));
		g_ptr_array_add(argv, g_strdup(g_ptr_array_index(self->known_files, i)));
	}
	for (guint i = 0; i < self->identities->len; i++) {
		g_ptr_array_add(argv, g_strdup("--identity"));
		g_ptr_array_add(argv, g_strdup(g_ptr_array_index(self->identities, i)));
	}
	g_ptr_array_add(argv, g_strdup("--"));
	for (guint i = 0; recipients[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(recipients[i]));
	return argv;
}

/* the decision is the last line the helper printed */
static RgDecision *
rg_session_dialog_helper_decision(const char *out, GError **error)
{
	g_autofree char *text = g_strchomp(g_strdup(out != NULL ? out : ""));
	const char *line = strrchr(text, '\n');
	RgDecision *decision = rg_decision_new_from_json(line != NULL ? line + 1 : text, error);

	if (decision == NULL)
		g_prefix_error(error, "the dialog helper printed no decision: ");
	return decision;
}

/**
 * rg_session_ask_dialog_helper:
 * @self: a loaded #RgSession
 * @recipients: (array zero-terminated=1): the recipients of the message, as given to
 *   rg_session_check()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the user in the rcptguard dialog without linking GTK: runs the environment's dialog
 * helper (rg_environment_get_dialog_helper()) with the session's policy file, notmuch
 * database, known files and identities, and reads its decision. The helper checks the same
 * recipients itself, so it reaches the same report; it needs a display (`DISPLAY` or
 * `WAYLAND_DISPLAY` in the process environment), and it has written the decision log, so
 * apply the decision without %RG_APPLY_LOG. Blocks until the user has decided.
 *
 * Returns: (transfer full): the decision, or %NULL with %RG_ERROR_NOT_SUPPORTED set when
 *   there is no helper, or %RG_ERROR_FAILED when it could not run or ask (no display): the
 *   message then says what the helper said
 */
RgDecision *
rg_session_ask_dialog_helper(RgSession *self,
                             const char *const *recipients,
                             GCancellable *cancellable,
                             GError **error)
{
	const char *helper;
	g_autoptr(GPtrArray) argv = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	int status;

	g_return_val_if_fail(RG_IS_SESSION(self), NULL);
	g_return_val_if_fail(recipients != NULL && recipients[0] != NULL, NULL);

	helper = rg_environment_get_dialog_helper(self->env);
	if (helper == NULL || !g_file_test(helper, G_FILE_TEST_IS_EXECUTABLE)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_NOT_SUPPORTED,
		            "no dialog helper at %s",
		            helper != NULL ? helper : "(none)");
		return NULL;
	}
	argv = rg_session_dialog_helper_argv(self, helper, recipients);
	proc = g_subprocess_newv((const char *const *)argv->pdata,
	                         G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                             G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                         &error_local);
	if (proc == NULL ||
	    !g_subprocess_communicate_utf8(proc, NULL, cancellable, &out, &err, &error_local)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_FAILED,
		            "cannot run the dialog helper %s: %s",
		            helper,
		            error_local->message);
		return NULL;
	}
	status = g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc) : -1;
	if (status != 0 && status != 1) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_FAILED,
		            "the dialog helper %s failed: %s",
		            helper,
		            err != NULL && err[0] != '\0' ? g_strstrip(err) : "no message");
		return NULL;
	}
	return rg_session_dialog_helper_decision(out, error);
}
