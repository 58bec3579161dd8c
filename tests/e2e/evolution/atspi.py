#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Drives Evolution through the accessibility bus (python3-pyatspi).

  atspi.py wait-window APP TITLE_RE [TIMEOUT]        a top-level accessible matches
  atspi.py absent APP TITLE_RE [TIMEOUT]             no top-level matches (any more)
  atspi.py click APP TITLE_RE NAME [TIMEOUT]         activate a sensitive, showing button
  atspi.py sensitive APP TITLE_RE NAME [TIMEOUT]     print "yes"/"no" for a showing button
  atspi.py mouse APP TITLE_RE NAME [TIMEOUT]         pointer click (xdotool) on a named accessible
  atspi.py has-text APP TITLE_RE TEXT [TIMEOUT]      a showing accessible's name contains TEXT
  atspi.py dump APP TITLE_RE                          print the tree (for diagnosis)

NAME is compared without mnemonic underscores. Exit 0 on success, 1 on timeout."""
import os
import re
import subprocess
import sys
import time

import pyatspi

BUTTON_ROLES = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_MENU_ITEM,
                pyatspi.ROLE_CHECK_BOX)


def windows(app_name, title_re):
    rx = re.compile(title_re)
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is None or app.name != app_name:
                continue
            for w in app:
                if w is not None and rx.search(w.name or ""):
                    yield w
        except Exception:
            continue


def walk(acc, depth=0):
    if acc is None or depth > 40:
        return
    yield acc
    try:
        children = list(acc)
    except Exception:
        return
    for ch in children:
        yield from walk(ch, depth + 1)


def find_button(win, name, need_sensitive):
    for acc in walk(win):
        try:
            role = acc.getRole()
            if role not in BUTTON_ROLES or (acc.name or "").replace("_", "") != name:
                continue
            st = acc.getState()
            if not (st.contains(pyatspi.STATE_SHOWING) or role in BUTTON_ROLES[2:]):
                continue
            if need_sensitive and not st.contains(pyatspi.STATE_SENSITIVE):
                continue
            return acc
        except Exception:
            continue
    return None


def find_named(win, name):
    for acc in walk(win):
        try:
            if (acc.name or "") == name and acc.getState().contains(pyatspi.STATE_SHOWING):
                return acc
        except Exception:
            continue
    return None


def poll(timeout, fn):
    end = time.time() + timeout
    while True:
        r = fn()
        if r is not None:
            return r
        if time.time() >= end:
            return None
        time.sleep(0.2)


def main():
    cmd, app, title = sys.argv[1], sys.argv[2], sys.argv[3]
    if cmd in ("click", "sensitive", "mouse", "has-text"):
        name = sys.argv[4]
        timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 20
    else:
        timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 20
    # the asan test setup: Evolution with libasan preloaded is several times slower
    timeout *= float(os.environ.get("RG_E2E_TIMEOUT_MULTIPLIER") or 1)

    if cmd == "wait-window":
        w = poll(timeout, lambda: next(windows(app, title), None))
        return 0 if w is not None else 1
    if cmd == "absent":
        r = poll(timeout, lambda: True if next(windows(app, title), None) is None else None)
        return 0 if r else 1
    if cmd == "click":
        def try_click():
            for w in windows(app, title):
                b = find_button(w, name, True)
                if b is not None:
                    b.queryAction().doAction(0)
                    return True
            return None
        return 0 if poll(timeout, try_click) else 1
    if cmd == "sensitive":
        def try_state():
            for w in windows(app, title):
                b = find_button(w, name, False)
                if b is not None:
                    return "yes" if b.getState().contains(pyatspi.STATE_SENSITIVE) else "no"
            return None
        r = poll(timeout, try_state)
        if r is None:
            return 1
        print(r)
        return 0
    if cmd == "mouse":
        def try_mouse():
            for w in windows(app, title):
                a = find_named(w, name)
                if a is not None:
                    e = a.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
                    x, y = e.x + e.width // 2, e.y + e.height // 2
                    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                                   check=True)
                    return True
            return None
        return 0 if poll(timeout, try_mouse) else 1
    if cmd == "has-text":
        def try_text():
            for w in windows(app, title):
                for acc in walk(w):
                    try:
                        if name in (acc.name or "") and \
                           acc.getState().contains(pyatspi.STATE_SHOWING):
                            return True
                    except Exception:
                        continue
            return None
        return 0 if poll(timeout, try_text) else 1
    if cmd == "dump":
        for w in windows(app, title):
            for acc in walk(w):
                try:
                    print(acc.getRoleName(), repr(acc.name))
                except Exception:
                    pass
        return 0
    print("unknown command", cmd, file=sys.stderr)
    return 2


sys.exit(main())
