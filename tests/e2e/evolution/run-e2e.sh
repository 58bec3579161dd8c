#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# End-to-end test of module-rcptguard.so in the real Evolution: a private X server (Xvfb), a
# private D-Bus session, fresh HOME/XDG dirs with an account written by make-sources.sh, an
# SMTP sink on loopback, and one Evolution instance for all scenarios (its start-up is the
# slow part). Buttons are pressed through the accessibility bus; what reached the sink is the
# verdict.
#
# usage: run-e2e.sh MODULE_SO LIBDIR[:LIBDIR...]
#   MODULE_SO  the built module-rcptguard.so ("none" when the build has no Evolution module)
#   LIBDIR     build directories of librcptguard and librcptguard-ui
# knobs: RG_E2E_SCENARIOS="fresh edit send-anyway known fix fix-all block prefs log-only core-failure broken-store check-error unreadable on-error-block import"
#        RG_E2E_TIMEOUT (seconds, default 640), RG_E2E_KEEP=1 keeps the work dir
#        RG_E2E_INSTALLED=1: the installed module instead (RG_E2E_INSTALLED_MODULE, from
#        meson), which Evolution must find in its own module directory, with the installed
#        libraries (../installed.sh)
# Exit 0: all passed; 1: a scenario failed; 77: the environment is missing (skip).
set -u
# shellcheck source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

# the organisation protects army.mil and navy.mil and blocks blocked.com; the fresh
# profile of the first scenario has a policy that protects nothing
evo_prepare() {
	cat >"$W/policy.usual" <<-EOT
		[policy]
		protected-domains=army.mil;navy.mil
		blocked-domains=blocked.com
		decision-log=$W/decisions.log
	EOT
	# evo_outer's scenarios
	if [[ " $scenarios " == *" fresh "* ]]; then
		printf '[policy]\ndecision-log=%s\n' "$W/decisions.log" >"$W/etc-xdg/rcptguard/policy.conf"
	else
		cp "$W/policy.usual" "$W/etc-xdg/rcptguard/policy.conf"
	fi
}

if [ "${1:-}" != --inner ]; then
	# the whole run's bound, below meson's 700 s: fifteen scenarios take ~180 s, and 385 s on
	# a 2-core machine running other builds beside it (seen in a local CI run)
	export RG_E2E_TIMEOUT=${RG_E2E_TIMEOUT:-640}
	evo_outer "$0" "${1:-none}" "${2:-}" \
		"${RG_E2E_SCENARIOS:-fresh edit send-anyway known fix fix-all block prefs log-only core-failure broken-store check-error unreadable on-error-block import}"
fi

# ------------------------------------------------------------ inside dbus-run-session
evo_inner_init
# logged CHOICE ADDRESS: the policy's decision log has that line
logged() { awk -F'\t' -v c="$1" -v a="$2" '$2 == c && $4 == a { f = 1 } END { exit !f }' "$W/decisions.log"; }
# logged_times CHOICE ADDRESS: how many lines of the decision log have that choice and address
logged_times() { awk -F'\t' -v c="$1" -v a="$2" '$2 == c && $4 == a { n++ } END { print n + 0 }' "$W/decisions.log"; }
# the module reads the configuration again after a change on its Preferences page: untick
# and tick the switch there. The first time, Evolution builds every page of the window
# before ours can be found (under the asan setup over the 45 s of a 15 s wait, seen after
# the fresh scenarios): 30 s, stretched by RG_E2E_TIMEOUT_MULTIPLIER like every wait
reread_config() {
	check "Preferences opened" $A click evolution '^Mail$' Preferences 15
	check "page selected" $A mouse evolution 'Preferences' 'Recipient Check' 30
	check "check box unticked" $A click evolution 'Preferences' 'Check recipients before sending' 15
	check "check box ticked" $A click evolution 'Preferences' 'Check recipients before sending' 15
}

# the history store knows no address (or there is none)
no_history() {
	local db=$W/data/rcptguard/history.db
	[ ! -e "$db" ] && return 0
	[ "$($py -c 'import sqlite3, sys
print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute("SELECT count(*) FROM addresses").fetchone()[0])' "$db")" = 0 ]
}

# a second message to an address sent anyway: the dialog again, saying so; Edit Message keeps
# it back, so the sink still holds $3 messages
dialog_again() {
	check "composer opens" compose "$1" "$2"
	check "Send pressed" send "$1"
	check "the dialog again for the address sent anyway" $A wait-window evolution "$DLG" 15
	check "it says the address was sent anyway" $A has-text evolution "$DLG" 'You sent to this address anyway on' 5
	check "Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 5
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$3"
}

start_evolution

if want fresh; then
	# a fresh profile: no history store, no notmuch, a policy that protects nothing; only
	# rcptguard's built-in knowledge stands between the user and a typo
	begin "fresh profile: the knowledge warns with the fix, first contacts stay quiet"
	n=$(msgs)
	# the module reads the (empty) local Sent folder and address book at start-up, which may
	# make the store: it must know no address
	check "no history: no store, or one that knows no address" no_history
	check "no notmuch configuration" test ! -e "$HOME/.notmuch-config"
	check "the policy protects nothing" sh -c "! grep -q protected-domains '$W/etc-xdg/rcptguard/policy.conf'"
	check "composer opens" compose 'RG 0a' 'mailto:gen.smith@army.ml?subject=RG%200a&body=fresh'
	check "Send pressed" send 'RG 0a'
	check "dialog shown, suggestion gen.smith@army.mil taken" $A click evolution "$DLG" 'Use gen.smith@army.mil' 15
	check "Send Corrected pressed" $A click evolution "$DLG" 'Send Corrected' 5
	check "delivered" wait_msgs $((n + 1))
	check "envelope: gen.smith@army.mil" test "$(last_rcpts)" = gen.smith@army.mil
	check "composer opens" compose 'RG 0b' 'mailto:maintainer@debian.org?subject=RG%200b&body=first'
	check "Send pressed" send 'RG 0b'
	check "a real first contact delivered without a dialog" wait_msgs $((n + 2))
	check "envelope: maintainer@debian.org" test "$(last_rcpts)" = maintainer@debian.org
	check "no dialog open" $A absent evolution "$DLG" 1
	end

	begin "fresh profile: Send Anyway, then a second message: the dialog again"
	n=$(msgs)
	check "composer opens" compose 'RG 0c' 'mailto:alice@hotmial.com?subject=RG%200c&body=anyway'
	check "Send pressed" send 'RG 0c'
	check "dialog shown, Send Anyway pressed" $A click evolution "$DLG" 'Send Anyway' 15
	check "delivered as typed" wait_msgs $((n + 1))
	check "envelope: alice@hotmial.com" test "$(last_rcpts)" = alice@hotmial.com
	dialog_again 'RG 0d' 'mailto:alice@hotmial.com?subject=RG%200d&body=again' $((n + 1))
	end

	# the organisation's policy for the scenarios that follow
	cp "$W/policy.usual" "$W/etc-xdg/rcptguard/policy.conf"
	reread_config
fi

if want edit; then
	begin "edit: nothing sent, composer intact"
	n=$(msgs)
	check "composer opens" compose 'RG 1' 'mailto:someone@army.ml?subject=RG%201&body=hello'
	check "Send pressed" send 'RG 1'
	check "dialog shown, Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 1$' 2
	check "dialog gone" $A absent evolution "$DLG" 5
	check "decision log: edit someone@army.ml" logged edit someone@army.ml
	end
fi

if want send-anyway; then
	begin "send anyway: delivered as typed"
	n=$(msgs)
	# the composer of the previous scenario, still addressed to someone@army.ml
	$A wait-window evolution '^RG 1$' 1 >/dev/null 2>&1 ||
		compose 'RG 1' 'mailto:someone@army.ml?subject=RG%201&body=hello' >/dev/null 2>&1
	check "Send pressed" send 'RG 1'
	check "dialog shown, Send Anyway pressed" $A click evolution "$DLG" 'Send Anyway' 15
	check "delivered" wait_msgs $((n + 1))
	check "envelope: someone@army.ml" test "$(last_rcpts)" = someone@army.ml
	check "decision log: send someone@army.ml" logged send someone@army.ml
	end
fi

if want known; then
	begin "known recipient: no dialog"
	n=$(msgs)
	# army.mil is the organisation's own domain
	check "composer opens" compose 'RG 3a' 'mailto:colleague@army.mil?subject=RG%203a&body=known'
	check "Send pressed" send 'RG 3a'
	check "delivered without a dialog" wait_msgs $((n + 1))
	check "envelope: colleague@army.mil" test "$(last_rcpts)" = colleague@army.mil
	check "the module checked it: ok" grep -q 'checked 1 recipient(s): ok' "$W/evolution.log"
	if want send-anyway; then
		# sent with "Send Anyway": recorded, but the next message warns again, and says so
		dialog_again 'RG 3b' 'mailto:someone@army.ml?subject=RG%203b&body=again' $((n + 1))
	fi
	check "no dialog open" $A absent evolution "$DLG" 1
	end
fi

if want fix; then
	begin "fix: corrected envelope"
	n=$(msgs)
	# navy.ml: a domain no earlier scenario sent to
	check "composer opens" compose 'RG 4' 'mailto:Alice%20A%20<a@navy.ml>?cc=b@partner.com&bcc=c@navy.ml&subject=RG%204&body=fix'
	check "Send pressed" send 'RG 4'
	check "dialog shown, suggestion for a@navy.ml taken" $A click evolution "$DLG" 'Use a@navy.mil' 15
	check "suggestion for c@navy.ml taken" $A click evolution "$DLG" 'Use c@navy.mil' 5
	check "Send Corrected pressed" $A click evolution "$DLG" 'Send Corrected' 5
	check "delivered" wait_msgs $((n + 1))
	check "envelope: a@navy.mil b@partner.com c@navy.mil" \
		test "$(last_rcpts)" = "a@navy.mil b@partner.com c@navy.mil"
	check "To header: Alice A <a@navy.mil>" \
		grep -q '^To: Alice A <a@navy.mil>' "$W/sink/$(printf '%03d' $((n + 1))).eml"
	check "decision log: send-corrected a@navy.ml" logged send-corrected a@navy.ml
	end
fi

if want fix-all; then
	# two typos: Send Corrected waits until both are fixed (it used to send the second as typed)
	begin "fix all: Send Corrected only once every typo is fixed"
	n=$(msgs)
	check "composer opens" compose 'RG 4b' 'mailto:p@navy.ml?cc=q@nawy.mil&subject=RG%204b&body=both'
	check "Send pressed" send 'RG 4b'
	check "dialog shown, suggestion for p@navy.ml taken" $A click evolution "$DLG" 'Use p@navy.mil' 15
	check "Send Corrected is insensitive with q@nawy.mil as typed" \
		test "$($A sensitive evolution "$DLG" 'Send Corrected' 5)" = no
	pause 0.5
	check "nothing delivered yet" test "$(msgs)" -eq "$n"
	check "suggestion for q@nawy.mil taken" $A click evolution "$DLG" 'Use q@navy.mil' 5
	check "Send Corrected is sensitive now" \
		test "$($A sensitive evolution "$DLG" 'Send Corrected' 5)" = yes
	check "Send Corrected pressed" $A click evolution "$DLG" 'Send Corrected' 5
	check "delivered" wait_msgs $((n + 1))
	check "envelope: p@navy.mil q@navy.mil" test "$(last_rcpts)" = "p@navy.mil q@navy.mil"
	check "decision log: send-corrected q@nawy.mil" logged send-corrected q@nawy.mil
	end
fi

if want block; then
	begin "block: Send Anyway insensitive"
	n=$(msgs)
	check "composer opens" compose 'RG 5' 'mailto:x@blocked.com?subject=RG%205&body=blocked'
	check "Send pressed" send 'RG 5'
	check "dialog shown" $A wait-window evolution "$DLG" 15
	check "Send Anyway is insensitive" test "$($A sensitive evolution "$DLG" 'Send Anyway' 5)" = no
	check "Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 5
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 5$' 2
	end
fi

settings="$W/config/rcptguard/settings.conf"
if want prefs; then
	begin "preferences: switched off, then on"
	n=$(msgs)
	check "Preferences opened" $A click evolution '^Mail$' Preferences 15
	check "page selected" $A mouse evolution 'Preferences' 'Recipient Check' 30
	check "check box unticked" $A click evolution 'Preferences' 'Check recipients before sending' 15
	check "settings.conf says enabled=false" grep -qx 'enabled=false' "$settings"
	c=$(grep -c 'checked [0-9]* recipient' "$W/evolution.log")
	check "composer opens" compose 'RG 6' 'mailto:off@yahoo.con?subject=RG%206&body=off'
	check "Send pressed" send 'RG 6'
	check "delivered without a dialog" wait_msgs $((n + 1))
	check "envelope: off@yahoo.con" test "$(last_rcpts)" = off@yahoo.con
	check "the module did not check it" test "$(grep -c 'checked [0-9]* recipient' "$W/evolution.log")" = "$c"
	check "check box ticked again" $A click evolution 'Preferences' 'Check recipients before sending' 15
	check "settings.conf says enabled=true" grep -qx 'enabled=true' "$settings"
	end
fi

if want log-only; then
	# log-only: nothing interrupts; the decision log gets exactly one line per flagged
	# recipient (the module once wrote a second one after the core's). army.ml was sent to
	# once already: the send recorded here teaches the later scenarios no new domain
	begin "log-only: no dialog, one decision-log line"
	n=$(msgs)
	policy="$W/etc-xdg/rcptguard/policy.conf"
	cp "$policy" "$W/policy.saved"
	printf 'log-only=true\n' >>"$policy"
	reread_config
	check "composer opens" compose 'RG 12' 'mailto:lo@army.ml?cc=ok@army.mil&subject=RG%2012&body=logonly'
	check "Send pressed" send 'RG 12'
	check "delivered without a dialog" wait_msgs $((n + 1))
	check "envelope: lo@army.ml ok@army.mil" test "$(last_rcpts)" = "lo@army.ml ok@army.mil"
	check "decision log: log-only lo@army.ml, once" test "$(logged_times log-only lo@army.ml)" = 1
	check "decision log: nothing for ok@army.mil" test "$(logged_times log-only ok@army.mil)" = 0
	check "no dialog open" $A absent evolution "$DLG" 1
	cp "$W/policy.saved" "$policy"
	reread_config
	end
fi

if want core-failure; then
	# A policy that is not a key file at all. Documented behaviour (plugin/evolution/README.md):
	# the check goes on with the built-in defaults and logs the problem; Evolution keeps running.
	begin "core failure: broken policy, guard keeps working on defaults"
	n=$(msgs)
	printf '\000\001 this is not a policy\n[[[\n' >"$W/etc-xdg/rcptguard/policy.conf"
	reread_config
	check "composer opens" compose 'RG 7' 'mailto:someone@gmail.con?subject=RG%207&body=broken'
	check "Send pressed" send 'RG 7'
	check "dialog shown for gmail.con, Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "problem logged" grep -q 'rcptguard-evolution-WARNING.*[Pp]olicy' "$W/evolution.log"
	check "Evolution still running" evo_alive
	end
fi

if want broken-store; then
	# The history store and the policy broken at once: history.db a directory (no store can be
	# opened; as root too) and the system policy a FIFO nobody writes to (which must not block
	# Evolution). The dialog still comes, and Edit Message keeps the message.
	begin "broken store and policy: the dialog still comes, Edit Message keeps the message"
	n=$(msgs)
	pol=$W/etc-xdg/rcptguard/policy.conf
	store=$W/data/rcptguard/history.db
	[ -e "$pol" ] && mv "$pol" "$pol.saved"
	mkfifo "$pol"
	mkdir -p "$(dirname "$store")"
	[ -e "$store" ] && mv "$store" "$store.saved"
	mkdir "$store"
	reread_config
	check "composer opens" compose 'RG 7b' 'mailto:someone@gmail.con?subject=RG%207b&body=broken'
	check "Send pressed" send 'RG 7b'
	check "dialog shown for gmail.con, Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 7b$' 2
	check "Evolution still running" evo_alive
	rm -f "$pol"
	[ -e "$pol.saved" ] && mv "$pol.saved" "$pol"
	rmdir "$store"
	[ -e "$store.saved" ] && mv "$store.saved" "$store"
	end
fi

if want check-error; then
	# "foo" has no domain: Evolution asks first, then the core cannot check it. The policy's
	# on-error mode applies; its default is to ask, with going back as the safe choice.
	begin "check error: asked; back to the message, then send unchecked"
	n=$(msgs)
	check "composer opens" compose 'RG 8' 'mailto:foo?subject=RG%208&body=error'
	check "Send pressed" send 'RG 8'
	check "Evolution's own question answered with Send" $A click evolution '^ $' Send 15
	check "asked, Back to Message pressed" $A click evolution '^Recipient check failed$' 'Back to Message' 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 8$' 2
	check "Send pressed again" send 'RG 8'
	check "Evolution's own question answered with Send" $A click evolution '^ $' Send 15
	check "asked, Send Unchecked pressed" $A click evolution '^Recipient check failed$' 'Send Unchecked' 15
	check "delivered" wait_msgs $((n + 1))
	check "envelope: foo" test "$(last_rcpts)" = foo
	check "failure logged" grep -q 'recipient check failed' "$W/evolution.log"
	end
fi

if want unreadable; then
	# an address the core cannot read only fails for itself: after Send Unchecked the other
	# recipient is still checked (it used to be sent unchecked with it)
	begin "unreadable address: asked about it, the other recipient still checked"
	n=$(msgs)
	check "composer opens" compose 'RG 9' 'mailto:foo?cc=z@navy.ml&subject=RG%209&body=error'
	check "Send pressed" send 'RG 9'
	check "Evolution's own question answered with Send" $A click evolution '^ $' Send 15
	check "asked, Send Unchecked pressed" $A click evolution '^Recipient check failed$' 'Send Unchecked' 15
	check "z@navy.ml checked: dialog shown, Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 9$' 2
	end
fi

if want on-error-block; then
	# the policy forbids sending what could not be checked
	begin "check error with on-error=block: not sent"
	n=$(msgs)
	cat >"$W/etc-xdg/rcptguard/policy.conf" <<-EOT
		[policy]
		protected-domains=army.mil;navy.mil
		on-error=block
	EOT
	check "composer opens" compose 'RG 10' 'mailto:foo?subject=RG%2010&body=error'
	check "Send pressed" send 'RG 10'
	check "Evolution's own question answered with Send" $A click evolution '^ $' Send 15
	check "told, Close pressed" $A click evolution '^Recipient check failed$' Close 15
	pause 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer still open" $A wait-window evolution '^RG 10$' 2
	end
fi

if want import; then
	# a notmuch index that knows the user wrote to pal@navy.ml; the Preferences page imports it
	begin "import from notmuch: the index's correspondent is known"
	n=$(msgs)
	mkdir -p "$W/mail/cur" "$W/mail/new" "$W/mail/tmp"
	cat >"$W/mail/cur/1:2,S" <<-EOT
		From: Test Sender <tester@mailhost.org>
		To: Pal <pal@navy.ml>
		Subject: lunch
		Date: Mon, 02 Nov 2026 10:00:00 +0000
		Message-ID: <rg-e2e-1@mailhost.org>

		See you there.
	EOT
	cat >"$HOME/.notmuch-config" <<-EOT
		[database]
		path=$W/mail
		[user]
		name=Test Sender
		primary_email=tester@mailhost.org
		[new]
		tags=inbox
	EOT
	check "notmuch index built" notmuch new
	check "Preferences opened" $A click evolution '^Mail$' Preferences 15
	check "page selected" $A mouse evolution 'Preferences' 'Recipient Check' 30
	check "Import from notmuch pressed" $A click evolution 'Preferences' 'Import from notmuch' 15
	check "page says what was read" $A has-text evolution 'Preferences' 'read from notmuch' 30
	check "composer opens" compose 'RG 11' 'mailto:pal@navy.ml?subject=RG%2011&body=known'
	check "Send pressed" send 'RG 11'
	check "delivered without a dialog" wait_msgs $((n + 1))
	check "envelope: pal@navy.ml" test "$(last_rcpts)" = pal@navy.ml
	check "history store written" test -s "$W/data/rcptguard/history.db"
	end
fi

if ! evo_alive 2>/dev/null; then
	echo "FAIL Evolution is no longer running"
	failed=1
fi
evo_inner_finish
