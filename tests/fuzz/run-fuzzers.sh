#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the libFuzzer targets of a -Dfuzzing=true build one after the other, each for a fixed
# time, from a copy of its committed corpora (README.md). Stops at the first target that
# finds something: the reproducer is in WORKDIR/<target>/, libFuzzer's log beside it.
#
#   tests/fuzz/run-fuzzers.sh BUILDDIR SECONDS [TARGET...]
#
# TARGET is a name such as "address" (fuzz-address); without one, every target of BUILDDIR.
# WORKDIR is $RG_FUZZ_WORKDIR, else a new temporary directory; what a run added to a corpus
# stays in WORKDIR/<target>/corpus (merge it with `-merge=1` to keep it, see README.md).
# For a long campaign (README.md): RG_FUZZ_RUNS=N stops each target after N executions
# (SECONDS 0: no time bound), and RG_FUZZ_LEAK_BUILD names the ASan build that runs the
# leak pass when BUILDDIR is a -Dfuzzing_asan=false build, and RG_FUZZ_WORKERS=N shares the
# RG_FUZZ_RUNS executions of each target among N processes on one corpus (one per core);
# RG_FUZZ_OPTIONS adds libFuzzer options to the runs.
# The whole script is one brace group, which bash reads to its end before running any of it:
# a campaign takes hours, and bash reads a plain script as it goes, so editing this file
# during a run made the run go on with whatever now stood at its old place in the file.
{
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILDDIR SECONDS [TARGET...]}
seconds=${2:?usage: $0 BUILDDIR SECONDS [TARGET...]}
shift 2
targets=("$@")
# by default every target the build has (fuzz-milter only where libmilter is)
if [ ${#targets[@]} -eq 0 ]; then
	for exe in "$build"/tests/fuzz/fuzz-*; do
		[ -f "$exe" ] && [ -x "$exe" ] && targets+=("${exe##*/fuzz-}")
	done
fi
[ ${#targets[@]} -gt 0 ] || { echo "run-fuzzers: no targets in $build (meson compile fuzzers?)" >&2; exit 2; }
work=${RG_FUZZ_WORKDIR:-$(mktemp -d /tmp/rg-fuzz.XXXXXX)}
leak_build=${RG_FUZZ_LEAK_BUILD:-$build}
limit=()
[ "$seconds" != 0 ] && limit+=(-max_total_time="$seconds")
[ -n "${RG_FUZZ_RUNS:-}" ] && limit+=(-runs="$RG_FUZZ_RUNS")
[ ${#limit[@]} -gt 0 ] || { echo "run-fuzzers: SECONDS 0 needs RG_FUZZ_RUNS" >&2; exit 2; }
# RG_FUZZ_OPTIONS: more libFuzzer options for the runs (not the leak pass), such as -max_len=1024
read -r -a extra <<<"${RG_FUZZ_OPTIONS:-}"
# RG_FUZZ_WORKERS=N: a campaign of RG_FUZZ_RUNS executions shared by N processes, one per core
workers=${RG_FUZZ_WORKERS:-}
[ "$workers" = 1 ] && workers=
if [ -n "$workers" ]; then
	case $workers in *[!0-9]*) echo "run-fuzzers: RG_FUZZ_WORKERS must be a number" >&2; exit 2 ;; esac
	if [ -z "${RG_FUZZ_RUNS:-}" ] || [ "$seconds" != 0 ]; then
		echo "run-fuzzers: RG_FUZZ_WORKERS needs RG_FUZZ_RUNS and SECONDS 0" >&2
		exit 2
	fi
	per_worker=$(((RG_FUZZ_RUNS + workers - 1) / workers))
fi

# the corpora each target reads, as tests/fuzz/meson.build replays them; the first is its own
corpora() {
	case $1 in
	scorer) echo scorer address ;;
	files) echo policy known ;;
	import) echo import mailbox ;;
	*) echo "$1" ;;
	esac
}

# a smaller quarantine and shorter allocation stacks than ASan's defaults: several times
# the executions per second, and a memory use that stays flat over millions of runs.
# The fuzzing run looks for no leaks and keeps the fast unwinder: complete allocation stacks
# (fast_unwind_on_malloc=0), which build-aux/lsan.supp needs to match a leak inside a system
# library whose frames the fast unwinder loses, made every run about ten times slower
# (README.md). The leak check is a second pass instead: every input of the corpus the run
# grew and of its seeds, once, with complete stacks (RG_FUZZ_LEAK_ASAN_OPTIONS).
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:malloc_context_size=8:detect_leaks=0}
leak_asan=${RG_FUZZ_LEAK_ASAN_OPTIONS:-quarantine_size_mb=16:malloc_context_size=8:detect_leaks=1:fast_unwind_on_malloc=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/../../build-aux/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

for t in "${targets[@]}"; do
	exe=$build/tests/fuzz/fuzz-$t
	leak_exe=$leak_build/tests/fuzz/fuzz-$t
	for e in "$exe" "$leak_exe"; do
		[ -x "$e" ] || { echo "run-fuzzers: no $e (a -Dfuzzing=true build?)" >&2; exit 2; }
	done
	dir=$work/$t
	mkdir -p "$dir/corpus"
	seeds=()
	for c in $(corpora "$t"); do
		seeds+=("$here/corpus/$c")
	done
	echo "== fuzz-$t, ${limit[*]}${extra[*]:+ ${extra[*]}}, seeds: $(corpora "$t")${workers:+, $workers workers}"
	# one process with the limits, or N on one corpus directory, each making RUNS/N
	# executions with its own -seed and reading what the others add (libFuzzer's -reload,
	# every 1 s); logs log.1 … log.N, joined in log.
	# -timeout: an input that takes 10 s is a hang, which is a finding too
	pids=()
	for w in $(seq 1 "${workers:-1}"); do
		if [ -n "$workers" ]; then
			runs=(-runs="$per_worker" -seed="$w")
		else
			runs=("${limit[@]}")
		fi
		"$exe" "${runs[@]}" "${extra[@]}" -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$dir/" "$dir/corpus" "${seeds[@]}" >"$dir/log.$w" 2>&1 &
		pids+=($!)
	done
	failed=0
	for w in $(seq 1 "${workers:-1}"); do
		wait "${pids[$((w - 1))]}" || {
			tail -n 60 "$dir/log.$w" >&2
			failed=1
		}
	done
	cat "$dir"/log.[0-9]* >"$dir/log"
	if [ "$failed" = 1 ]; then
		echo "run-fuzzers: fuzz-$t found a problem; the reproducer is in $dir/" >&2
		exit 1
	fi
	# -runs=0: each input of the corpora once, then stop
	if ! ASAN_OPTIONS=$leak_asan "$leak_exe" -runs=0 -timeout=10 -artifact_prefix="$dir/" \
		"$dir/corpus" "${seeds[@]}" >"$dir/leak-log" 2>&1; then
		tail -n 60 "$dir/leak-log" >&2
		echo "run-fuzzers: fuzz-$t leaks on an input of its corpus; the reproducer is in $dir/" >&2
		exit 1
	fi
	grep -E '^#[0-9]+\s+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$dir/log"
done
echo "run-fuzzers: ${#targets[@]} targets, nothing found (work in $work)"
exit
}
