#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regenerates common/data/providers.tsv: popular mail providers with a rank, and the listed
domains that are typos of far more popular ones.

No authoritative ranking of mail providers exists. The ranking is built (common/data/README.md
explains it):
  band 1, 2  common/data/curated/providers-top.tsv, hand-curated in rank order
  band 3     on all four free-mail lists, or on two and in email-providers' common.json
             (Majestic rank)
  band 4     on three of the lists
  band 5     on two of the lists, or on one and in common.json
The four lists (each a registry package; build-aux/get-knowledge-sources.sh fetches them):
  s  SpamAssassin's 20_freemail_domains.cf (Debian package spamassassin, Apache-2.0)
  f  npm free-email-domains domains.json (MIT)
  e  npm email-providers all.json (ISC); "c" marks its common.json
  m  npm freemail data/free.txt (ISC); its disposable.txt removes throwaway domains
A domain on one list only is left out. A listed domain whose TLD is not a real one, or which is
a bare public suffix, is dropped (it cannot receive mail). A listed domain that is one edit
(dnstwist's character fuzzers, or a TLD one edit away) from a far more popular one keeps its
line but names that domain in typo_of: "on the list" never means "safe".

usage: build-aux/gen-providers.py --sources DIR [--psl FILE] [-o OUTPUT] [--report]
  DIR as left by build-aux/get-knowledge-sources.sh
"""

import argparse
import glob
import json
import os
import re
import sys

import rgknowledge as rk

# dnstwist's fuzzers that change characters (not dictionary words, not whole TLDs)
CHAR_FUZZERS = {
    "addition", "bitsquatting", "cyrillic", "homoglyph", "hyphenation", "insertion", "omission",
    "repetition", "replacement", "subdomain", "transposition", "vowel-swap", "various",
}
# RFC 2606: these never receive mail, whatever a list says
RESERVED = {"example.com", "example.net", "example.org"}
# a domain this many bands below another is "far" less popular
FAR_BANDS = 2


class Lists:
    def __init__(self, sources_dir):
        self.versions = {}
        self.sa_literal, self.sa_patterns = self._spamassassin(sources_dir)
        self.fed = self._json(sources_dir, "free-email-domains", "domains.json")
        self.ep_all = self._json(sources_dir, "email-providers", "all.json")
        self.ep_common = self._json_list(sources_dir, "email-providers", "common.json")
        self.fm = self._lines(sources_dir, "freemail", "data/free.txt")
        self.disposable = set(self._lines(sources_dir, "freemail", "data/disposable.txt"))

    @staticmethod
    def _package(sources_dir, name):
        paths = glob.glob(os.path.join(sources_dir, name + "-*", "package"))
        if len(paths) != 1:
            sys.exit(f"{sources_dir}: expected one unpacked {name}-VERSION/package")
        return paths[0]

    def _meta(self, sources_dir, name):
        package = self._package(sources_dir, name)
        with open(os.path.join(package, "package.json"), encoding="utf-8") as f:
            meta = json.load(f)
        self.versions[name] = (meta["version"], meta.get("license", "unknown"))
        return package

    def _json_list(self, sources_dir, name, file):
        package = self._meta(sources_dir, name)
        with open(os.path.join(package, file), encoding="utf-8") as f:
            return [d for d in (rk.to_ascii(x) for x in json.load(f)) if d]

    def _json(self, sources_dir, name, file):
        return set(self._json_list(sources_dir, name, file))

    def _lines(self, sources_dir, name, file):
        package = self._meta(sources_dir, name)
        with open(os.path.join(package, file), encoding="utf-8") as f:
            return set(d for d in (rk.to_ascii(x) for x in f if x.strip()) if d)

    def _spamassassin(self, sources_dir):
        files = sorted(glob.glob(os.path.join(sources_dir, "spamassassin", "usr", "share",
                                              "spamassassin", "20_freemail*domains.cf")))
        if not files:
            sys.exit(f"{sources_dir}: no spamassassin/usr/share/spamassassin/20_freemail*.cf")
        with open(os.path.join(sources_dir, "spamassassin", "VERSION"), encoding="utf-8") as f:
            self.versions["spamassassin"] = (f.read().strip(), "Apache-2.0")
        literal, patterns = set(), []
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    words = line.split("#", 1)[0].split()
                    if not words or words[0] != "freemail_domains":
                        continue
                    for word in words[1:]:
                        word = word.lower()
                        if "*" in word or "?" in word:
                            # the syntax of SpamAssassin's FreeMail plugin: * is any run of
                            # characters but a dot, ? one character
                            regex = re.escape(word).replace(r"\*", "[^.]*").replace(r"\?", ".")
                            patterns.append(re.compile("^" + regex + "$"))
                        else:
                            ascii_word = rk.to_ascii(word)
                            if ascii_word:
                                literal.add(ascii_word)
        return literal, patterns

    def on_spamassassin(self, domain):
        return domain in self.sa_literal or any(p.match(domain) for p in self.sa_patterns)

    def marks(self, domain):
        marks = ""
        if self.on_spamassassin(domain):
            marks += "s"
        if domain in self.fed:
            marks += "f"
        if domain in self.ep_all:
            marks += "e"
        if domain in self.ep_common_set:
            marks += "c"
        if domain in self.fm:
            marks += "m"
        return marks

    @property
    def ep_common_set(self):
        if not hasattr(self, "_ep_common_set"):
            self._ep_common_set = set(self.ep_common)
        return self._ep_common_set

    def candidates(self):
        return self.sa_literal | self.fed | self.ep_all | self.fm


def n_lists(marks):
    return len(marks.replace("c", ""))


def split(psl, domain):
    suffix = psl.suffix(domain)
    return domain[: -len(suffix) - 1], suffix


def is_cctld_suffix(suffix):
    tld = suffix.rsplit(".", 1)[-1]
    return len(tld) == 2 and tld.isalpha()


def counts_as_edit(psl, typed, known):
    """Whether a one-edit pair is a typo candidate. An edit in the suffix that turns one
    country's domain into another's does not count (.de has many one-edit neighbours, all of
    them real countries, and the big providers hold many of them)."""
    name_t, suffix_t = split(psl, typed)
    name_k, suffix_k = split(psl, known)
    if name_t != name_k:
        return True
    tld_t, tld_k = suffix_t.rsplit(".", 1)[-1], suffix_k.rsplit(".", 1)[-1]
    return not (is_cctld_suffix(suffix_t) and is_cctld_suffix(suffix_k) and tld_t != tld_k)


def dnstwist_variants(domains):
    """Every character-level dnstwist variant of each domain: variant -> (domain, fuzzer)."""
    try:
        import dnstwist
    except ImportError:
        sys.exit("the Python module dnstwist is needed (Debian package dnstwist)")
    variants = {}
    for domain in domains:
        fuzzer = dnstwist.Fuzzer(domain)
        fuzzer.generate()
        for v in fuzzer.domains:
            if v["fuzzer"] in CHAR_FUZZERS and v["domain"] != domain:
                variants.setdefault(v["domain"], (domain, v["fuzzer"]))
    return variants, getattr(dnstwist, "__version__", "unknown")


def deletion_index(domains):
    """Every string one deletion from each domain -> domains, to find Damerau-1 pairs."""
    index = {}
    for d in domains:
        index.setdefault(d, set()).add(d)
        for i in range(len(d)):
            index.setdefault(d[:i] + d[i + 1:], set()).add(d)
    return index


def one_edit_neighbours(index, d):
    found = set()
    for key in [d] + [d[:i] + d[i + 1:] for i in range(len(d))]:
        for other in index.get(key, ()):
            if other != d and rk.damerau1(d, other):
                found.add(other)
    return found


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True,
                        help="folder left by build-aux/get-knowledge-sources.sh")
    parser.add_argument("--psl", default=rk.DEFAULT_PSL, help="public suffix list file")
    parser.add_argument("-o", "--output",
                        default=os.path.join(here, "..", "common", "data", "providers.tsv"))
    parser.add_argument("--report", action="store_true",
                        help="print what was dropped and marked, for review")
    args = parser.parse_args()

    psl = rk.PublicSuffixList(args.psl)
    lists = Lists(args.sources)
    curated = rk.read_curated(
        os.path.join(here, "..", "common", "data", "curated", "providers-top.tsv"), 4)
    curated_band = {row[0]: int(row[1]) for row in curated}
    if len(curated_band) != len(curated):
        sys.exit("curated/providers-top.tsv: duplicate domains")

    dropped = []
    entries = {}  # domain -> [band, marks]
    for domain in curated_band:
        if psl.registrable(domain) is None:
            sys.exit(f"curated/providers-top.tsv: {domain} is not under a public suffix")
        entries[domain] = [curated_band[domain], lists.marks(domain)]
    for domain in sorted(lists.candidates()):
        if domain in entries:
            continue
        if psl.registrable(domain) is None:
            dropped.append((domain, "not a deliverable domain (unknown TLD or bare suffix)"))
            continue
        if domain in lists.disposable:
            dropped.append((domain, "disposable (freemail's disposable.txt)"))
            continue
        if domain in RESERVED:
            dropped.append((domain, "reserved for documentation (RFC 2606)"))
            continue
        marks = lists.marks(domain)
        n = n_lists(marks)
        if n == 4 or (n >= 2 and "c" in marks):
            band = 3
        elif n == 3:
            band = 4
        elif n == 2 or "c" in marks:
            band = 5
        else:
            continue
        entries[domain] = [band, marks]

    common_pos = {d: i for i, d in enumerate(lists.ep_common)}
    curated_pos = {row[0]: i for i, row in enumerate(curated)}

    def order(domain):
        band, marks = entries[domain]
        if band <= 2:
            return (band, curated_pos[domain], 0, "")
        return (band, common_pos.get(domain, len(common_pos)), -n_lists(marks), domain)

    ranked = sorted(entries, key=order)
    rank_of = {d: i for i, d in enumerate(ranked, 1)}

    # typos: a far more popular domain one character edit away
    variants, dnstwist_version = dnstwist_variants([d for d in ranked if entries[d][0] <= 2])
    index = deletion_index(ranked)
    typo_of = {}
    conflicts = []
    for domain in ranked:
        band = entries[domain][0]
        hits = []
        if domain in variants:
            hits.append(variants[domain])
        hits += [(o, "one edit") for o in one_edit_neighbours(index, domain)
                 if entries[o][0] < band]
        hits = [h for h in hits
                if rank_of[h[0]] < rank_of[domain] and counts_as_edit(psl, domain, h[0])]
        if not hits:
            continue
        known, how = min(hits, key=lambda h: rank_of[h[0]])
        far = entries[known][0] <= band - FAR_BANDS
        if band <= 2 or not far:
            conflicts.append((domain, known, how))
        else:
            typo_of[domain] = (known, how)

    rows = []
    for rank, domain in enumerate(ranked, 1):
        band, marks = entries[domain]
        rows.append([domain, str(rank), str(band), marks or "-",
                     typo_of[domain][0] if domain in typo_of else "-"])

    versions = lists.versions
    sources = [
        "bands 1-2: common/data/curated/providers-top.tsv (hand-curated, LGPL-2.1-or-later)",
        f"s: Debian package spamassassin {versions['spamassassin'][0]}, "
        "20_freemail_domains.cf and 20_freemail_mailcom_domains.cf (Apache-2.0)",
        f"f: npm package free-email-domains {versions['free-email-domains'][0]}, domains.json "
        f"({versions['free-email-domains'][1]})",
        f"e, c: npm package email-providers {versions['email-providers'][0]}, all.json and "
        f"common.json ({versions['email-providers'][1]})",
        f"m: npm package freemail {versions['freemail'][0]}, data/free.txt, less "
        f"data/disposable.txt ({versions['freemail'][1]})",
        f"typo_of: Debian package dnstwist {dnstwist_version} (character fuzzers) and the public "
        f"suffix list (Debian publicsuffix {rk.debian_version('publicsuffix')})",
    ]
    rk.write_data_file(
        args.output,
        "providers",
        sources,
        "as each source above; the selection and ranking LGPL-2.1-or-later",
        ["domain", "rank", "band", "lists", "typo_of"],
        rows,
        [
            "rank: 1 is the most popular; band: 1-2 hand-curated, 3 on all four lists (or two "
            "and common.json), 4 on three, 5 on two (or one and common.json)",
            "typo_of: the far more popular domain this listed one is a typo of (- for none); "
            "such a line is no evidence that the domain is a real provider",
        ],
    )
    if args.report:
        for domain, why in dropped:
            print(f"dropped\t{domain}\t{why}")
        for domain, (known, how) in sorted(typo_of.items()):
            print(f"typo\t{domain}\t{known}\t{how}\tband {entries[domain][0]}")
        for domain, known, how in conflicts:
            print(f"kept\t{domain}\t{known}\t{how}\tbands {entries[domain][0]}/{entries[known][0]}")
    counts = {}
    for band, _marks in entries.values():
        counts[band] = counts.get(band, 0) + 1
    print(f"{args.output}: {len(rows)} domains, bands {sorted(counts.items())}, "
          f"{len(typo_of)} marked as typos, {len(dropped)} dropped", file=sys.stderr)


if __name__ == "__main__":
    main()
