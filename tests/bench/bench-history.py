#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""History benchmark: run on demand (`ninja -C _build bench-history`), never a test.

Generates once a maildir of 50,000 messages (10 % sent by the user) and its notmuch
database under the build dir, then prints in one run:
- the first import into a new store vs `notmuch address --output=sender '*'` plus
  `notmuch address --output=recipients 'from:<user>'` on the same database (target <= 0.5x);
- a refresh with nothing changed (target < 20 ms);
- store load time and peak memory for 100,000 addresses (target < 50 ms, < 30 MB).
"""
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

USER = "me@bench.example"
N_MESSAGES = 50000
SENT_SHARE = 0.10
VERSION = "rcptguard-bench-history-1"


def generate(mail, config):
    rnd = random.Random(VERSION)
    shutil.rmtree(mail, ignore_errors=True)
    for box in ("INBOX", "Sent"):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(mail, box, sub))
    providers = ["gmail.com", "yahoo.com", "outlook.com", "gmx.de", "web.de", "proton.me"]
    orgs = [f"org{i}.example" for i in range(1500)] + [f"dept{i}.army.mil" for i in range(60)]
    first = ["anna", "ben", "chris", "dana", "eli", "fay", "gus", "hana", "ivan", "jo", "kim",
             "lars", "mia", "nils", "ola", "pia", "quinn", "rosa", "sam", "tess", "uma", "vic"]
    people = []
    for i in range(12000):
        dom = rnd.choice(providers) if rnd.random() < 0.3 else rnd.choice(orgs)
        people.append((f"{rnd.choice(first).title()} {i}", f"{rnd.choice(first)}.{i}@{dom}"))
    n_sent = int(N_MESSAGES * SENT_SHARE)
    for n in range(N_MESSAGES):
        sent = n < n_sent
        when = 1672531200 + rnd.randrange(2 * 365 * 86400)
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
        other = rnd.choice(people)
        if sent:
            frm, to = ("Me", USER), other
            cc = [rnd.choice(people) for _ in range(rnd.choice([0, 0, 1, 2]))]
            box = "Sent"
        else:
            frm, to = other, ("Me", USER)
            cc = [rnd.choice(people) for _ in range(rnd.choice([0, 0, 0, 1]))]
            box = "INBOX"
        lines = [f"From: {frm[0]} <{frm[1]}>", f"To: {to[0]} <{to[1]}>"]
        if cc:
            lines.append("Cc: " + ", ".join(f"{c[0]} <{c[1]}>" for c in cc))
        lines += [f"Subject: Message {n}", f"Date: {date}", f"Message-ID: <{n}.{VERSION}@bench>",
                  "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "",
                  "Some text for the body.\n" * rnd.randint(3, 30)]
        with open(os.path.join(mail, box, "cur", f"{when}.{n}.bench:2,S"), "w") as f:
            f.write("\n".join(lines))
    with open(config, "w") as f:
        f.write(f"[database]\npath={mail}\n\n[user]\nname=Me\nprimary_email={USER}\n\n"
                "[new]\ntags=inbox;\n\n[search]\nexclude_tags=deleted;spam;\n")
    env = dict(os.environ, NOTMUCH_CONFIG=config)
    subprocess.run(["notmuch", "new", "--quiet"], env=env, check=True)


def timed(cmd, env, repeat=3):
    """best wall-clock time and best CPU time (user + system) of `repeat` runs"""
    best, best_cpu = None, None
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        dt = time.monotonic() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        best = dt if best is None else min(best, dt)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best, best_cpu


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    # --json: also print the figures as one JSON object on the last line (bench-table.py)
    as_json = sys.argv[3:] == ["--json"]
    if len(sys.argv) != 3 and not as_json:
        print("usage: bench-history.py BENCH_BINARY CACHE_DIR [--json]", file=sys.stderr)
        return 2
    binary, cache = sys.argv[1], sys.argv[2]
    if not shutil.which("notmuch"):
        print("bench-history: the notmuch command is needed", file=sys.stderr)
        return 77
    mail = os.path.join(cache, "mail")
    config = os.path.join(cache, "notmuch-config")
    stamp = os.path.join(cache, "stamp")
    if not (os.path.exists(stamp) and open(stamp).read().strip() == VERSION):
        os.makedirs(cache, exist_ok=True)
        print(f"generating {N_MESSAGES} messages and their notmuch database in {cache} (once)",
              flush=True)
        t0 = time.monotonic()
        generate(mail, config)
        with open(stamp, "w") as f:
            f.write(VERSION + "\n")
        print(f"  done in {time.monotonic() - t0:.0f} s", flush=True)

    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTMUCH_")}
    env["NOTMUCH_CONFIG"] = config
    # warm the page cache for both sides alike
    subprocess.run(["notmuch", "address", "--output=recipients", f"from:{USER}"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    senders, senders_cpu = timed(["notmuch", "address", "--output=sender", "*"], env)
    recipients, recipients_cpu = timed(
        ["notmuch", "address", "--output=recipients", f"from:{USER}"], env)
    baseline = senders + recipients
    baseline_cpu = senders_cpu + recipients_cpu

    with tempfile.TemporaryDirectory(prefix="rg-bench-") as tmp:
        store = os.path.join(tmp, "history.db")
        imports = [run_json([binary, "import", store, mail, config]) for _ in range(3)]
        imp = min(imports, key=lambda r: r["first_import_s"])
        imp_cpu = min(r["first_import_cpu_s"] for r in imports)
        big = os.path.join(tmp, "big.db")
        run_json([binary, "fill", big, "100000"])
        loads = [run_json([binary, "load", big]) for _ in range(5)]
        load = sorted(loads, key=lambda r: r["load_ms"])[len(loads) // 2]

    ratio = imp["first_import_s"] / baseline
    ratio_cpu = imp_cpu / baseline_cpu
    rows = [
        ("first import (50,000 msgs, best of 3)", f"{imp['first_import_s']:.3f} s",
         f"cpu {imp_cpu:.3f} s; {imp['files_read']} files read", ""),
        ("notmuch address --output=sender '*'", f"{senders:.3f} s",
         f"cpu {senders_cpu:.3f} s; best of 3", ""),
        (f"notmuch address --output=recipients 'from:{USER}'", f"{recipients:.3f} s",
         f"cpu {recipients_cpu:.3f} s; best of 3", ""),
        ("import / notmuch address, wall clock", f"{ratio:.2f}x", "target <= 0.5x",
         "ok" if ratio <= 0.5 else "MISSED"),
        ("import / notmuch address, cpu time", f"{ratio_cpu:.2f}x", "target <= 0.5x",
         "ok" if ratio_cpu <= 0.5 else "MISSED"),
        ("refresh, nothing changed (median of 20)", f"{imp['refresh_median_ms']:.1f} ms",
         f"max {imp['refresh_max_ms']:.1f} ms; target < 20 ms",
         "ok" if imp["refresh_median_ms"] < 20 else "MISSED"),
        (f"store load, {load['addresses']} addresses (median of 5)", f"{load['load_ms']:.1f} ms",
         f"cpu {load['load_cpu_ms']:.1f} ms, open {load['open_ms']:.1f} ms; target < 50 ms",
         "ok" if load["load_ms"] + load["open_ms"] < 50 else "MISSED"),
        ("peak memory of that load", f"{load['peak_mb']:.1f} MB", "target < 30 MB",
         "ok" if load["peak_mb"] < 30 else "MISSED"),
        ("baseline: that store file read into memory", f"{load['read_ms']:.1f} ms",
         f"{load['file_mb']:.1f} MB, page cache warm", ""),
    ]
    print()
    print(f"| {'what':<58} | {'figure':>9} | {'notes':<44} |    |")
    print(f"|{'-' * 60}|{'-' * 11}|{'-' * 46}|----|")
    for what, fig, note, verdict in rows:
        print(f"| {what:<58} | {fig:>9} | {note:<44} | {verdict:<2} |")
    if as_json:
        print(json.dumps({"import_s": imp["first_import_s"], "import_cpu_s": imp_cpu,
                          "notmuch_s": baseline, "notmuch_cpu_s": baseline_cpu,
                          "load": load}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
