# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers shared by the generators of rcptguard's built-in knowledge (common/data/).

Only the Python standard library is used, so the generators run on a plain Debian system.
"""

import datetime
import os
import subprocess
import sys

FORMAT_VERSION = 1
DEFAULT_PSL = "/usr/share/publicsuffix/public_suffix_list.dat"
RESTRICTED_TLDS = ("mil", "gov", "edu", "int")


def today():
    """The date written into headers: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def debian_version(package):
    """The installed version of a Debian package, or "unknown"."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def to_ascii(domain):
    """A domain in lower-case A-label form, or None when it is not a plausible host name."""
    domain = domain.strip().rstrip(".").lower()
    if not domain or " " in domain:
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    for label in domain.split("."):
        if not label or len(label) > 63 or label.startswith("-") or label.endswith("-"):
            return None
        if not all(c.isalnum() or c == "-" for c in label) or not label.isascii():
            return None
    return domain


class PublicSuffixList:
    """The ICANN section of a public suffix list file (the private section lists hosting
    platforms, not places mail is typed to)."""

    def __init__(self, path=DEFAULT_PSL):
        self.path = path
        self.rules = set()
        self.wildcards = set()
        self.exceptions = set()
        self.version = None
        in_icann = False
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("// VERSION:"):
                    self.version = line.split(":", 1)[1].strip()
                if line.startswith("// ===BEGIN ICANN DOMAINS==="):
                    in_icann = True
                elif line.startswith("// ===END ICANN DOMAINS==="):
                    in_icann = False
                if not in_icann or not line or line.startswith("//"):
                    continue
                rule = line.split()[0]
                if rule.startswith("!"):
                    self.exceptions.add(to_ascii(rule[1:]))
                elif rule.startswith("*."):
                    self.wildcards.add(to_ascii(rule[2:]))
                else:
                    ascii_rule = to_ascii(rule)
                    if ascii_rule:
                        self.rules.add(ascii_rule)
        if not self.rules:
            sys.exit(f"{path}: no ICANN rules found; is this a public suffix list?")

    def tlds(self):
        """Every top-level label that the list names."""
        return sorted({r.rsplit(".", 1)[-1] for r in self.rules | self.wildcards})

    def is_suffix(self, name):
        if name in self.exceptions:
            return False
        if name in self.rules:
            return True
        parent = name.split(".", 1)[1] if "." in name else None
        return parent is not None and parent in self.wildcards

    def suffix(self, domain):
        """The longest listed suffix of @domain, or None when its TLD is not listed."""
        labels = domain.split(".")
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            if self.is_suffix(candidate):
                return candidate
        return None

    def registrable(self, domain):
        """The registrable domain (suffix plus one label), or None for a bare or unknown
        suffix."""
        suffix = self.suffix(domain)
        if suffix is None or suffix == domain:
            return None
        head = domain[: -len(suffix) - 1]
        return head.rsplit(".", 1)[-1] + "." + suffix


def damerau1(a, b):
    """Whether @a and @b are exactly one edit apart (insert, delete, replace, or swap of two
    neighbouring characters)."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]])
    if la > lb:
        a, b = b, a
    # b is one longer: deleting one character of b gives a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False


def command_line():
    """How the generator was run, with input paths cut to their last part (they are the
    maintainer's, not the reader's)."""
    args = [os.path.join("build-aux", os.path.basename(sys.argv[0]))]
    for arg in sys.argv[1:]:
        args.append(os.path.basename(arg.rstrip("/")) if os.path.isabs(arg) else arg)
    return " ".join(args)


def write_data_file(path, name, sources, licence, columns, rows, notes=(), format_version=FORMAT_VERSION):
    """Writes a data file with the header the loader requires, rows sorted by their first
    column (byte order, so that the loader can binary-search it). @format_version is the
    layout version of this kind of file (common/rg-knowledge-data.c reads each kind's own)."""
    rows = sorted(rows, key=lambda r: r[0].encode())
    keys = [r[0] for r in rows]
    if len(set(keys)) != len(keys):
        sys.exit(f"{path}: duplicate keys")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# rcptguard data: {name}\n")
        f.write(f"# format: {format_version}\n")
        for source in sources:
            f.write(f"# source: {source}\n")
        f.write(f"# licence: {licence}\n")
        f.write(f"# date: {today()}\n")
        f.write(f"# generated-by: {command_line()}\n")
        for note in notes:
            f.write(f"# {note}\n")
        f.write("# columns: " + "\t".join(columns) + "\n")
        for row in rows:
            if any("\t" in c or "\n" in c or not c for c in row):
                sys.exit(f"{path}: bad field in {row!r}")
            f.write("\t".join(row) + "\n")


def read_curated(path, ncols):
    """Rows of a hand-curated TSV: '#' lines and the column-name line skipped."""
    rows = []
    with open(path, encoding="utf-8") as f:
        header_seen = False
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            fields = line.split("\t")
            if len(fields) != ncols:
                sys.exit(f"{path}:{lineno}: expected {ncols} columns, got {len(fields)}")
            domain = to_ascii(fields[0])
            if domain != fields[0]:
                sys.exit(f"{path}:{lineno}: {fields[0]!r} is not a lower-case ASCII domain")
            rows.append(fields)
    return rows
