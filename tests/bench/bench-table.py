#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The performance table of issue 17, every row next to its baseline measured in this run.

Run on demand (`ninja -C _build bench-table`, or `meson test -C _build --benchmark table`),
never a test: it prints figures and ratios and asserts no time. It reuses the other benches:

- batch: `rcptguard check --json --known FILE -` over ~43k addresses with a 300-address
  history, against the peers mailcheck and email-misspelled under node. Debian 12 packages
  neither and nothing is fetched from npm, so when node cannot `require()` them the baseline
  is the floor any node peer pays: node reading the same list and writing one JSON object per
  address (a lower bound for both peers, so the ratio shown is a lower bound too);
- start-up to the first result with an empty history, against `gio --version`;
- one message of 50 recipients with 100k and 1M known addresses (bench-scorer), against the
  naive scan of one edit distance per known domain;
- store load of 100k addresses and its memory, and the first notmuch import of 50k messages
  against `notmuch address` (bench-history.py), the load against a plain read of the file;
- milter: bench-milter.py (a real Postfix with and without the milter), when it is built.

usage: bench-table.py RCPTGUARD BENCH-SCORER BENCH-HISTORY BENCH-HISTORY.PY HISTORY-CACHE
                      [BENCH-MILTER.PY MILTER SEED]
"""
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

N_BATCH = 43255
N_KNOWN = 300
N_STARTUP = 21
N_BATCH_RUNS = 3

PROVIDERS = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "gmx.de",
             "web.de", "icloud.com", "proton.me", "army.mil", "mail.ru", "yandex.ru"]

# the floor of a node peer: read the list, one JSON object per address, nothing decided
NODE_FLOOR = r"""
const rl = require('readline').createInterface({input: process.stdin});
const out = [];
rl.on('line', (l) => { out.push(JSON.stringify({address: l, suggestion: null})); });
rl.on('close', () => { process.stdout.write(out.join('\n') + '\n'); });
"""


def batch_lists(tmp):
    """the known file (300 addresses) and the list to check: known, fresh and typo addresses"""
    rnd = random.Random("rcptguard-bench-table-1")
    orgs = [f"org{i}.example" for i in range(400)] + [f"dept{i}.army.mil" for i in range(20)]
    known = [f"person{i}@{rnd.choice(PROVIDERS + orgs)}" for i in range(N_KNOWN)]
    lines = []
    for i in range(N_BATCH):
        kind = i % 4
        if kind == 0:
            lines.append(rnd.choice(known))
        elif kind == 1:
            dom = rnd.choice(PROVIDERS)
            p = rnd.randrange(len(dom) - 4)
            typo = dom[:p] + dom[p + 1] + dom[p] + dom[p + 2:]  # a swap
            lines.append(f"user{i}@{typo}")
        elif kind == 2:
            lines.append(f"user{i}@{rnd.choice(PROVIDERS)}")
        else:
            lines.append(f"user{i}@fresh{rnd.randrange(5000)}.example")
    known_file = os.path.join(tmp, "known.txt")
    list_file = os.path.join(tmp, "list.txt")
    with open(known_file, "w") as f:
        f.write("\n".join(known) + "\n")
    with open(list_file, "w") as f:
        f.write("\n".join(lines) + "\n")
    return known_file, list_file


def hermetic_env(tmp):
    """an empty HOME and XDG dirs: no history, no policy"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NOTMUCH_"))}
    home = os.path.join(tmp, "home")
    for sub in ("config", "data", "cache", "state", "etc-xdg"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
               XDG_DATA_HOME=os.path.join(home, "data"),
               XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_STATE_HOME=os.path.join(home, "state"),
               XDG_CONFIG_DIRS=os.path.join(home, "etc-xdg"),
               NOTMUCH_CONFIG=os.path.join(home, "no-notmuch-config"),
               LC_ALL="C.UTF-8", NO_COLOR="1")
    return env


def wall(cmd, env, stdin_path=None, ok=(0,)):
    with open(stdin_path or os.devnull, "rb") as stdin:
        t0 = time.monotonic()
        r = subprocess.run(cmd, env=env, stdin=stdin, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        dt = time.monotonic() - t0
    if r.returncode not in ok:
        sys.exit(f"bench-table: {' '.join(cmd)} exited {r.returncode}: "
                 f"{r.stderr.decode(errors='replace')[-400:]}")
    return dt


def node_has(env, module):
    r = subprocess.run(["node", "-e", f"require.resolve('{module}')"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def row_batch(cli, tmp, env, rows, notes):
    known_file, list_file = batch_lists(tmp)
    ours = [wall([cli, "check", "--json", "--known", known_file, "-"], env, list_file, (0, 1))
            for _ in range(N_BATCH_RUNS)]
    t_ours = min(ours)
    what = f"batch check --json -, {N_BATCH} addresses, {N_KNOWN}-address history"
    if not shutil.which("node"):
        rows.append((what, f"{t_ours:.3f} s", "node missing: no baseline", "-", "goal >= 20x"))
        notes.append("node is not installed (Debian package nodejs): the batch row has no "
                     "baseline")
        return
    missing = [m for m in ("mailcheck", "email-misspelled") if not node_has(env, m)]
    if missing:
        notes.append(
            "peer(s) missing: " + ", ".join(missing) + " (Debian 12 packages neither; npm is "
            "never used here). Baseline: node reading the same list and writing one JSON "
            "object per address, a lower bound for either peer, so the ratio is a lower "
            "bound of rcptguard's speed-up over the faster peer.")
    floor = os.path.join(tmp, "node-floor.js")
    with open(floor, "w") as f:
        f.write(NODE_FLOOR)
    base = min(wall(["node", floor], env, list_file) for _ in range(N_BATCH_RUNS))
    label = "node floor (peers missing)" if missing else "node floor"
    rows.append((what, f"{t_ours:.3f} s", f"{label} {base:.3f} s", f"speed-up {base / t_ours:.2f}x",
                 "goal >= 20x faster than the faster peer"))


def row_startup(cli, env, rows):
    ours, gio = [], []
    for _ in range(N_STARTUP):  # interleaved, so load changes hit both alike
        ours.append(wall([cli, "check", "--json", "x@example.org"], env))
        gio.append(wall(["gio", "--version"], env))
    t_ours, t_gio = statistics.median(ours), statistics.median(gio)
    rows.append((f"start-up, empty history: check --json x@example.org (median of {N_STARTUP})",
                 f"{t_ours * 1e3:.1f} ms", f"gio --version {t_gio * 1e3:.1f} ms",
                 f"{t_ours / t_gio:.2f}x", "goal <= 1.5x"))


def row_scorer(scorer, env, rows):
    out = subprocess.run([scorer, "100000", "1000000"], env=env, check=True,
                         capture_output=True, text=True).stdout
    sizes = re.findall(r"^\s*(\d+) addresses", out, re.M)
    ours = re.findall(r"rcptguard : .*median ([\d.]+) ms, p99 ([\d.]+) ms", out)
    naive = re.findall(r"naive scan: .*median ([\d.]+) ms, p99 ([\d.]+) ms", out)
    if not (len(sizes) == len(ours) == len(naive) == 2):
        sys.exit("bench-table: cannot read bench-scorer's output:\n" + out)
    goals = {"100000": "goal < 0.25 ms", "1000000": "goal < 1 ms"}
    for n, (_, p99), (_, naive_p99) in zip(sizes, ours, naive):
        rows.append((f"one message of 50 recipients, {int(n):,}-address history, p99",
                     f"{float(p99):.3f} ms", f"naive scan p99 {float(naive_p99):.3f} ms",
                     f"{float(naive_p99) / max(float(p99), 1e-6):.0f}x faster", goals[n]))


def row_history(bench, script, cache, env, rows):
    r = subprocess.run([sys.executable, script, bench, cache, "--json"], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench-table: bench-history.py failed ({r.returncode}):\n{r.stderr}")
    fig = json.loads(r.stdout.strip().splitlines()[-1])
    load = fig["load"]
    total = load["load_ms"] + load["open_ms"]
    rows.append((f"store load, {load['addresses']:,} addresses (open + load, median of 5)",
                 f"{total:.1f} ms", f"plain read of the file {load['read_ms']:.1f} ms",
                 f"{total / max(load['read_ms'], 1e-3):.1f}x", "goal < 20 ms"))
    rows.append(("  its peak memory", f"{load['peak_mb']:.1f} MB",
                 f"file {load['file_mb']:.1f} MB", "-", "goal < 30 MB"))
    rows.append(("first notmuch import, 50,000 messages (best of 3)",
                 f"{fig['import_s']:.3f} s", f"notmuch address {fig['notmuch_s']:.3f} s",
                 f"{fig['import_s'] / fig['notmuch_s']:.2f}x", "goal <= 0.3x"))


def row_milter(cmd, env, rows, notes):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    out = r.stdout
    what = "milter, 1,000 senders x 1,000 addresses"
    if r.returncode == 77:
        skip = re.search(r"^SKIP: (.*)$", out, re.M)
        rows.append((what, "skipped", "-", "-", "p99 < 0.5 ms; >= 0.9x Postfix alone"))
        notes.append("bench-milter did not run here: " + (skip.group(1) if skip else out[-300:]))
        return
    plain = re.search(r"throughput without the milter: ([\d.]+) messages/s", out)
    checked = re.search(r"throughput with the milter: +([\d.]+) messages/s", out)
    p99 = re.search(r"per-recipient latency in the milter.*?p99 (\d+) us", out)
    if r.returncode != 0 or not (plain and checked and p99):
        sys.exit(f"bench-table: bench-milter.py failed ({r.returncode}):\n{out[-3000:]}"
                 f"{r.stderr[-2000:]}")
    rows.append((f"{what}: per-recipient p99", f"{int(p99.group(1)) / 1e3:.3f} ms",
                 "-", "-", "goal < 0.5 ms"))
    rows.append((f"{what}: throughput", f"{float(checked.group(1)):.0f} msg/s",
                 f"Postfix alone {float(plain.group(1)):.0f} msg/s",
                 f"{float(checked.group(1)) / float(plain.group(1)):.2f}x",
                 "goal >= 0.9x Postfix alone"))


def main():
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    cli, scorer, hist_bin, hist_py, hist_cache = sys.argv[1:6]
    milter = sys.argv[6:]
    rows, notes = [], []
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rg-bench-table-") as tmp:
        env = hermetic_env(tmp)
        print("batch ...", flush=True)
        row_batch(cli, tmp, env, rows, notes)
        print("start-up ...", flush=True)
        row_startup(cli, env, rows)
        print("one message (bench-scorer 100000 1000000) ...", flush=True)
        row_scorer(scorer, env, rows)
        print("store and import (bench-history.py; generates its corpus once) ...", flush=True)
        row_history(hist_bin, hist_py, hist_cache, env, rows)
    if milter:
        print("milter (bench-milter.py: a real Postfix with and without it) ...", flush=True)
        row_milter(milter, env, rows, notes)
    else:
        rows.append(("milter: see bench-milter (issue 16)", "-", "-", "-",
                     "p99 < 0.5 ms; >= 0.9x Postfix alone"))
    load1 = os.getloadavg()

    print()
    print("rcptguard performance table (issue 17); each baseline measured in this run")
    widths = [max(len(r[i]) for r in rows + [("path", "figure", "baseline", "ratio", "goal")])
              for i in range(5)]
    head = ("path", "figure", "baseline", "ratio", "goal")
    for r in [head, tuple("-" * w for w in widths)] + rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    print(f"\nload average before {load0[0]:.2f}, after {load1[0]:.2f} on {os.cpu_count()} "
          "cores: figures on a busy machine are noisy")
    for n in notes:
        print("note: " + n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
