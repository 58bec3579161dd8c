#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Renders the dialog screenshots of docs/user-guide.md.
#   tests/ui/screenshots.sh [SHOTS_BINARY [OUTDIR]]          update docs/images (defaults:
#                                                            _build/tests/ui/rg-dialog-shots)
#   tests/ui/screenshots.sh --check SHOTS_BINARY OUTDIR      (the ui test) render into OUTDIR
#       and fail when a picture no longer matches the committed one in size (±15%) or is
#       missing from docs/images, so the pictures cannot silently rot.
# Runs itself under xvfb-run -a when there is no display; exits 77 without either.
set -eu
args="$*"
here=$(cd "$(dirname "$0")/../.." && pwd)
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
shots=${1:-$here/_build/tests/ui/rg-dialog-shots}
outdir=${2:-$here/docs/images}
images=${RG_DOCS_IMAGES:-$here/docs/images}
export RG_TEST_DATA=${RG_TEST_DATA:-$here/tests/data}
export NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11 GTK_THEME=Adwaita GTK_CSD=0
export LC_ALL=C.UTF-8 LANGUAGE=

if [ -z "${DISPLAY:-}" ]; then
	if command -v xvfb-run >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		exec xvfb-run -a -s "-screen 0 1600x1200x24 -nolisten tcp" "$0" $args
	fi
	echo "SKIP: no display and no xvfb-run" >&2
	exit 77
fi

# the sample data only: never the history store, settings or notmuch of whoever runs it
sandbox=$(mktemp -d)
trap 'rm -rf "$sandbox"' EXIT
export XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
	XDG_CONFIG_DIRS="$sandbox/etc" XDG_CACHE_HOME="$sandbox/cache" \
	NOTMUCH_CONFIG="$sandbox/no-notmuch-config"

mkdir -p "$outdir"
"$shots" "$outdir" light two block long rtl
GTK_THEME=Adwaita:dark "$shots" "$outdir" dark
GDK_SCALE=2 "$shots" "$outdir" scale2
# in German: the translated dialog of docs/translating.md; CI generates the locale
skip_de=0
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	LC_ALL=de_DE.UTF-8 LANGUAGE=de "$shots" "$outdir" de
elif [ -n "${CI:-}" ]; then
	echo "FAIL: the de_DE.UTF-8 locale is missing (locale-gen de_DE.UTF-8)" >&2
	exit 1
else
	echo "SKIP dialog-de.png: no de_DE.UTF-8 locale" >&2
	skip_de=1
fi

[ "$check" = 1 ] || exit 0
status=0
for png in "$outdir"/dialog-*.png; do
	name=$(basename "$png")
	if [ ! -f "$images/$name" ]; then
		echo "FAIL: $name is rendered but not in docs/images; run tests/ui/screenshots.sh" >&2
		status=1
		continue
	fi
	python3 - "$png" "$images/$name" <<'PY' || status=1
import struct, sys
def size(p):
    with open(p, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit(f"FAIL: {p} is not a PNG")
    return struct.unpack('>II', head[16:24])
new, old = size(sys.argv[1]), size(sys.argv[2])
for n, o in zip(new, old):
    if abs(n - o) > 0.15 * o:
        sys.exit(f"FAIL: {sys.argv[1]} is {new[0]}x{new[1]}, docs/images has {old[0]}x{old[1]}; "
                 "the dialog changed: run tests/ui/screenshots.sh and look at the pictures")
print(f"ok {sys.argv[1]}: {new[0]}x{new[1]} (committed {old[0]}x{old[1]})")
PY
done
for png in "$images"/dialog-*.png; do
	[ "$skip_de" = 1 ] && [ "$(basename "$png")" = dialog-de.png ] && continue
	[ -f "$outdir/$(basename "$png")" ] || { echo "FAIL: $png is no longer rendered" >&2; status=1; }
done
exit $status
