# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the end-to-end scripts. They test the build tree's plugins by default; with
# RG_E2E_INSTALLED=1 they test the installed ones (the Debian packages, or `meson install`),
# which the mail clients must find in their own plugin and module directories, with the
# installed librcptguard. meson sets RG_E2E_BUILD_ROOT and where the installed files go.
# shellcheck shell=bash

rg_e2e_installed() { [ "${RG_E2E_INSTALLED:-0}" = 1 ]; }

# rg_e2e_loaded_from PID PLUGIN: process PID has PLUGIN loaded and its librcptguard comes from
# the build tree, or with RG_E2E_INSTALLED=1 from anywhere else. Says what it found.
rg_e2e_loaded_from() {
	local pid=$1 plugin build maps libs lib
	plugin=$(readlink -f "$2")
	build=$(readlink -f "${RG_E2E_BUILD_ROOT:?run through meson}")
	# the kernel names mapped files by their real path
	maps=$(awk '$6 ~ /^\// { print $6 }' "/proc/$pid/maps" 2>/dev/null | sort -u)
	if ! grep -qxF "$plugin" <<<"$maps"; then
		echo "process $pid has not loaded $plugin"
		return 1
	fi
	libs=$(grep -E '/librcptguard(-ui)?\.so' <<<"$maps")
	if [ -z "$libs" ]; then
		echo "process $pid has no librcptguard loaded"
		return 1
	fi
	for lib in $libs; do
		case "$lib" in
		"$build"/*) rg_e2e_installed && { echo "installed mode, but $lib is the build tree's"; return 1; } ;;
		*) rg_e2e_installed || { echo "build tree mode, but $lib is not the build tree's"; return 1; } ;;
		esac
	done
	echo "loaded $plugin with" $libs
}

# Under `meson test --setup asan` (tests/sanitizers/asan-run.py sets RG_ASAN_PRELOAD) the
# plugins are built with ASan, and a mail client that loads one needs the ASan runtime first
# in its list of libraries: RG_CLIENT_ENV goes before every command that starts a client.
# The full unwinder (slower) gives the whole allocation stack of a leak, which asan-run.py
# reads to tell a leak of ours from one of the client's.
RG_CLIENT_ENV=()
if [ -n "${RG_ASAN_PRELOAD:-}" ]; then
	# ASan initialises at the first malloc. When that is inside bindtextdomain() (see
	# docs/testing.md for the whole mechanism), which a
	# constructor of libgpg-error and of GnuTLS (both in Claws Mail) calls, glibc's gettext
	# lock is held, ASan's start reads it again, and the lock is left broken: Claws Mail hangs
	# in its own bindtextdomain() in main. Preloaded before libasan, these two are set up
	# after it (so libasan is not first in the list, which ASan would otherwise refuse).
	rg_preload=
	for rg_lib in libgpg-error.so.0 libgnutls.so.30; do
		rg_lib=$(/sbin/ldconfig -p | awk -v l="$rg_lib" '$1 == l { print $NF; exit }')
		rg_preload="$rg_preload${rg_lib:+$rg_lib }"
	done
	# A client's helper programs that inherit the preload but never load our code (Evolution's
	# WebKit web and network processes) read ASan options of their own from
	# tests/sanitizers/not-ours/NAME (%b: the program's name; docs/testing.md says why each).
	rg_not_ours=$(cd "$(dirname "${BASH_SOURCE[0]}")/../sanitizers/not-ours" && pwd)
	RG_CLIENT_ENV=(env LD_PRELOAD="$rg_preload$RG_ASAN_PRELOAD"
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0:fast_unwind_on_malloc=0:malloc_context_size=40:include_if_exists=$rg_not_ours/%b")
	unset rg_lib rg_preload rg_not_ours
fi
