#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Evolution loads every module in its directory into one process: the module must export its
# two entry points and nothing else, so none of its symbols can clash with Evolution's.
# usage: check-module-exports.sh MODULE_SO
set -eu
[ "$1" != none ] || { echo "SKIP: the Evolution module was not built"; exit 77; }
got=$(nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^(__bss_start|_edata|_end)$/ { print $3 }' | sort | tr '\n' ' ')
want="e_module_load e_module_unload "
if [ "$got" != "$want" ]; then
	echo "FAIL: $1 exports: $got(expected: $want)"
	exit 1
fi
echo "ok: $1 exports only $want"
