#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The mail client shims are glue: they reach the core only through the session (RgSession),
# what it hands out (reports, decisions, problems, import sources, addresses) and the dialog,
# never the policy, the history, the store or the scorer directly. The milter likewise, with
# the server (RgServer) in place of the dialog.
#   check-shims.sh PLUGIN_DIR
set -eu
dir=$1
bad=$(grep -nE '\brg_(store|policy|history|scorer)_[a-z_]+[[:space:]]*\(' \
	"$dir"/claws/*.[ch] "$dir"/evolution/*.[ch] "$dir"/sendmail/*.[ch] "$dir"/milter/*.[ch] || true)
if [ -n "$bad" ]; then
	echo "the shims call the core around the session:"
	echo "$bad"
	exit 1
fi
echo "the shims use only the session, server and dialog APIs"
