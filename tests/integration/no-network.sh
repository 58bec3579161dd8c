#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The CLI opens no network socket and reads nothing of the real user's: every file it opens is
# a system file or under the test's own HOME/XDG directories (set by tests/meson.build).
set -eu
cli=$RG_CLI
data=$RG_TEST_DATA
if ! command -v strace >/dev/null 2>&1; then
	echo "strace is missing"; exit 77
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# LeakSanitizer cannot run under ptrace
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -o "$log" -e trace=%network,openat,open,stat,access "$cli" check \
	--known "$data/known-army.txt" gen.smith@army.ml x@аrmy.mil someone@example.org >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || { echo "unexpected exit status $rc"; exit 1; }
if grep -E 'socket\(AF_INET|socket\(AF_INET6|connect\(' "$log"; then
	echo "FAIL: the CLI used the network"; exit 1
fi
# files opened outside the system directories, the build tree and the test data
strange=$(grep -oE '"(/[^"]*)"' "$log" | tr -d '"' | sort -u |
	grep -vE '^/(usr|lib|lib64|etc|proc|sys|dev|tmp|run|var/lib/locales|var/cache/fontconfig)(/|$)' |
	grep -vF "$HOME" | grep -vF "$(dirname "$(dirname "$data")")" | grep -vF "$(dirname "$cli")" | grep -vF "$(dirname "$(dirname "$(dirname "$cli")")")" || true)
if [ -n "$strange" ]; then
	echo "FAIL: the CLI looked at files outside its sandbox:"; echo "$strange"; exit 1
fi
echo "1 passed, 0 failed"
