#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, the parts of the plugin that live in Claws' own windows, driven through AT-SPI
# inside a private D-Bus session: the preferences page (it shows the policy and the history,
# and switching the check off really lets a risky message through), and unloading the plugin
# from Configuration > Plugins while its dialog is open, and "Import from notmuch" filling the
# history store from a real notmuch database (the dialog closes, nothing is sent,
# Claws keeps working).
#
# usage: run-prefs.sh PLUGIN_SO RCPTGUARD_CLI
#                                    exit 77 when dbus-run-session or python3-pyatspi is
#                                    missing, or what run-e2e.sh needs
set -u

if [ "${E2E_ATSPI:-0}" != 1 ]; then
	command -v dbus-run-session >/dev/null || {
		echo "SKIP: dbus-run-session is not installed"
		exit 77
	}
	/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || {
		echo "SKIP: python3-pyatspi is not installed"
		exit 77
	}
	E2E_ATSPI=1 dbus-run-session -- "$0" "$@" 2>&1 | grep -v "^dbus-daemon\[" # bus noise
	exit "${PIPESTATUS[0]}"
fi

PLUGIN_ARG=$1
RG_CLI=${2:-}
# Claws and ATK print their own criticals when the accessibility bridge is on; only ours count
CRIT_RE='rcptguard(-claws)?-(CRITICAL|WARNING)|SIGSEGV|Segmentation'
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

atspi() { "$PY" "$HERE/atspi.py" "$@"; }
rc_enabled() { sed -n '/^\[rcptguard\]/,/^\[/p' "$ROOT/cfg/clawsrc" | grep -qx "enabled=$1"; }

# --- the page: switch the check off, a risky message goes through without a dialog ------
t=$(now)
if atspi prefs 0 '6 known addresses at 4 domains.'; then
	ok "prefs: the page shows the policy summary and the history statistics"
	poll 5 rc_enabled 0 && ok "prefs: enabled=0 saved in clawsrc" || bad "prefs: enabled=0 not saved"
	S=e2e-prefs-off
	if W=$(compose $S gen.smith@army.ml); then
		n=$(n_shown)
		key "$W" ctrl+Return
		expect_delivered prefs-off $S gen.smith@army.ml
		[ "$(n_shown)" = "$n" ] && ok "prefs-off: no dialog" || bad "prefs-off: a dialog was shown"
	fi
	close_compose "$W"
	atspi prefs 1 '6 known addresses at 4 domains.' >/dev/null &&
		poll 5 rc_enabled 1 && ok "prefs: enabled=1 saved in clawsrc" || bad "prefs: could not switch the check on again"
else
	bad "prefs: the page could not be used"
fi
timing prefs "$t"

# --- Import from notmuch: a real notmuch database with one message the user sent ---------
t=$(now)
if [ -n "$RG_CLI" ] && command -v notmuch >/dev/null; then
	mkdir -p "$ROOT/maildir/cur" "$ROOT/maildir/new" "$ROOT/maildir/tmp"
	printf '[database]\npath=%s\n[user]\nname=Test Sender\nprimary_email=sender@example.test\n[new]\ntags=inbox\n' \
		"$ROOT/maildir" >"$NOTMUCH_CONFIG"
	sent_mail() { # N ADDRESS: a message the user sent, indexed
		printf 'From: Test Sender <sender@example.test>\nTo: %s\nSubject: hello\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <import%s@example.test>\n\nhi\n' \
			"$2" "$1" >"$ROOT/maildir/cur/$1:2,S"
		notmuch new >>"$ROOT/notmuch.log" 2>&1 || bad "import: notmuch new failed: $(cat "$ROOT/notmuch.log")"
	}
	sent_mail 1 old.friend@corp.example
	# opening the page reads the history, which already takes in the first message; the
	# button then reads what arrived since
	if atspi prefs-open; then
		sent_mail 2 new.friend@corp.example
		if atspi import 'Read 1 message'; then
			ok "import: the page imported the new mail from notmuch"
			"$RG_CLI" history export 2>&1 | grep -q '"address":"new.friend@corp.example".*"sent":1' &&
				ok "import: the store knows the address the user wrote to" ||
				bad "import: not in the store: $("$RG_CLI" history export 2>&1 | head -3)"
		else
			bad "import: the import did not finish"
		fi
	else
		bad "import: no Import from notmuch button"
	fi
	rm -f "$NOTMUCH_CONFIG"
else
	bad "import: needs the rcptguard CLI (second argument) and notmuch"
fi
timing import "$t"

# --- unload while the dialog is open ----------------------------------------------------
t=$(now)
S=e2e-unload
if W=$(compose $S gen.smith@army.ml) && send_expect_dialog unload "$W" ctrl+Return; then
	D=$(cat "$ROOT/last-dialog")
	m=$(log_mark)
	# Configuration > Plugins is reachable through AT-SPI while our modal dialog is up
	if atspi plugins-open && atspi plugins-unload; then ok "unload: unloaded with the dialog open"; else bad "unload: could not unload"; fi
	poll 5 win_gone "$D" && ok "unload: the dialog closed" || bad "unload: the dialog is still open"
	poll 5 hook_said "$m" TRUE && ok "unload: the interrupted send was stopped" || bad "unload: the hook did not stop the send"
	expect_not_delivered unload $S
	win_exists "$W" && ok "unload: the compose window is still open" || bad "unload: the compose window closed"
	# the plugin is gone and Claws works: the same message now goes out unchecked
	atspi plugins-close
	key "$W" ctrl+Return
	expect_delivered unload $S gen.smith@army.ml
fi
close_compose "$W"
timing unload "$t"

finish
