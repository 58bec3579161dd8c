#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shared library exports rg_* and nothing else, and every export is declared in a
# public header.
set -eu
export LC_ALL=C
lib=$1
headers_dir=$2
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$' | sort)
[ -n "$syms" ] || { echo "no exported symbols in $lib"; exit 1; }
bad=$(echo "$syms" | grep -v '^rg_' || true)
if [ -n "$bad" ]; then
	echo "exported symbols without the rg_ prefix:"; echo "$bad"; exit 1
fi
# every identifier the public headers name, collected once (a grep per symbol took over 30 s
# on a loaded machine)
declared=$(mktemp)
trap 'rm -f "$declared"' EXIT
grep -ohE '\<rg_[A-Za-z0-9_]+\>' "$headers_dir"/rg-*.h | sort -u >"$declared"
undeclared=$(echo "$syms" | comm -23 - "$declared")
status=0
for s in $undeclared; do
	echo "exported but not in a public header: $s"; status=1
done
[ $status = 0 ] && echo "$(echo "$syms" | wc -l) exported symbols, all rg_ and declared"
exit $status
