#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regenerates common/data/restricted-tlds.tsv: the restricted top-level domains (.mil, .gov,
.edu, .int) and the real TLDs one edit away from each, computed from the public suffix list,
and whether a first contact under one of its ccTLD neighbours is worth a notice by itself.

usage: build-aux/gen-restricted-tlds.py [--psl FILE] [-o OUTPUT]
"""

import argparse
import os

import rgknowledge as rk

# who may register under each restricted TLD (IANA's registry information for each TLD)
KINDS = {
    "mil": "us-military",
    "gov": "us-government",
    "edu": "us-education",
    "int": "international",
}

# Whether a first contact under a ccTLD neighbour gets a notice even when no well-known domain
# has its name (a neighbour with a matching well-known name warns either way). A choice, made
# here once, by how the neighbours are used, never per domain:
# - mil: mail for .mil addresses went to .ml (Mali) for years (the case rcptguard began with),
#   and .ml and .il see little routine mail from the people who write to .mil;
# - edu, int: .eu, .in and .it are among the busiest country domains, where a notice would
#   fire on everyday mail and teach people to ignore it;
# - gov: it has no ccTLD neighbour.
NEIGHBOUR_FIRST_CONTACT = {"mil": "notice"}
FORMAT = 2  # format 1 had no neighbour_first_contact column


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--psl", default=rk.DEFAULT_PSL, help="public suffix list file")
    parser.add_argument("-o", "--output",
                        default=os.path.join(here, "..", "common", "data", "restricted-tlds.tsv"))
    args = parser.parse_args()

    psl = rk.PublicSuffixList(args.psl)
    tlds = psl.tlds()
    rows = []
    for restricted in rk.RESTRICTED_TLDS:
        if restricted not in tlds:
            raise SystemExit(f"{args.psl}: .{restricted} is not listed")
        near = [t for t in tlds if rk.damerau1(t, restricted)]
        # a ccTLD is the two-letter ASCII kind; the rest are generic or brand TLDs
        cc = [t for t in near if len(t) == 2 and t.isalpha()]
        other = [t for t in near if t not in cc]
        rows.append([restricted, KINDS[restricted], ",".join(cc) or "-", ",".join(other) or "-",
                     NEIGHBOUR_FIRST_CONTACT.get(restricted, "-")])
    rk.write_data_file(
        args.output,
        "restricted-tlds",
        [f"public suffix list (Debian package publicsuffix, {os.path.basename(args.psl)}, "
         f"version {psl.version or rk.debian_version('publicsuffix')}), ICANN section"],
        "MPL-2.0 (the public suffix list); the selection is computed, not curated",
        ["tld", "kind", "cctld_neighbours", "other_neighbours", "neighbour_first_contact"],
        rows,
        ["neighbours: real TLDs one edit (insert, delete, replace, swap) from the restricted TLD",
         "neighbour_first_contact: notice when a first contact under a ccTLD neighbour is worth "
         "a notice by itself (see the generator), - when not"],
        format_version=FORMAT,
    )


if __name__ == "__main__":
    main()
