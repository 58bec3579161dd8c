#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What .ci/run runs inside the clean Debian 12 root (.ci/root.sh), as root, in a clone of the
# commit at /src. Each stage's time goes to /ci/times.tsv for .ci/run's summary.
#
#   1. the README's two quick-start commands, as a newcomer types them (they install what
#      they need with apt-get --no-install-recommends): demo, then test with -Werror and
#      every suite, the mail clients end to end against the build tree
#   2. the unit, integration and milter suites under AddressSanitizer +
#      UndefinedBehaviorSanitizer, the terminal and Postfix end-to-end suites too; the fast
#      unit tests under valgrind (docs/testing.md)
#   3. `meson dist`; the tarball on its own: its Debian packages (`apt-get build-dep`,
#      `dpkg-buildpackage`), lintian, its test suites in its own build tree
#   4. the packages installed: `rcptguard` from /usr/bin, rcptguard-milter's unit and user,
#      and the end-to-end suites again, the real Claws Mail and Evolution loading the
#      installed plugins from their own directories, the installed milter on a real Postfix
# A suite that skips is a failure here: CI must provide every environment the tests need.
set -euo pipefail
src=/src
# --from=packages (RG_CI_FROM in .ci/run): for debugging the package stages only
from=
case "${1:-}" in
--from=packages) from=packages ;;
"") ;;
*) echo "usage: $0 [--from=packages]" >&2; exit 2 ;;
esac
mkdir -p /ci
times=/ci/times.tsv

stage_name=
stage_t0=
stage() { # NAME: ends the stage before, starts this one
	stage_end
	stage_name=$1
	stage_t0=$(date +%s.%N)
	echo
	echo "== $stage_name =="
}
stage_end() { # [RESULT]
	[ -n "$stage_name" ] || return 0
	awk -v n="$stage_name" -v a="$(date +%s.%N)" -v b="$stage_t0" -v r="${1:-ok}" \
		'BEGIN { printf "%s\t%.0f\t%s\n", n, a - b, r }' >>"$times"
	stage_name=
}
trap 'rc=$?; [ $rc = 0 ] || stage_end FAILED; exit $rc' EXIT

no_skips() { # BUILDDIR LOGBASE...
	local dir=$1 skipped
	shift
	skipped=$(cd "$dir/meson-logs" && python3 - "$@" <<-'PY'
		import json, sys
		import os
		n = []
		for f in sys.argv[1:]:
		    # meson test --setup S writes LOGBASE-S.json, without a setup LOGBASE.json
		    logs = [c for c in [f + ".json"] + [f + "-" + s + ".json" for s in ("asan", "valgrind")]
		            if os.path.exists(c)]
		    if not logs:
		        sys.exit("CI: no test log %s.json (or %s-SETUP.json)" % (f, f))
		    n += [json.loads(l)["name"] for c in logs for l in open(c)
		          if l.strip() and json.loads(l).get("result") == "SKIP"]
		print(" ".join(n))
	PY
	)
	if [ -n "$skipped" ]; then
		echo "CI: these suites skipped, which CI does not allow: $skipped" >&2
		exit 1
	fi
}

e2e_summary() { # TESTLOG_JSON: result and per-scenario timings of each end-to-end test
	python3 - "$1" <<-'PY'
		import json, sys
		for line in open(sys.argv[1]):
		    t = json.loads(line)
		    if "e2e" in t["name"].split(" / ")[0].split(":", 1)[-1].split("+"):
		        print("%s: %s in %.1fs" % (t["name"], t["result"], t["duration"]))
		        print("".join(l + "\n" for l in t.get("stdout", "").splitlines()
		                      if l.startswith(("# ", "FAIL", "INFO", "  ok   loaded", "ok   - loaded"))), end="")
	PY
}

cd "$src"

# -------------------------------------------------------------- 1. the README's commands
stage "README: build-aux/quickstart.sh demo"
build-aux/quickstart.sh demo

if [ "$from" = packages ]; then
	stage "debugging run: only the packages the test stage would install (RG_CI_FROM)"
	build-aux/quickstart.sh packages
	echo "CI: RG_CI_FROM=packages skips the test, sanitizer, fuzzing and valgrind stages"
else
stage "README: build-aux/quickstart.sh test (-Werror, every suite)"
export RG_BUILDDIR=$src/_build
export RG_MESON_ARGS="-Dwerror=true -Devolution=enabled -Dclaws=enabled"
build-aux/quickstart.sh test
no_skips "$RG_BUILDDIR" testlog-main testlog-e2e
for tool in xvfb-run xauth xdotool; do
	command -v "$tool" >/dev/null ||
		{ echo "CI: $tool is missing (build-aux/packages-test.txt)" >&2; exit 1; }
done
echo "-- end to end, against the build tree --"
e2e_summary "$RG_BUILDDIR/meson-logs/testlog-e2e.json"
unset RG_BUILDDIR RG_MESON_ARGS

# ----------------------------------------------------------------------- 2. sanitizers
stage "unit, integration and milter suites under ASan + UBSan"
asan=$src/_build-asan
meson setup "$asan" -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true \
	-Dbuildtype=debug -Devolution=enabled -Dclaws=enabled >/dev/null
ninja -C "$asan"
# the asan test setup (tests/sanitizers/, docs/testing.md): any report fails the test
meson test -C "$asan" --setup asan --suite unit --suite integration --suite milter \
	--print-errorlogs --logbase testlog-asan
no_skips "$asan" testlog-asan

# ------------------------------------------------------------------------ fuzzing
# every libFuzzer target (tests/fuzz/) for a short fixed time from its committed corpora, in
# a build that instruments all the code (-Dfuzzing=true: coverage, ASan, UBSan); a crash, a
# leak or a hang fails the stage and prints the reproducer's place. Long runs are by hand
# (tests/fuzz/README.md). clang and libclang-rt-14-dev come from build-aux/packages-test.txt.
stage "fuzzing: every target for 12 s (tests/fuzz/run-fuzzers.sh)"
fuzz=$src/_build-fuzz
CC=clang meson setup "$fuzz" -Dfuzzing=true -Db_lundef=false -Dui=disabled -Dclaws=disabled \
	-Devolution=disabled -Dman-translations=disabled >/dev/null
meson compile -C "$fuzz" fuzzers
RG_FUZZ_WORKDIR=/ci/fuzz tests/fuzz/run-fuzzers.sh "$fuzz" 12

# ------------------------------------------- 2b. sanitizers on end to end, and valgrind
# (docs/testing.md: what fits CI's time here; every suite under both before an issue closes)
stage "end to end under ASan: mutt, neomutt, git send-email, Postfix"
meson test -C "$asan" --setup asan --num-processes 1 --print-errorlogs \
	--logbase testlog-asan-e2e terminal postfix
no_skips "$asan" testlog-asan-e2e

# the unit tests that take seconds under memcheck (policy, import, server, session, store
# and scorer take minutes, the integration and ui suites more: they are run locally, with
# their figures in docs/testing.md). Not "history": that name is also the integration
# suite's, which takes over ten minutes under memcheck
stage "the fast unit tests under valgrind"
meson test -C "$src/_build" --setup valgrind --print-errorlogs --logbase testlog-valgrind \
	decision address message domain confusable report lookalike knowledge fuzz-address \
	fuzz-scorer fuzz-files fuzz-knowledge fuzz-mailbox sanitizers-catch
no_skips "$src/_build" testlog-valgrind
fi

# ------------------------------------------------- 3. the tarball and its Debian packages
stage "meson dist; the tarball's Debian packages (apt-get build-dep, dpkg-buildpackage)"
# shellcheck disable=SC2046
apt-get install -y -qq --no-install-recommends \
	$(grep -h -v '^\s*#' build-aux/packages-deb.txt) >/dev/null
# debian/control builds what the quick start builds: every package of the build lists is a
# Build-Depends, and the packages have the project's version
python3 - debian/control build-aux/packages.txt build-aux/packages-plugins.txt <<-'PY'
	import re, sys
	control = open(sys.argv[1]).read()
	field = re.search(r"^Build-Depends:(.*?)^(?=\S)", control, re.M | re.S).group(1)
	declared = {re.split(r"[\s(\[<]", alt.strip())[0]
	            for dep in field.split(",") for alt in dep.split("|") if alt.strip()}
	wanted = {l.strip() for f in sys.argv[2:] for l in open(f)
	          if l.strip() and not l.lstrip().startswith("#")} - {"build-essential"}
	missing = sorted(wanted - declared)
	if missing:
	    sys.exit("CI: debian/control's Build-Depends lacks " + " ".join(missing))
	print("debian/control: Build-Depends has all %d build packages" % len(wanted))
PY
version=$(meson introspect --projectinfo _build | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
[ "$(dpkg-parsechangelog -S Version)" = "$version" ] ||
	{ echo "CI: debian/changelog is at $(dpkg-parsechangelog -S Version), meson.build at $version" >&2; exit 1; }
git config --global --add safe.directory "$src"
meson dist -C _build --no-tests --formats xztar
tarball=_build/meson-dist/rcptguard-$version.tar.xz
ls -l "$tarball"
rm -rf /pkg
mkdir /pkg
tar -C /pkg -xf "$tarball"
cd "/pkg/rcptguard-$version"
apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null
# its tests run below, in the same build tree, where CI can insist that none skips
DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -b -us -uc
ls -l /pkg/*.deb

stage "lintian"
lintian --fail-on error --display-info /pkg/*.changes
echo "lintian: no errors"

stage "the tarball's own test suites (all but end to end)"
obj=/pkg/rcptguard-$version/obj-$(dpkg-architecture -qDEB_HOST_GNU_TYPE)
meson test -C "$obj" --no-suite e2e --print-errorlogs --logbase testlog-dist
no_skips "$obj" testlog-dist

# ------------------------------------------------------------- 4. the installed packages
stage "install the .debs; rcptguard from /usr/bin"
apt-get install -y -qq --no-install-recommends $(ls /pkg/*.deb | grep -v -- -dbgsym_) >/dev/null
dpkg -l '*rcptguard*' | grep '^ii'
[ "$(command -v rcptguard)" = /usr/bin/rcptguard ]
/usr/bin/rcptguard version
home=$(mktemp -d)
# the README's demo message, by the installed command, with nothing of the build tree
set +e
(cd / && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$home" XDG_CONFIG_DIRS="$home/xdg" \
	/usr/bin/rcptguard check --known "$src/docs/sample/known.txt" --json \
	-- "$(head -n 1 "$src/docs/sample/message.txt")") >/ci/check.json
rc=$?
set -e
cat /ci/check.json
[ "$rc" = 1 ] || { echo "CI: /usr/bin/rcptguard check exited $rc, want 1" >&2; exit 1; }
grep -q '"suggestion":"gen.smith@army.mil"' /ci/check.json ||
	{ echo "CI: /usr/bin/rcptguard check did not suggest gen.smith@army.mil" >&2; exit 1; }
# --dialog runs the installed helper; without a display it says so
set +e
(cd / && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$home" XDG_CONFIG_DIRS="$home/xdg" \
	/usr/bin/rcptguard check --dialog --known "$src/docs/sample/known.txt" \
	-- gen.smith@army.ml) 2>/ci/dialog.err
rc=$?
set -e
cat /ci/dialog.err
[ "$rc" = 2 ] && grep -q 'cannot open a display' /ci/dialog.err ||
	{ echo "CI: the installed rcptguard check --dialog did not run /usr/libexec/rcptguard-dialog" >&2; exit 1; }
appstreamcli validate --no-net /usr/share/metainfo/org.rcptguard.Evolution.metainfo.xml
# rcptguard-milter: the package brings its unit and creates its user, as whom the installed
# milter reads the system policy and opens a store (the end-to-end suite runs it on Postfix)
unit=/lib/systemd/system/rcptguard-milter.service
grep -q '^ExecStart=/usr/sbin/rcptguard-milter ' "$unit" && grep -q '^User=rcptguard-milter$' "$unit" ||
	{ echo "CI: the rcptguard-milter package has no unit running /usr/sbin/rcptguard-milter as its user" >&2; exit 1; }
getent passwd rcptguard-milter ||
	{ echo "CI: installing rcptguard-milter did not create its user" >&2; exit 1; }
store=$(mktemp -d)
chown rcptguard-milter: "$store"
/usr/sbin/rcptguard-milter --check -u rcptguard-milter --store="$store/senders.db"
rm -rf "$store"

stage "end to end against the installed plugins"
RG_E2E_INSTALLED=1 meson test -C "$obj" --suite e2e --num-processes 1 --print-errorlogs \
	--logbase testlog-installed
no_skips "$obj" testlog-installed
e2e_summary "$obj/meson-logs/testlog-installed.json"
stage_end
echo
echo "CI: all stages passed in the clean root"
