#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds the Camel summary of Evolution's local Sent folder for files put there behind its
back, as Evolution itself would when it indexes a folder: camel-index.py XDG_DATA_HOME.
For the benchmark only (Evolution does not look for such files by itself); Evolution must
not run meanwhile. Prints the number of messages and the seconds it took."""
import sys
import time

import gi

gi.require_version("Camel", "1.2")
from gi.repository import Camel  # noqa: E402

data = sys.argv[1]
Camel.init(data + "/camel-index", False)
Camel.provider_init()
session = Camel.Session(user_data_dir=data + "/evolution/mail",
                        user_cache_dir=data + "/evolution/mail-cache")
store = session.add_service("local", "maildir", Camel.ProviderType.STORE)
store.ref_settings().set_property("path", data + "/evolution/mail/local")
store.set_property("need-summary-check", True)
t0 = time.monotonic()
folder = store.get_folder_sync("Sent", 0, None)
folder.refresh_info_sync(None)
folder.get_folder_summary().save()
folder.synchronize_sync(False, None)
store.synchronize_sync(False, None)
print(folder.get_message_count(), round(time.monotonic() - t0, 3))
