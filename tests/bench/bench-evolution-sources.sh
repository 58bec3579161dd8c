#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The real Evolution with the module and a local Sent folder of many messages: what its first
# read and a refresh cost, against Evolution's own indexing of that folder and Evolution
# without the reading in the same run. Prints "FIGURE name value" lines for bench-sources.py.
#   bench-evolution-sources.sh MODULE_SO LIBDIRS MAILDIR RCPTGUARD_CLI
set -u
# shellcheck source=../e2e/evolution/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/../e2e/evolution/lib.sh"
bench_here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != --inner ]; then
	export RG_BENCH_MAILDIR=$3
	RG_CLI=$(readlink -f "$4")
	RG_E2E_BUILD_ROOT=${RG_E2E_BUILD_ROOT:-$(dirname "$(dirname "$(readlink -f "$4")")")/..}
	export RG_E2E_BUILD_ROOT
	# the work dir gets the folder as hard links
	evo_prepare() { ln -s "$RG_BENCH_MAILDIR" "$W/corpus"; }
	RG_E2E_TIMEOUT=${RG_E2E_TIMEOUT:-1500} evo_outer "$0" "$1" "$2" bench
fi

evo_inner_init
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$evopid/status"; }
n_done() { grep -c 'sources: done' "$W/evolution.log"; }
wait_done() { for _ in $(seq 1 3600); do [ "$(n_done)" -ge "$1" ] && return 0; sleep 0.25; done; return 1; }
done_line() { grep 'sources: done' "$W/evolution.log" | tail -1 | sed 's/.*sources: //'; }

# the first start makes the profile and its local folders; the reading finds nothing
start_evolution
wait_done 1
echo "FIGURE baseline_hwm_kb $(hwm)"
quit_evolution
cp -al "$(readlink -f "$W/corpus")/." "$W/data/evolution/mail/local/.Sent/cur/"
echo "FIGURE evolution_index $($py "$bench_here/camel-index.py" "$W/data")"
for run in first refresh; do
	n=$(n_done)
	start_evolution
	if wait_done $((n + 1)); then
		echo "FIGURE ${run}_done $(done_line)"
		echo "FIGURE ${run}_hwm_kb $(hwm)"
	else
		echo "FAIL $run: the reading did not finish"
		failed=1
	fi
	quit_evolution
done
echo "FIGURE stored $("$RG_CLI" history stats --json | $py -c 'import json,sys; print([s["sent"] for s in json.load(sys.stdin)["sources"] if s["kind"] == "evolution-folder"])')"
evo_inner_finish
