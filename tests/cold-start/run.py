#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs a `rcptguard` CLI over the cold-start set with an empty history and reports recall per
typo class, top-1 fix and false alarms, with the dev kit's definitions: "flagged" is level warn
or block; top-1 is the share of flagged positives whose suggestion's domain (IDNA-normalised) is
the intended one or an alternative; a false alarm is a flagged negative.

usage: tests/cold-start/run.py RCPTGUARD [--set DIR] [--data-dir DIR] [--show N]
                               [--timeout S] [--json FILE] [--apt-lists DIR]
  --set DIR       the set made by make-set.py; default: made (once, and again when the
                  built-in knowledge or the generator changes) in
                  ${XDG_CACHE_HOME:-~/.cache}/rcptguard-cold-start/
  --data-dir DIR  passed to rcptguard as RCPTGUARD_DATA_DIR (an uninstalled build's
                  common/data in the build tree)
  --apt-lists DIR also thousands of real first contacts from the Debian package lists in DIR
                  (/var/lib/apt/lists): a set of its own, cached beside the other

rcptguard runs once, as `rcptguard check --json -` with every address on stdin, HOME and XDG_*
in a new empty directory (so no store, no settings, no system policy) and no NOTMUCH_*.
The exit status is 0 when the run completed, 1 when it did not; the figures never set it.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FLAG = {"warn", "block"}
CHAR_BUCKETS = ["addition", "bitsquatting", "cyrillic", "homoglyph", "hyphenation", "insertion",
                "omission", "repetition", "replacement", "subdomain", "transposition",
                "vowel-swap", "various"]
OTHER_BUCKETS = ["tld-swap:near", "classic:cctld", "classic:tld-unknown", "compound"]


def to_ascii(domain):
    domain = domain.strip().strip("<>").rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    columns = lines[0].split("\t")
    return [dict(zip(columns, l.split("\t"))) for l in lines[1:] if l]


def default_set_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rcptguard-cold-start")


def ensure_set(set_dir, apt_lists=None):
    """Makes the set when it is missing or older than what it is made from."""
    inputs = [os.path.join(HERE, "make-set.py")] + [
        os.path.join(ROOT, "common", "data", f)
        for f in ("providers.tsv", "high-stakes.tsv", "restricted-tlds.tsv")]
    out = os.path.join(set_dir, "positives.tsv")
    if os.path.exists(out) and all(os.path.getmtime(out) >= os.path.getmtime(i) for i in inputs):
        return
    more = ["--apt-lists", apt_lists] if apt_lists else []
    subprocess.run([sys.executable, os.path.join(HERE, "make-set.py"), set_dir] + more, check=True)


def load_items(set_dir):
    items = []
    for r in read_tsv(os.path.join(set_dir, "positives.tsv")):
        intended = {to_ascii(r["intended_address"].rsplit("@", 1)[1])}
        intended |= {to_ascii(d) for d in r["alt_intended"].split(";") if d}
        bucket = r["fuzzer"] + (":" + r["detail"] if r["detail"] else "")
        items.append({"address": r["typo_address"], "group": "pos", "bucket": bucket,
                      "classic": r["classic"] == "1", "intended": intended})
    for r in read_tsv(os.path.join(set_dir, "negatives.tsv")):
        items.append({"address": r["address"], "group": "neg", "source": r["source"]})
    return items


def clean_env(home, data_dir):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NOTMUCH_") and not k.startswith("XDG_") and k != "RCPTGUARD_DATA_DIR"}
    for var, sub in {"XDG_CONFIG_HOME": ".config", "XDG_DATA_HOME": ".local/share",
                     "XDG_STATE_HOME": ".local/state", "XDG_CACHE_HOME": ".cache",
                     "XDG_CONFIG_DIRS": "etc-xdg"}.items():
        os.makedirs(os.path.join(home, sub), exist_ok=True)
        env[var] = os.path.join(home, sub)
    env["HOME"] = home
    if data_dir:
        env["RCPTGUARD_DATA_DIR"] = os.path.abspath(data_dir)
    return env


def run(binary, items, data_dir, timeout):
    home = tempfile.mkdtemp(prefix="rcptguard-cold-start-home-")
    try:
        data = "".join(it["address"] + "\n" for it in items).encode("utf-8")
        t0 = time.perf_counter()
        p = subprocess.run([binary, "check", "--json", "-"], input=data, capture_output=True,
                           env=clean_env(home, data_dir), timeout=timeout)
        wall = time.perf_counter() - t0
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if p.returncode not in (0, 1, 2):
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{binary} exited with {p.returncode}")
    objs = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if isinstance(o, dict):
            objs.append(o)
    if len(objs) != len(items):
        by_input = {str(o.get("input", "")).strip(): o for o in objs}
        objs = [by_input.get(it["address"], {}) for it in items]
    results = []
    for o in objs:
        sugg = o.get("suggestion")
        sugg_domain = to_ascii(sugg.rsplit("@", 1)[-1]) if isinstance(sugg, str) and sugg else None
        results.append({"level": o.get("level"), "flag": o.get("level") in FLAG,
                        "suggestion": sugg_domain,
                        "codes": [r.get("code") for r in o.get("reasons") or [] if isinstance(r, dict)]})
    return results, wall, p.returncode


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "-"


def report(items, results, wall, show):
    buckets = defaultdict(lambda: [0, 0, 0])  # rows, flagged, right fix
    levels = defaultdict(Counter)
    fa = defaultdict(lambda: [0, 0])
    misses, alarms = defaultdict(list), []
    nc = [0, 0]
    for it, r in zip(items, results):
        if it["group"] == "pos":
            b = buckets[it["bucket"]]
            b[0] += 1
            b[1] += r["flag"]
            b[2] += r["flag"] and r["suggestion"] in it["intended"]
            levels["positives"][r["level"] or "missing"] += 1
            if it["classic"] or it["bucket"] == "tld-swap:near":
                nc[0] += 1
                nc[1] += r["flag"]
            if not r["flag"]:
                misses[it["bucket"]].append((it, r))
        else:
            f = fa[it["source"]]
            f[0] += 1
            f[1] += r["flag"]
            levels["negatives:" + it["source"]][r["level"] or "missing"] += 1
            if r["flag"]:
                alarms.append((it, r))
    pos = sum(b[0] for b in buckets.values())
    flagged = sum(b[1] for b in buckets.values())
    right = sum(b[2] for b in buckets.values())
    char = [buckets[b][1] / buckets[b][0] for b in CHAR_BUCKETS if buckets[b][0]]
    neg = sum(f[0] for f in fa.values())
    neg_flag = sum(f[1] for f in fa.values())
    summary = {
        "positives": pos, "negatives": neg, "seconds": round(wall, 2),
        "near+cl": pct(nc[1], nc[0]),
        "chr.bal": f"{100 * sum(char) / len(char):.1f}%" if char else "-",
        "recall": pct(flagged, pos), "top1|fl": pct(right, flagged),
        "FA-1st": pct(neg_flag, neg),
        "FA-1st by source": {s: pct(f[1], f[0]) + f" ({f[1]}/{f[0]})" for s, f in sorted(fa.items())},
        "recall by class": {b: pct(buckets[b][1], buckets[b][0]) + f" ({buckets[b][1]}/{buckets[b][0]})"
                            for b in CHAR_BUCKETS + OTHER_BUCKETS if buckets[b][0]},
        "top1 by class": {b: pct(buckets[b][2], buckets[b][1])
                          for b in CHAR_BUCKETS + OTHER_BUCKETS if buckets[b][1]},
        "levels": {g: dict(c) for g, c in sorted(levels.items())},
    }
    print(f"cold start: {pos} positives, {neg} negatives, empty history, {wall:.1f} s")
    print(f"  near+cl {summary['near+cl']}  chr.bal {summary['chr.bal']}  recall {summary['recall']}"
          f"  top1|fl {summary['top1|fl']}  FA-1st {summary['FA-1st']}")
    print("  FA-1st by source: " + ", ".join(f"{s} {v}" for s, v in summary["FA-1st by source"].items()))
    print("  recall by class (top-1 of the flagged):")
    for b, v in summary["recall by class"].items():
        print(f"    {b:22} {v:>18}   top1 {summary['top1 by class'].get(b, '-')}")
    print("  levels: " + "; ".join(f"{g} {dict(c)}" for g, c in sorted(levels.items())))
    if show:
        print(f"  missed (up to {show}, classes in turn):")
        order = [b for b in OTHER_BUCKETS + CHAR_BUCKETS if misses.get(b)]
        shown = 0
        for i in range(show):
            for b in order:
                if shown < show and i < len(misses[b]):
                    it, r = misses[b][i]
                    print(f"    {b:22} {it['address']}  for {'/'.join(sorted(it['intended']))}:"
                          f" {r['level']} {','.join(c for c in r['codes'] if c)}")
                    shown += 1
        print(f"  false alarms (up to {show}):")
        for it, r in alarms[:show]:
            print(f"    {it['source']:12} {it['address']}: {r['level']} "
                  f"{','.join(c for c in r['codes'] if c)} -> {r['suggestion']}")
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rcptguard")
    parser.add_argument("--set", dest="set_dir")
    parser.add_argument("--data-dir")
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--json", dest="json_out", help="also write the figures to FILE")
    parser.add_argument("--apt-lists")
    args = parser.parse_args()
    set_dir = args.set_dir
    if set_dir is None:
        set_dir = default_set_dir() + ("-apt" if args.apt_lists else "")
        ensure_set(set_dir, args.apt_lists)
    items = load_items(set_dir)
    try:
        results, wall, rc = run(os.path.abspath(args.rcptguard), items, args.data_dir, args.timeout)
    except subprocess.TimeoutExpired:
        print(f"rcptguard timed out after {args.timeout} s", file=sys.stderr)
        return 1
    summary = report(items, results, wall, args.show)
    summary["exit"] = rc
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
