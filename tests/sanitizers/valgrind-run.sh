#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The wrapper of `meson test --setup valgrind`: memcheck on a test that is a program of the
# build tree (BUILD_ROOT), and on the programs of the build tree it starts. A test that is
# a system program or a script (groff, a shell script, xvfb-run) runs as it is: memcheck
# would report the leaks of bash, dash and groff, which are not ours.
#   valgrind-run.sh BUILD_ROOT VALGRIND_COMMAND... -- TEST_COMMAND...
build=$1
shift
vg=
while [ "$1" != -- ]; do vg="$vg $1"; shift; done
shift
case $(readlink -f "$1") in
"$(readlink -f "$build")"/*)
	# GSlice off and freed memory cleared, so memcheck sees GLib's blocks; the check
	# framework's per-test timeouts stretched as meson's are (timeout_multiplier)
	export G_SLICE=always-malloc G_DEBUG=fatal-criticals,gc-friendly CK_TIMEOUT_MULTIPLIER=10
	# shellcheck disable=SC2086
	exec $vg "$@" ;;
*) exec "$@" ;;
esac
