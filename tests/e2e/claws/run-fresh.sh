#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, a fresh profile: the real claws-mail with the plugin, no known correspondents, no
# history store, no notmuch and no system policy (nothing protected): only rcptguard's built-in
# knowledge stands between the user and a typo on the first send.
#
# usage: run-fresh.sh PLUGIN_SO RCPTGUARD_CLI    (E2E_KEEP=1 keeps the temp dir; 77 as run-e2e.sh)
set -u

PLUGIN_ARG=$1
RG_CLI=${2:-}
export E2E_NO_HISTORY=1
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

[ ! -e "$ROOT/etc-xdg/rcptguard/policy.conf" ] && ok "fresh: no system policy" || bad "fresh: a policy is there"
grep -q '^known_file' "$ROOT/cfg/clawsrc" && bad "fresh: a known file is set" || ok "fresh: no known correspondents"
[ ! -e "$NOTMUCH_CONFIG" ] && ok "fresh: no notmuch" || bad "fresh: a notmuch configuration is there"

# --- gen.smith@army.ml: the dialog, with the fix gen.smith@army.mil from the knowledge ------
t=$(now)
S=e2e-fresh-army
if W=$(compose $S gen.smith@army.ml) && send_expect_dialog fresh-army "$W" ctrl+Return; then
	D=$(cat "$ROOT/last-dialog")
	key "$D" alt+u # _Use gen.smith@army.mil
	answer fresh-army "$D" alt+c
	expect_delivered fresh-army $S gen.smith@army.mil 'To: gen.smith@army.mil'
fi
close_compose "$W"
timing fresh-army "$t"

# --- a real first contact: no dialog ---------------------------------------------------------
t=$(now)
S=e2e-fresh-first-contact
if W=$(compose $S maintainer@debian.org); then
	n=$(n_shown)
	key "$W" ctrl+Return
	expect_delivered fresh-first-contact $S maintainer@debian.org
	[ "$(n_shown)" = "$n" ] && ok "fresh-first-contact: no dialog" || bad "fresh-first-contact: a dialog was shown"
fi
close_compose "$W"
timing fresh-first-contact "$t"

# --- Send Anyway to a typo of a popular provider, then a second message: the dialog again ---
t=$(now)
S=e2e-fresh-anyway
if W=$(compose $S alice@hotmial.com) && send_expect_dialog fresh-anyway "$W" ctrl+Return; then
	answer fresh-anyway "$(cat "$ROOT/last-dialog")" alt+a
	expect_delivered fresh-anyway $S alice@hotmial.com
fi
close_compose "$W"
S=e2e-fresh-anyway-again
if W=$(compose $S alice@hotmial.com) && send_expect_dialog fresh-anyway-again "$W" ctrl+Return; then
	D=$(cat "$ROOT/last-dialog")
	key "$D" alt+u # _Use alice@hotmail.com
	answer fresh-anyway-again "$D" alt+c
	expect_delivered fresh-anyway-again $S alice@hotmail.com
fi
close_compose "$W"
if [ -n "$RG_CLI" ]; then
	"$RG_CLI" check alice@hotmial.com 2>/dev/null | grep -q 'You sent to this address anyway on' &&
		ok "fresh-anyway-again: the reason says it was sent anyway" ||
		bad "fresh-anyway-again: no sent-anyway reason: $("$RG_CLI" check alice@hotmial.com 2>&1)"
fi
timing fresh-anyway "$t"

finish
