#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, with no notmuch and no known-correspondents file anywhere: a fresh Claws Mail
# profile whose Sent folder (MH) holds three messages to gen.smith@army.mil and whose
# address book has two contacts, one of them saved with the typo (gen.smith@army.ml). The
# plugin reads both at start-up; then
#   - a second start reads nothing again (the counts in the store and in the log say so);
#   - a message to gen.smith@army.ml gets the dialog with the fix, which says that the
#     address is in the address book, and goes out corrected;
#   - a message to the other contact goes out with no dialog, although every first contact
#     asks here (level-first-contact=warn), while a stranger at the same domain is asked
#     about: the address book vouches for its addresses, not for their domains.
#
# usage: run-sources.sh PLUGIN_SO RCPTGUARD_CLI     (exit 77 as run-e2e.sh)
set -u

PLUGIN_ARG=$1
RG_CLI=${2:-}
E2E_NO_HISTORY=1

# the profile, before Claws first starts
before_start() {
	local i
	mkdir -p "$ROOT/Mail/inbox" "$ROOT/Mail/sent" "$ROOT/Mail/queue" "$ROOT/Mail/draft" \
		"$ROOT/Mail/trash" "$ROOT/cfg/addrbook"
	for i in 1 2 3; do
		cat >"$ROOT/Mail/sent/$i" <<EOF
From: Test Sender <sender@example.test>
To: General Smith <gen.smith@army.mil>
Subject: report $i
Message-ID: <e2e-sent-$i@example.test>
Date: Mon, 0$i Jun 2026 10:00:00 +0000

Report number $i.
EOF
	done
	cat >"$ROOT/cfg/folderlist.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" ?>
<folderlist config_version="4">
  <folder type="mh" name="Mailbox" path="$ROOT/Mail" collapsed="0" sort="0">
    <folderitem type="inbox" name="inbox" path="inbox" />
    <folderitem type="outbox" name="sent" path="sent" />
    <folderitem type="queue" name="queue" path="queue" />
    <folderitem type="draft" name="draft" path="draft" />
    <folderitem type="trash" name="trash" path="trash" />
  </folder>
</folderlist>
EOF
	cat >"$ROOT/cfg/addrbook/addrbook--index.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" ?>
<addressbook>
  <book_list>
    <book name="Personal address book" file="addrbook-000001.xml" />
  </book_list>
  <vcard_list>
  </vcard_list>
  <jpilot_list>
  </jpilot_list>
  <ldap_list>
  </ldap_list>
</addressbook>
EOF
	cat >"$ROOT/cfg/addrbook/addrbook-000001.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" ?>
<address-book name="Personal address book" >
  <person uid="100" first-name="Pat" last-name="Partner" nick-name="" cn="Pat Partner" >
    <address-list>
      <address uid="101" alias="" email="pat@oakridge-partners.com" remarks="" />
    </address-list>
    <attribute-list>
    </attribute-list>
  </person>
  <person uid="200" first-name="General" last-name="Smith" nick-name="" cn="General Smith" >
    <address-list>
      <address uid="201" alias="" email="gen.smith@army.ml" remarks="saved by mistake" />
    </address-list>
    <attribute-list>
    </attribute-list>
  </person>
</address-book>
EOF
	# every first contact asks: the contact's own address must not
	cat >"$ROOT/etc-xdg/rcptguard/policy.conf" <<EOF
[policy]
level-first-contact=warn
EOF
}

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

sources_done() { [ "$(grep -c 'sources: done' "$LOG")" -ge "$1" ]; }
# a figure of one source in `history stats --json`: KIND FIELD
stat_of() {
	"$RG_CLI" history stats --json | "$PY" -c '
import json, sys
kind, field = sys.argv[1], sys.argv[2]
rows = [s for s in json.load(sys.stdin)["sources"] if s["kind"] == kind]
print(rows[0][field] if rows else "none")' "$1" "$2"
}

# --- the first start reads the Sent folder and the address book ------------------------
t=$(now)
if poll 20 sources_done 1; then
	ok "first start: the Sent folder and the address book were read ($(since "$t")s)"
else
	bad "first start: the reading did not finish"
fi
grep -q 'sources: #mh/Mailbox/sent: 3 new messages read' "$LOG" &&
	ok "first start: 3 messages of the Sent folder (MH) read by the core" ||
	bad "first start: $(grep 'sources: #mh' "$LOG" | tail -2)"
grep -q 'sources: address book addrbook-000001.xml: 2 addresses handed over' "$LOG" &&
	ok "first start: 2 addresses of the address book handed over" ||
	bad "first start: $(grep 'sources: address book' "$LOG" | tail -2)"
[ "$(stat_of claws-folder sent)" = 3 ] && ok "store: the Sent folder counts 3 messages sent" ||
	bad "store: Sent folder sent=$(stat_of claws-folder sent)"
[ "$(stat_of claws-addressbook contacts)" = 2 ] && ok "store: the address book counts 2 addresses" ||
	bad "store: address book contacts=$(stat_of claws-addressbook contacts)"
FOLDER_READ=$(stat_of claws-folder read_at)
BOOK_READ=$(stat_of claws-addressbook read_at)
timing first-start "$t"

# --- a second start reads nothing again ------------------------------------------------
t=$(now)
if stop_claws; then
	sleep 1.1 # a write now would show in read_at, which counts seconds
	start_claws
	if poll 20 sources_done 2; then
		grep 'sources: done' "$LOG" | tail -1 | grep -q '0 messages and addresses handed over, 0 sources written' &&
			ok "second start: nothing read again ($(grep 'sources: done' "$LOG" | tail -1 | sed 's/.*sources: //'))" ||
			bad "second start: $(grep 'sources: done' "$LOG" | tail -1)"
	else
		bad "second start: the reading did not finish"
	fi
	[ "$(stat_of claws-folder read_at)" = "$FOLDER_READ" ] && [ "$(stat_of claws-folder messages)" = 3 ] &&
		[ "$(stat_of claws-addressbook read_at)" = "$BOOK_READ" ] &&
		ok "second start: the store was not written (counts and times unchanged)" ||
		bad "second start: the store changed: $("$RG_CLI" history stats --json)"
fi
timing second-start "$t"

# --- the typo saved as a contact: the dialog with the fix, and it says so ---------------
if want typo; then
	t=$(now)
	S=e2e-src-typo
	if W=$(compose $S 'General%20Smith%20%3Cgen.smith@army.ml%3E') && send_expect_dialog typo "$W" ctrl+Return; then
		grep -q 'flagged gen.smith@army.ml (fix gen.smith@army.mil):.*tld-typo.*address-book' "$LOG" &&
			ok "typo: the dialog offers gen.smith@army.mil and says the address is in the address book" ||
			bad "typo: the dialog said $(grep 'flagged' "$LOG" | tail -1)"
		D=$(cat "$ROOT/last-dialog")
		key "$D" alt+u
		answer typo "$D" alt+c
		expect_delivered typo $S gen.smith@army.mil 'General Smith <gen.smith@army.mil>'
	fi
	close_compose "$W"
	timing typo "$t"
fi

# --- a stranger at the contact's domain is asked about; the contact goes out with no dialog
if want contact; then
	t=$(now)
	# first: sending to the contact records its domain as one written to
	S=e2e-src-stranger
	if W=$(compose $S 'bob@oakridge-partners.com') && send_expect_dialog stranger "$W" ctrl+Return; then
		answer stranger "$(cat "$ROOT/last-dialog")" alt+e
		expect_not_delivered stranger $S
	fi
	close_compose "$W"
	S=e2e-src-contact
	if W=$(compose $S 'Pat%20Partner%20%3Cpat@oakridge-partners.com%3E'); then
		n=$(n_shown)
		key "$W" ctrl+Return
		expect_delivered contact $S pat@oakridge-partners.com
		[ "$(n_shown)" = "$n" ] && ok "contact: no dialog" || bad "contact: a dialog was shown"
	fi
	close_compose "$W"
	timing contact "$t"
fi

finish
