#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The test setups can fail: each one, run on canary.c's deliberate leak and overflow, fails,
# and passes the clean run. Arguments: the canary, then "valgrind CMD..." (the setup's
# valgrind command line) and, in an ASan build, "asan CMD..." (the setup's wrapper).
set -u
canary=$1
shift
fail=0
expect() { # WANT(pass|fail) NAME CMD...
	local want=$1 name=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if { [ "$want" = pass ] && [ $rc = 0 ]; } || { [ "$want" = fail ] && [ $rc != 0 ]; }; then
		echo "ok   $name: exit $rc"
	else
		echo "FAIL $name: exit $rc, want $want"
		echo "$out" | tail -30
		fail=1
	fi
	LAST=$out
}
has() { # NAME PATTERN: the last run's output says PATTERN
	if grep -qE "$2" <<<"$LAST"; then echo "ok   $1"; else echo "FAIL $1: no /$2/ in the output"; fail=1; fi
}

ran=0
while [ $# -gt 0 ]; do
	setup=$1
	shift
	cmd=()
	while [ $# -gt 0 ] && [ "$1" != valgrind ] && [ "$1" != valgrind-script ] &&
		[ "$1" != asan ]; do cmd+=("$1"); shift; done
	ran=$((ran + 1))
	case $setup in
	valgrind)
		expect pass "valgrind: clean" "${cmd[@]}" "$canary" clean
		expect fail "valgrind: leak" "${cmd[@]}" "$canary" leak
		has "valgrind: the leak is definite" '16 bytes in 1 blocks are definitely lost'
		has "valgrind: the leak is in main" 'by 0x[0-9A-F]+: main \(canary\.c:'
		expect fail "valgrind: overflow" "${cmd[@]}" "$canary" overflow
		has "valgrind: the overflow is an invalid read" 'Invalid read of size 1'
		;;
	valgrind-script)
		# shellcheck disable=SC2016
		script=(/bin/sh -c '"$0" "$1" || true' "$canary")
		# the outer setup's own opt-out (meson.build) is not this run's
		cmd=(env -u RG_VALGRIND_ARGS_AS_IS "${cmd[@]}")
		expect pass "valgrind-run.sh, through a script: clean" "${cmd[@]}" "${script[@]}" clean
		has "valgrind-run.sh: the canary ran under memcheck" 'valgrind: sanitizer-canary .*: 0 errors'
		expect fail "valgrind-run.sh, through a script: leak" "${cmd[@]}" "${script[@]}" leak
		has "valgrind-run.sh: the leak is definite" '16 bytes in 1 blocks are definitely lost'
		expect fail "valgrind-run.sh, through a script: overflow" "${cmd[@]}" "${script[@]}" overflow
		has "valgrind-run.sh: the overflow is an invalid read" 'Invalid read of size 1'
		# a test that is our program, and a program it starts (the canary's "spawn"), whose
		# stderr must stay its own and whose exit status the test ignores
		expect pass "valgrind-run.sh, a program: clean" "${cmd[@]}" "$canary" clean
		has "valgrind-run.sh: the program ran under memcheck" 'valgrind: sanitizer-canary .*: 0 errors'
		expect fail "valgrind-run.sh, a program: leak" "${cmd[@]}" "$canary" leak
		has "valgrind-run.sh, a program: the leak is definite" '16 bytes in 1 blocks are definitely lost'
		expect pass "valgrind-run.sh, a child: clean" "${cmd[@]}" "$canary" spawn clean
		has "valgrind-run.sh: the child ran under memcheck" 'valgrind: sanitizer-canary clean \(pid [0-9]+\): 0 errors'
		expect fail "valgrind-run.sh, a child: leak" "${cmd[@]}" "$canary" spawn leak
		has "valgrind-run.sh, a child: its stderr is its own" "the child's stderr is empty"
		has "valgrind-run.sh, a child: the leak is definite" '16 bytes in 1 blocks are definitely lost'
		expect fail "valgrind-run.sh, a child: overflow" "${cmd[@]}" "$canary" spawn overflow
		has "valgrind-run.sh, a child: its stderr is its own" "the child's stderr is empty"
		has "valgrind-run.sh, a child: the overflow is an invalid read" 'Invalid read of size 1'
		;;
	asan)
		# the outer setup's own log_path would take the reports: this wrapper sets its own
		expect pass "asan: clean" "${cmd[@]}" "$canary" clean
		expect fail "asan: leak" env ASAN_OPTIONS=detect_leaks=1 "${cmd[@]}" "$canary" leak
		has "asan: LeakSanitizer found the leak" 'Direct leak of 16 byte'
		has "asan: the leak is in main" 'in main .*canary\.c:'
		# a leak in a callback of ours that a main loop dispatched is ours (asan-run.py), even
		# where a suppression of the clients' leaks matches the loop's own frames
		supp=$(mktemp)
		echo 'leak:g_main_context_dispatch' >"$supp"
		loop_cmd=()
		prev=
		for a in "${cmd[@]}"; do
			[ "$prev" = --client-supp ] && loop_cmd+=("$supp") || loop_cmd+=("$a")
			prev=$a
		done
		expect fail "asan: leak in a dispatched callback" env ASAN_OPTIONS=detect_leaks=1 "${loop_cmd[@]}" "$canary" loop-leak
		rm -f "$supp"
		has "asan: the leak is in the callback" 'in lose_a_block_cb .*canary\.c:'
		expect pass "asan-run.py: whose a leak is (its own test)" "${cmd[0]}" "${cmd[1]}" --self-test
		expect fail "asan: overflow" "${cmd[@]}" "$canary" overflow
		has "asan: heap-buffer-overflow" 'heap-buffer-overflow'
		;;
	esac
done
[ $ran -gt 0 ] || { echo "SKIP: neither valgrind nor an ASan build"; exit 77; }
exit $fail
