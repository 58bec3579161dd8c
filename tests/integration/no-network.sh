#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# No front end opens a network socket: the CLI's check, every import (notmuch, mbox, Maildir),
# rcptguard-sendmail and, when built, rcptguard-milter on a protocol scenario each run under
# `strace -f`; any AF_INET/AF_INET6 socket fails the test, and so does a connect() anywhere
# but to a local (AF_UNIX) socket in the test's own directory or the system's logger and name
# service. The milter's own listener (bind/listen on its AF_UNIX socket) is allowed. The
# check also reads nothing of the real user's: every file it opens is a system file or under
# the test's own HOME/XDG directories (set by tests/meson.build).
# When the dialog is built (RG_NO_NETWORK_DIALOG=1), `rcptguard check --dialog` runs under
# `strace -f` on an Xvfb display of its own (xvfb-run, as the ui tests) and xdotool answers
# it: the CLI and rcptguard-dialog may connect to the X server's AF_UNIX socket and, if
# there is one, the session or system D-Bus (GTK asks it for settings); nothing else.
#   no-network.sh [MILTER RUN-MILTERTEST SCENARIO.lua]
set -eu

# (internal) inside xvfb-run: the traced dialog, answered with Esc ("Edit Message")
#   no-network.sh --dialog-in-x LOG OUT ERR CLI-ARGS...
if [ "${1:-}" = --dialog-in-x ]; then
	log=$2 out=$3 err=$4
	shift 4
	timeout 60 strace -f -qq -o "$log" -e trace=%network,execve "$RG_CLI" check --dialog "$@" \
		>"$out" 2>"$err" </dev/null &
	pid=$!
	win=$(timeout 40 xdotool search --sync --onlyvisible --name '^Check Recipients$' | head -n1) ||
		{ kill "$pid"; echo "the dialog window did not appear: $(cat "$err")" >&2; exit 3; }
	xdotool windowfocus --sync "$win"
	sleep 0.3
	xdotool key --clearmodifiers Escape
	rc=0
	wait "$pid" || rc=$?
	exit "$rc"
fi
cli=$RG_CLI
sendmail=$RG_SENDMAIL
data=$RG_TEST_DATA
if ! command -v strace >/dev/null 2>&1; then
	echo "strace is missing"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/strace.log
failed=0
passed=0

# LeakSanitizer cannot run under ptrace
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS

# traced NAME WANT_STATUS COMMAND...: runs COMMAND under strace, checks the sockets
traced() {
	name=$1 want=$2
	shift 2
	rc=0
	strace -f -qq -o "$log" -e trace=%network,openat,open,stat,access "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: exit status $rc, want $want: $(tail -3 "$tmp/err")"
		failed=$((failed + 1))
		return 0
	fi
	if grep -E 'socket\((AF_INET|AF_INET6|AF_PACKET)' "$log"; then
		echo "FAIL: $name opened a network socket"
		failed=$((failed + 1))
		return 0
	fi
	# every connect() goes to a local socket the test knows
	bad=$(grep -E 'connect\(' "$log" | grep -vE "sa_family=AF_UNIX, sun_path=\"($tmp/|/dev/log|/run/systemd/journal/|/var/run/nscd/|/run/nscd/|/run/systemd/userdb/)" || true)
	if [ -n "$bad" ]; then
		echo "FAIL: $name connected elsewhere:"
		echo "$bad"
		failed=$((failed + 1))
		return 0
	fi
	echo "ok: $name"
	passed=$((passed + 1))
}

# --- the check, and the files it reads -----------------------------------------------------
traced "check" 1 "$cli" check --known "$data/known-army.txt" gen.smith@army.ml x@аrmy.mil \
	someone@example.org
# files opened outside the system directories, the build tree and the test data
strange=$(grep -oE '"(/[^"]*)"' "$log" | tr -d '"' | sort -u |
	grep -vE '^/(usr|lib|lib64|etc|proc|sys|dev|tmp|run|var/lib/locales|var/cache/fontconfig)(/|$)' |
	grep -vF "$HOME" | grep -vF "$(dirname "$(dirname "$data")")" | grep -vF "$(dirname "$cli")" | grep -vF "$(dirname "$(dirname "$(dirname "$cli")")")" || true)
if [ -n "$strange" ]; then
	echo "FAIL: the CLI looked at files outside its sandbox:"; echo "$strange"
	failed=$((failed + 1))
fi

# --- the imports: a notmuch database, an mbox file, a Maildir folder -------------------------
export XDG_DATA_HOME="$tmp/data"
mkdir -p "$tmp/mail"
cp -r "$data/history-mail/INBOX" "$data/history-mail/Sent" "$tmp/mail/"
for box in INBOX Sent; do mkdir -p "$tmp/mail/$box/new" "$tmp/mail/$box/tmp"; done
if command -v notmuch >/dev/null 2>&1; then
	printf '[database]\npath=%s\n[user]\nprimary_email=me@example.mil\n' "$tmp/mail" >"$tmp/nm"
	NOTMUCH_CONFIG=$tmp/nm notmuch new --quiet
	traced "import --notmuch" 0 "$cli" history import --notmuch "$tmp/mail"
	traced "check --notmuch" 0 "$cli" check --notmuch "$tmp/mail" alice@army.mil
elif [ -n "${CI:-}" ]; then
	echo "FAIL: notmuch is missing (build-aux/packages-test.txt)"; failed=$((failed + 1))
else
	echo "SKIP: notmuch is missing, its import is not traced" >&2
fi
for f in "$tmp/mail/INBOX/cur/"*; do
	printf 'From someone@example.org Mon Jan  1 10:00:00 2024\n'
	sed 's/^From />From /' "$f"
	printf '\n'
done >"$tmp/Inbox.mbox"
traced "import --mbox" 0 "$cli" history import --mbox "$tmp/Inbox.mbox"
traced "import --maildir" 0 "$cli" history import --maildir "$tmp/mail/Sent" \
	--identity me@example.mil

# --- rcptguard-sendmail, with a transport that only keeps the message ----------------------
printf '#!/bin/sh\ncat >"%s/sent.eml"\n' "$tmp" >"$tmp/transport"
chmod 755 "$tmp/transport"
printf 'From: me@example.org\nTo: maintainer@debian.org\nSubject: hi\n\nhello\n' >"$tmp/msg"
rc=0
strace -f -qq -o "$log" -e trace=%network "$sendmail" --sendmail "$tmp/transport" -t -oi \
	<"$tmp/msg" >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ "$rc" != 0 ] || ! [ -s "$tmp/sent.eml" ]; then
	echo "FAIL: sendmail: exit status $rc, message passed on: $(test -s "$tmp/sent.eml" && echo yes || echo no); $(tail -3 "$tmp/err")"
	failed=$((failed + 1))
elif grep -E 'socket\((AF_INET|AF_INET6|AF_PACKET)' "$log" ||
	grep -E 'connect\(' "$log" | grep -vqE "sa_family=AF_UNIX, sun_path=\"($tmp/|/dev/log|/run/systemd/journal/|/var/run/nscd/|/run/nscd/|/run/systemd/userdb/)"; then
	echo "FAIL: sendmail used the network:"; grep -E 'socket\(|connect\(' "$log"
	failed=$((failed + 1))
else
	echo "ok: sendmail"
	passed=$((passed + 1))
fi

# --- rcptguard-milter on a protocol scenario: it listens, it connects nowhere ---------------
if [ $# -ge 3 ]; then
	# the scenario's own directory (socket, policy, store) under $tmp
	chmod 755 "$tmp"
	TMPDIR=$tmp traced "milter" 0 "$2" "$1" "$3"
	if ! grep -qE 'bind\([0-9]+, \{sa_family=AF_UNIX' "$log"; then
		echo "FAIL: milter: its listener was not seen (the trace missed the milter)"
		failed=$((failed + 1))
	fi
fi

# --- rcptguard check --dialog: the CLI and rcptguard-dialog, on an X display of its own ------
if [ "${RG_NO_NETWORK_DIALOG:-0}" = 1 ]; then
	if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v xdotool >/dev/null 2>&1; then
		if [ -n "${CI:-}" ]; then
			echo "FAIL: xvfb-run or xdotool is missing (build-aux/packages-test.txt)"
			failed=$((failed + 1))
		else
			echo "SKIP: xvfb-run or xdotool is missing, the dialog is not traced" >&2
		fi
	else
		rc=0
		env -u DISPLAY NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11 \
			xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" "$0" --dialog-in-x "$log" \
			"$tmp/out" "$tmp/err" --known "$data/known-army.txt" gen.smith@army.ml \
			j.doe@army.mil >"$tmp/xout" 2>&1 </dev/null || rc=$?
		# the X server's socket: /tmp/.X11-unix/X<n>, abstract (@) or on disk; D-Bus: the
		# session bus of $XDG_RUNTIME_DIR or a test's own, the system bus
		allowed="sa_family=AF_UNIX, sun_path=@?\"(/tmp/\\.X11-unix/X[0-9]+|$tmp/|/run/user/[0-9]+/bus|/run/dbus/system_bus_socket|/var/run/dbus/system_bus_socket|/dev/log|/run/systemd/journal/|/var/run/nscd/|/run/nscd/|/run/systemd/userdb/)"
		if [ "$rc" != 1 ] || ! grep -q '"decision":"edit"' "$tmp/out"; then
			echo "FAIL: dialog: exit status $rc, want 1 (Esc): $(cat "$tmp/out" "$tmp/err" "$tmp/xout")"
			failed=$((failed + 1))
		elif ! grep -qE 'execve\("[^"]*/rcptguard-dialog"' "$log" ||
			! grep -qE 'connect\([0-9]+, \{sa_family=AF_UNIX, sun_path=@?"/tmp/\.X11-unix/X' "$log"; then
			echo "FAIL: dialog: the trace did not see rcptguard-dialog connect to the display"
			failed=$((failed + 1))
		elif grep -E 'socket\((AF_INET|AF_INET6|AF_PACKET)' "$log"; then
			echo "FAIL: dialog opened a network socket"
			failed=$((failed + 1))
		elif grep -E 'connect\(' "$log" | grep -vE "$allowed"; then
			echo "FAIL: dialog connected elsewhere (above)"
			failed=$((failed + 1))
		else
			echo "ok: dialog, connected only to: $(grep -oE 'connect\([0-9]+, \{sa_family=AF_UNIX, sun_path=[^}]*' "$log" |
				sed 's/.*sun_path=//' | sort -u | tr '\n' ' ')"
			passed=$((passed + 1))
		fi
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
