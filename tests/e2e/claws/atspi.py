#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives Claws Mail's own windows through AT-SPI (run inside the test's dbus-run-session).

usage: atspi.py prefs ENABLED HISTORY_TEXT   open Configuration > Preferences, check our page
                                             shows HISTORY_TEXT, set the check box, press OK
       atspi.py prefs-open                   open Preferences at our page
       atspi.py import RESULT_PREFIX         press Import from notmuch there, wait for a
                                             result line starting with RESULT_PREFIX, OK
       atspi.py plugins-open                 open Configuration > Plugins
       atspi.py plugins-unload               unload "Recipient check" there
       atspi.py plugins-close                close that window
Exits 1 with a message on stderr when something is not found.
"""
import sys
import time

import pyatspi

PAGE = "Recipient check"


def fail(msg):
    sys.stderr.write("atspi: %s\n" % msg)
    sys.exit(1)


def find(acc, pred, depth=0):
    if acc is None or depth > 40:
        return None
    try:
        if pred(acc):
            return acc
        for i in range(acc.childCount):
            found = find(acc.getChildAtIndex(i), pred, depth + 1)
            if found is not None:
                return found
    except Exception:  # a widget destroyed while we walk
        return None
    return None


def wait_for(root, pred, what, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        found = find(root, pred)
        if found is not None:
            return found
        time.sleep(0.2)
    fail("not found: " + what)


def app():
    def find_app():
        desk = pyatspi.Registry.getDesktop(0)
        for i in range(desk.childCount):
            a = desk.getChildAtIndex(i)
            if a is not None and a.name == "claws-mail":
                return a
        return None

    end = time.time() + 15
    while time.time() < end:
        a = find_app()
        if a is not None:
            return a
        time.sleep(0.2)
    fail("claws-mail is not on the accessibility bus")


def role(name, label=None):
    return lambda a: a.getRoleName() == name and (label is None or a.name == label)


def activate(acc):
    acc.queryAction().doAction(0)


def select_cell(cell):
    cell.parent.querySelection().selectChild(cell.getIndexInParent())


def prefs(claws, enabled, history_text):
    activate(wait_for(claws, lambda a: a.getRoleName() == "menu item"
                      and a.name in ("Preferences...", "Preferences…"), "Preferences menu item"))
    window = wait_for(claws, role("frame", "Preferences"), "Preferences window")
    select_cell(wait_for(window, role("table cell", PAGE), "our page in the index"))
    box = wait_for(window, lambda a: a.getRoleName() == "check box"
                   and "recipients of every message" in a.name, "the enabled check box")
    print("page: check box %s" % ("on" if box.getState().contains(pyatspi.STATE_CHECKED) else "off"))
    wait_for(window, lambda a: a.getRoleName() == "label"
             and a.name.startswith("When the recipients cannot be checked"), "policy summary")
    print("page: policy summary shown")
    wait_for(window, role("label", history_text), "history statistics %r" % history_text)
    print("page: history statistics shown")
    if box.getState().contains(pyatspi.STATE_CHECKED) != (enabled == "1"):
        activate(box)
    activate(wait_for(window, role("push button", "OK"), "OK button"))


def main():
    claws = app()
    cmd = sys.argv[1]
    if cmd == "prefs":
        prefs(claws, sys.argv[2], sys.argv[3])
    elif cmd == "prefs-open":
        activate(wait_for(claws, lambda a: a.getRoleName() == "menu item"
                          and a.name in ("Preferences...", "Preferences…"), "Preferences menu item"))
        window = wait_for(claws, role("frame", "Preferences"), "Preferences window")
        select_cell(wait_for(window, role("table cell", PAGE), "our page in the index"))
        wait_for(window, role("push button", "Import from notmuch"), "Import button")
    elif cmd == "import":
        window = wait_for(claws, role("frame", "Preferences"), "Preferences window")
        activate(wait_for(window, role("push button", "Import from notmuch"), "Import button"))
        label = wait_for(window, lambda a: a.getRoleName() == "label"
                         and a.name.startswith(sys.argv[2]), "import result %r" % sys.argv[2], 60)
        print("import: %s" % label.name)
        activate(wait_for(window, role("push button", "OK"), "OK button"))
    elif cmd == "plugins-open":
        activate(wait_for(claws, lambda a: a.getRoleName() == "menu item"
                          and a.name in ("Plugins...", "Plugins…"), "Plugins menu item"))
        wait_for(claws, role("frame", "Plugins"), "Plugins window")
    elif cmd == "plugins-unload":
        window = wait_for(claws, role("frame", "Plugins"), "Plugins window")
        select_cell(wait_for(window, role("table cell", PAGE), "our plugin in the list"))
        activate(wait_for(window, role("push button", "Unload"), "Unload button"))
        end = time.time() + 5
        while find(window, role("table cell", PAGE)) is not None:
            if time.time() > end:
                fail("the plugin is still listed after Unload")
            time.sleep(0.2)
    elif cmd == "plugins-close":
        window = wait_for(claws, role("frame", "Plugins"), "Plugins window")
        activate(wait_for(window, role("push button", "Close"), "Close button"))
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
