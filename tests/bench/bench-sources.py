#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""History without notmuch: run on demand (`ninja -C _build bench-sources`), never a test.

Generates once a Sent folder of 50,000 messages, as an mbox file, a Maildir, an MH folder for
Claws Mail and a Maildir for Evolution's local Sent folder (cached in the build dir), then
prints in one run, each beside a baseline measured in the same run:
- the first read of the mbox, of the Maildir and of the MH folder by the core (`history import`'s code, in
  process), against `grep -c '^From '` over the mbox and `grep -r '^To:'` over the folders;
  the memory it added; a refresh with nothing new (target < 20 ms);
- the same 50,000 messages handed over as a mail client does (a fed source);
- Claws Mail: the plugin's first read with Claws' cache cold and warm, and the refresh at
  the next start, with the longest slice the main loop was kept for (the composer's wait),
  and Claws' peak memory against Claws with the reading switched off;
- Evolution: the module's first read and the refresh at the next start, against Evolution's
  own indexing of the folder (Camel), and its peak memory against the start before.
The mail clients are skipped when they are not installed.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

N_MESSAGES = 50000
VERSION = "rcptguard-bench-sources-1"
ME = "me@bench.example"
CLAWS_ME = "sender@example.test"      # the account of tests/e2e/claws/lib.sh
EVOLUTION_ME = "tester@mailhost.org"  # the identity of tests/e2e/evolution/make-sources.sh


def messages(sender):
    """the same 50,000 messages the user sent, From @sender"""
    rnd = random.Random(VERSION)
    first = ["anna", "ben", "chris", "dana", "eli", "fay", "gus", "hana", "ivan", "jo", "kim"]
    domains = [f"org{i}.example" for i in range(1500)] + [f"dept{i}.army.mil" for i in range(60)]
    people = [(f"{rnd.choice(first).title()} {i}", f"{rnd.choice(first)}.{i}@{rnd.choice(domains)}")
              for i in range(8000)]
    for n in range(N_MESSAGES):
        when = 1672531200 + n * 1200
        to = rnd.choice(people)
        cc = [rnd.choice(people) for _ in range(rnd.choice([0, 0, 1, 2]))]
        lines = [f"From: Me <{sender}>", f"To: {to[0]} <{to[1]}>"]
        if cc:
            lines.append("Cc: " + ", ".join(f"{c[0]} <{c[1]}>" for c in cc))
        lines += [f"Subject: Message {n}",
                  time.strftime("Date: %a, %d %b %Y %H:%M:%S +0000", time.gmtime(when)),
                  f"Message-ID: <{n}.{VERSION}@bench>", "MIME-Version: 1.0",
                  "Content-Type: text/plain; charset=UTF-8", "",
                  "Some text for the body.\n" * rnd.randint(3, 30)]
        yield n, when, "\n".join(lines)


def generate(cache):
    shutil.rmtree(cache, ignore_errors=True)
    os.makedirs(cache)
    with open(os.path.join(cache, "Sent.mbox"), "w") as mbox:
        for n, when, text in messages(ME):
            mbox.write(time.strftime("From me@bench.example %a %b %d %H:%M:%S %Y\n",
                                     time.gmtime(when)))
            mbox.write(re.sub(r"(?m)^From ", ">From ", text) + "\n\n")
    for name, sender, layout in (("maildir", ME, "maildir"), ("mh", CLAWS_ME, "mh"),
                                 ("evolution", EVOLUTION_ME, "flat")):
        base = os.path.join(cache, name)
        target = os.path.join(base, "cur") if layout == "maildir" else base
        os.makedirs(target)
        if layout == "maildir":
            os.makedirs(os.path.join(base, "new"))
            os.makedirs(os.path.join(base, "tmp"))
        for n, when, text in messages(sender):
            fname = str(n + 1) if layout == "mh" else f"{when}.{n}.bench:2,S"
            with open(os.path.join(target, fname), "w") as f:
                f.write(text)
    with open(os.path.join(cache, "stamp"), "w") as f:
        f.write(VERSION + "\n")


def timed(cmd, repeat=3):
    best = None
    for _ in range(repeat):
        t0 = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        dt = time.monotonic() - t0
        best = dt if best is None else min(best, dt)
    return best


def core(binary, kind, what, user):
    tmp = os.path.join(os.path.dirname(what.rstrip("/")) if kind != "feed" else "/tmp",
                       f"rg-bench-{kind}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        out = subprocess.run([binary, kind, tmp, what, user], check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def figures(cmd, env):
    """runs a client bench script, returns its FIGURE lines as a dict (or None: skipped)"""
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode == 77:
        return None
    got = {}
    for line in r.stdout.splitlines():
        if line.startswith("FIGURE "):
            _, key, value = line.split(" ", 2)
            got[key] = value
    if r.returncode != 0:
        print(r.stdout[-3000:], file=sys.stderr)
        got["error"] = f"exit {r.returncode}"
    return got


def done_ms(line):
    m = re.search(r"\(([0-9.]+) ms", line or "")
    return float(m.group(1)) if m else float("nan")


def waited_ms(line):
    m = re.search(r"([0-9.]+) ms of it waiting for EDS", line or "")
    return float(m.group(1)) if m else 0.0


def longest_ms(line):
    m = re.search(r"the longest ([0-9.]+) ms", line or "")
    return float(m.group(1)) if m else float("nan")


def main():
    if len(sys.argv) != 8:
        print("usage: bench-sources.py BENCH CLI CLAWS_PLUGIN EVOLUTION_MODULE LIBDIRS CACHE "
              "BUILD_ROOT", file=sys.stderr)
        return 2
    binary, cli, claws_plugin, evo_module, libdirs, cache, build_root = sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    stamp = os.path.join(cache, "stamp")
    if not (os.path.exists(stamp) and open(stamp).read().strip() == VERSION):
        print(f"generating {N_MESSAGES} sent messages four times in {cache} (once)", flush=True)
        t0 = time.monotonic()
        generate(cache)
        print(f"  done in {time.monotonic() - t0:.0f} s", flush=True)
    mbox = os.path.join(cache, "Sent.mbox")
    maildir = os.path.join(cache, "maildir")
    rows = []

    # the core, with baselines in the same run (the page cache warm for both)
    timed(["grep", "-c", "^From ", mbox], 1)
    grep_mbox = timed(["grep", "-c", "^From ", mbox])
    grep_md = timed(["grep", "-r", "-c", "^To:", os.path.join(maildir, "cur")])
    grep_mh = timed(["grep", "-r", "-c", "^To:", os.path.join(cache, "mh")])
    runs = [core(binary, "mbox", mbox, ME) for _ in range(3)]
    mb = min(runs, key=lambda r: r["first_s"])
    runs = [core(binary, "maildir", maildir, ME) for _ in range(3)]
    md = min(runs, key=lambda r: r["first_s"])
    runs = [core(binary, "mh", os.path.join(cache, "mh"), CLAWS_ME) for _ in range(3)]
    mh = min(runs, key=lambda r: r["first_s"])
    fd = core(binary, "feed", str(N_MESSAGES), ME)
    rows += [
        ("mbox: first read (50,000 msgs, best of 3)", f"{mb['first_s']:.2f} s",
         f"cpu {mb['first_cpu_s']:.2f} s, +{mb['peak_mb']:.0f} MB; {mb['sent']} sent", ""),
        ("  baseline: grep -c '^From ' (best of 3)", f"{grep_mbox:.2f} s",
         f"ratio {mb['first_s'] / grep_mbox:.1f}x", ""),
        ("mbox: refresh, nothing new (median of 20)", f"{mb['refresh_median_ms']:.2f} ms",
         f"max {mb['refresh_max_ms']:.2f} ms; target < 20 ms",
         "ok" if mb["refresh_median_ms"] < 20 else "MISSED"),
        ("Maildir: first read (best of 3)", f"{md['first_s']:.2f} s",
         f"cpu {md['first_cpu_s']:.2f} s, +{md['peak_mb']:.0f} MB; {md['sent']} sent", ""),
        ("  baseline: grep -r -c '^To:' cur/ (best of 3)", f"{grep_md:.2f} s",
         f"ratio {md['first_s'] / grep_md:.1f}x", ""),
        ("Maildir: refresh, nothing new (median of 20)", f"{md['refresh_median_ms']:.2f} ms",
         f"max {md['refresh_max_ms']:.2f} ms; target < 20 ms",
         "ok" if md["refresh_median_ms"] < 20 else "MISSED"),
        ("MH (Claws' Sent, read by the core): first read", f"{mh['first_s']:.2f} s",
         f"cpu {mh['first_cpu_s']:.2f} s, +{mh['peak_mb']:.0f} MB; {mh['sent']} sent", ""),
        ("  baseline: grep -r -c '^To:' (best of 3)", f"{grep_mh:.2f} s",
         f"ratio {mh['first_s'] / grep_mh:.1f}x", ""),
        ("MH: refresh, nothing new (median of 20)", f"{mh['refresh_median_ms']:.2f} ms",
         f"max {mh['refresh_max_ms']:.2f} ms; target < 20 ms",
         "ok" if mh["refresh_median_ms"] < 20 else "MISSED"),
        ("fed source (a client's 50,000 msgs): the core's part", f"{fd['first_s']:.2f} s",
         f"cpu {fd['first_cpu_s']:.2f} s, +{fd['peak_mb']:.0f} MB", ""),
        ("fed source: a client's check, nothing new (median)", f"{fd['refresh_median_ms']:.2f} ms",
         f"max {fd['refresh_max_ms']:.2f} ms; target < 20 ms",
         "ok" if fd["refresh_median_ms"] < 20 else "MISSED"),
    ]

    env = dict(os.environ, RG_E2E_BUILD_ROOT=build_root)
    claws = None
    if os.path.exists(claws_plugin):
        claws = figures([os.path.join(here, "bench-claws-sources.sh"), claws_plugin, cli,
                         os.path.join(cache, "mh")], env)
    if claws is None:
        rows.append(("Claws Mail", "skipped", "claws-mail, Xvfb or the plugin missing", ""))
    else:
        base = int(claws.get("baseline_hwm_kb", "0")) / 1024
        for run, what in (("cold", "first read, Claws' cache cold"),
                          ("warm", "first read, Claws' cache warm"),
                          ("refresh", "next start, nothing new")):
            line = claws.get(f"{run}_done")
            hwm = int(claws.get(f"{run}_hwm_kb", "0")) / 1024
            rows.append((f"Claws: {what}", f"{done_ms(line) / 1000:.2f} s",
                         f"longest main-loop slice {longest_ms(line):.1f} ms; "
                         f"peak {hwm:.0f} MB vs {base:.0f} MB without", ""))
        rows.append(("Claws: refresh, nothing new", f"{done_ms(claws.get('refresh_done')):.1f} ms",
                     "target < 20 ms",
                     "ok" if done_ms(claws.get("refresh_done")) < 20 else "MISSED"))
        rows.append(("Claws: messages stored as sent", claws.get("stored", "?"),
                     claws.get("error", ""), ""))
    evo = None
    if os.path.exists(evo_module):
        evo = figures([os.path.join(here, "bench-evolution-sources.sh"), evo_module, libdirs,
                       os.path.join(cache, "evolution"), cli], env)
    if evo is None:
        rows.append(("Evolution", "skipped", "evolution, Xvfb or the module missing", ""))
    else:
        idx = evo.get("evolution_index", "? ?").split()
        base = int(evo.get("baseline_hwm_kb", "0")) / 1024
        rows.append(("  baseline: Evolution indexes the folder (Camel)", f"{float(idx[1]):.2f} s",
                     f"{idx[0]} messages in its summary", ""))
        for run, what in (("first", "first read"), ("refresh", "next start, nothing new")):
            line = evo.get(f"{run}_done")
            hwm = int(evo.get(f"{run}_hwm_kb", "0")) / 1024
            rows.append((f"Evolution: {what}", f"{done_ms(line) / 1000:.2f} s",
                         f"in threads; peak {hwm:.0f} MB vs {base:.0f} MB before", ""))
        refresh = done_ms(evo.get("refresh_done")) - waited_ms(evo.get("refresh_done"))
        rows.append(("Evolution: refresh, nothing new", f"{refresh:.1f} ms",
                     f"target < 20 ms; besides {waited_ms(evo.get('refresh_done')):.0f} ms "
                     "waiting for EDS to start the address book",
                     "ok" if refresh < 20 else "MISSED"))
        rows.append(("Evolution: messages stored as sent", evo.get("stored", "?"),
                     evo.get("error", ""), ""))

    print()
    print(f"| {'what':<54} | {'figure':>9} | {'notes':<62} |        |")
    print(f"|{'-' * 56}|{'-' * 11}|{'-' * 64}|--------|")
    for what, fig, note, verdict in rows:
        print(f"| {what:<54} | {fig:>9} | {note:<62} | {verdict:<6} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
