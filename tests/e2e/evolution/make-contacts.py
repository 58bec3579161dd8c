#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Adds contacts to Evolution's built-in address book ("Personal") through EDS, as a user
would: make-contacts.py "Full Name <address>"...  Needs the session bus of the test (the
address book factory is started on it)."""
import re
import sys

import gi

gi.require_version("EDataServer", "1.2")
gi.require_version("EBook", "1.2")
gi.require_version("EBookContacts", "1.2")
from gi.repository import EBook, EBookContacts, EDataServer  # noqa: E402

registry = EDataServer.SourceRegistry.new_sync(None)
book = EBook.BookClient.connect_sync(registry.ref_builtin_address_book(), 30, None)
for arg in sys.argv[1:]:
    m = re.fullmatch(r"(.*?)\s*<([^>]+)>", arg)
    name, email = (m.group(1), m.group(2)) if m else (arg, arg)
    contact = EBookContacts.Contact.new()
    contact.set_property("full-name", name)
    contact.set_property("email-1", email)
    ok, uid = book.add_contact_sync(contact, EBookContacts.BookOperationFlags.NONE, None)
    if not ok:
        sys.exit("cannot add " + arg)
    print(uid)
