#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rcptguard-sendmail under the real terminal mail clients: mutt and neomutt driven in tmux,
# git send-email, each delivering through msmtp to a loopback SMTP sink; and the dialog
# path once under Xvfb. The world is hermetic: HOME, XDG dirs, a system policy that
# protects army.mil, a history that knows friend@example.net.
#   run-e2e.sh RCPTGUARD-SENDMAIL RCPTGUARD SINK.PY
set -u
SENDMAIL=$(readlink -f "$1")
CLI=$(readlink -f "$2")
SINK=$(readlink -f "$3")
PY=/usr/bin/python3

HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=../report.sh
. "$HERE/../report.sh"
for prog in mutt neomutt msmtp tmux git; do
	command -v "$prog" >/dev/null || skip "$prog is not installed"
done
[ -x "$(git --exec-path)/git-send-email" ] || skip "git send-email (git-email) is not installed"
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed"

ROOT=$(mktemp -d -t rg-term-e2e.XXXXXX)
TMUX_SOCK=$ROOT/tmux.sock
tm() { tmux -S "$TMUX_SOCK" "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	[ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null
	wait 2>/dev/null
	if [ "${E2E_KEEP:-0}" = 1 ] || [ "$FAIL" != 0 ]; then
		echo "# artifacts kept in $ROOT"
	else
		rm -rf "$ROOT"
	fi
}
trap cleanup EXIT

# --- the world -----------------------------------------------------------------------------
export HOME=$ROOT/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
export XDG_CONFIG_DIRS=$ROOT/etc-xdg NOTMUCH_CONFIG=$ROOT/no-notmuch-config
export LC_ALL=C.UTF-8 LANGUAGE= TERM=xterm-256color
unset RCPTGUARD_TTY
DISPLAY_SAVED=${DISPLAY:-}
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$HOME" "$XDG_CONFIG_DIRS/rcptguard" "$ROOT/Mail"
printf '[policy]\nprotected-domains=army.mil\n' >"$XDG_CONFIG_DIRS/rcptguard/policy.conf"
# known from mail really sent (a known file), not from a send rcptguard recorded: that vouches
# for nothing against the user's own example.org (docs/checks.md, evidence)
echo friend@example.net >"$ROOT/known.txt"
"$CLI" history import --known "$ROOT/known.txt" >/dev/null || bad "rcptguard history import failed"

"$PY" "$SINK" "$ROOT/port" "$ROOT/sink.jsonl" 2>"$ROOT/sink.log" &
SINK_PID=$!
poll 10 test -s "$ROOT/port" || {
	bad "the SMTP sink did not start: $(cat "$ROOT/sink.log")"
	exit 1
}
PORT=$(cat "$ROOT/port")
cat >"$ROOT/msmtprc" <<MSMTP
defaults
auth off
tls off
logfile $ROOT/msmtp.log
account default
host 127.0.0.1
port $PORT
from me@example.org
MSMTP
chmod 600 "$ROOT/msmtprc"
TRANSPORT="msmtp -C $ROOT/msmtprc"
printf 'The orders for Monday.\n' >"$ROOT/body.txt"

# the messages the sink got so far
n_sink() { [ -f "$ROOT/sink.jsonl" ] && wc -l <"$ROOT/sink.jsonl" || echo 0; }
sink_grew() { [ "$(n_sink)" -gt "$1" ]; }
# one member of the sink's last message (rcpt_tos joined with ",", or the data)
sink_last() {
	"$PY" - "$ROOT/sink.jsonl" "$1" <<'PYEOF'
import json, sys
last = [json.loads(l) for l in open(sys.argv[1])][-1]
v = last[sys.argv[2]]
print(",".join(v) if isinstance(v, list) else v, end="")
PYEOF
}

screen() { tm capture-pane -p -J -t rg 2>/dev/null; }
screen_has() { screen | grep -qF -- "$1"; }
wait_screen() { poll "${2:-15}" screen_has "$1"; }

# A session that outlives every test keeps the tmux server up. Without it, killing the
# session "rg" stops the server (its last session), and the next new-session can reach the
# server while it is still exiting: "server exited unexpectedly", no pane, a failed test
# (seen once in CI, under ASan).
tm -f /dev/null new-session -d -s keep -x 80 -y 24 "sleep 3600" || {
	bad "tmux did not start"
	exit 1
}
# starts CMD (a script) in a fresh tmux session "rg" of 250x50; the pane stays after it ends
start_pane() {
	tm kill-session -t rg 2>/dev/null
	tm new-session -d -s rg -x 250 -y 50 "$1; echo PANE-EXIT=\$?; sleep 600" ||
		bad "tmux new-session failed for $1"
}

# --- mutt and neomutt ----------------------------------------------------------------------
# $sendmail as the docs say; mutt splits it at spaces and rcptguard-sendmail joins the quote
write_muttrc() {
	cat >"$ROOT/muttrc" <<MUTTRC
set sendmail="$SENDMAIL --sendmail '$TRANSPORT'"
set from="Me <me@example.org>"
set use_envelope_from=yes
set record=""
set copy=no
set editor="true"
set abort_unmodified=no
set askcc=no
set askbcc=no
set sleep_time=0
set wait_key=no
set folder="$ROOT/Mail"
set spoolfile="$ROOT/Mail/inbox"
set postponed="$ROOT/Mail/postponed"
MUTTRC
}

# a script that runs CLIENT on a new message to RECIPIENT; TTY=1 exports RCPTGUARD_TTY as a
# shell profile would
mutt_script() {
	local client=$1 rcpt=$2 tty=$3 display=${4:-}
	cat >"$ROOT/run-client.sh" <<SCRIPT
#!/bin/sh
$([ "$tty" = 1 ] && echo 'export RCPTGUARD_TTY=$(tty)')
$([ -n "$display" ] && echo "export DISPLAY=$display")
exec $client -n -F "$ROOT/muttrc" -s orders -i "$ROOT/body.txt" -- '$rcpt'
SCRIPT
	chmod +x "$ROOT/run-client.sh"
	echo "$ROOT/run-client.sh"
}

bottom_line_is_not() { [ "$(screen | grep -v '^ *$' | tail -n1)" != "$1" ]; }

# mutt asks for To: and Subject: (filled in from the command line): Enter takes them; then
# y in the compose menu sends
compose_and_send() {
	local end=$(($(now) + 20000000000)) last
	while [ "$(now)" -lt "$end" ]; do
		if screen_has "y:Send"; then
			tm send-keys -t rg y
			return 0
		fi
		last=$(screen | grep -v '^ *$' | tail -n1)
		case "$last" in
		To:* | Subject:* | Cc:* | Bcc:*)
			tm send-keys -t rg Enter
			# one Enter per prompt: wait until this one has gone
			poll 5 bottom_line_is_not "$last"
			;;
		esac
		sleep 0.3
	done
	bad "$1: no compose menu; screen: $(screen | head -20)"
	return 1
}

write_muttrc
for client in mutt neomutt; do
	# 1. refused: mutt setsid()s its sendmail, no RCPTGUARD_TTY, no display
	t=$(now)
	before=$(n_sink)
	start_pane "$(mutt_script "$client" '"Gen. Smith" <gen.smith@army.ml>' 0)"
	if compose_and_send "$client refused"; then
		if wait_screen "exited 67" 20; then
			ok "$client: sending to gen.smith@army.ml fails with exit 67 (User unknown)"
		else
			bad "$client: no exit-67 error; screen: $(screen | tail -15)"
		fi
		# mutt shows the child's output in a pager: the reason and the fix are in it
		if screen_has "not sent to gen.smith@army.ml" && screen_has "Did you mean gen.smith@army.mil?"; then
			ok "$client: the reason and the fix are shown"
		else
			bad "$client: the refusal text is not shown; screen: $(screen | head -30)"
		fi
		screen_has "y:Send" || tm send-keys -t rg q
		if wait_screen "y:Send" 10; then
			ok "$client: back in the compose menu with the message"
		else
			bad "$client: not back in the compose menu; screen: $(screen | head -20)"
		fi
	fi
	sleep 0.5
	[ "$(n_sink)" = "$before" ] && ok "$client: nothing reached the sink" ||
		bad "$client: a message reached the sink"
	echo "# $client refused: $(since "$t") s"

	# 2. RCPTGUARD_TTY exported: the prompt in the terminal, "send corrected" delivers
	t=$(now)
	before=$(n_sink)
	start_pane "$(mutt_script "$client" '"Gen. Smith" <gen.smith@army.ml>' 1)"
	if compose_and_send "$client prompt"; then
		if wait_screen "Your choice [e]:" 20; then
			screen_has "Did you mean gen.smith@army.mil?" &&
				ok "$client: the prompt shows the reason and the fix in the terminal" ||
				bad "$client: the prompt lacks the fix; screen: $(screen | head -30)"
			tm send-keys -t rg c Enter
			if poll 20 sink_grew "$before"; then
				rcpt=$(sink_last rcpt_tos)
				[ "$rcpt" = gen.smith@army.mil ] && ok "$client: send corrected delivered to $rcpt" ||
					bad "$client: delivered to $rcpt"
				sink_last data | grep -q '^To: "Gen. Smith" <gen.smith@army.mil>' &&
					ok "$client: the To: header is corrected, the display name kept" ||
					bad "$client: To: header: $(sink_last data | grep '^To:')"
			else
				bad "$client: nothing delivered after send corrected; screen: $(screen | tail -15)"
			fi
			wait_screen "PANE-EXIT=0" 10 && ok "$client: sent and exited" ||
				bad "$client: did not exit after sending; screen: $(screen | tail -10)"
		else
			bad "$client: no prompt in the terminal; screen: $(screen | tail -20)"
		fi
	fi
	echo "# $client prompt: $(since "$t") s"

	# 3. a known recipient passes untouched, without a question
	t=$(now)
	before=$(n_sink)
	start_pane "$(mutt_script "$client" 'Friend <friend@example.net>' 1)"
	if compose_and_send "$client known"; then
		if poll 20 sink_grew "$before"; then
			[ "$(sink_last rcpt_tos)" = friend@example.net ] &&
				sink_last data | grep -q '^To: Friend <friend@example.net>' &&
				ok "$client: a known recipient is delivered untouched" ||
				bad "$client: known recipient: $(sink_last rcpt_tos)"
			! screen_has "Your choice" && ok "$client: no question for a known recipient" ||
				bad "$client: asked about a known recipient"
		else
			bad "$client: the known recipient was not delivered; screen: $(screen | tail -15)"
		fi
	fi
	echo "# $client known: $(since "$t") s"
done

# --- git send-email ------------------------------------------------------------------------
git init -q "$ROOT/repo"
(
	cd "$ROOT/repo" || exit 1
	git config user.name Me && git config user.email me@example.org
	echo fix >file.txt && git add file.txt && git commit -qm "Fix the thing"
	git format-patch -q -1 -o "$ROOT/patches"
)
PATCH=$(ls "$ROOT"/patches/*.patch)
git_script() {
	cat >"$ROOT/run-git.sh" <<SCRIPT
#!/bin/sh
cd "$ROOT/repo" && exec git send-email --sendmail-cmd="$SENDMAIL --sendmail '$TRANSPORT'" \
	--from='Me <me@example.org>' --to='$1' --confirm=never --suppress-cc=all "$PATCH"
SCRIPT
	chmod +x "$ROOT/run-git.sh"
	echo "$ROOT/run-git.sh"
}

# 4. in a terminal: the /dev/tty prompt; "e" refuses and git stops
t=$(now)
before=$(n_sink)
start_pane "$(git_script gen.smith@army.ml)"
if wait_screen "Your choice [e]:" 30; then
	screen_has "Did you mean gen.smith@army.mil?" && ok "git send-email: the /dev/tty prompt shows the fix" ||
		bad "git send-email: prompt without the fix; screen: $(screen | head -30)"
	tm send-keys -t rg e Enter
	wait_screen "PANE-EXIT=" 20
	if screen_has "PANE-EXIT=0"; then
		bad "git send-email: exit 0 after edit; screen: $(screen | tail -10)"
	else
		ok "git send-email: refused after edit ($(screen | grep -o 'PANE-EXIT=[0-9]*'))"
	fi
else
	bad "git send-email: no prompt; screen: $(screen | tail -20)"
fi
sleep 0.5
[ "$(n_sink)" = "$before" ] && ok "git send-email: nothing reached the sink" ||
	bad "git send-email: a patch reached the sink"

# 5. no terminal at all: refused, the reason on stderr
rc=0
setsid "$(git_script gen.smith@army.ml)" </dev/null >"$ROOT/git.out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "not sent to gen.smith@army.ml: .*Did you mean gen.smith@army.mil?" "$ROOT/git.out" &&
	ok "git send-email without a terminal: refused (exit $rc), the reason and fix on stderr" ||
	bad "git send-email without a terminal: exit $rc: $(cat "$ROOT/git.out")"
[ "$(n_sink)" = "$before" ] || bad "git send-email without a terminal: a patch reached the sink"

# 6. a known address: delivered, no prompt
start_pane "$(git_script friend@example.net)"
if wait_screen "PANE-EXIT=0" 30 && [ "$(n_sink)" -gt "$before" ]; then
	[ "$(sink_last rcpt_tos)" = friend@example.net ] && sink_last data | grep -q "Subject: \[PATCH\] Fix the thing" &&
		ok "git send-email: the patch to a known address is delivered" ||
		bad "git send-email: delivered $(sink_last rcpt_tos)"
else
	bad "git send-email to a known address; screen: $(screen | tail -15)"
fi
echo "# git send-email: $(since "$t") s"

# --- the dialog, once, under Xvfb -----------------------------------------------------------
t=$(now)
if [ -z "$DISPLAY_SAVED" ]; then
	bad "the dialog path needs a display (the test runs under xvfb-run)"
elif ! command -v xdotool >/dev/null; then
	bad "the dialog path needs xdotool"
else
	before=$(n_sink)
	start_pane "$(mutt_script mutt '"Gen. Smith" <gen.smith@army.ml>' 0 "$DISPLAY_SAVED")"
	if compose_and_send "mutt dialog"; then
		win=$(DISPLAY=$DISPLAY_SAVED timeout 30 xdotool search --sync --onlyvisible --name '^Check Recipients$' | head -n1)
		if [ -n "$win" ]; then
			ok "mutt with a display: the rcptguard dialog opens"
			DISPLAY=$DISPLAY_SAVED xdotool windowfocus --sync "$win"
			sleep 0.3
			# focus starts on the fix: Enter applies it, Enter sends corrected
			for k in Return Return; do
				DISPLAY=$DISPLAY_SAVED xdotool key --clearmodifiers "$k"
				sleep 0.3
			done
			if poll 20 sink_grew "$before"; then
				[ "$(sink_last rcpt_tos)" = gen.smith@army.mil ] &&
					ok "mutt with a display: Send Corrected in the dialog delivers to army.mil" ||
					bad "mutt dialog: delivered to $(sink_last rcpt_tos)"
			else
				bad "mutt dialog: nothing delivered; screen: $(screen | tail -15)"
			fi
		else
			bad "mutt with a display: no dialog; screen: $(screen | tail -15)"
		fi
	fi
fi
echo "# dialog: $(since "$t") s"

echo "# total: $(since "$T_START") s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
