#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's two quick-start commands:
#   build-aux/quickstart.sh demo   install what is missing, build, check the sample message
#   build-aux/quickstart.sh test   install what is missing, build, run every test suite
# and, for CI's debugging runs (.ci/run RG_CI_FROM=packages):
#   build-aux/quickstart.sh packages   install what `test` needs, nothing else
# Works as root (apt-get directly) or as a user with sudo. Set RG_NO_INSTALL=1 to skip apt.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-demo}
builddir=${RG_BUILDDIR:-$here/_build}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
	[ "${RG_NO_INSTALL:-0}" = 1 ] && return 0
	lists="$here/build-aux/packages.txt"
	[ "$mode" = test ] &&
		lists="$lists $here/build-aux/packages-plugins.txt $here/build-aux/packages-test.txt"
	# shellcheck disable=SC2086
	wanted=$(cat $lists | grep -v '^\s*#' | sed '/^\s*$/d')
	missing=""
	for p in $wanted; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	# Installing postfix would replace another mail server (exim4 on a stock Debian); then
	# leave it out, and the Postfix test and benchmark say they skipped
	case " $missing " in
	*" postfix "*)
		mta=$(dpkg-query -S /usr/sbin/sendmail 2>/dev/null | cut -d: -f1 || true)
		if [ -n "$mta" ] && [ "$mta" != postfix ]; then
			echo "quickstart: not installing postfix, it would replace $mta" >&2
			missing=$(echo " $missing " | sed 's/ postfix / /')
		fi
		;;
	esac
	if [ -n "$(echo "$missing" | tr -d ' ')" ]; then
		echo "quickstart: installing$missing"
		# the tests start Postfix instances of their own; the system's stays unconfigured
		# and never runs (postfix.service needs /etc/postfix/main.cf)
		case " $missing " in
		*" postfix "*)
			echo "postfix postfix/main_mailer_type select No configuration" |
				as_root debconf-set-selections
			;;
		esac
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
	fi
	# the translation tests need one non-English locale
	if [ "$mode" = test ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
		as_root sh -c 'sed -i "s/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/" /etc/locale.gen && locale-gen >/dev/null'
	fi
}

build() {
	if [ ! -f "$builddir/build.ninja" ]; then
		meson setup "$builddir" "$here" ${RG_MESON_ARGS:-}
	elif [ "$mode" = test ]; then
		# the test packages may have arrived since: let the optional parts (the mail client
		# plugins) find them
		meson setup --reconfigure "$builddir" "$here" ${RG_MESON_ARGS:-} >/dev/null
	fi
	ninja -C "$builddir"
}

if [ "$mode" = packages ]; then
	mode="test"
	install_packages
	exit 0
fi
install_packages
build
case "$mode" in
demo)
	echo
	echo "== rcptguard checks a message on the built-in sample data =="
	echo "   history: $(grep -vc '^#' "$here/docs/sample/known.txt") known correspondents (docs/sample/known.txt)"
	echo "   message: $(tr '\n' ' ' <"$here/docs/sample/message.txt")"
	echo
	# only the sample data: not your history store, notmuch or settings
	sandbox=$(mktemp -d)
	trap 'rm -rf "$sandbox"' EXIT
	export XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
		XDG_CONFIG_DIRS="$sandbox/etc" XDG_CACHE_HOME="$sandbox/cache" \
		NOTMUCH_CONFIG="$sandbox/no-notmuch-config"
	# the lines of the sample message are the recipients of one message
	set --
	while IFS= read -r line; do set -- "$@" "$line"; done <"$here/docs/sample/message.txt"
	set +e
	"$builddir/plugin/cli/rcptguard" check --known "$here/docs/sample/known.txt" \
		-- "$@"
	rc=$?
	set -e
	echo
	echo "exit status $rc (0: all fine, 1: a recipient needs attention, 2: error)"
	[ "$rc" -le 1 ]
	# with a display, the same message in the dialog a mail client shows
	if [ -n "${DISPLAY:-}" ] && [ -x "$builddir/ui/rcptguard-dialog" ]; then
		echo
		echo "== the same message in the confirm-or-fix dialog (close it or pick a button) =="
		set +e
		"$builddir/plugin/cli/rcptguard" check --dialog \
			--known "$here/docs/sample/known.txt" -- "$@"
		rc=$?
		set -e
		echo "exit status $rc (0: send, 1: edit the message, 2: error)"
		[ "$rc" -le 1 ]
	fi
	;;
test)
	# first everything but the end-to-end tests, in parallel; then the real mail clients
	# one at a time, each with its own Xvfb, D-Bus session and SMTP sink
	meson test -C "$builddir" --print-errorlogs --no-suite e2e --logbase testlog-main \
		${RG_TEST_ARGS:-}
	meson test -C "$builddir" --print-errorlogs --suite e2e --num-processes 1 --verbose \
		--logbase testlog-e2e ${RG_TEST_ARGS:-}
	;;
*)
	echo "usage: $0 demo|test|packages" >&2
	exit 2
	;;
esac
