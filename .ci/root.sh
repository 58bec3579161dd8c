# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by .ci/run: a clean Debian 12 root to run the README's commands in, as a newcomer's
# fresh machine would have it.
#
#   rg_root_pristine          a debootstrap --variant=minbase root, cached in $RG_CI_CACHE;
#                             built when missing, older than a week or made another way
#   rg_root_new DIR           a fresh copy of it in DIR: nothing installed but minbase
#   rg_root_enter DIR CMD...  runs CMD as root inside DIR
#
# rg_root_enter uses a private mount and PID namespace in which DIR is a mount point and the
# root (pivot_root, not chroot: bubblewrap, which Evolution's WebKit runs its web processes
# in, cannot make namespaces in a chroot), with /proc, /sys, /dev, /run and /tmp mounted and
# private. The network is the host's, for apt. When CMD ends, every process it left behind
# ends with the namespace. Downloaded .debs are kept in $RG_CI_CACHE/apt-archives, so a run
# downloads only what changed; every run installs everything anew.
# shellcheck shell=bash

RG_CI_CACHE=${RG_CI_CACHE:-/var/cache/rcptguard-ci}
RG_CI_SUITE=bookworm
RG_CI_MIRROR=${RG_CI_MIRROR:-http://deb.debian.org/debian}
RG_CI_SECURITY=${RG_CI_SECURITY:-http://deb.debian.org/debian-security}
# change it to rebuild every cached root
RG_CI_ROOT_RECIPE="1 minbase $RG_CI_SUITE $RG_CI_MIRROR $RG_CI_SECURITY"

rg_root_pristine() {
	local dir=$RG_CI_CACHE/minbase-$RG_CI_SUITE
	mkdir -p "$RG_CI_CACHE/apt-archives/partial"
	if [ -d "$dir" ] && [ "$(cat "$dir.recipe" 2>/dev/null)" = "$RG_CI_ROOT_RECIPE" ] &&
		[ -z "$(find "$dir.recipe" -mtime +7)" ]; then
		echo "CI: cached clean root $dir ($(date -r "$dir.recipe" '+%F %R'))"
		return 0
	fi
	echo "CI: building the clean root $dir (debootstrap --variant=minbase $RG_CI_SUITE)"
	rm -rf "$dir.new"
	debootstrap --variant=minbase --cache-dir="$RG_CI_CACHE/apt-archives" \
		"$RG_CI_SUITE" "$dir.new" "$RG_CI_MIRROR" >"$RG_CI_CACHE/debootstrap.log" 2>&1 || {
		tail -n 30 "$RG_CI_CACHE/debootstrap.log"
		return 1
	}
	# what a Debian 12 installation has: the point release, its updates and security
	cat >"$dir.new/etc/apt/sources.list" <<-EOF
		deb $RG_CI_MIRROR $RG_CI_SUITE main
		deb $RG_CI_MIRROR $RG_CI_SUITE-updates main
		deb $RG_CI_SECURITY $RG_CI_SUITE-security main
	EOF
	# a throwaway root: no fsync after every file
	echo force-unsafe-io >"$dir.new/etc/dpkg/dpkg.cfg.d/rcptguard-ci"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
	echo "$RG_CI_ROOT_RECIPE" >"$dir.recipe"
}

rg_root_new() { # DIR
	rm -rf "$1"
	cp -a "$RG_CI_CACHE/minbase-$RG_CI_SUITE" "$1"
}

rg_root_enter() { # DIR CMD...
	local dir=$1
	shift
	unshare --mount --pid --fork --propagation private /bin/bash -s "$dir" "$RG_CI_CACHE" "$@" <<-'EOF'
		set -eu
		root=$1 cache=$2
		shift 2
		mount --bind "$root" "$root"
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
		mount -t tmpfs -o mode=755 tmpfs "$root/run"
		mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
		mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
		cp /etc/resolv.conf "$root/etc/resolv.conf"
		cd "$root"
		mkdir -p .old-root
		pivot_root . .old-root
		umount -l /.old-root
		rmdir /.old-root
		exec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			TERM=dumb CI=true DEBIAN_FRONTEND=noninteractive "$@" </dev/null
	EOF
}
