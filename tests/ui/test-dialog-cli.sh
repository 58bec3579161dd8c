#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `rcptguard check --dialog` end to end: the real CLI execs the real helper, the dialog opens
# on the (Xvfb) display and real key presses (xdotool, XTEST) answer it.
#   test-dialog-cli.sh RCPTGUARD
# RCPTGUARD is the build tree's CLI: it must find the build tree's helper without being told.
set -eu
unset RCPTGUARD_DIALOG_HELPER
cli=$1
data=${RG_TEST_DATA:?run through meson}
known=$data/known-army.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# without a dialog to show, no display is needed: notices never interrupt
rc=0
env -u DISPLAY "$cli" check --dialog --known "$known" j.doe@army.mil new@example.org \
	>"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] || fail "notices only: exit $rc, want 0"
grep -q '"decision":"send"' "$tmp/out" || fail "notices only: $(cat "$tmp/out")"

# needs a display but has none: a clear error, status 2
rc=0
env -u DISPLAY "$cli" check --dialog --known "$known" gen.smith@army.ml >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "no display: exit $rc, want 2"
grep -q "display" "$tmp/err" || fail "no display: stderr says $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "no display: stdout not empty"

# log-only: nothing interrupts, the check itself is the one line per flagged recipient
printf '[policy]\nprotected-domains=army.mil\nlog-only=true\ndecision-log=%s\n' "$tmp/lo.log" \
	>"$tmp/lo.conf"
rc=0
env -u DISPLAY "$cli" check --dialog --policy "$tmp/lo.conf" gen.smith@army.ml x@example.org \
	>"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] || fail "log-only: exit $rc, want 0; $(cat "$tmp/err")"
grep -q '"decision":"send"' "$tmp/out" || fail "log-only: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/lo.log")" = 1 ] && grep -q "	log-only	warn	gen.smith@army.ml	" "$tmp/lo.log" ||
	fail "log-only: decision log: $(cat "$tmp/lo.log" 2>&1)"

if [ -z "${DISPLAY:-}" ]; then
	echo "SKIP: no display (run under xvfb-run -a)" >&2
	exit 77
fi
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed" >&2; exit 77; }

# run the dialog, wait for its window, type KEYS into it; sets $rc and $tmp/out
answer() {
	# a dialog that ignores the keys must not hang the suite (longer under valgrind-run.sh)
	timeout $((30 * ${RG_TIMEOUT_MULTIPLIER:-1})) "$cli" check --dialog --known "$known" "$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	win=$(timeout $((20 * ${RG_TIMEOUT_MULTIPLIER:-1})) xdotool search --sync --onlyvisible --name '^Check Recipients$' | head -n1) ||
		{ kill "$pid"; fail "the dialog window did not appear: $(cat "$tmp/err")"; }
	xdotool windowfocus --sync "$win"
	sleep 0.3
	for k in $keys; do
		xdotool key --clearmodifiers "$k"
		sleep 0.3
	done
	rc=0
	wait "$pid" || rc=$?
}

# Esc is "Edit Message": exit 1, nothing replaced
keys="Escape"
answer gen.smith@army.ml j.doe@army.mil
[ "$rc" = 1 ] || fail "Esc: exit $rc, want 1; $(cat "$tmp/err")"
grep -qx '{"decision":"edit","replacements":{},"trusted":\[\]}' "$tmp/out" ||
	fail "Esc: $(cat "$tmp/out")"

# focus starts on the suggested fix: Enter applies it and moves to Send Corrected, Enter sends
keys="Return Return"
answer gen.smith@army.ml j.doe@army.mil
[ "$rc" = 0 ] || fail "Enter Enter: exit $rc, want 0; $(cat "$tmp/err")"
grep -qx '{"decision":"send-corrected","replacements":{"gen.smith@army.ml":"gen.smith@army.mil"},"trusted":\[\]}' \
	"$tmp/out" || fail "Enter Enter: $(cat "$tmp/out")"

# the Send Anyway mnemonic sends as typed
keys="alt+a"
answer bob@yahooo.com
[ "$rc" = 0 ] || fail "Alt+A: exit $rc, want 0; $(cat "$tmp/err")"
grep -qx '{"decision":"send","replacements":{},"trusted":\[\]}' "$tmp/out" ||
	fail "Alt+A: $(cat "$tmp/out")"

# blocked by policy: Alt+A does nothing (insensitive), Esc goes back
keys="alt+a Escape"
answer --policy "$data/policy-mil.conf" gen.smith@army.ml
[ "$rc" = 1 ] || fail "blocked, Alt+A then Esc: exit $rc, want 1; $(cat "$tmp/out")"
# the same block, but the policy allows an override: Alt+A sends as typed
printf '[policy]\nblocked-domains=.ml\nallow-override=true\n' >"$tmp/override.conf"
keys="alt+a"
answer --policy "$tmp/override.conf" gen.smith@army.ml
[ "$rc" = 0 ] || fail "override, Alt+A: exit $rc, want 0; $(cat "$tmp/err")"
grep -qx '{"decision":"send","replacements":{},"trusted":\[\]}' "$tmp/out" ||
	fail "override, Alt+A: $(cat "$tmp/out")"

# the policy's decision log records what was chosen in the dialog, once per flagged recipient
printf '[policy]\nprotected-domains=army.mil\ndecision-log=%s\n' "$tmp/d.log" >"$tmp/log.conf"
keys="Escape"
answer --policy "$tmp/log.conf" gen.smith@army.ml j.doe@army.mil
[ "$rc" = 1 ] || fail "decision log, Esc: exit $rc, want 1; $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/d.log")" = 1 ] && grep -q "	edit	warn	gen.smith@army.ml	" "$tmp/d.log" ||
	fail "decision log, Esc: $(cat "$tmp/d.log" 2>&1)"
keys="alt+a"
answer --policy "$tmp/log.conf" gen.smith@army.ml
[ "$rc" = 0 ] || fail "decision log, Alt+A: exit $rc, want 0; $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/d.log")" = 2 ] && grep -q "	send	warn	gen.smith@army.ml	" "$tmp/d.log" ||
	fail "decision log, Alt+A: $(cat "$tmp/d.log" 2>&1)"
echo "ok: rcptguard check --dialog"
