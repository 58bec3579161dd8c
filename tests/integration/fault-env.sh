#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a command with one directory broken in a way a test cannot make with chmod alone (and
# CI runs as root, for whom chmod proves nothing):
#
#   fault-env.sh full DIR COMMAND...         DIR is a small file system, filled to the last byte
#   fault-env.sh read-only DIR COMMAND...    DIR is a read-only file system
#   fault-env.sh unprivileged COMMAND...     COMMAND cannot override file permissions
#
# For full and read-only, DIR becomes a tmpfs that holds what DIR held, in a private mount
# namespace: nothing outside the command sees it, and nothing is left mounted afterwards. As
# root that is a plain mount namespace (as in CI's root); otherwise a user namespace too. For
# unprivileged, root runs COMMAND as nobody in a user namespace; anyone else runs it as is.
# Exits 77 (skip) when the kernel allows no namespace here.
set -eu

mode=$1
shift
if [ "$mode" = inside ]; then
	# the second half, in the new namespace: fault-env.sh inside MODE DIR COMMAND...
	mode=$1 dir=$2
	shift 2
	copy=$(mktemp -d)
	cp -a "$dir/." "$copy/"
	mount -t tmpfs -o size=512k,mode=0700 rg-fault "$dir"
	cp -a "$copy/." "$dir/"
	rm -rf "$copy"
	if [ "$mode" = full ]; then
		# tmpfs gives out whole pages: fill them, then whatever a last short write takes
		dd if=/dev/zero of="$dir/.filler" bs=4096 2>/dev/null || true
		dd if=/dev/zero of="$dir/.filler-tail" bs=1 2>/dev/null || true
	else
		mount -o remount,ro "$dir"
	fi
	exec "$@"
fi

case $mode in
unprivileged)
	if [ "$(id -u)" = 0 ]; then
		exec unshare --user --map-user=65534 --map-group=65534 -- "$@"
	fi
	exec "$@"
	;;
full | read-only)
	if [ "$(id -u)" = 0 ]; then
		set -- unshare --mount --propagation private -- "$0" inside "$mode" "$@"
	else
		set -- unshare --user --map-root-user --mount --propagation private -- "$0" inside "$mode" "$@"
	fi
	# a probe first, so that "no namespaces here" is a skip and not a failure of the test
	if ! unshare --mount --propagation private true 2>/dev/null &&
		! unshare --user --map-root-user --mount true 2>/dev/null; then
		echo "SKIP: no mount namespace can be made here (unshare failed)" >&2
		exit 77
	fi
	exec "$@"
	;;
*)
	echo "usage: fault-env.sh full|read-only DIR COMMAND... | unprivileged COMMAND..." >&2
	exit 2
	;;
esac
