#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The real Claws Mail with the plugin and a Sent folder (MH) of many messages: what its first
# read and a refresh cost, in time on the main loop and in memory, against Claws without the
# reading in the same run. Prints "FIGURE name value" lines for bench-sources.py.
#   bench-claws-sources.sh PLUGIN_SO RCPTGUARD_CLI MH_DIR
set -u
PLUGIN_ARG=$1
RG_CLI=$2
MH=$3
E2E_NO_HISTORY=1
before_start() {
	mkdir -p "$ROOT/Mail/inbox" "$ROOT/Mail/queue" "$ROOT/Mail/draft" "$ROOT/Mail/trash"
	# hard links: Claws only adds its cache files next to the messages
	cp -al "$MH" "$ROOT/Mail/sent"
	cat >"$ROOT/cfg/folderlist.xml" <<EOT
<?xml version="1.0" encoding="UTF-8" ?>
<folderlist config_version="4">
  <folder type="mh" name="Mailbox" path="$ROOT/Mail" collapsed="0" sort="0">
    <folderitem type="inbox" name="inbox" path="inbox" />
    <folderitem type="outbox" name="sent" path="sent" />
    <folderitem type="queue" name="queue" path="queue" />
    <folderitem type="draft" name="draft" path="draft" />
    <folderitem type="trash" name="trash" path="trash" />
  </folder>
</folderlist>
EOT
	# the baseline run: Claws with the plugin, but without the reading
	sed -i 's/^enabled=1$/enabled=1\nread_sources=0/' "$ROOT/cfg/clawsrc"
}
# shellcheck source=../e2e/claws/lib.sh
. "$(dirname "$(readlink -f "$0")")/../e2e/claws/lib.sh"

hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$CLAWS_PID/status"; }
done_line() { grep 'sources: done' "$LOG" | tail -1 | sed 's/.*sources: //'; }
n_done() { grep -c 'sources: done' "$LOG"; }
wait_done() { poll 900 bash -c "[ \$(grep -c 'sources: done' '$LOG') -ge $1 ]"; }

sleep 3
echo "FIGURE baseline_hwm_kb $(hwm)"
stop_claws
sed -i '/^read_sources=0$/d' "$ROOT/cfg/clawsrc"

for run in cold warm refresh; do
	[ $run = warm ] && rm -rf "$XDG_DATA_HOME/rcptguard"
	n=$(n_done)
	start_claws
	if wait_done $((n + 1)); then
		echo "FIGURE ${run}_done $(done_line)"
		echo "FIGURE ${run}_hwm_kb $(hwm)"
	else
		bad "$run: the reading did not finish"
	fi
	stop_claws
done
echo "FIGURE stored $("$RG_CLI" history stats --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["sources"][0]["sent"])')"
finish
