# SPDX-License-Identifier: LGPL-2.1-or-later
# What every end-to-end script does the same way (sourced, not run): skip, the ok/FAIL lines
# and their counts, timings, and polling for a condition.
# shellcheck shell=bash

skip() {
	echo "SKIP: $*"
	exit 77
}

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

# RG_E2E_TIMEOUT_MULTIPLIER (the asan test setup sets it: a mail client with libasan
# preloaded and full allocation stacks is several times slower) stretches every time limit
# of poll() and every pause(); 1 otherwise
RG_E2E_MULT=${RG_E2E_TIMEOUT_MULTIPLIER:-1}
scaled() { awk -v t="$1" -v m="$RG_E2E_MULT" 'BEGIN { printf "%g", t * m }'; }
# sleeps SECONDS times the multiplier: a moment given to the client before a check that
# something did not happen
pause() { sleep "$(scaled "$1")"; }

# retries a command every 0.1 s until it succeeds or TIMEOUT seconds (times the
# multiplier) have passed
poll() {
	local timeout=$1 end
	shift
	# %.0f, not %d: mawk caps %d at 2^31 - 1, which made every timeout 2.1 s
	end=$(($(now) + $(awk -v t="$timeout" -v m="$RG_E2E_MULT" 'BEGIN { printf "%.0f", t * m * 1e9 }')))
	while :; do
		"$@" && return 0
		[ "$(now)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
