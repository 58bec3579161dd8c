#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-miltertest.sh MILTER SCRIPT.lua: one protocol scenario. miltertest plays the MTA; the
# script starts its own rcptguard-milter in a fresh directory (as user nobody when run as
# root, as the milter refuses to run as root).
set -eu
milter=$(realpath "$1")
script=$(realpath "$2")
if ! command -v miltertest >/dev/null; then
	echo "miltertest is not installed (build-aux/packages-test.txt)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
user=none
if [ "$(id -u)" = 0 ]; then
	user=nobody
	chown nobody "$tmp"
fi
cd "$(dirname "$script")"
miltertest -D milter="$milter" -D tmpdir="$tmp" -D user="$user" -D srcdir="$(pwd)" \
	-s "$script"
