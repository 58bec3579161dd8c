/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: the session object, shared by rg-session.c, rg-session-decision.c and
 * rg-session-import.c */

#include "rg-session.h"
#include "rg-store.h"

struct _RgSession {
	GObject parent_instance;
	RgEnvironment *env;
	char *policy_file;   /* replaces the system layer when set */
	char *settings_file; /* the user layer; NULL for the environment's */
	char *notmuch_path;
	GPtrArray *known_files;
	GPtrArray *identities;
	guint busy_timeout;
	RgPolicy *policy;
	RgHistory *history;
	RgStore *store; /* the user's store, or one in memory when it cannot be used */
	RgScorer *scorer;
	GPtrArray *notices; /* translated, for the report and stderr */
};

/* emits RgSession::warning */
void rg_session_warn(RgSession *self, const char *message);
/* adds a notice when @store was found damaged and moved aside */
void rg_session_note_moved_aside(RgSession *self, RgStore *store);
