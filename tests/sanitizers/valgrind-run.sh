#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The wrapper of `meson test --setup valgrind`: memcheck on our programs (the ELF files of
# the build tree, BUILD_ROOT), never on the system's (bash, dash, groff, Xvfb, xdotool),
# whose leaks are not ours.
# - A test that is a program of the build tree runs under memcheck; the programs of the
#   build tree it starts are traced too (--trace-children, /usr/* and the like skipped).
#   Each process writes its messages to a log file of its own (--log-file=…/vg.%p.log),
#   never to its stderr: a test that compares a child's stderr (the sendmail wrapper's)
#   sees only the program's own output, not valgrind's warnings ("unhandled syscall").
# - A test that is a system program or a script (xvfb-run, a shell script) runs as it is, but
#   each of its arguments that is an ELF file of the build tree is replaced by a small script
#   that runs it under memcheck: the ui suite's xvfb-run TEST-PROGRAM and SCRIPT CLI reach
#   the real programs, and the CLI's exec of rcptguard-dialog is traced.
# Either way the test fails when any log reports an error or a definite leak (the logs are
# read here: a test or a script may well ignore a child's exit status), and each process's
# figures are printed.
#   valgrind-run.sh BUILD_ROOT VALGRIND_COMMAND... -- TEST_COMMAND...
build=$(readlink -f "$1")
shift
vg=
while [ "$1" != -- ]; do vg="$vg $1"; shift; done
shift

# GSlice off and freed memory cleared, so memcheck sees GLib's blocks; the check framework's
# per-test timeouts stretched as meson's are (timeout_multiplier), and the scripts' own
# (RG_TIMEOUT_MULTIPLIER, e.g. how long to wait for a window)
export G_SLICE=always-malloc G_DEBUG=fatal-criticals,gc-friendly CK_TIMEOUT_MULTIPLIER=10 \
	RG_TIMEOUT_MULTIPLIER=10

# ours PATH: a program of the build tree (an executable ELF file, not a shared library that a
# script such as check-exports.sh inspects)
ours() {
	case $(readlink -f -- "$1") in
	*.so | *.so.*) return 1 ;;
	"$build"/*) [ -f "$1" ] && [ -x "$1" ] &&
		[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] ;;
	*) return 1 ;;
	esac
}

# a test that runs memcheck itself (sanitizers-catch) or traces its programs with strace
# (no-network) has its arguments as they are
if ! ours "$1" && [ -n "${RG_VALGRIND_ARGS_AS_IS:-}" ]; then
	exec "$@"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/logs"
# the logs carry the summary lines that --quiet would drop
# shellcheck disable=SC2086
vg_logged=$(printf '%s\n' $vg | grep -vx -- '--quiet' | tr '\n' ' ')
rc=0
wrapped=0
if ours "$1"; then
	# one log a process: %p gives a forked or spawned child a file of its own (a process that
	# execs in place starts its file again; only `rcptguard check --dialog` does, which the
	# ui suite runs through a script, below)
	# shellcheck disable=SC2086
	$vg_logged --log-file="$tmp/logs/vg.%p.log" "$@" || rc=$?
	wrapped=1
	set --
fi
n=0
for arg in "$@"; do
	if [ "$n" -gt 0 ] && ours "$arg"; then
		wrapped=$((wrapped + 1))
		mkdir "$tmp/$n"
		w=$tmp/$n/$(basename "$arg")
		# one log a run, opened for appending: the CLI's part stays in it when it execs the
		# dialog (a --log-file would start again after the exec)
		# shellcheck disable=SC2016
		printf '#!/bin/sh\nexec 9>>"$(mktemp %s/XXXXXX.log)"\nexec %s --log-fd=9 %s "$@"\n' \
			"$tmp/logs" "$vg_logged" "$(readlink -f -- "$arg")" >"$w"
		chmod 755 "$w"
		arg=$w
	fi
	n=$((n + 1))
	set -- "$@" "$arg"
done
if [ $# -gt 0 ]; then
	# the rewritten command is the second half of "$@"
	shift "$n"
	"$@" || rc=$?
fi

bad=0
for log in "$tmp"/logs/*.log; do
	[ -f "$log" ] || continue
	for pid in $(sed -n 's/^==\([0-9]*\)== Command: .*/\1/p' "$log" | sort -u); do
		# the program's name and its arguments
		cmd=$(sed -n "s/^==$pid== Command: //p" "$log" | tail -n1)
		prog=${cmd%% *}
		cmd=${prog##*/}${cmd#"$prog"}
		errors=$(sed -n "s/^==$pid== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p" "$log" | tail -n1)
		definite=$(sed -n "s/^==$pid==  *definitely lost: \([0-9,]*\) bytes.*/\1/p" "$log" | tail -n1)
		if [ -n "$errors" ]; then
			echo "valgrind: $cmd (pid $pid): $errors errors, ${definite:-0} bytes definitely lost"
		else
			echo "valgrind: $cmd (pid $pid): no summary (it exec'd a system program, or was killed)"
		fi
	done
	# every error, also one before an exec, which the summary after it does not count
	if grep -qE '^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function|[0-9,]+ (\([0-9,]+ direct, [0-9,]+ indirect\) )?bytes in [0-9,]+ blocks are definitely lost)' "$log" ||
		grep -qE '^==[0-9]+== ERROR SUMMARY: [1-9]' "$log"; then
		bad=1
		cat "$log"
	fi
done
if [ "$rc" = 0 ] && [ "$wrapped" -gt 0 ] && ! ls "$tmp"/logs/*.log >/dev/null 2>&1; then
	echo "valgrind: no program of the build tree ran under memcheck" >&2
	bad=1
fi
if [ "$rc" = 0 ] && [ "$bad" = 1 ]; then
	rc=1
fi
exit "$rc"
