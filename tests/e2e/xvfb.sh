# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the end-to-end scripts: rg_start_xvfb LOG starts a private X server and sets
# XVFB_PID and XVFB_DISPLAY (":N"), or returns 1 with the reason in LOG.
#
# Other jobs on the machine run X servers too, some with a /tmp of their own (a chroot, a
# private mount namespace) whose lock files and sockets we cannot see. What every process of
# the machine's network namespace shares is the abstract socket "@/tmp/.X11-unix/XN", and
# clients try it first. So a display only counts when the abstract socket for it is our
# Xvfb's own: an Xvfb that lost the name to another server dies a little later, and a client
# started in between would talk to that other server (and fail with "cannot open display"
# once it goes away, or send our key presses to someone else's windows).
# shellcheck shell=bash

# whose the abstract socket of display N is: 0 process PID's, 1 nobody's yet, 2 another's
rg_xvfb_owner() { # PID N
	local pid=$1 n=$2 inodes fds inode
	inodes=$(awk -v a="@/tmp/.X11-unix/X$n" '$8 == a { print $7 }' /proc/net/unix 2>/dev/null)
	[ -n "$inodes" ] || return 1
	fds=$(ls -l "/proc/$pid/fd" 2>/dev/null)
	for inode in $inodes; do
		case "$fds" in *"socket:[$inode]"*) ;; *) return 2 ;; esac
	done
	return 0
}

rg_start_xvfb() { # LOG
	local log=$1 n attempt i
	XVFB_PID=
	XVFB_DISPLAY=
	for attempt in 1 2 3 4 5 6 7 8; do
		n=$((100 + RANDOM % 800))
		if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] ||
			grep -q "/tmp/.X11-unix/X$n\$" /proc/net/unix 2>/dev/null; then
			continue
		fi
		# -noreset: no server reset (a new keymap compile and all) each time the last client
		# goes, as after the first check below
		Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -noreset >"$log" 2>&1 &
		XVFB_PID=$!
		# up to 20 s on a loaded machine: the display is ours, and it answers
		for i in $(seq 1 200); do
			kill -0 "$XVFB_PID" 2>/dev/null || break
			rg_xvfb_owner "$XVFB_PID" "$n"
			case $? in
			2) break ;;
			0)
				if [ -S "/tmp/.X11-unix/X$n" ] &&
					env -i DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then
					XVFB_DISPLAY=:$n
					return 0
				fi
				;;
			esac
			sleep 0.1
		done
		echo "Xvfb :$n was not ours or did not answer (attempt $attempt)" >>"$log.attempts"
		kill "$XVFB_PID" 2>/dev/null
		wait "$XVFB_PID" 2>/dev/null
		XVFB_PID=
	done
	cat "$log.attempts" >>"$log" 2>/dev/null
	return 1
}

# for a failure report: is our X server still there
rg_xvfb_state() {
	if [ -n "${XVFB_PID:-}" ] && kill -0 "$XVFB_PID" 2>/dev/null; then
		echo "Xvfb $XVFB_DISPLAY (pid $XVFB_PID) is running"
	else
		echo "Xvfb $XVFB_DISPLAY (pid ${XVFB_PID:-none}) is gone"
	fi
}
