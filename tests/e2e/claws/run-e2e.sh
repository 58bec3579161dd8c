#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real claws-mail under its own Xvfb, with the built plugin loaded from a
# throwaway config dir, sending through a loopback SMTP sink that this script starts. Each
# scenario drives Claws and the dialog by keyboard (xdotool) and asserts on what reached the
# sink, the queue or the drafts.
#
# usage: run-e2e.sh PLUGIN_SO        E2E_ONLY="edit fix" picks scenarios; E2E_KEEP=1 keeps
#                                    the temp dir; exit 77 when claws-mail, Xvfb, xdotool or
#                                    python3-aiosmtpd is missing
set -u

PLUGIN=$(readlink -f "$1")
HERE=$(dirname "$(readlink -f "$0")")
PY=/usr/bin/python3 # the system Python, which has aiosmtpd, whatever is first in PATH

skip() {
	echo "SKIP: $*"
	exit 77
}
for prog in claws-mail Xvfb xdotool; do
	command -v "$prog" >/dev/null || skip "$prog is not installed"
done
[ -x "$PY" ] && "$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed"
[ -f "$PLUGIN" ] || {
	echo "FAIL: plugin $1 not found"
	exit 1
}

ROOT=$(mktemp -d -t rg-claws-e2e.XXXXXX)
PASS=0
FAIL=0
ok() {
	PASS=$((PASS + 1))
	echo "ok   - $*"
}
bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL - $*"
}
now() { date +%s%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
T_START=$(now)

# retries a command every 0.1 s until it succeeds or TIMEOUT seconds have passed
poll() {
	local timeout=$1 end
	shift
	end=$(($(now) + $(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1e9 }')))
	while :; do
		"$@" && return 0
		[ "$(now)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

cleanup() {
	[ -n "${CLAWS_PID:-}" ] && kill -9 "$CLAWS_PID" 2>/dev/null
	[ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null
	[ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null
	wait 2>/dev/null
	if [ "${E2E_KEEP:-0}" = 1 ] || [ "$FAIL" != 0 ]; then
		echo "# artifacts kept in $ROOT"
	else
		rm -rf "$ROOT"
	fi
}
trap cleanup EXIT

# --- the world: X server, SMTP sink, config dir, history, policy dir ---------------------
mkdir -p "$ROOT/cfg" "$ROOT/Mail" "$ROOT/home" "$ROOT/run" "$ROOT/etc-xdg/rcptguard"
chmod 700 "$ROOT/run"

exec 3>"$ROOT/display"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp >"$ROOT/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
poll 10 test -s "$ROOT/display" || {
	echo "FAIL: Xvfb did not start"
	exit 1
}
export DISPLAY=":$(head -1 "$ROOT/display")"

"$PY" "$HERE/sink.py" "$ROOT/port" "$ROOT/sink.jsonl" >"$ROOT/sink.log" 2>&1 &
SINK_PID=$!
poll 10 test -s "$ROOT/port" || {
	echo "FAIL: SMTP sink did not start"
	exit 1
}
PORT=$(cat "$ROOT/port")

# the user's history: colleagues at army.mil
cat >"$ROOT/known.txt" <<EOF
gen.smith@army.mil
j.doe@army.mil
k.lee@army.mil
m.ortiz@navy.mil
EOF

cat >"$ROOT/cfg/accountrc" <<EOF
[Account: 1]
account_name=E2E
is_default=1
name=Test Sender
address=sender@example.test
protocol=4
smtp_server=127.0.0.1
set_smtpport=1
smtp_port=$PORT
use_smtp_auth=0
ssl_smtp=0
receive_at_get_all=0
config_version=4
EOF
cat >"$ROOT/cfg/folderlist.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" ?>
<folderlist config_version="4">
  <folder type="mh" name="Mailbox" path="$ROOT/Mail" collapsed="0" sort="0" />
</folderlist>
EOF
# no first-run wizard, no spell checker error, no prompts at exit
cat >"$ROOT/cfg/clawsrc" <<EOF
[Common]
config_version=4
warn_empty_subj=0
enable_aspell=0
confirm_on_exit=0
warn_queued_on_exit=0
use_networkmanager=0

[Plugins_GTK3]
$PLUGIN

[rcptguard]
enabled=1
known_file=$ROOT/known.txt
EOF

export HOME="$ROOT/home" XDG_RUNTIME_DIR="$ROOT/run"
export XDG_CONFIG_HOME="$ROOT/home/.config" XDG_DATA_HOME="$ROOT/home/.local/share"
export XDG_CACHE_HOME="$ROOT/home/.cache" XDG_STATE_HOME="$ROOT/home/.local/state"
export XDG_CONFIG_DIRS="$ROOT/etc-xdg" NOTMUCH_CONFIG="$ROOT/no-notmuch-config"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= NO_AT_BRIDGE=1
export G_MESSAGES_DEBUG=rcptguard-claws
unset DBUS_SESSION_BUS_ADDRESS SESSION_MANAGER G_DEBUG
CLAWS=(claws-mail --alternate-config-dir "$ROOT/cfg")
LOG=$ROOT/claws.log

# --- helpers --------------------------------------------------------------------------
find_win() { # REGEX -> first visible window whose name matches
	local w
	w=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1)
	[ -n "$w" ] && echo "$w"
}
wait_win() { poll "$2" find_win "$1"; }
win_exists() { xdotool getwindowname "$1" >/dev/null 2>&1; }
win_gone() { ! win_exists "$1"; }

# our warning dialog: a visible window that is none of Claws' own (its title belongs to the
# dialog library, so it is found by elimination)
CLAWS_TITLES=' - Compose message$| - Claws Mail [0-9.]+$|^(Error|Warning|Recipient check failed|Discard message|Save changes|Queued messages|Notice)$'
find_dialog() {
	local w name
	for w in $(xdotool search --onlyvisible --name '.' 2>/dev/null); do
		name=$(xdotool getwindowname "$w" 2>/dev/null) || continue
		[ -n "$name" ] || continue
		[[ $name =~ $CLAWS_TITLES ]] && continue
		echo "$w"
		return 0
	done
	return 1
}
n_shown() { grep -c 'dialog shown' "$LOG"; }
dialog_after() { [ "$(n_shown)" -gt "$1" ] && find_dialog; }
key() { # WINDOW KEY...
	local w=$1
	shift
	xdotool windowfocus --sync "$w" key --clearmodifiers "$@"
}
# the sink's record of the message with this subject: "rcpt,rcpt<TAB>To: ..."
sink_get() { "$PY" "$HERE/sinkq.py" "$ROOT/sink.jsonl" "$1"; }
sink_has() { sink_get "$1" >/dev/null; }
n_files() { find "$ROOT/Mail/$1" -maxdepth 1 -name '[0-9]*' 2>/dev/null | wc -l; }

compose() { # SUBJECT TO [QUERY] -> window id of the new compose window
	"${CLAWS[@]}" --compose "mailto:$2?subject=$1&body=Body%20of%20$1${3:+&$3}" \
		>>"$ROOT/remote.log" 2>&1
	wait_win "^$1 - Compose message\$" 15
}
gone_or_prompt() { win_gone "$1" || find_win '^(Discard message|Save changes)$'; }
close_compose() {
	local q
	win_exists "$1" || return 0
	key "$1" ctrl+w
	if q=$(poll 5 gone_or_prompt "$1") && [ -n "$q" ]; then key "$q" alt+d; fi
	poll 5 win_gone "$1" || bad "could not close compose window $1"
}
# Send (or Send Later) and wait for our dialog; prints its window id
send_expect_dialog() { # NAME COMPOSE_WIN SENDKEY
	local n d
	n=$(n_shown)
	key "$2" "$3"
	if d=$(poll 8 dialog_after "$n"); then
		ok "$1: the warning dialog appeared"
		echo "$d" >"$ROOT/last-dialog"
		return 0
	fi
	bad "$1: no warning dialog"
	return 1
}
answer() { # NAME DIALOG KEY...
	local name=$1 d=$2
	shift 2
	key "$d" "$@"
	poll 5 win_gone "$d" || bad "$name: the dialog did not close after $*"
}
expect_delivered() { # NAME SUBJECT WANT_RCPTS [WANT_TO_SUBSTRING]
	local r
	if r=$(poll 20 sink_get "$2"); then
		if [ "${r%%$'\t'*}" = "$3" ]; then ok "$1: delivered to $3"; else bad "$1: delivered to ${r%%$'\t'*}, want $3"; fi
		if [ -n "${4:-}" ]; then
			case "${r#*$'\t'}" in *"$4"*) ok "$1: header has $4" ;; *) bad "$1: header ${r#*$'\t'}, want $4" ;; esac
		fi
	else
		bad "$1: nothing delivered"
	fi
}
expect_not_delivered() { # NAME SUBJECT
	sleep 1.5
	if sink_has "$2"; then bad "$1: delivered ($(sink_get "$2"))"; else ok "$1: nothing delivered"; fi
}
hook_said() { tail -n "+$1" "$LOG" | grep -q "hook returns $2"; }
log_mark() { echo $(($(wc -l <"$LOG") + 1)); }
timing() { echo "# timing $1: $(since "$2")s"; }
want() { case " ${E2E_ONLY:-$1} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- start Claws ----------------------------------------------------------------------
T0=$(now)
"${CLAWS[@]}" >"$LOG" 2>&1 &
CLAWS_PID=$!
if MAIN=$(wait_win ' - Claws Mail [0-9.]+$' 30); then ok "claws-mail main window up ($(since "$T0")s)"; else
	bad "claws-mail main window did not appear"
	tail -20 "$LOG"
	exit 1
fi
grep -q 'plugin_init ok' "$LOG" && ok "plugin loaded from clawsrc" || bad "plugin not loaded: $(grep -i plugin "$LOG" | head -3)"
if W=$(wait_win '^(Error|Warning)$' 0.5); then bad "unexpected startup dialog: $(xdotool getwindowname "$W")"; fi

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
		sleep 1
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
		grep -q 'notice: The system policy could not be read' "$LOG" &&
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

	# and Claws still works normally
	S=e2e-broken-after
	if W=$(compose $S k.lee@army.mil); then
		key "$W" ctrl+Return
		expect_delivered broken-after $S k.lee@army.mil
	fi
	close_compose "$W"
	timing broken "$t"
fi

# --- 2. Send Anyway: delivered to the .ml address (last: it makes army.ml known) -------
if want anyway; then
	t=$(now)
	S=e2e-anyway
	if W=$(compose $S gen.smith@army.ml) && send_expect_dialog anyway "$W" ctrl+Return; then
		answer anyway "$(cat "$ROOT/last-dialog")" alt+a
		expect_delivered anyway $S gen.smith@army.ml 'To: gen.smith@army.ml'
	fi
	close_compose "$W"
	timing anyway "$t"
fi

# --- shut down ------------------------------------------------------------------------
T1=$(now)
if W=$(find_win '^(Error|Warning)$'); then bad "a Claws error is showing: $(xdotool getwindowname "$W")"; fi
"${CLAWS[@]}" --exit >>"$ROOT/remote.log" 2>&1
if poll 15 bash -c "! kill -0 $CLAWS_PID 2>/dev/null"; then
	ok "claws-mail exited ($(since "$T1")s)"
	CLAWS_PID=
else
	bad "claws-mail did not exit"
fi
grep -q 'plugin_done' "$LOG" && ok "plugin_done called" || bad "plugin_done not called"
if grep -E 'rcptguard(-claws)?-(CRITICAL|WARNING)|Gtk-CRITICAL|SIGSEGV|Segmentation' "$LOG"; then bad "criticals or warnings from the plugin"; else ok "no criticals from the plugin"; fi
echo "# total $(since "$T_START")s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
