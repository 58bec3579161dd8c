# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the Claws Mail end-to-end scripts (sourced, not run): checks for the programs,
# builds a hermetic world (Xvfb, a loopback SMTP sink, a throwaway Claws config dir with the
# plugin, HOME and XDG dirs, a history and a policy dir), starts claws-mail, and provides the
# helpers the scenarios use. Needs PLUGIN_ARG set to the plugin path and RG_CLI to the CLI.
# With RG_E2E_INSTALLED=1 both are the installed ones instead (from meson: the plugin in
# Claws' plugin directory, the CLI in bindir), as a user who installed the packages has them.
# E2E_NO_HISTORY=1 leaves the known correspondents out (a fresh profile).
# shellcheck shell=bash
set -u

HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=../installed.sh
. "$HERE/../installed.sh"
if rg_e2e_installed; then
	PLUGIN_ARG=${RG_E2E_INSTALLED_PLUGIN:?run through meson}
	RG_CLI=${RG_E2E_INSTALLED_CLI:?run through meson}
	# meson test points it at the build tree's libraries
	unset LD_LIBRARY_PATH
fi
PLUGIN=$(readlink -f "$PLUGIN_ARG")
PY=/usr/bin/python3 # the system Python, which has aiosmtpd, whatever is first in PATH

# shellcheck source=../report.sh
. "$HERE/../report.sh"
for prog in claws-mail Xvfb xdotool; do
	command -v "$prog" >/dev/null || skip "$prog is not installed"
done
[ -x "$PY" ] && "$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed"
[ -f "$PLUGIN" ] || {
	echo "FAIL: plugin $PLUGIN_ARG not found"
	exit 1
}

ROOT=$(mktemp -d -t rg-claws-e2e.XXXXXX)

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

# our own X server on a display nobody uses (../xvfb.sh)
# shellcheck source=../xvfb.sh
. "$HERE/../xvfb.sh"
rg_start_xvfb "$ROOT/xvfb.log" || {
	echo "FAIL: Xvfb did not start: $(tail -3 "$ROOT/xvfb.log")"
	exit 1
}
export DISPLAY=$XVFB_DISPLAY

"$PY" "$HERE/sink.py" "$ROOT/port" "$ROOT/sink.jsonl" >"$ROOT/sink.log" 2>&1 &
SINK_PID=$!
poll 10 test -s "$ROOT/port" || {
	echo "FAIL: SMTP sink did not start"
	exit 1
}
PORT=$(cat "$ROOT/port")

# the user's history: colleagues at army.mil and elsewhere. Every scenario that lets a .ml
# address through uses a domain of its own, since what is sent is remembered.
cat >"$ROOT/known.txt" <<EOF
gen.smith@army.mil
j.doe@army.mil
k.lee@army.mil
m.ortiz@navy.mil
p.jones@marines.mil
r.roe@usmc.mil
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
# a local spool account: "Get Mail" reads $ROOT/spool, and the filter rule below redirects
# what it finds, which is how Claws sends without a window (a batch send)
cat >>"$ROOT/cfg/accountrc" <<EOF

[Account: 2]
account_name=Spool
is_default=0
name=Test Sender
address=sender@example.test
protocol=3
local_mbox=$ROOT/spool
use_mail_command=0
smtp_server=127.0.0.1
set_smtpport=1
smtp_port=$PORT
filter_on_receive=1
receive_at_get_all=1
config_version=4
EOF
cat >"$ROOT/cfg/matcherrc" <<EOF
[preglobal]

[postglobal]

[filtering]
enabled rulename "e2e redirect" all redirect 1 "m.ortiz@navy.ml"

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
EOF
# a fresh profile (E2E_NO_HISTORY=1) has no known correspondents at all: what the plugin
# reads from the Sent folder and the address book, if anything, is the history
[ "${E2E_NO_HISTORY:-0}" = 1 ] || echo "known_file=$ROOT/known.txt" >>"$ROOT/cfg/clawsrc"

export HOME="$ROOT/home" XDG_RUNTIME_DIR="$ROOT/run"
export XDG_CONFIG_HOME="$ROOT/home/.config" XDG_DATA_HOME="$ROOT/home/.local/share"
export XDG_CACHE_HOME="$ROOT/home/.cache" XDG_STATE_HOME="$ROOT/home/.local/state"
export XDG_CONFIG_DIRS="$ROOT/etc-xdg" NOTMUCH_CONFIG="$ROOT/notmuch-config" # none until a scenario writes it
export LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=
export G_MESSAGES_DEBUG=rcptguard-claws
unset SESSION_MANAGER G_DEBUG
if [ "${E2E_ATSPI:-0}" = 1 ]; then
	# run inside dbus-run-session: the accessibility bus is activated on this private bus
	unset NO_AT_BRIDGE
else
	export NO_AT_BRIDGE=1
	unset DBUS_SESSION_BUS_ADDRESS
fi
CLAWS=("${RG_CLIENT_ENV[@]}" claws-mail --alternate-config-dir "$ROOT/cfg")
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

# our warning dialog, by the title librcptguard-ui gives it (LANG=C), and its question before
# trusting a look-alike of a protected or well-known domain
DIALOG_TITLE='^Check Recipients$'
TRUST_TITLE='^Trust Look-alike\?$'
find_dialog() { find_win "$DIALOG_TITLE"; }
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
# Ctrl+W closes a compose window, but in the main window it means "Work offline": a key
# meant for a compose window that has just closed by itself after a send would switch Claws
# offline. So give a sending window time to go, and press the key only while the compose
# window itself has the focus.
close_compose() {
	local q
	poll 1.5 win_gone "$1" && return 0
	xdotool windowfocus --sync "$1" 2>/dev/null || return 0
	if [ "$(xdotool getwindowfocus 2>/dev/null)" != "$1" ]; then
		poll 2 win_gone "$1" || bad "could not focus compose window $1 to close it"
		return 0
	fi
	xdotool key --clearmodifiers ctrl+w
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
	pause 1.5
	if sink_has "$2"; then bad "$1: delivered ($(sink_get "$2"))"; else ok "$1: nothing delivered"; fi
}
hook_said() { tail -n "+$1" "$LOG" | grep -q "hook returns $2"; }
log_mark() { echo $(($(wc -l <"$LOG") + 1)); }
timing() { echo "# timing $1: $(since "$2")s"; }
want() { case " ${E2E_ONLY:-$1} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- start Claws ----------------------------------------------------------------------
# a script may prepare the profile further before Claws first starts
if declare -F before_start >/dev/null; then before_start; fi
start_claws() {
	T0=$(now)
	"${CLAWS[@]}" >>"$LOG" 2>&1 &
	CLAWS_PID=$!
	if MAIN=$(wait_win ' - Claws Mail [0-9.]+$' 30); then ok "claws-mail main window up ($(since "$T0")s)"; else
		bad "claws-mail main window did not appear (DISPLAY=$DISPLAY; $(rg_xvfb_state))"
		grep -v 'Negative content width' "$LOG" | tail -20
		tail -5 "$ROOT/xvfb.log"
		exit 1
	fi
	grep -q 'plugin_init ok' "$LOG" && ok "plugin loaded from clawsrc" || bad "plugin not loaded: $(grep -i plugin "$LOG" | head -3)"
	if why=$(rg_e2e_loaded_from "$CLAWS_PID" "$PLUGIN"); then ok "$why"; else bad "$why"; fi
	if W=$(wait_win '^(Error|Warning)$' 0.5); then bad "unexpected startup dialog: $(xdotool getwindowname "$W")"; fi
}
# asks Claws to quit and waits for it; FALSE when it did not
stop_claws() {
	local t
	t=$(now)
	"${CLAWS[@]}" --exit >>"$ROOT/remote.log" 2>&1
	if poll 15 bash -c "! kill -0 $CLAWS_PID 2>/dev/null"; then
		ok "claws-mail exited ($(since "$t")s)"
		CLAWS_PID=
		return 0
	fi
	bad "claws-mail did not exit"
	# where it hangs, for the CI log
	command -v gdb >/dev/null &&
		gdb -p "$CLAWS_PID" -batch -ex 'thread apply all bt 25' 2>/dev/null |
		grep -E '^(Thread|#)' | head -120
	return 1
}
: >"$LOG"
start_claws

# --- shut down, report, and give the exit status ----------------------------------------
finish() {
	if W=$(find_win '^(Error|Warning)$'); then bad "a Claws error is showing: $(xdotool getwindowname "$W")"; fi
	stop_claws
	grep -q 'plugin_done' "$LOG" && ok "plugin_done called" || bad "plugin_done not called"
	# a stray Ctrl+W in the main window switches Claws offline (see close_compose)
	if grep -q '^work_offline=1' "$ROOT/cfg/clawsrc"; then bad "Claws was switched offline"; fi
	if grep -E "${CRIT_RE:-rcptguard(-claws)?-(CRITICAL|WARNING)|Gtk-CRITICAL|SIGSEGV|Segmentation}" "$LOG"; then bad "criticals or warnings from the plugin"; else ok "no criticals from the plugin"; fi
	if [ "$FAIL" != 0 ]; then
		echo "# the end of Claws' log:"
		grep -v -E 'Negative content width|^$|fopen|signature file' "$LOG" | tail -25 | sed 's/^/#   /'
	fi
	echo "# total $(since "$T_START")s"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
}
