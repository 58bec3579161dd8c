#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds the cold-start test set: typos of popular domains for a user with no history, and
real first-contact addresses that must stay quiet.

Seeds, chosen by rule from the built-in knowledge (common/data), never by hand:
  - the providers ranked 1-40 (the hand-curated big providers, in rank order);
  - the first 20 providers of band 3 by rank, which is email-providers' Majestic order, a
    ranking made outside rcptguard;
  - every second second-level .mil, .gov and .int domain of high-stakes.tsv (domain order),
    and every 150th .edu domain.
Positives (a mistyped address, the intended one, the typo class):
  - dnstwist's character fuzzers on each seed (Debian package dnstwist), at most --per-class
    variants per seed and class, picked by a hash of the variant so the choice is stable;
  - tld-swap:near: the seed's name under each public suffix one edit (or one dropped label)
    from its own;
  - classic: the seed under a string one edit from its TLD that is no TLD (gmail.con), and a
    restricted TLD's ccTLD neighbours (army.ml);
  - compound: a character typo and an unknown-TLD typo at once (gnail.con).
  A variant is kept only when mail to it could be delivered (under a listed public suffix, not
  a bare suffix) and it is no seed, listed provider or high-stakes domain itself.
Negatives:
  - first-contact: the first-contact rows of the dev kit's negatives.tsv (both scenarios, read
    at run time, not copied), source maintainer/homepage as there;
  - popular: a new address at every seed and every band 1-2 provider (correct domains that a
    user with no history writes to for the first time);
  - with --apt-lists DIR, apt-maintainer and apt-homepage: every other Maintainer mail domain
    and registrable Homepage domain of the Debian package lists in DIR (/var/lib/apt/lists,
    read with apt-helper), the same kind of real first contacts as the kit's, in thousands.

usage: tests/cold-start/make-set.py OUTDIR [--kit DIR] [--data DIR] [--per-class N]
                                    [--apt-lists DIR]
Writes OUTDIR/positives.tsv and OUTDIR/negatives.tsv, each headed by how it was made.
"""

import argparse
import csv
import glob
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "build-aux"))
import rgknowledge as rk  # noqa: E402

CHAR_FUZZERS = ["addition", "bitsquatting", "cyrillic", "homoglyph", "hyphenation", "insertion",
                "omission", "repetition", "replacement", "subdomain", "transposition",
                "vowel-swap", "various"]
FIRST = ["james", "maria", "wei", "fatima", "olga", "kenji", "ana", "lukas", "priya", "minjun",
         "sofia", "omar", "emma", "diego", "yuki", "ivan", "chloe", "raj", "lea", "tomas"]
LAST = ["smith", "garcia", "chen", "khan", "ivanova", "tanaka", "silva", "muller", "sharma",
        "kim", "rossi", "haddad", "martin", "lopez", "sato", "petrov", "dubois", "patel",
        "schmidt", "novak"]


def default_kit():
    for candidate in (os.environ.get("RG_EVAL_DEV"),
                      os.path.join(ROOT, "..", "shared", "eval-dev"),
                      os.path.join(ROOT, "..", "..", "shared", "eval-dev")):
        if candidate and os.path.isdir(os.path.join(candidate, "data", "dev")):
            return os.path.normpath(candidate)
    return None


def h(*parts):
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


def local_part(seed, variant):
    n = int(h("local", seed, variant)[:8], 16)
    return f"{FIRST[n % len(FIRST)]}.{LAST[(n // len(FIRST)) % len(LAST)]}"


def read_data(path):
    """The rows of a common/data file as dicts."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    columns = next(l for l in lines if l.startswith("# columns: "))[len("# columns: "):].split("\t")
    header = [l for l in lines if l.startswith("# ")]
    rows = [dict(zip(columns, l.split("\t"))) for l in lines if l and not l.startswith("#")]
    return header, rows


def choose_seeds(providers, stakes):
    good = [p for p in providers if p["typo_of"] == "-"]
    good.sort(key=lambda p: int(p["rank"]))
    seeds = [p["domain"] for p in good if int(p["rank"]) <= 40]
    seeds += [p["domain"] for p in good if p["band"] == "3"][:20]
    second_level = sorted(s["domain"] for s in stakes if s["domain"].count(".") == 1)
    for tld, step in (("mil", 2), ("gov", 2), ("int", 2), ("edu", 150)):
        seeds += [d for d in second_level if d.endswith("." + tld)][::step]
    return list(dict.fromkeys(seeds))


def tld_typos(suffix, psl_tlds):
    """Strings one edit from the last label of @suffix that are no TLD."""
    head, _, tld = suffix.rpartition(".")
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    for i in range(len(tld) + 1):
        for c in letters:
            out.add(tld[:i] + c + tld[i:])
    for i in range(len(tld)):
        out.add(tld[:i] + tld[i + 1:])
        for c in letters:
            out.add(tld[:i] + c + tld[i + 1:])
    for i in range(len(tld) - 1):
        out.add(tld[:i] + tld[i + 1] + tld[i] + tld[i + 2:])
    out = {t for t in out if len(t) >= 2 and t != tld and t not in psl_tlds}
    return sorted((head + "." if head else "") + t for t in out)


def apt_domains(lists_dir, psl):
    """The Maintainer mail domains and the registrable Homepage domains of the Debian package
    lists in @lists_dir: {domain: source}."""
    found = {}
    for path in sorted(glob.glob(os.path.join(lists_dir, "*_Packages*"))):
        text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], capture_output=True,
                              text=True, errors="replace", check=True).stdout
        for line in text.splitlines():
            if line.startswith(("Maintainer:", "Uploaders:", "Original-Maintainer:")):
                for d in re.findall(r"<[^<>@\s]+@([^<>\s]+)>", line):
                    d = rk.to_ascii(d)
                    if d and psl.registrable(d):
                        found.setdefault(d, "apt-maintainer")
            elif line.startswith("Homepage:"):
                m = re.match(r"Homepage:\s*\w+://([^/:\s]+)", line)
                d = rk.to_ascii(m.group(1)) if m else None
                reg = psl.registrable(d) if d else None
                if reg:
                    found.setdefault(reg, "apt-homepage")
    return found


def new_row(seed, unicode_domain, fuzzer, detail, classic):
    return {"intended": seed, "unicode": unicode_domain, "fuzzer": fuzzer, "detail": detail,
            "classic": classic, "alt": set()}


def pick(items, k, *key):
    return sorted(items, key=lambda v: h(*key, v))[:k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--kit", default=default_kit(),
                        help="the dev evaluation kit (default: ../shared/eval-dev, or $RG_EVAL_DEV)")
    parser.add_argument("--data", default=os.path.join(ROOT, "common", "data"))
    parser.add_argument("--per-class", type=int, default=4,
                        help="variants kept per seed and typo class (default 4)")
    parser.add_argument("--psl", default=rk.DEFAULT_PSL)
    parser.add_argument("--apt-lists", help="also take real first contacts from the Debian "
                        "package lists in DIR (/var/lib/apt/lists)")
    args = parser.parse_args()
    if args.kit is None:
        sys.exit("the dev kit was not found: give --kit DIR or set RG_EVAL_DEV")
    try:
        import dnstwist
    except ImportError:
        sys.exit("the Python module dnstwist is needed (Debian package dnstwist)")

    psl = rk.PublicSuffixList(args.psl)
    psl_tlds = set(psl.tlds())
    provider_header, providers = read_data(os.path.join(args.data, "providers.tsv"))
    stakes_header, stakes = read_data(os.path.join(args.data, "high-stakes.tsv"))
    tld_header, restricted = read_data(os.path.join(args.data, "restricted-tlds.tsv"))
    cc_of = {r["tld"]: [c for c in r["cctld_neighbours"].split(",") if c != "-"] for r in restricted}
    real = {p["domain"] for p in providers if p["typo_of"] == "-"} | {s["domain"] for s in stakes}
    seeds = choose_seeds(providers, stakes)
    seed_reg = {psl.registrable(s) or s for s in seeds}
    suffixes = sorted(psl.rules)

    def deliverable(v, seed):
        reg = psl.registrable(v)
        return reg is not None and reg not in seed_reg and v not in real and reg not in real

    rows = {}  # typo ascii -> row; the first seed to produce a variant owns it

    def add(variant, seed, fuzzer, detail="", classic=False):
        ascii_v = rk.to_ascii(variant)
        if ascii_v is None or not deliverable(ascii_v, seed):
            return
        if ascii_v in rows:
            if seed not in rows[ascii_v]["intended"]:
                rows[ascii_v]["alt"].add(seed)
            return
        try:
            unicode_v = ascii_v.encode("ascii").decode("idna")
        except UnicodeError:
            unicode_v = ascii_v
        rows[ascii_v] = new_row(seed, unicode_v, fuzzer, detail, classic)

    for seed in seeds:
        name, suffix = seed[: -len(psl.suffix(seed)) - 1], psl.suffix(seed)
        fuzzer = dnstwist.Fuzzer(seed)
        fuzzer.generate()
        by_class = {}
        for v in fuzzer.domains:
            if v["fuzzer"] in CHAR_FUZZERS:
                by_class.setdefault(v["fuzzer"], []).append(v["domain"])
        kept_chars = []
        for cls in CHAR_FUZZERS:
            candidates = [v for v in by_class.get(cls, []) if deliverable(rk.to_ascii(v) or "", seed)]
            for v in pick(candidates, args.per_class, seed, cls):
                add(v, seed, cls)
                kept_chars.append(v)
        near = [s for s in suffixes if rk.damerau1(s, suffix) or
                ("." in suffix and s == suffix.split(".", 1)[1])]
        for s in pick(near, args.per_class, seed, "near"):
            add(f"{name}.{s}", seed, "tld-swap", "near")
        tld = suffix.rsplit(".", 1)[-1]
        for cc in cc_of.get(tld, []):
            add(f"{name}.{cc}", seed, "classic", "cctld", True)
        typos = tld_typos(suffix, psl_tlds)
        # not deliverable by definition: the TLD does not exist
        for s in pick(typos, 2, seed, "tld-unknown"):
            rows.setdefault(f"{name}.{s}", new_row(seed, f"{name}.{s}", "classic", "tld-unknown", True))
        ascii_chars = [rk.to_ascii(v) for v in kept_chars if rk.to_ascii(v)]
        ascii_chars = [v for v in ascii_chars if v.endswith("." + suffix) and "xn--" not in v]
        for v in pick(ascii_chars, 2, seed, "compound"):
            typo = v[: -len(suffix)] + pick(typos, 1, seed, v)[0]
            rows.setdefault(typo, new_row(seed, typo, "compound", "", False))

    # alternatives: other seeds the typo is one edit from count as right too
    for ascii_v, r in rows.items():
        for seed in seeds:
            if seed != r["intended"] and rk.damerau1(ascii_v, seed):
                r["alt"].add(seed)

    os.makedirs(args.outdir, exist_ok=True)
    command = " ".join(["tests/cold-start/make-set.py", "OUTDIR", "--per-class",
                        str(args.per_class)] + (["--apt-lists", args.apt_lists] if args.apt_lists else []))
    made = [f"# rcptguard cold-start set, made by: {command}",
            f"# dnstwist {getattr(dnstwist, '__version__', 'unknown')}, public suffix list "
            f"{psl.version or rk.debian_version('publicsuffix')}, {len(seeds)} seeds",
            "# knowledge: " + "; ".join(l[2:] for l in provider_header + stakes_header
                                        if l.startswith("# date: ") or l.startswith("# rcptguard data:"))]
    with open(os.path.join(args.outdir, "positives.tsv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(made) + "\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["typo_address", "typo_ascii", "intended_address", "fuzzer", "detail",
                    "classic", "alt_intended"])
        for ascii_v in sorted(rows):
            r = rows[ascii_v]
            local = local_part(r["intended"], ascii_v)
            w.writerow([f"{local}@{r['unicode']}", f"{local}@{ascii_v}", f"{local}@{r['intended']}",
                        r["fuzzer"], r["detail"], "1" if r["classic"] else "0",
                        ";".join(sorted(r["alt"]))])
    negatives = []
    seen = set()
    for scen in sorted(os.listdir(os.path.join(args.kit, "data", "dev"))):
        path = os.path.join(args.kit, "data", "dev", scen, "negatives.tsv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                # both scenarios draw on one pool of domains: each counts once
                if r["kind"] == "first-contact" and r["domain"] not in seen:
                    seen.add(r["domain"])
                    negatives.append((r["address"], r["domain"], "first-contact", r["source"]))
    popular = seeds + [p["domain"] for p in providers if p["band"] in ("1", "2")
                       and p["typo_of"] == "-"]
    for d in dict.fromkeys(popular):
        if d in seen:
            continue
        seen.add(d)
        negatives.append((f"{local_part(d, 'new')}@{d}", d, "first-contact", "popular"))
    if args.apt_lists:
        for d, source in sorted(apt_domains(args.apt_lists, psl).items()):
            # a typo variant of a seed is no first contact; nor a domain counted already
            if d in seen or d in rows:
                continue
            seen.add(d)
            negatives.append((f"{local_part(d, 'apt')}@{d}", d, "first-contact", source))
    with open(os.path.join(args.outdir, "negatives.tsv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(made) + "\n")
        f.write(f"# first-contact rows of {os.path.basename(os.path.normpath(args.kit))}'s "
                "data/dev/*/negatives.tsv, and source=popular\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["address", "domain", "kind", "source"])
        for row in negatives:
            w.writerow(row)
    print(f"{args.outdir}: {len(rows)} positives from {len(seeds)} seeds, {len(negatives)} negatives",
          file=sys.stderr)


if __name__ == "__main__":
    main()
