/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plugin's own settings, kept like every Claws plugin's in a block of clawsrc, and its
 * page under Configuration, Preferences, Plugins. The policy and the history are the
 * core's: the page only shows them. */
#include "config.h"

#include "rg-claws.h"
#include "rg-prefs.h"

#include <glib/gi18n-lib.h>

#include "common/defs.h"
#include "common/utils.h"
#include "prefs_gtk.h"

#define RG_CLAWS_PREFS_BLOCK "rcptguard"

static gboolean rg_claws_enabled = TRUE;
static char *rg_claws_known_file = NULL;
static gboolean rg_claws_read_sources = TRUE;

static PrefParam rg_claws_params[] = {
    {"enabled", "TRUE", &rg_claws_enabled, P_BOOL, NULL, NULL, NULL},
    {"known_file", "", &rg_claws_known_file, P_STRING, NULL, NULL, NULL},
    {"read_sources", "TRUE", &rg_claws_read_sources, P_BOOL, NULL, NULL, NULL},
    {NULL, NULL, NULL, P_OTHER, NULL, NULL, NULL},
};

typedef struct {
	PrefsPage page; /* first: Claws casts between the two */
	GtkWidget *enabled;
	GtkWidget *known_file;
	GtkWidget *read_sources;
	gboolean enabled_locked;
} RgClawsPage;

static RgClawsPage rg_claws_page;
static gchar *rg_claws_page_path[3];

/**
 * rg_claws_session_is_enabled:
 * @session: a session whose policy is loaded, or could not be
 *
 * A system policy that sets `enabled` overrides the switch on the preferences page;
 * otherwise both must be on.
 *
 * Returns: whether the check runs
 */
gboolean
rg_claws_session_is_enabled(RgSession *session)
{
	if (rg_session_get_locked_by(session, "enabled") != NULL)
		return rg_session_get_enabled(session);
	return rg_claws_enabled && rg_session_get_enabled(session);
}

const char *
rg_claws_on_error_to_string(RgPolicyOnError on_error)
{
	switch (on_error) {
	case RG_POLICY_ON_ERROR_ALLOW:
		/* TRANSLATORS: what happens when the recipients cannot be checked */
		return _("the message is sent and the failure logged");
	case RG_POLICY_ON_ERROR_BLOCK:
		/* TRANSLATORS: what happens when the recipients cannot be checked */
		return _("the message is not sent");
	case RG_POLICY_ON_ERROR_ASK:
	default:
		/* TRANSLATORS: what happens when the recipients cannot be checked */
		return _("you are asked whether to send it anyway");
	}
}

/**
 * rg_claws_session_new:
 * @identity: (nullable): the sending account's address
 *
 * Returns: (transfer full): a session with the user's policy and history, not loaded yet
 */
RgSession *
rg_claws_session_new(const char *identity)
{
	RgSession *session = rg_session_new();
	if (rg_claws_known_file != NULL && rg_claws_known_file[0] != '\0')
		rg_session_add_known_file(session, rg_claws_known_file);
	if (identity != NULL && identity[0] != '\0')
		rg_session_add_identity(session, identity);
	return session;
}

/* the switch on this page; the policy's own "enabled" is honoured after it is loaded */
gboolean
rg_claws_prefs_get_enabled(void)
{
	return rg_claws_enabled;
}

/* whether the Sent folders and address books are read */
gboolean
rg_claws_prefs_get_read_sources(void)
{
	return rg_claws_read_sources;
}

static GtkWidget *
rg_claws_page_label(const char *text)
{
	GtkWidget *label = rg_prefs_text_new(text);

	gtk_label_set_max_width_chars(GTK_LABEL(label), 70);
	return label;
}

static GtkWidget *
rg_claws_page_section(GtkWidget *box, const char *title)
{
	GtkWidget *frame = gtk_frame_new(title);
	GtkWidget *inner = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	gtk_container_set_border_width(GTK_CONTAINER(inner), 8);
	gtk_container_add(GTK_CONTAINER(frame), inner);
	gtk_box_pack_start(GTK_BOX(box), frame, FALSE, FALSE, 0);
	return inner;
}

/* what the policy and the history say now, read the same way a send reads them */
static void
rg_claws_page_add_summary(RgClawsPage *self,
                          GtkWidget *box,
                          RgSession *session,
                          const GError *error)
{
	/* TRANSLATORS: a heading of the preferences page: what the organisation's policy says */
	GtkWidget *policy_box = rg_claws_page_section(box, _("Policy"));
	/* TRANSLATORS: a heading of the preferences page: the correspondents rcptguard knows */
	GtkWidget *history_box = rg_claws_page_section(box, _("History"));
	GtkWidget *sources_box =
	    rg_claws_page_section(box, _("Your Sent Folders and Address Books"));
	RgAskFlags ask = rg_session_get_ask_flags(session);
	GPtrArray *notices = rg_session_get_notices(session);
	g_autofree char *on_error = NULL;

	if (error != NULL) {
		g_autofree char *msg = g_strdup_printf(
		    /* TRANSLATORS: %s is a technical error message */
		    _("The policy or the history could not be loaded: %s"),
		    error->message);
		gtk_box_pack_start(GTK_BOX(history_box), rg_claws_page_label(msg), FALSE, FALSE, 0);
	}
	/* TRANSLATORS: %s is a phrase such as "the message is not sent" */
	on_error = g_strdup_printf(_("When the recipients cannot be checked, %s."),
	                           rg_claws_on_error_to_string(rg_session_get_on_error(session)));
	gtk_box_pack_start(GTK_BOX(policy_box), rg_claws_page_label(on_error), FALSE, FALSE, 0);
	gtk_box_pack_start(
	    GTK_BOX(policy_box),
	    rg_claws_page_label((ask & RG_ASK_FLAG_ALLOW_BLOCK_OVERRIDE)
	                            ? _("You may send anyway to a blocked recipient.")
	                            : _("A blocked recipient must be corrected "
	                                "before the message can be sent.")),
	    FALSE,
	    FALSE,
	    0);
	gtk_box_pack_start(GTK_BOX(policy_box),
	                   rg_claws_page_label((ask & RG_ASK_FLAG_ALLOW_TRUST)
	                                           ? _("You may trust recipients from the warning.")
	                                           : _("Your organisation does not allow trusting "
	                                               "recipients from the warning.")),
	                   FALSE,
	                   FALSE,
	                   0);
	if (rg_session_get_policy(session) != NULL) {
		GPtrArray *problems = rg_session_get_policy_problems(session);
		for (guint i = 0; i < problems->len; i++) {
			g_autofree char *problem =
			    rg_problem_to_string(g_ptr_array_index(problems, i));
			/* TRANSLATORS: %s is "FILE: key: problem" */
			g_autofree char *msg = g_strdup_printf(_("Ignored: %s"), problem);
			gtk_box_pack_start(
			    GTK_BOX(policy_box), rg_claws_page_label(msg), FALSE, FALSE, 0);
		}
	}
	for (guint i = 0; i < notices->len; i++)
		gtk_box_pack_start(GTK_BOX(policy_box),
		                   rg_claws_page_label(g_ptr_array_index(notices, i)),
		                   FALSE,
		                   FALSE,
		                   0);

	if (error == NULL) {
		guint n_addresses = rg_session_get_n_known_addresses(session);
		guint n_domains = rg_session_get_n_known_domains(session);
		g_autofree char *addresses =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                /* TRANSLATORS: the first part of "N known addresses
		                                 * at M domains." */
		                                "%u known address",
		                                "%u known addresses",
		                                n_addresses),
		                    n_addresses);
		g_autofree char *msg =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
		                                /* TRANSLATORS: %1$s is "N known addresses", %2$u
		                                 * the number of domains they are at */
		                                "%1$s at %2$u domain.",
		                                "%1$s at %2$u domains.",
		                                n_domains),
		                    addresses,
		                    n_domains);
		gtk_box_pack_start(GTK_BOX(history_box), rg_claws_page_label(msg), FALSE, FALSE, 0);
	}
	rg_claws_import_add_to_page(history_box, session);

	self->read_sources = gtk_check_button_new_with_mnemonic(
	    _("_Learn who you write to from your Sent folders and address books"));
	gtk_widget_set_tooltip_text(self->read_sources,
	                            _("Reads the recipients of the mail in the Sent folder of "
	                              "every account, and the addresses in your address books, "
	                              "at start-up and then only what is new. Remote folders "
	                              "are read from Claws Mail's cache, never from the server."));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->read_sources), rg_claws_read_sources);
	gtk_box_pack_start(GTK_BOX(sources_box), self->read_sources, FALSE, FALSE, 0);
	rg_claws_sources_add_to_page(sources_box, rg_claws_read_sources);
}

static void
rg_claws_page_create(PrefsPage *page, GtkWindow *window, gpointer data)
{
	RgClawsPage *self = (RgClawsPage *)page;
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *label;
	g_autoptr(RgSession) session = rg_claws_session_new(NULL);
	g_autoptr(GError) error = NULL;

	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	/* the same sources a send reads */
	rg_session_load(session, &error);
	self->enabled_locked = rg_session_get_locked_by(session, "enabled") != NULL;
	self->enabled = gtk_check_button_new_with_mnemonic(
	    _("_Check the recipients of every message before it is sent"));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->enabled),
	                             self->enabled_locked ? rg_session_get_enabled(session)
	                                                  : rg_claws_enabled);
	if (self->enabled_locked) {
		gtk_widget_set_sensitive(self->enabled, FALSE);
		gtk_widget_set_tooltip_text(self->enabled,
		                            _("Your organisation's policy sets this."));
	}
	gtk_box_pack_start(GTK_BOX(box), self->enabled, FALSE, FALSE, 0);

	label = gtk_label_new_with_mnemonic(_("_Known correspondents file:"));
	self->known_file = gtk_entry_new();
	gtk_entry_set_text(GTK_ENTRY(self->known_file),
	                   rg_claws_known_file != NULL ? rg_claws_known_file : "");
	/* TRANSLATORS: the grey text of the known correspondents field while no file is set */
	gtk_entry_set_placeholder_text(GTK_ENTRY(self->known_file), _("None"));
	gtk_widget_set_tooltip_text(self->known_file,
	                            _("A text file with one address per line that always counts "
	                              "as known, in addition to the history."));
	gtk_label_set_mnemonic_widget(GTK_LABEL(label), self->known_file);
	gtk_box_pack_start(GTK_BOX(row), label, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), self->known_file, TRUE, TRUE, 0);
	gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);

	rg_claws_page_add_summary(self, box, session, error);
	gtk_widget_show_all(box);
	page->widget = box;
}

static void
rg_claws_page_destroy(PrefsPage *page)
{
}

static void
rg_claws_prefs_save(void)
{
	g_autofree char *rcpath = g_build_filename(get_rc_dir(), COMMON_RC, NULL);
	PrefFile *pf = prefs_write_open(rcpath);

	/* the other blocks of clawsrc are copied over by prefs_set_block_label() */
	if (pf == NULL || prefs_set_block_label(pf, RG_CLAWS_PREFS_BLOCK) < 0) {
		g_warning("cannot write the [%s] block of %s", RG_CLAWS_PREFS_BLOCK, rcpath);
		return;
	}
	if (prefs_write_param(rg_claws_params, pf->fp) < 0 || fprintf(pf->fp, "\n") < 0) {
		g_warning("cannot write the [%s] block of %s", RG_CLAWS_PREFS_BLOCK, rcpath);
		prefs_file_close_revert(pf);
		return;
	}
	prefs_file_close(pf);
}

static void
rg_claws_page_save(PrefsPage *page)
{
	RgClawsPage *self = (RgClawsPage *)page;

	if (!self->enabled_locked)
		rg_claws_enabled = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->enabled));
	g_free(rg_claws_known_file);
	rg_claws_known_file = g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(self->known_file))));
	if (self->read_sources != NULL) {
		gboolean read = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->read_sources));
		/* switched on: read now, not at the next start */
		if (read && !rg_claws_read_sources)
			rg_claws_sources_start(FALSE);
		rg_claws_read_sources = read;
	}
	rg_claws_prefs_save();
}

void
rg_claws_prefs_init(void)
{
	g_autofree char *rcpath = g_build_filename(get_rc_dir(), COMMON_RC, NULL);

	prefs_set_default(rg_claws_params);
	prefs_read_config(rg_claws_params, RG_CLAWS_PREFS_BLOCK, rcpath, NULL);

	/* "Plugins" is Claws' own category, in Claws' translation */
	rg_claws_page_path[0] = (gchar *)g_dgettext("claws-mail", "Plugins");
	rg_claws_page_path[1] = (gchar *)_("Recipient check");
	rg_claws_page_path[2] = NULL;
	rg_claws_page.page.path = rg_claws_page_path;
	rg_claws_page.page.weight = 40.0;
	rg_claws_page.page.create_widget = rg_claws_page_create;
	rg_claws_page.page.destroy_widget = rg_claws_page_destroy;
	rg_claws_page.page.save_page = rg_claws_page_save;
	prefs_gtk_register_page((PrefsPage *)&rg_claws_page);
}

void
rg_claws_prefs_done(void)
{
	prefs_gtk_unregister_page((PrefsPage *)&rg_claws_page);
	prefs_free(rg_claws_params);
	rg_claws_known_file = NULL;
}
