#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real claws-mail under its own Xvfb, with the built plugin loaded from a
# throwaway config dir, sending through a loopback SMTP sink that this script starts. Each
# scenario drives Claws and the dialog by keyboard (xdotool) and asserts on what reached the
# sink, the queue or the drafts.
#
# usage: run-e2e.sh PLUGIN_SO RCPTGUARD_CLI
#                                    E2E_ONLY="edit fix" picks scenarios; E2E_KEEP=1 keeps
#                                    the temp dir; exit 77 when claws-mail, Xvfb, xdotool or
#                                    python3-aiosmtpd is missing
set -u

PLUGIN_ARG=$1
RG_CLI=${2:-}
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

# --- 1. edit: nothing delivered, the compose window and its text intact ----------------
if want edit; then
	t=$(now)
	S=e2e-edit
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog edit "$W" ctrl+Return; then
		m=$(log_mark)
		answer edit "$(cat "$ROOT/last-dialog")" alt+e
		poll 5 hook_said "$m" TRUE && ok "edit: the hook stopped the send" || bad "edit: the hook did not stop the send"
		expect_not_delivered edit $S
		win_exists "$W" && ok "edit: the compose window is still open" || bad "edit: the compose window closed"
		# the window's content, as Claws itself saves it: a draft
		d0=$(n_files draft)
		key "$W" ctrl+s
		if poll 5 test "$(n_files draft)" -gt "$d0"; then
			f=$(ls -t "$ROOT/Mail/draft/"[0-9]* | head -1)
			grep -q '^To: gen.smith@army.ml' "$f" && grep -q "Body of $S" "$f" &&
				ok "edit: recipient and text intact (saved draft)" || bad "edit: draft differs: $(head -c 600 "$f")"
		else
			bad "edit: could not save the compose window as a draft"
		fi
	fi
	close_compose "$W"
	timing edit "$t"
fi

# --- 3. suggested fix, Send Corrected: envelope has only the fix, display name kept -----
if want fix; then
	t=$(now)
	S=e2e-fix
	if W=$(compose $S 'General%20Smith%20%3Cgen.smith@army.ml%3E') &&
		send_expect_dialog fix "$W" ctrl+Return; then
		D=$(cat "$ROOT/last-dialog")
		key "$D" alt+u
		answer fix "$D" alt+c
		expect_delivered fix $S gen.smith@army.mil 'General Smith <gen.smith@army.mil>'
		poll 10 win_gone "$W" && ok "fix: compose window closed after sending" || bad "fix: compose window still open"
	fi
	close_compose "$W"
	timing fix "$t"
fi

# --- 3b. two typos: Enter takes the first fix, but Send Corrected waits for the second --
# (Alt+C used to send r.roe@usmc.ml as typed right after the first fix)
if want fix-all; then
	t=$(now)
	S=e2e-fix-all
	if W=$(compose $S 'gen.smith@army.ml,r.roe@usmc.ml') &&
		send_expect_dialog fix-all "$W" ctrl+Return; then
		D=$(cat "$ROOT/last-dialog")
		key "$D" Return # the first fix has the focus when the dialog opens
		key "$D" alt+c  # Send _Corrected: insensitive while r.roe@usmc.ml is as typed
		pause 1
		win_exists "$D" && ok "fix-all: Send Corrected did not send with a typo left" ||
			bad "fix-all: Send Corrected closed the dialog with a typo left"
		sink_has $S && bad "fix-all: delivered with a typo left ($(sink_get $S))" ||
			ok "fix-all: nothing delivered with a typo left"
		if win_exists "$D"; then
			key "$D" Return # the second fix: the focus moved there
			answer fix-all "$D" alt+c
			expect_delivered fix-all $S gen.smith@army.mil,r.roe@usmc.mil 'r.roe@usmc.mil'
		fi
	fi
	close_compose "$W"
	timing fix-all "$t"
fi

# --- 4. a known recipient: no dialog, delivered ---------------------------------------
if want known; then
	t=$(now)
	S=e2e-known
	if W=$(compose $S j.doe@army.mil); then
		n=$(n_shown)
		key "$W" ctrl+Return
		expect_delivered known $S j.doe@army.mil 'To: j.doe@army.mil'
		[ "$(n_shown)" = "$n" ] && ok "known: no dialog" || bad "known: a dialog was shown"
	fi
	close_compose "$W"
	timing known "$t"
fi

# --- 5. Send Later with a risky recipient: the dialog appears --------------------------
if want later; then
	t=$(now)
	S=e2e-later
	q0=$(n_files queue)
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog later "$W" shift+ctrl+s; then
		D=$(cat "$ROOT/last-dialog")
		key "$D" alt+u
		answer later "$D" alt+c
		if poll 10 test "$(n_files queue)" -gt "$q0"; then
			f=$(ls -t "$ROOT/Mail/queue/"[0-9]* | head -1)
			grep -q '^To: gen.smith@army.mil' "$f" && ok "later: queued with the corrected recipient" || bad "later: queued To: $(grep '^To:' "$f")"
		else
			bad "later: nothing queued"
		fi
		sink_has $S && bad "later: Send Later delivered at once" || ok "later: not sent at once"
	fi
	close_compose "$W"
	timing later "$t"
fi

# --- 6. a policy that blocks .ml: Send Anyway is insensitive ---------------------------
if want block; then
	t=$(now)
	S=e2e-block
	printf '[policy]\nblocked-domains=.ml\n' >"$ROOT/etc-xdg/rcptguard/policy.conf"
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog block "$W" ctrl+Return; then
		D=$(cat "$ROOT/last-dialog")
		key "$D" alt+a # Send _Anyway; does nothing while insensitive
		pause 1
		win_exists "$D" && ok "block: Send Anyway did not close the dialog" || bad "block: Send Anyway closed the dialog"
		sink_has $S && bad "block: Send Anyway delivered" || ok "block: Send Anyway sent nothing"
		win_exists "$D" && answer block "$D" alt+e
		expect_not_delivered block $S
		win_exists "$W" && ok "block: the compose window is still open" || bad "block: the compose window closed"
	fi
	close_compose "$W"
	rm -f "$ROOT/etc-xdg/rcptguard/policy.conf"
	timing block "$t"
fi

# --- 7. unreadable policy, unreadable history: the documented on-error behaviour -------
if want broken; then
	t=$(now)
	# a system policy that cannot be read: the check runs on the defaults and says so
	mkdir "$ROOT/etc-xdg/rcptguard/policy.conf"
	S=e2e-broken-policy
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog broken-policy "$W" ctrl+Return; then
		answer broken-policy "$(cat "$ROOT/last-dialog")" alt+e
		grep -q 'notice: .*etc-xdg/rcptguard/policy.conf' "$LOG" &&
			ok "broken-policy: the problem is reported" || bad "broken-policy: no notice about the policy"
		expect_not_delivered broken-policy $S
	fi
	close_compose "$W"
	rmdir "$ROOT/etc-xdg/rcptguard/policy.conf"

	# a history that cannot be read (a directory where the file was; fails as root too):
	# on-error=ask, the default, asks the user
	mv "$ROOT/known.txt" "$ROOT/known.txt.saved"
	mkdir "$ROOT/known.txt"
	S=e2e-broken-history
	if W=$(compose $S j.doe@army.mil); then
		key "$W" ctrl+Return
		if P=$(wait_win '^Recipient check failed$' 8); then
			ok "broken-history: asked what to do"
			key "$P" alt+e
			poll 5 win_gone "$P" || bad "broken-history: the question did not close"
			expect_not_delivered broken-history $S
			win_exists "$W" && ok "broken-history: Edit Message kept the compose window" || bad "broken-history: the compose window closed"
			key "$W" ctrl+Return
			if P=$(wait_win '^Recipient check failed$' 8); then
				key "$P" alt+a
				expect_delivered broken-history $S j.doe@army.mil
			else
				bad "broken-history: not asked the second time"
			fi
		else
			bad "broken-history: not asked"
		fi
	fi
	close_compose "$W"
	rmdir "$ROOT/known.txt"
	mv "$ROOT/known.txt.saved" "$ROOT/known.txt"

	# the history store and the policy broken at once: history.db a directory (no store can
	# be opened; as root too) and the system policy a FIFO nobody writes to (which must not
	# block the send). The dialog still comes, from the known file and the built-in
	# knowledge, and Edit keeps the message: nothing is sent silently, nothing lost.
	store=$XDG_DATA_HOME/rcptguard/history.db
	mkdir -p "$(dirname "$store")"
	[ -e "$store" ] && mv "$store" "$store.saved"
	mkdir "$store"
	mkfifo "$ROOT/etc-xdg/rcptguard/policy.conf"
	S=e2e-broken-store-policy
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog broken-store-policy "$W" ctrl+Return; then
		answer broken-store-policy "$(cat "$ROOT/last-dialog")" alt+e
		expect_not_delivered broken-store-policy $S
		win_exists "$W" && ok "broken-store-policy: the compose window is still open" ||
			bad "broken-store-policy: the compose window closed"
	fi
	close_compose "$W"
	rm -f "$ROOT/etc-xdg/rcptguard/policy.conf"
	rmdir "$store"
	[ -e "$store.saved" ] && mv "$store.saved" "$store"

	# and Claws still works normally
	S=e2e-broken-after
	if W=$(compose $S k.lee@army.mil); then
		key "$W" ctrl+Return
		expect_delivered broken-after $S k.lee@army.mil
	fi
	close_compose "$W"
	timing broken "$t"
fi

# --- an address the core cannot read: on-error asks about it, the others are still checked
# (Send Anyway in that question used to send j.doe@army.ml unchecked)
if want unreadable; then
	t=$(now)
	S=e2e-unreadable
	if W=$(compose $S 'no-domain-here,j.doe@army.ml'); then
		n=$(n_shown)
		key "$W" ctrl+Return
		if P=$(wait_win '^Recipient check failed$' 8); then
			ok "unreadable: asked about the address that cannot be read"
			key "$P" alt+a
			poll 5 win_gone "$P" || bad "unreadable: the question did not close"
			if D=$(poll 8 dialog_after "$n"); then
				ok "unreadable: j.doe@army.ml was still checked: the warning dialog appeared"
				answer unreadable "$D" alt+e
			else
				bad "unreadable: no warning dialog for j.doe@army.ml"
			fi
			expect_not_delivered unreadable $S
		else
			bad "unreadable: not asked"
		fi
	fi
	close_compose "$W"
	timing unreadable "$t"
fi

# --- trust from the dialog: the choice reaches the history store; usmc.ml looks like usmc.mil,
# a well-known military domain, so trusting it asks once more, and Cancel keeps the dialog --
if want trust; then
	t=$(now)
	S=e2e-trust
	if W=$(compose $S t.one@usmc.ml) && send_expect_dialog trust "$W" ctrl+Return; then
		D=$(cat "$ROOT/last-dialog")
		key "$D" alt+t # _Trust this address
		key "$D" alt+a # Send _Anyway: asks once more
		if Q=$(wait_win "$TRUST_TITLE" 8); then
			ok "trust: asked once more before trusting a look-alike of usmc.mil"
			key "$Q" alt+c # _Cancel: back to the dialog
			poll 5 win_gone "$Q" || bad "trust: the question did not close after Cancel"
			pause 0.5
			win_exists "$D" && ok "trust: Cancel kept the dialog open" || bad "trust: Cancel closed the dialog"
			sink_has $S && bad "trust: delivered after Cancel" || ok "trust: nothing delivered after Cancel"
			key "$D" alt+a
			if Q=$(wait_win "$TRUST_TITLE" 8); then
				key "$Q" alt+t # _Trust
				poll 5 win_gone "$D" || bad "trust: the dialog did not close after Trust"
			else
				bad "trust: not asked the second time"
			fi
		else
			bad "trust: not asked once more"
			answer trust "$D" alt+e
		fi
		expect_delivered trust $S t.one@usmc.ml
		if [ -n "$RG_CLI" ]; then
			"$RG_CLI" history export 2>/dev/null | grep -q '"type":"trusted","entry":"t.one@usmc.ml","kind":"address"' &&
				ok "trust: the address is trusted in the store" || bad "trust: not trusted in the store"
		else
			bad "trust: needs the rcptguard CLI (second argument) to look into the store"
		fi
	fi
	close_compose "$W"
	timing trust "$t"
fi

# --- batch: a filter rule redirects incoming mail to the risky address; no dialog ever --
# Claws empties the spool when it is done with it, and ignores a Get Mail while one still
# runs: a slow Claws (under ASan) had emptied the second message with the first, or ignored
# the second Get Mail. So wait for the spool to be empty before writing, and ask again until
# Claws has read it.
spool_read() { ! test -s "$ROOT/spool"; }
spool() { # SUBJECT: one message in the local spool, then Get Mail for all accounts
	poll 30 spool_read || bad "$1: Claws did not finish with the spool before"
	printf 'From someone@example.org Mon Jan  1 00:00:00 2024\nFrom: someone@example.org\nTo: sender@example.test\nSubject: %s\nMessage-ID: <%s@example.org>\n\nhello\n' \
		"$1" "$1" >"$ROOT/spool"
	for _ in 1 2 3 4; do
		"${CLAWS[@]}" --receive-all >>"$ROOT/remote.log" 2>&1
		poll 5 spool_read && return 0
	done
	bad "$1: Claws did not read the spool"
}
if want batch; then
	t=$(now)
	n=$(n_shown)
	m=$(log_mark)
	spool e2e-batch-warn
	expect_delivered batch-warn e2e-batch-warn m.ortiz@navy.ml
	tail -n "+$m" "$LOG" | grep -q 'automatic send.*m.ortiz@navy.ml is at level warn' &&
		ok "batch-warn: logged" || bad "batch-warn: not logged"
	# at block the rule (on-error "ask" cannot ask) stops the message
	printf '[policy]\nblocked-domains=.ml\n' >"$ROOT/etc-xdg/rcptguard/policy.conf"
	m=$(log_mark)
	spool e2e-batch-block
	poll 10 hook_said "$m" TRUE && ok "batch-block: the hook stopped the redirect" || bad "batch-block: the hook did not stop it"
	expect_not_delivered batch-block e2e-batch-block
	tail -n "+$m" "$LOG" | grep -q 'automatic send.*the message was stopped' &&
		ok "batch-block: logged" || bad "batch-block: not logged"
	rm -f "$ROOT/etc-xdg/rcptguard/policy.conf"
	[ "$(n_shown)" = "$n" ] && ok "batch: no dialog" || bad "batch: a dialog was shown"
	if W=$(find_win '^(Error|Warning)$'); then
		ok "batch: Claws reports the failed redirect itself ($(xdotool getwindowname "$W"))"
		key "$W" Return
	fi
	timing batch "$t"
fi

# --- the policy's other keys: override at block, the decision log, on-error=block --------
if want policy; then
	t=$(now)
	S=e2e-policy-override
	printf '[policy]\nblocked-domains=.ml\nallow-override=true\ndecision-log=%s\n' \
		"$ROOT/decisions.log" >"$ROOT/etc-xdg/rcptguard/policy.conf"
	if W=$(compose $S p.jones@marines.ml) && send_expect_dialog policy-override "$W" ctrl+Return; then
		answer policy-override "$(cat "$ROOT/last-dialog")" alt+a
		expect_delivered policy-override $S p.jones@marines.ml
		grep -q 'send.*p.jones@marines.ml' "$ROOT/decisions.log" 2>/dev/null &&
			ok "policy-override: the decision is in the decision log" || bad "policy-override: decision log: $(cat "$ROOT/decisions.log" 2>&1)"
	fi
	close_compose "$W"

	# the check fails and the policy says not to send then: only Edit Message is offered
	printf '[policy]\non-error=block\n' >"$ROOT/etc-xdg/rcptguard/policy.conf"
	mv "$ROOT/known.txt" "$ROOT/known.txt.saved"
	mkdir "$ROOT/known.txt"
	S=e2e-policy-on-error
	if W=$(compose $S j.doe@army.mil); then
		key "$W" ctrl+Return
		if P=$(wait_win '^Recipient check failed$' 8); then
			ok "policy-on-error: told why"
			key "$P" alt+a # there is no Send Anyway
			pause 0.5
			win_exists "$P" && answer policy-on-error "$P" alt+e
			expect_not_delivered policy-on-error $S
		else
			bad "policy-on-error: not told"
		fi
	fi
	close_compose "$W"
	rmdir "$ROOT/known.txt"
	mv "$ROOT/known.txt.saved" "$ROOT/known.txt"
	rm -f "$ROOT/etc-xdg/rcptguard/policy.conf"
	timing policy "$t"
fi

# --- log-only: nothing interrupts; exactly one decision-log line per flagged recipient --
if want logonly; then
	t=$(now)
	S=e2e-logonly
	printf '[policy]\nlog-only=true\ndecision-log=%s\n' "$ROOT/logonly.log" \
		>"$ROOT/etc-xdg/rcptguard/policy.conf"
	if W=$(compose $S lo.test@army.ml); then
		n=$(n_shown)
		key "$W" ctrl+Return
		expect_delivered logonly $S lo.test@army.ml
		[ "$(n_shown)" = "$n" ] && ok "logonly: no dialog" || bad "logonly: a dialog was shown"
		c=$(awk -F'\t' '$2 == "log-only" && $4 == "lo.test@army.ml"' "$ROOT/logonly.log" 2>/dev/null | wc -l)
		[ "$c" = 1 ] && ok "logonly: one decision-log line" ||
			bad "logonly: decision log: $(cat "$ROOT/logonly.log" 2>&1)"
	fi
	close_compose "$W"
	rm -f "$ROOT/etc-xdg/rcptguard/policy.conf"
	timing logonly "$t"
fi

# --- 2. Send Anyway: delivered to the .ml address; the next message warns again ----------
if want anyway; then
	t=$(now)
	S=e2e-anyway
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog anyway "$W" ctrl+Return; then
		answer anyway "$(cat "$ROOT/last-dialog")" alt+a
		expect_delivered anyway $S gen.smith@army.ml 'To: gen.smith@army.ml'
	fi
	close_compose "$W"
	# the record of a Send Anyway is no evidence: the dialog appears again, and says so
	S=e2e-anyway-again
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog anyway-again "$W" ctrl+Return; then
		answer anyway-again "$(cat "$ROOT/last-dialog")" alt+e
		expect_not_delivered anyway-again $S
	fi
	close_compose "$W"
	if [ -n "$RG_CLI" ]; then
		"$RG_CLI" check gen.smith@army.ml 2>/dev/null | grep -q 'You sent to this address anyway on' &&
			ok "anyway-again: the reason says it was sent anyway, and when" ||
			bad "anyway-again: no sent-anyway reason: $("$RG_CLI" check gen.smith@army.ml 2>&1)"
	fi
	timing anyway "$t"
fi

finish
