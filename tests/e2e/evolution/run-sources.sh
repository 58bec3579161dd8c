#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# End to end, with no notmuch anywhere: a fresh Evolution profile. The user sends three
# messages to gen.smith@army.mil, which Evolution keeps in its local Sent folder, and adds
# two contacts to the address book (through EDS), one of them saved with the typo
# (gen.smith@army.ml). Then
#   - Read Again on the Preferences page reads them, and the page says what it read;
#   - a second start reads nothing again (the counts in the store and in the log say so);
#   - a message to gen.smith@army.ml gets the dialog with the fix, which says that the
#     address is in the address book, and goes out corrected: only the Sent folder makes
#     army.mil strong enough for that, since sends rcptguard recorded itself do not;
#   - a message to the other contact goes out with no dialog, although every first contact
#     asks here (level-first-contact=warn), while a stranger at the same domain is asked
#     about: the address book vouches for its addresses, not for their domains.
# (Evolution does not look for files put into its local folders behind its back, so the
# Sent folder is filled the way a user fills it: by sending.)
#
# usage: run-sources.sh MODULE_SO LIBDIR[:LIBDIR...] RCPTGUARD_CLI
# knobs: RG_E2E_SCENARIOS="typo contact", RG_E2E_TIMEOUT, RG_E2E_KEEP=1 (as run-e2e.sh)
set -u
# shellcheck source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

if [ "${1:-}" != --inner ]; then
	RG_CLI=$(readlink -f "${3:-}")
	rg_e2e_installed && RG_CLI=${RG_E2E_INSTALLED_CLI:?run through meson}
	[ -x "$RG_CLI" ] || { echo "FAIL: no rcptguard command: ${3:-}"; exit 1; }
	/usr/bin/python3 -c 'import gi; gi.require_version("EBook", "1.2")' 2>/dev/null ||
		{ echo "SKIP: gir1.2-ebook-1.2 is not installed"; exit 77; }
	evo_outer "$0" "${1:-none}" "${2:-}" "${RG_E2E_SCENARIOS:-typo contact}"
fi

# ------------------------------------------------------------ inside dbus-run-session
evo_inner_init
sources_done() { [ "$(grep -c 'sources: done' "$W/evolution.log")" -ge "$1" ]; }
last_done() { grep 'sources: done' "$W/evolution.log" | tail -1 | sed 's/.*sources: //'; }
last_done_is() { case "$(last_done)" in "$1"*) return 0 ;; esac; return 1; }
# a figure of one source in `history stats --json`: KIND FIELD
stat_of() {
	"$RG_CLI" history stats --json | $py -c '
import json, sys
kind, field = sys.argv[1], sys.argv[2]
rows = [s for s in json.load(sys.stdin)["sources"] if s["kind"] == kind]
print(rows[0][field] if rows else "none")' "$1" "$2"
}

begin "the local Sent folder and the address book are read"
if ! start_evolution; then
	kill $sinkpid 2>/dev/null
	exit 1
fi
for _ in $(seq 1 "$(scaled 120)"); do sources_done 1 && break; sleep 0.25; done
check "the first reading finished (an empty profile)" sources_done 1
for i in 1 2 3; do
	check "report $i sent to gen.smith@army.mil" compose "RG R$i" "mailto:General%20Smith%20<gen.smith@army.mil>?subject=RG%20R$i&body=report"
	check "Send pressed" send "RG R$i"
	check "delivered without a dialog" wait_msgs $i
done
check "contacts added through EDS" $py "$here/make-contacts.py" \
	'Pat Partner <pat@oakridge-partners.com>' 'General Smith <gen.smith@army.ml>'
# from now on every first contact asks: the contact's own address must not
printf '[policy]\nlevel-first-contact=warn\n' >"$W/etc-xdg/rcptguard/policy.conf"
check "Preferences opened" $A click evolution '^Mail$' Preferences 15
check "page selected" $A mouse evolution 'Preferences' 'Recipient Check' 30
# a folder whose files changed in the last 2 s gets no stamp (another change in the same tick
# would not show), so it would be opened again at the next start: let the last send settle
sleep 2.1
check "Read Again pressed" $A click evolution 'Preferences' 'Read Again' 15
for _ in $(seq 1 "$(scaled 120)"); do sources_done 2 && break; sleep 0.25; done
check "the reading finished" sources_done 2
check "3 messages of the Sent folder handed over" grep -q 'folder://local/Sent: 3 messages handed over' "$W/evolution.log"
check "2 addresses of the address book handed over" grep -q 'address book system-address-book: 2 addresses handed over' "$W/evolution.log"
check "the page says what was read from the folder" $A has-text evolution 'Preferences' '3 messages, 3 sent by you' 10
check "the page says what was read from the address book" $A has-text evolution 'Preferences' ': 2 addresses.' 10
check "store: the Sent folder counts 3 messages sent" test "$(stat_of evolution-folder sent)" = 3
check "store: the address book counts 2 addresses" test "$(stat_of evolution-addressbook contacts)" = 2
echo "INFO $(last_done)"
FOLDER_READ=$(stat_of evolution-folder read_at)
BOOK_READ=$(stat_of evolution-addressbook read_at)
end

begin "second start: nothing is read again"
quit_evolution
sleep 1.1 # a write now would show in read_at, which counts seconds
if start_evolution; then
	for _ in $(seq 1 "$(scaled 120)"); do sources_done 3 && break; sleep 0.25; done
	check "the reading finished" sources_done 3
	check "nothing handed over, nothing written" last_done_is "done, 0 messages and addresses handed over, 0 sources written"
	check "the local Sent folder not even opened: its files are as they were" \
		grep -q 'folder://local/Sent: nothing new (its files are as they were)' "$W/evolution.log"
	check "store: the Sent folder is as it was" test "$(stat_of evolution-folder read_at):$(stat_of evolution-folder messages)" = "$FOLDER_READ:3"
	check "store: the address book is as it was" test "$(stat_of evolution-addressbook read_at)" = "$BOOK_READ"
	echo "INFO $(last_done)"
else
	check "Evolution started again" false
fi
end

if want typo; then
	begin "typo saved as a contact: the dialog with the fix says it is in the address book"
	n=$(msgs)
	check "composer opens" compose 'RG S1' 'mailto:General%20Smith%20<gen.smith@army.ml>?subject=RG%20S1&body=typo'
	check "Send pressed" send 'RG S1'
	check "dialog shown" $A wait-window evolution "$DLG" 15
	check "the dialog says the address is in the address book" $A has-text evolution "$DLG" 'is in your address book' 5
	check "suggestion gen.smith@army.mil taken" $A click evolution "$DLG" 'Use gen.smith@army.mil' 5
	check "Send Corrected pressed" $A click evolution "$DLG" 'Send Corrected' 5
	check "delivered" wait_msgs $((n + 1))
	check "envelope: gen.smith@army.mil" test "$(last_rcpts)" = gen.smith@army.mil
	end
fi

if want contact; then
	begin "the contact: no dialog; a stranger at its domain: asked about"
	n=$(msgs)
	# first: sending to the contact records its domain as one written to
	check "composer opens" compose 'RG S2' 'mailto:bob@oakridge-partners.com?subject=RG%20S2&body=stranger'
	check "Send pressed" send 'RG S2'
	check "dialog shown for the stranger, Edit Message pressed" $A click evolution "$DLG" 'Edit Message' 15
	sleep 1
	check "nothing delivered" test "$(msgs)" -eq "$n"
	check "composer opens" compose 'RG S3' 'mailto:Pat%20Partner%20<pat@oakridge-partners.com>?subject=RG%20S3&body=contact'
	check "Send pressed" send 'RG S3'
	check "delivered without a dialog" wait_msgs $((n + 1))
	check "envelope: pat@oakridge-partners.com" test "$(last_rcpts)" = pat@oakridge-partners.com
	check "no dialog open" $A absent evolution "$DLG" 1
	end
fi

if ! evo_alive 2>/dev/null; then
	echo "FAIL Evolution is no longer running"
	failed=1
fi
evo_inner_finish
