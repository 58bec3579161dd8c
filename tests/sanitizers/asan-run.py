#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The wrapper of `meson test --setup asan` (tests/meson.build): runs one test with every
AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer report written to files of a
directory of its own, then reads them. The test fails when it failed, or when any report
is there: a memory error or undefined behaviour anywhere, or a leak, unless the leak's
allocation stack has no frame of ours (nor one of an unloaded library, <unknown module>,
which may be ours) and it matches a suppression of the mail clients' own
leaks (clients.supp). A leak with a frame in this tree's sources or build tree is reported
whatever the suppressions say, so no suppression can hide a leak of ours. Only the frames
from the allocation up to the first dispatch of a callback (a main loop's
g_main_context_dispatch, a GObject signal's emission) say whose a leak is: below it a frame
of ours only ran the loop (our dialog's gtk_dialog_run()) or emitted the signal, and the
allocation was made by the callback, which is ours when the callback is.

The mail clients are not built with ASan: the end-to-end scripts start them with
LD_PRELOAD=$RG_ASAN_PRELOAD, the libasan of the compiler that built the plugins, which this
wrapper sets.

  asan-run.py --preload LIBASAN --ours DIR... --client-supp FILE -- COMMAND...
  asan-run.py --self-test      (classify() on made-up reports: check-catches.sh runs it)
"""
import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEADER = re.compile(r"^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:")
FRAME = re.compile(r"^\s*#\d+ ")


def read_supp(path):
    """leak:PATTERN lines, as LSan reads them (a pattern matches part of a frame's
    function, file or module name; * is a wildcard)"""
    with open(path, encoding="utf-8") as f:
        return read_supp_lines(f)


def read_supp_lines(lines):
    pats = []
    for line in lines:
        line = line.strip()
        if line.startswith("leak:"):
            p = line[5:].strip()
            pats.append(p if p.startswith("*") or p.startswith("^") else "*" + p)
    return [p if p.endswith("*") or p.endswith("$") else p + "*" for p in pats]


def split_leaks(text):
    """the leak blocks of an LSan report, each a list of frame lines after its header"""
    leaks, cur = [], None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            cur = [line]
            leaks.append(cur)
        elif cur is not None and FRAME.match(line):
            cur.append(line)
        elif cur is not None and line.strip() == "":
            cur = None
    return leaks


SOURCE = re.compile(r" (\S+?):\d+(?::\d+)? <[^>]*>\s*$")


def is_ours(frame, ours):
    """a frame in this tree: its module or source path is inside it, or its source path,
    relative to the build tree as our builds write it (../plugin/...), names a file of
    it. The module path alone is not enough: Evolution loads our module through a link in
    the test's own staging directory."""
    if any(o in frame for o in ours):
        return True
    m = SOURCE.search(frame)
    if not m or os.path.isabs(m.group(1)):
        return False
    for o in ours:
        path = os.path.realpath(os.path.join(o, m.group(1)))
        if os.path.isfile(path) and any(path.startswith(os.path.realpath(r) + os.sep) for r in ours):
            return True
    return False


# A callback's dispatch: a main loop's (the frames below it only show who ran the loop, a
# gtk_dialog_run() of ours, say) or a GObject signal's (they show who emitted it: our
# gtk_label_set_text() whose "notify" GTK's accessibility bridge handles). The allocation
# belongs to the callback, and is ours when the callback is.
DISPATCH = re.compile(r" in (g_main_context_dispatch|g_main_dispatch|g_closure_invoke|"
                      r"g_signal_emit|g_signal_emit_valist|g_signal_emit_by_name) ")


def owner_frames(frames):
    """the frames that say whose a leak is: from the allocation up to the first dispatch of
    a callback (itself excluded), all of them when there is none"""
    for i, f in enumerate(frames):
        if DISPATCH.search(f):
            return frames[:i]
    return frames


def classify(text, ours, supp):
    """(the report's blocks that count, the number of client leaks suppressed)"""
    counted, suppressed = [], 0
    if "ERROR: LeakSanitizer" not in text or re.search(
            r"ERROR: AddressSanitizer|runtime error:|ERROR: UndefinedBehaviorSanitizer", text):
        # a memory error or undefined behaviour: always counts, whole
        return [text], 0
    for leak in split_leaks(text):
        frames = leak[1:]
        # a frame of a library unloaded before the leak check has no name: it may be ours
        if any("<unknown module>" in f or is_ours(f, ours) for f in owner_frames(frames)):
            counted.append("\n".join(leak))
        elif any(fnmatch.fnmatchcase(f.split(" in ", 1)[-1], p) for f in frames for p in supp):
            suppressed += 1
        else:
            counted.append("\n".join(leak))
    return counted, suppressed


def self_test():
    """classify() on made-up reports whose answer is known: the main-loop rule both ways"""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    mod = "<%s/_build/plugin/evolution/module-rcptguard.so>" % root

    def frames(*names):
        return "".join("    #%d 0x1 in %s (%s+0x1) %s\n" % (i, n, m, m if m[0] == "<" else "<%s>" % m)
                       for i, (n, m) in enumerate(names))

    def report(body):
        return ("==1==ERROR: LeakSanitizer: detected memory leaks\n\n"
                "Direct leak of 16 byte(s) in 1 object(s) allocated from:\n%s\n" % body)

    glib, dbus, bridge = "/lib/libglib-2.0.so.0", "/lib/libdbus-1.so.3", "/lib/libatk-bridge-2.0.so"
    loop = [("g_main_context_dispatch", glib), ("g_main_loop_run", glib), ("gtk_dialog_run", "/lib/libgtk-3.so.0")]
    cases = [
        # the accessibility bridge's message, read while our dialog ran its loop: not ours
        ("below the dispatch", [("malloc", dbus), ("socket_ref_state_set", bridge)] + loop
         + [("rg_dialog_run_decision", mod)], 0, 1),
        # the same, allocated in our callback the loop dispatched: ours
        ("our callback", [("malloc", dbus), ("socket_ref_state_set", bridge), ("rg_idle_cb", mod)]
         + loop + [("rg_dialog_run_decision", mod)], 1, 0),
        # the bridge's handler of a signal our code emitted: not ours
        ("a signal's handler", [("malloc", dbus), ("spi_object_append_reference", bridge),
                                ("g_signal_emit", "/lib/libgobject-2.0.so.0"),
                                ("gtk_label_set_text", "/lib/libgtk-3.so.0"), ("rg_prefs_show", mod)], 0, 1),
        # our handler of a signal the client emitted: ours
        ("our handler", [("malloc", glib), ("rg_presend_cb", mod), ("g_closure_invoke", "/lib/libgobject-2.0.so.0"),
                         ("socket_ref_state_set", bridge)], 1, 0),
        # no loop: any frame of ours makes it ours
        ("no loop", [("malloc", glib), ("rg_presend_cb", mod), ("socket_ref_state_set", bridge)], 1, 0),
        # an unloaded library's frame above the dispatch may be ours
        ("unknown module", [("malloc", glib), ("", "<unknown module>"), ("socket_ref_state_set", bridge)]
         + loop, 1, 0),
    ]
    supp = read_supp_lines(["leak:libatk-bridge-2.0.so"])
    bad = 0
    for name, names, want_counted, want_supp in cases:
        counted, n_supp = classify(report(frames(*names)), [root], supp)
        ok = (len(counted), n_supp) == (want_counted, want_supp)
        bad += not ok
        print("%s %s: %d counted, %d suppressed" % ("ok  " if ok else "FAIL", name, len(counted), n_supp))
    return 1 if bad else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", required=True)
    ap.add_argument("--ours", action="append", default=[])
    ap.add_argument("--client-supp", required=True)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    supp = read_supp(a.client_supp)
    logs = tempfile.mkdtemp(prefix="rg-asan.")
    env = dict(os.environ)

    def opts(var, extra):
        env[var] = ":".join(x for x in (env.get(var, ""), extra) if x)

    # every frame with its module's path (<...> at the end), also where it has a source line:
    # a plugin's source paths are relative to the build tree ("../plugin/..."), its module
    # path is ours
    opts("ASAN_OPTIONS", "log_path=%s/asan:log_exe_name=1:stack_trace_format=%s"
         % (logs, '"    #%n %p %F %L <%m>"'))
    opts("UBSAN_OPTIONS", "log_path=%s/ubsan:log_exe_name=1" % logs)
    env["RG_ASAN_PRELOAD"] = a.preload
    rc = subprocess.call(cmd, env=env)

    bad, n_supp = [], 0
    for name in sorted(os.listdir(logs)):
        with open(os.path.join(logs, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        counted, s = classify(text, a.ours, supp)
        n_supp += s
        bad += ["== %s ==\n%s" % (name, c) for c in counted]
    if n_supp:
        print("asan-run: %d leak(s) of the mail clients' own code suppressed (clients.supp)"
              % n_supp, file=sys.stderr)
    if bad:
        print("asan-run: %d sanitizer report(s):" % len(bad), file=sys.stderr)
        print("\n\n".join(bad), file=sys.stderr)
        print("asan-run: the reports are kept in " + logs, file=sys.stderr)
        return rc or 1
    shutil.rmtree(logs, ignore_errors=True)
    print("asan-run: no sanitizer reports", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
