#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The translation checks of rcptguard (tests/i18n/meson.build runs each as a test).

  check-po.py potfiles   SRCDIR          po/POTFILES.in is sorted, names only files that exist
                                         and hold strings, and names every such file
  check-po.py template   SRCDIR OUTDIR   the template made from POTFILES.in holds every
                                         translatable string of the sources
  check-po.py catalogues SRCDIR OUTDIR   msgfmt --check on every catalogue, which holds no
                                         fuzzy or untranslated entry; strings of the template
                                         it lacks are listed (RG_I18N_STRICT=1: fail)
  check-po.py man        SRCDIR OUTDIR PAGE...
                                         the same for po/man/*.po against the pages, whose key
                                         phrases (headings, NAME line) are translated; and the
                                         pages built from them render
  check-po.py domain     SRCDIR          no string of ours goes through another domain
  check-po.py comments   SRCDIR OUTDIR   placeholders reorderable, comments where needed
  check-po.py countries  SRCDIR OUTDIR ISO_3166_JSON
                                         no country name of iso-codes is in our catalogue
  check-po.py metainfo   SRCDIR FILE     the built AppStream file has every language of
                                         po/LINGUAS in every translatable element

The template is made here with xgettext and the arguments of Meson's "glib" preset, as
`meson compile rcptguard-pot` makes it; OUTDIR keeps it for the other checks.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DOMAIN = "rcptguard"
# where translatable strings can live; generated and test files are not shipped strings
SOURCE_DIRS = ["common", "ui", "plugin"]
SOURCE_EXTS = (".c", ".h", ".ui", ".xml.in", ".desktop.in")
# Meson's i18n "glib" preset, plus what po/meson.build adds
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
    "--add-location=file",
]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


# A string added to the sources is not yet in the catalogues until a translator (or whoever
# adds it) translates it: by default that is reported, not a failure, so that a change with
# a new string is never held up by four languages; RG_I18N_STRICT=1 makes it one (run it
# before a release, and before merging catalogue work: docs/translating.md).
STRICT = os.environ.get("RG_I18N_STRICT", "") not in ("", "0")
notes = []


def incomplete(msg):
    if STRICT:
        fail(msg + " (RG_I18N_STRICT=1)")
    else:
        notes.append(msg)
        print("note: " + msg)


def finish(what):
    if notes:
        print(f"{len(notes)} string(s) not yet translated, shown in English until they are "
              "(RG_I18N_STRICT=1 makes this a failure; docs/translating.md)")
    if failures:
        print(f"{len(failures)} problem(s) with {what}")
        sys.exit(1)
    print(f"ok: {what}")
    sys.exit(0)


# --- the PO format, as far as these checks need it ---------------------------------------

class Entry:
    def __init__(self):
        self.ctxt = None
        self.id = None
        self.plural = None
        self.strs = {}
        self.flags = set()
        self.comments = []   # "#." lines: the comments from the sources
        self.refs = []       # "#:" lines: the files it comes from
        self.obsolete = False

    @property
    def key(self):
        return (self.ctxt, self.id)


def _unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path):
    entries = []
    cur = Entry()
    field = None

    def flush():
        nonlocal cur
        if cur.id is not None:
            entries.append(cur)
        cur = Entry()

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#~"):
                if cur.id is not None and not cur.obsolete:
                    flush()
                cur.obsolete = True
                line = line[2:].lstrip()
                if not line:
                    continue
            if not line.strip():
                flush()
                field = None
                continue
            if line.startswith("#."):
                if cur.id is not None:
                    flush()
                cur.comments.append(line[2:].strip())
            elif line.startswith("#:"):
                if cur.id is not None:
                    flush()
                cur.refs += [r.rsplit(":", 1)[0] if r[-1:].isdigit() else r
                             for r in line[2:].split()]
            elif line.startswith("#,"):
                cur.flags |= {x.strip() for x in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt "):
                if cur.id is not None:
                    flush()
                cur.ctxt = _unquote(line[8:])
                field = "ctxt"
            elif line.startswith("msgid_plural "):
                cur.plural = _unquote(line[13:])
                field = "plural"
            elif line.startswith("msgid "):
                if cur.id is not None:
                    flush()
                cur.id = _unquote(line[6:])
                field = "id"
            elif line.startswith("msgstr["):
                n = int(line[7:line.index("]")])
                cur.strs[n] = _unquote(line[line.index("]") + 1:])
                field = n
            elif line.startswith("msgstr "):
                cur.strs[0] = _unquote(line[7:])
                field = 0
            elif line.startswith('"'):
                text = _unquote(line)
                if field == "ctxt":
                    cur.ctxt += text
                elif field == "id":
                    cur.id += text
                elif field == "plural":
                    cur.plural += text
                else:
                    cur.strs[field] += text
    flush()
    return entries


def messages(entries):
    """the real messages: not the header, not obsolete ones"""
    return [e for e in entries if e.id != "" and not e.obsolete]


# --- the sources -----------------------------------------------------------------------

def source_files(src):
    found = []
    for top in SOURCE_DIRS:
        for root, dirs, files in os.walk(os.path.join(src, top)):
            dirs[:] = sorted(d for d in dirs if not d.startswith(("_build", ".")))
            for name in files:
                if name.endswith(SOURCE_EXTS):
                    found.append(os.path.relpath(os.path.join(root, name), src))
    return sorted(found)


def read_potfiles(src):
    path = os.path.join(src, "po", "POTFILES.in")
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    return [l for l in lines if l.strip() and not l.startswith("#")], lines


def xgettext(src, files, out):
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as lst:
        lst.write("\n".join(files) + "\n")
    try:
        subprocess.run(["xgettext", "--package-name=" + DOMAIN, "-f", lst.name, "-D", src,
                        "-k_", "-o", out] + XGETTEXT_ARGS,
                       check=True, stderr=subprocess.PIPE, text=True)
    finally:
        os.unlink(lst.name)
    return os.path.exists(out)


def file_has_strings(src, rel):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "one.pot")
        if not xgettext(src, [rel], out):
            return False
        return len(messages(parse_po(out))) > 0


def make_template(src, outdir):
    os.makedirs(outdir, exist_ok=True)
    pot = os.path.join(outdir, DOMAIN + ".pot")
    files, _ = read_potfiles(src)
    if os.path.exists(pot):
        os.unlink(pot)
    xgettext(src, files, pot)
    return pot


# C: the string literals passed to anything that translates, found without xgettext, so
# that a string behind a keyword xgettext does not know is noticed
C_TOKEN = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<punct>[(),])
  | (?P<other>\S)
''', re.S | re.X)
TRANSLATING = re.compile(r"^(_|N_|C_|NC_|Q_|\w*gettext\w*)$")


def _c_unescape(lit):
    body = lit[1:-1]
    out = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, "r": 13, "\\": 92, '"': 34, "'": 39, "a": 7, "b": 8,
              "f": 12, "v": 11, "?": 63}
    raw = body.encode("utf-8")
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        n = chr(raw[i + 1])
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n == "x":
            m = re.match(rb"[0-9a-fA-F]+", raw[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif n in "01234567":
            m = re.match(rb"[0-7]{1,3}", raw[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out += raw[i:i + 2]
            i += 2
    return out.decode("utf-8", "replace")


def c_translatable_literals(path):
    """(line, function, [literal arguments]) of every call of a translating function"""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    toks = []
    for m in C_TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "comment":
            continue
        toks.append((kind, m.group(kind), text.count("\n", 0, m.start()) + 1))
    # the preprocessor's lines are not calls (#define _(String) ...)
    calls = []
    i = 0
    while i < len(toks):
        kind, val, line = toks[i]
        if kind == "ident" and TRANSLATING.match(val) and i + 1 < len(toks) \
                and toks[i + 1][1] == "(":
            if _on_directive_line(text, line):
                i += 1
                continue
            args, cur, depth, j = [], [], 0, i + 2
            while j < len(toks):
                k, v, _ = toks[j]
                if v == "(":
                    depth += 1
                elif v == ")":
                    if depth == 0:
                        break
                    depth -= 1
                if v == "," and depth == 0:
                    args.append(cur)
                    cur = []
                else:
                    cur.append((k, v))
                j += 1
            args.append(cur)
            lits = []
            for a in args:
                if a and all(k == "string" for k, _ in a):
                    lits.append("".join(_c_unescape(v) for _, v in a))
                else:
                    lits.append(None)
            calls.append((line, val, lits))
            i = j
        i += 1
    return calls


def _on_directive_line(text, lineno):
    line = text.split("\n")[lineno - 1]
    return line.lstrip().startswith("#")


def ui_translatable(path):
    """(context, text) of every translatable property of a GtkBuilder file"""
    out = []
    for el in ET.parse(path).iter():
        if el.get("translatable") == "yes":
            out.append((el.get("context"), el.text or ""))
    return out


def metainfo_translatable(path):
    out = []
    root = ET.parse(path).getroot()
    for el in root.iter():
        if el.tag in ("name", "summary", "p", "li", "caption") and \
                el.get("translate") != "no" and el.get("{http://www.w3.org/XML/1998/namespace}lang") is None:
            out.append((None, " ".join("".join(el.itertext()).split())))
    return out


# --- the checks -----------------------------------------------------------------------

def check_potfiles(src):
    listed, lines = read_potfiles(src)
    if listed != sorted(listed):
        fail("po/POTFILES.in is not sorted (LC_ALL=C sort po/POTFILES.in)")
    dup = sorted({f for f in listed if listed.count(f) > 1})
    for f in dup:
        fail(f"po/POTFILES.in names {f} twice")
    for f in listed:
        if not os.path.exists(os.path.join(src, f)):
            fail(f"po/POTFILES.in names {f}, which does not exist")
        elif not file_has_strings(src, f):
            fail(f"po/POTFILES.in names {f}, which has no translatable strings")
    for f in source_files(src):
        if f not in listed and file_has_strings(src, f):
            fail(f"{f} has translatable strings but is not in po/POTFILES.in")
    finish("po/POTFILES.in")


def template_keys(pot):
    keys = set()
    for e in messages(parse_po(pot)):
        keys.add((e.ctxt, e.id))
        if e.plural is not None:
            keys.add((e.ctxt, e.plural))
    return keys


def check_template(src, outdir):
    pot = make_template(src, outdir)
    keys = template_keys(pot)
    ids = {i for _, i in keys}
    print(f"template: {len(messages(parse_po(pot)))} messages from "
          f"{len(read_potfiles(src)[0])} files")
    files, _ = read_potfiles(src)
    for rel in source_files(src):
        path = os.path.join(src, rel)
        if rel.endswith((".c", ".h")):
            for line, fn, lits in c_translatable_literals(path):
                strings = _translated_args(fn, lits)
                for ctxt, s in strings:
                    if (ctxt, s) not in keys and not (ctxt is None and s in ids):
                        fail(f"{rel}:{line}: {fn}() translates \"{s}\", which the template "
                             "does not hold (a keyword xgettext does not know, or the file "
                             "is not in po/POTFILES.in)")
        elif rel.endswith(".ui"):
            for ctxt, s in ui_translatable(path):
                if (ctxt, s) not in keys:
                    fail(f"{rel}: \"{s}\" is translatable but not in the template")
        elif rel.endswith(".xml.in"):
            for ctxt, s in metainfo_translatable(path):
                if s and s not in ids:
                    fail(f"{rel}: \"{s[:60]}…\" is not in the template")
    finish("the template")


def _translated_args(fn, lits):
    """the (context, string) pairs a call of @fn translates, from its literal arguments"""
    lits = list(lits)
    if fn in ("_", "N_", "Q_", "gettext", "gettext_noop"):
        return [(None, lits[0])] if lits and lits[0] is not None else []
    if fn in ("C_", "NC_", "pgettext"):
        return [(lits[0], lits[1])] if len(lits) > 1 and lits[1] is not None else []
    if fn in ("ngettext",):
        return [(None, s) for s in lits[:2] if s is not None]
    # the d* functions: the first argument is the domain; another project's literal
    # domain (g_dgettext("claws-mail", "Plugins")) translates with that project's catalogue
    if lits and lits[0] is not None and lits[0] != DOMAIN:
        return []
    rest = lits[1:]
    if fn in ("g_dpgettext2", "dpgettext2"):
        return [(rest[0], rest[1])] if len(rest) > 1 and rest[1] is not None else []
    if "ngettext" in fn:
        return [(None, s) for s in rest[:2] if s is not None]
    return [(None, rest[0])] if rest and rest[0] is not None else []


def linguas(src):
    with open(os.path.join(src, "po", "LINGUAS"), encoding="utf-8") as f:
        return [w for l in f if not l.startswith("#") for w in l.split()]


def check_catalogues(src, outdir):
    pot = make_template(src, outdir)
    langs = linguas(src)
    if not langs:
        fail("po/LINGUAS names no language")
    for lang in langs:
        po = os.path.join(src, "po", lang + ".po")
        if not os.path.exists(po):
            fail(f"po/LINGUAS names {lang}, but there is no po/{lang}.po")
            continue
        r = subprocess.run(["msgfmt", "--check", "--check-accelerators=_", "--statistics",
                            "-o", os.devnull, po], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"msgfmt --check po/{lang}.po:\n{r.stderr}")
            continue
        merged = os.path.join(outdir, lang + ".merged.po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot],
                       check=True)
        entries = parse_po(merged)
        header = next(e for e in entries if e.id == "")
        if f"Language: {lang}\\n" not in header.strs[0].replace("\n", "\\n"):
            fail(f"po/{lang}.po: the header does not say Language: {lang}")
        if "Plural-Forms:" not in header.strs[0]:
            fail(f"po/{lang}.po: the header has no Plural-Forms")
        msgs = messages(entries)
        fuzzy = [e for e in msgs if "fuzzy" in e.flags]
        untranslated = [e for e in msgs if not all(e.strs.values()) or not e.strs]
        # a string the sources gained since the catalogue was last brought up to date, or
        # one that a merge left fuzzy or empty in the file: shown in English until translated
        own = messages(parse_po(po))
        for e in own:
            if "fuzzy" in e.flags:
                incomplete(f"po/{lang}.po has a fuzzy entry: \"{e.id}\"")
        for e in untranslated:
            incomplete(f"po/{lang}.po: not yet translated: \"{e.id}\"")
        _check_keys(lang, msgs)
        print(f"po/{lang}.po: {len(msgs)} messages, {len(fuzzy)} fuzzy, "
              f"{len(untranslated)} not yet translated; {r.stderr.strip()}")
    finish("the catalogues")


def _check_keys(lang, msgs):
    """the keys typed at rcptguard-sendmail's terminal prompt: one character each, and the
    choices of one question distinct"""
    # a key not yet translated is the English one
    keys = {e.id: e.strs.get(0) or e.id for e in msgs if e.ctxt == "terminal key"}
    for src_key, key in keys.items():
        if len(key) != 1 or key != key.lower():
            fail(f"po/{lang}.po: the terminal key for \"{src_key}\" is \"{key}\", "
                 "not one lower-case character")
    for group in (("e", "c", "s", "t"), ("y", "n")):
        chosen = [keys[k] for k in group if k in keys]
        if len(set(chosen)) != len(chosen):
            fail(f"po/{lang}.po: the terminal keys {chosen} are not all different")


FORBIDDEN_C = [
    (re.compile(r"(?<![\w.>])(gettext|ngettext|pgettext)\s*\("),
     "plain gettext()/ngettext() use the host's default domain: use _() or "
     "g_dngettext(GETTEXT_PACKAGE, …)"),
    (re.compile(r"#\s*include\s*<glib/gi18n\.h>"),
     "<glib/gi18n.h> translates with the default domain: include <glib/gi18n-lib.h>"),
    (re.compile(r"\bg_dgettext\s*\(\s*NULL"), "a NULL domain is the host's"),
]


def check_domain(src):
    for rel in source_files(src):
        path = os.path.join(src, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if rel.endswith((".c", ".h")):
            code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text,
                          flags=re.S)
            for pattern, why in FORBIDDEN_C:
                for m in pattern.finditer(code):
                    line = code.count("\n", 0, m.start()) + 1
                    fail(f"{rel}:{line}: {why}")
            if re.search(r"\b_\(", code) and "gi18n-lib.h" not in code and \
                    '"rg-i18n.h"' not in code:
                fail(f"{rel}: uses _() without <glib/gi18n-lib.h> or \"rg-i18n.h\"")
            if re.search(r"gtk_builder_new\w*\s*\(", code) and \
                    "gtk_builder_set_translation_domain" not in code:
                fail(f"{rel}: a GtkBuilder of ours needs "
                     "gtk_builder_set_translation_domain(builder, GETTEXT_PACKAGE)")
        elif rel.endswith(".ui"):
            root = ET.parse(path).getroot()
            if any(el.get("translatable") == "yes" for el in root.iter()) and \
                    root.get("domain") != DOMAIN:
                fail(f"{rel}: <interface> must say domain=\"{DOMAIN}\": a template built "
                     "inside a mail client would translate with the client's domain")
    finish("the gettext domain")


PRINTF = re.compile(r"%(?:(\d+)\$)?[-+ #0']*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?"
                    r"([diouxXeEfFgGaAcspn%])|%\s*\"?\s*G_\w+_FORMAT")


def _conversions(s):
    return [m for m in PRINTF.finditer(s) if m.group(2) != "%"]


def check_comments(src, outdir):
    pot = make_template(src, outdir)
    for e in messages(parse_po(pot)):
        for text in filter(None, (e.id, e.plural)):
            conv = _conversions(text) if "c-format" in e.flags else []
            if len(conv) > 1 and any(m.group(1) is None for m in conv):
                fail(f"\"{e.id}\": {len(conv)} placeholders, not all positional (%1$s, "
                     "%2$u): a translation could not reorder them")
        if "c-format" in e.flags and _conversions(e.id) and not e.comments \
                and e.plural is None:
            fail(f"\"{e.id}\": no /* TRANSLATORS: */ comment says what the placeholder holds")
    # a comment xgettext does not attach (it must end on the line just before the one with
    # the string) is lost to translators
    attached = {}
    for e in messages(parse_po(pot)):
        for f in e.refs:
            text = " ".join(e.comments).replace("*", " ")
            attached.setdefault(f, []).append(" ".join(text.split()))
    files, _ = read_potfiles(src)
    for rel in files:
        if not rel.endswith((".c", ".h")):
            continue
        with open(os.path.join(src, rel), encoding="utf-8") as f:
            text = f.read()
        here = attached.get(rel, [])
        for m in re.finditer(r"/\*\s*(TRANSLATORS:.*?)\*/", text, re.S):
            body = " ".join(m.group(1).replace("*", " ").split())
            if not any(body in c for c in here):
                line = text.count("\n", 0, m.start()) + 1
                fail(f"{rel}:{line}: this TRANSLATORS comment is not in the template: it must "
                     "end on the line just before the one with the string")
    finish("placeholders and translator comments")


def check_countries(src, outdir, iso_json):
    pot = make_template(src, outdir)
    with open(iso_json, encoding="utf-8") as f:
        data = json.load(f)
    names = set()
    for c in data["3166-1"]:
        for k in ("name", "official_name", "common_name"):
            if k in c:
                names.add(c[k])
    ours = {e.id for e in messages(parse_po(pot))}
    for n in sorted(names & ours):
        fail(f"\"{n}\" is a country name of iso-codes, translated by its iso_3166-1 domain; "
             "it does not belong in our catalogue")
    print(f"{len(names)} iso-codes names, none in our {len(ours)} messages"
          if not names & ours else "")
    finish("the country names")


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def check_metainfo(src, path):
    root = ET.parse(path).getroot()
    langs = linguas(src)
    parents = {c: p for p in root.iter() for c in p}
    # the English elements, and for each the translations that follow it
    for el in root.iter():
        if el.tag not in ("summary", "p", "li", "developer_name") or el.get(XML_LANG):
            continue
        siblings = [c for c in parents[el] if c.tag == el.tag and c.get(XML_LANG)]
        if el.tag in ("p", "li"):
            # each paragraph's translations come right after it
            kids = list(parents[el])
            i = kids.index(el) + 1
            siblings = []
            while i < len(kids) and kids[i].tag == el.tag and kids[i].get(XML_LANG):
                siblings.append(kids[i])
                i += 1
        have = {c.get(XML_LANG) for c in siblings}
        for lang in langs:
            if lang not in have:
                text = " ".join("".join(el.itertext()).split())[:50]
                incomplete(f"{os.path.basename(path)}: <{el.tag}> \"{text}\" has no "
                           f"xml:lang=\"{lang}\"")
    name = root.find("name")
    if name is not None and name.get(XML_LANG) is None and \
            any(c.tag == "name" and c.get(XML_LANG) for c in root):
        fail(f"{os.path.basename(path)}: the product name was translated")
    finish(f"the translations of {os.path.basename(path)}")


# the manual pages: po4a's catalogues in po/man, one paragraph an entry
MAN_HEADING_TYPES = ("type: SH", "type: SS")
MAN_NAME_LINE = re.compile(r"^[\w.-]+ - \S")


def _man_key_phrase(e):
    """headings, the TH's section name and the NAME line are what the issue calls the key
    phrases: what apropos and a reader skimming the page see"""
    kinds = " ".join(e.comments)
    if any(k in kinds for k in MAN_HEADING_TYPES):
        return True
    if "type: TH" in kinds:
        return e.id == "User Commands"
    return bool(MAN_NAME_LINE.match(e.id))


def check_man(src, outdir, built):
    pages = list(dict.fromkeys(b.split(":", 2)[1] for b in built))
    if not pages:
        fail("no translated page was built (LANG:PAGE:PATH arguments)")
        finish("the translated manual pages")
    os.makedirs(outdir, exist_ok=True)
    langs = [l for l in linguas(src) if os.path.exists(os.path.join(src, "po", "man", l + ".po"))]
    if not langs:
        fail("no po/man/LANG.po for a language of po/LINGUAS")
    for lang in langs:
        po = os.path.join(src, "po", "man", lang + ".po")
        r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"msgfmt --check po/man/{lang}.po:\n{r.stderr}")
            continue
        merged = os.path.join(outdir, lang + ".po")
        with open(po, "rb") as f, open(merged, "wb") as g:
            g.write(f.read())
        masters = [a for page in pages for a in ("-m", os.path.join(src, "docs", page))]
        subprocess.run(["po4a-updatepo", "-f", "man", "-M", "UTF-8", "-p", merged] +
                       masters, check=True, capture_output=True)
        # po4a's guesses for a changed paragraph are fuzzy: shown in English until checked
        for e in messages(parse_po(po)):
            if "fuzzy" in e.flags:
                incomplete(f"po/man/{lang}.po has a fuzzy entry: \"{e.id[:60]}\"")
        keys = [e for e in messages(parse_po(merged)) if _man_key_phrase(e)]
        if not keys:
            fail(f"po/man/{lang}.po: no key phrase found in {', '.join(pages)}")
        for e in keys:
            if "fuzzy" in e.flags or not e.strs.get(0):
                incomplete(f"po/man/{lang}.po: the key phrase \"{e.id}\" is not translated")
        print(f"po/man/{lang}.po: {len(keys)} key phrases; {r.stderr.strip()}")
    # what meson built from them: each page renders, and says its NAME line in its language
    for b in built:
        lang, page, path = b.split(":", 2)
        if not os.path.exists(path):
            fail(f"{page} in {lang} was not built ({path})")
            continue
        r = subprocess.run(["groff", "-man", "-ww", "-z", "-K", "utf8", path],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stderr:
            fail(f"{os.path.basename(path)} does not render cleanly:\n{r.stderr}")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        po = os.path.join(src, "po", "man", lang + ".po")
        for e in messages(parse_po(po)):
            if MAN_NAME_LINE.match(e.id) and e.strs.get(0) and "fuzzy" not in e.flags and \
                    e.id.split(" ", 1)[0] == page.rsplit(".", 1)[0]:
                want = e.strs[0].split(" - ", 1)[1]
                if want not in " ".join(text.replace("\\-", "-").split()):
                    fail(f"{os.path.basename(path)}: the NAME line is not the translation "
                         f"\"{want}\"")
    finish("the translated manual pages")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, src = argv[1], os.path.abspath(argv[2])
    rest = argv[3:]
    if cmd == "potfiles":
        check_potfiles(src)
    elif cmd == "template":
        check_template(src, rest[0])
    elif cmd == "catalogues":
        check_catalogues(src, rest[0])
    elif cmd == "domain":
        check_domain(src)
    elif cmd == "comments":
        check_comments(src, rest[0])
    elif cmd == "countries":
        check_countries(src, rest[0], rest[1])
    elif cmd == "man":
        check_man(src, rest[0], rest[1:])
    elif cmd == "metainfo":
        check_metainfo(src, rest[0])
    else:
        print(__doc__)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
