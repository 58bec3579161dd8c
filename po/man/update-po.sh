#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# ninja -C _build rcptguard-man-update-po: the template of the translated manual pages
# (po/man/rcptguard-man.pot, not kept in git) and every po/man/LANG.po merged with it.
# Locations name the page only, as in po/*.po, so that editing a page does not touch every
# catalogue's line numbers.
#   update-po.sh PO4A_UPDATEPO MSGCAT SRCDIR PAGE...
set -eu
updatepo=$1
msgcat=$2
cd "$3"
shift 3
masters=""
for page in "$@"; do masters="$masters -m docs/$page"; done
for po in po/man/rcptguard-man.pot po/man/*.po; do
	[ -e "$po" ] || continue
	# shellcheck disable=SC2086
	"$updatepo" -f man $masters -M UTF-8 --package-name rcptguard -p "$po" 2>&1 |
		grep -v 'po4a-updatepo is deprecated' || true
	"$msgcat" --add-location=file -o "$po" "$po"
	# msgmerge's backup of the previous file
	rm -f "$po~"
done
