# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the Evolution end-to-end scripts (sourced, not run).
#
# Outside (evo_outer): checks for the programs, makes a work dir with fresh HOME/XDG dirs, a
# private X server, an account written by make-sources.sh whose SMTP server is a sink on
# loopback, the module staged for EDS_EXTRA_PREFIXES, then runs the calling script again
# with --inner in a private D-Bus session with a clean environment. The calling script may
# define evo_prepare, run with $W set before Evolution's session starts (a policy, a mail
# folder).
#
# Inside (evo_inner_init): the scenario helpers, the sink, and start_evolution/quit_evolution.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3 # the system python has pyatspi and aiosmtpd, a pyenv one may not


# scaled() and pause(): the time limits stretched by RG_E2E_TIMEOUT_MULTIPLIER (the asan
# setup), as in the other end-to-end suites; now() and skip() are this file's own below
# shellcheck source=../report.sh
. "$here/../report.sh"
# shellcheck source=../installed.sh
. "$here/../installed.sh"
# shellcheck source=../xvfb.sh
. "$here/../xvfb.sh"
# Under the asan setup every program Evolution starts inherits its LD_PRELOAD: WebKitGTK's
# sandbox would run bubblewrap and xdg-dbus-proxy, neither ours, with the ASan runtime
# preloaded. Test runs only: WebKit starts its web processes without the sandbox (they
# never load our code; ../sanitizers/not-ours has their options).
[ -n "${RG_ASAN_PRELOAD:-}" ] && RG_CLIENT_ENV+=(WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1)
# Nor any OpenGL: GTK would probe GLX when it opens the display and WebKit EGL when it makes
# its settings, both loading Mesa's llvmpipe, whose leaks have frames in its generated code
# (<unknown module>, which asan-run.py must count as possibly ours). Without GL, GTK draws
# as it does anyway on Xvfb and WebKit paints on the CPU; Mesa is then not mapped at all.
[ -n "${RG_ASAN_PRELOAD:-}" ] && RG_CLIENT_ENV+=(GDK_GL=disable WEBKIT_DISABLE_COMPOSITING_MODE=1
	WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_SKIA_ENABLE_CPU_RENDERING=1)

# evo_outer SCRIPT MODULE_SO LIBDIRS SCENARIOS: never returns
evo_outer() {
	local script=$1 module=$2 libdirs=$3 scenarios=$4
	local port rc p stage start xpid
	skip() { echo "SKIP: $*"; exit 77; }
	if rg_e2e_installed; then
		module=${RG_E2E_INSTALLED_MODULE:?run through meson}
		libdirs=
		[ -f "$module" ] || { echo "FAIL: the installed module $module is missing"; exit 1; }
	fi
	[ "$module" != none ] && [ -f "$module" ] || skip "the Evolution module was not built"
	for p in evolution Xvfb xdpyinfo xdotool dbus-run-session; do
		command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
	done
	$py -c 'import pyatspi, aiosmtpd' 2>/dev/null || skip "python3-pyatspi or python3-aiosmtpd missing"

	W=$(mktemp -d -t rg-evo-e2e.XXXXXX)
	T0=$(date +%s.%N)
	port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

	mkdir -p "$W/home" "$W/config" "$W/cache" "$W/runtime" "$W/etc-xdg/rcptguard" \
		"$W/data/evolution/preview-plugins" "$W/data/evolution/webkit-editor-plugins" \
		"$W/stage/lib/evolution/modules"
	chmod 700 "$W/runtime"
	"$here/make-sources.sh" "$W/config" "$port"
	stage=
	if ! rg_e2e_installed; then
		# EDS_EXTRA_PREFIXES makes Evolution load PREFIX/lib/evolution/modules/*.so
		ln -s "$(readlink -f "$module")" "$W/stage/lib/evolution/modules/module-rcptguard.so"
		stage=$W/stage
	fi
	if declare -F evo_prepare >/dev/null; then evo_prepare; fi

	# a timeout kill orphans the session's processes: end whatever still runs with our config
	end_leftovers() {
		for p in $(grep -l "XDG_CONFIG_HOME=$W/config" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
			[ "$p" = $$ ] || kill "$p" 2>/dev/null
		done
	}

	# A private X server (../xvfb.sh) and the session. When Evolution could not even open
	# the display (the inner part exits 75 before any scenario), the X server is started
	# anew once: that is the machine's trouble, not the module's, and it is said below.
	for start in 1 2; do
		if ! rg_start_xvfb "$W/xvfb.log"; then
			echo "FAIL: no X server"; cat "$W/xvfb.log"; exit 1
		fi
		xpid=$XVFB_PID
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 LANGUAGE= \
			HOME="$W/home" XDG_CONFIG_HOME="$W/config" XDG_DATA_HOME="$W/data" \
			XDG_CACHE_HOME="$W/cache" XDG_RUNTIME_DIR="$W/runtime" XDG_CONFIG_DIRS="$W/etc-xdg" \
			DISPLAY="$XVFB_DISPLAY" ${stage:+EDS_EXTRA_PREFIXES="$stage"} \
			${libdirs:+LD_LIBRARY_PATH="$libdirs"} \
			W="$W" PORT="$port" T0="$T0" MODULE="$module" XVFB_PID="$xpid" \
			XVFB_DISPLAY="$XVFB_DISPLAY" RG_E2E_INSTALLED="${RG_E2E_INSTALLED:-0}" \
			RG_E2E_BUILD_ROOT="${RG_E2E_BUILD_ROOT:-}" RG_CLI="${RG_CLI:-}" \
			RG_E2E_SCENARIOS="$scenarios" RG_E2E_TIMEOUT_MULTIPLIER="$RG_E2E_MULT" \
			${RG_ASAN_PRELOAD:+RG_ASAN_PRELOAD="$RG_ASAN_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}"} \
			${RG_ASAN_PRELOAD:+LSAN_OPTIONS="${LSAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}"} \
			G_MESSAGES_DEBUG=rcptguard-evolution \
			timeout -k 10 "$(scaled "${RG_E2E_TIMEOUT:-300}")" dbus-run-session -- "$script" --inner 2>"$W/session.log"
		rc=$?
		[ $rc = 75 ] && [ $start = 1 ] || break
		echo "INFO Evolution could not open display $XVFB_DISPLAY ($(rg_xvfb_state)); Xvfb log:"
		sed 's/^/INFO   /' "$W/xvfb.log"
		end_leftovers
		kill "$xpid" 2>/dev/null
		wait "$xpid" 2>/dev/null
		echo "INFO starting a new X server and Evolution once more"
	done
	[ $rc = 75 ] && rc=1
	end_leftovers
	kill "$xpid" 2>/dev/null
	awk -v a="$(date +%s.%N)" -v b="$T0" -v rc="$rc" 'BEGIN { printf "total wall time: %.2f s, rc=%s\n", a - b, rc }'
	[ -s "$W/compose-retries.log" ] && sed 's/^/INFO /' "$W/compose-retries.log"
	if [ $rc -ne 0 ]; then
		echo "---- evolution.log (last 60 lines) ----"
		tail -n 60 "$W/evolution.log" 2>/dev/null
		echo "---- session.log (last 20 lines) ----"
		tail -n 20 "$W/session.log" 2>/dev/null
		echo "---- xvfb.log ($(rg_xvfb_state)) ----"
		tail -n 20 "$W/xvfb.log" 2>/dev/null
		echo "work dir kept: $W"
	elif [ "${RG_E2E_KEEP:-0}" = 1 ]; then
		echo "work dir kept: $W"
	else
		rm -rf "$W"
	fi
	exit $rc
}

# ------------------------------------------------------------ inside dbus-run-session
evo_inner_init() {
	A="$py $here/atspi.py"
	DLG='^Check Recipients$'
	failed=0
	SCEN_NAME=
	SCEN_T=
	SCEN_OK=1
	SUMMARY=
	$py "$here/sink.py" "$PORT" "$W/sink" >"$W/sink.log" 2>&1 &
	sinkpid=$!
}
now() { date +%s.%N; }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }
msgs() { if [ -f "$W/sink/envelopes.jsonl" ]; then wc -l <"$W/sink/envelopes.jsonl"; else echo 0; fi; }
wait_msgs() { for _ in $(seq 1 "$(scaled 80)"); do [ "$(msgs)" -ge "$1" ] && return 0; sleep 0.25; done; return 1; }
last_rcpts() { tail -n 1 "$W/sink/envelopes.jsonl" | $py -c 'import json,sys; print(" ".join(json.loads(sys.stdin.read())["rcpt_tos"]))'; }
# compose SUBJECT MAILTO: opens a composer in the running Evolution, waits for its window.
# Once in a CI run on a loaded machine, `evolution mailto:` handed to the running instance
# opened no composer at all (the next one did): then it is asked once more, and the retry is
# written to $W/compose-retries.log (printed at the end of the run)
compose() {
	"${RG_CLIENT_ENV[@]}" evolution "$2" >/dev/null 2>&1
	$A wait-window evolution "^$1\$" 30 && return 0
	$A wait-window evolution "^$1\$" 1 && return 0
	echo "composer \"$1\" did not open in 30 s; asked again" >>"$W/compose-retries.log"
	"${RG_CLIENT_ENV[@]}" evolution "$2" >/dev/null 2>&1
	$A wait-window evolution "^$1\$" 30
}
send() { $A click evolution "^$1\$" Send 15; }
begin() { SCEN_NAME=$1; SCEN_T=$(now); SCEN_OK=1; }
check() { # check DESCRIPTION COMMAND...: one assertion of the current scenario
	local what=$1; shift
	if "$@" >/dev/null 2>&1; then echo "  ok   $what"; else echo "  FAIL $what"; SCEN_OK=0; fi
}
end() {
	local t; t=$(elapsed "$SCEN_T")
	# a failed scenario may leave the modal dialog open; close it so the next one can run
	[ $SCEN_OK = 1 ] || $A click evolution "$DLG" 'Edit Message' 2 >/dev/null 2>&1
	if [ $SCEN_OK = 1 ]; then echo "PASS $SCEN_NAME (${t}s)"; SUMMARY="$SUMMARY$SCEN_NAME PASS ${t}s\n"
	else echo "FAIL $SCEN_NAME (${t}s)"; SUMMARY="$SUMMARY$SCEN_NAME FAIL ${t}s\n"; failed=1; fi
}
want() { [[ " $RG_E2E_SCENARIOS " == *" $1 "* ]]; }

# starts Evolution and waits for its main window, and checks that it loaded the module;
# exits when Evolution did not come up (75 at the first start when it could not even open
# the display: the outer part starts a new X server once)
start_evolution() {
	local t
	t=$(now)
	"${RG_CLIENT_ENV[@]}" evolution --force-online >>"$W/evolution.log" 2>&1 &
	evopid=$!
	if ! $A wait-window evolution '^Mail$' 90; then
		echo "FAIL: the Evolution main window did not appear ($(rg_xvfb_state))"
		kill $evopid $sinkpid 2>/dev/null
		wait $evopid 2>/dev/null
		[ "${EVO_STARTS:-0}" = 0 ] && grep -q 'Cannot open display' "$W/evolution.log" && exit 75
		exit 1
	fi
	EVO_STARTS=$((${EVO_STARTS:-0} + 1))
	echo "INFO Evolution started in $(elapsed "$t")s"
	if why=$(rg_e2e_loaded_from $evopid "$MODULE"); then
		echo "  ok   $why"
	else
		echo "FAIL $why"
		failed=1
	fi
}
evo_alive() { kill -0 $evopid; }

# quit: a request right after a send is ignored, so repeat it; composers left open on purpose
# would ask about unsaved changes, so end with TERM after a while
quit_evolution() {
	for _ in $(seq 1 4); do
		kill -0 $evopid 2>/dev/null || break
		# bounded: when the running Evolution is gone by the time the request is made (its
		# exit under ASan takes a while), `evolution --quit` would stay as the new instance
		timeout -k 5 "$(scaled 20)" "${RG_CLIENT_ENV[@]}" evolution --quit >/dev/null 2>&1
		for _ in $(seq 1 "$(scaled 8)"); do kill -0 $evopid 2>/dev/null || break; sleep 0.25; done
	done
	kill $evopid 2>/dev/null
	wait $evopid 2>/dev/null
}

evo_inner_finish() {
	echo "INFO messages delivered: $(msgs)"
	echo "---- scenario timings ----"
	printf "%b" "$SUMMARY"
	quit_evolution
	kill $sinkpid 2>/dev/null
	wait $sinkpid 2>/dev/null
	exit $failed
}
