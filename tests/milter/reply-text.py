#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The exact replies rcptguard-milter gives at RCPT, read over the milter protocol itself:
reject and confirm say why and name the fix (550 5.7.1), '%' is doubled for libmilter, a
garbage address and an unusable store get a temporary reply (451), and the milter logs
what it did and how long judging took.

    reply-text.py MILTER"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import milterclient  # noqa: E402

milter = sys.argv[1]
failures = []

WHY = ('gen.smith@army.ml: ".ml" is the country domain of Mali, one letter away from ".mil"; '
       "army.mil is protected by your organization's policy. Did you mean gen.smith@army.mil?")


def expect(what, got, want):
    if got != want:
        failures.append("%s:\n  got  %r\n  want %r" % (what, got, want))


def session(path, sender="alice"):
    c = milterclient.Connection(path)
    c.negotiate()
    # no answer to the connect event (SMFIP_NR_CONN), so no reply to read
    expect("connect", c.connect("client.example", "127.0.0.1"), None)
    expect("mail", c.mail("<%s@example.org>" % sender, auth=sender).cmd, b"c")
    return c


def text_of(reply):
    return reply.text if reply.cmd == b"y" else repr(reply)


def run(policy, check, extra=()):
    tmp = tempfile.mkdtemp(prefix="rg-milter-")
    user = None
    if os.geteuid() == 0:
        user = "nobody"
        shutil.chown(tmp, user="nobody")
    proc, path = milterclient.start_milter(milter, tmp, policy, user, extra)
    try:
        check(path, tmp)
    finally:
        log = milterclient.stop_milter(proc)
        shutil.rmtree(tmp)
    return log


def reject(path, tmp):
    c = session(path)
    expect("reject", text_of(c.rcpt("<gen.smith@army.ml>")), "550 5.7.1 " + WHY)
    # '%' reaches the MTA doubled, as libmilter wants it; Postfix and Sendmail show one
    expect("percent", text_of(c.rcpt("<gen%smith@army.ml>")),
           "550 5.7.1 " + WHY.replace("gen.smith", "gen%%smith"))
    expect("known", c.rcpt("<john@army.mil>").cmd, b"c")
    changes, final = c.eom()
    expect("eom", (changes, final.cmd), ([], b"c"))
    c.close()


log = run("protected-domains=army.mil\nlevel-tld-typo=block\n", reject)
for line in ("rcptguard-milter: QID: sender=alice rcpt=gen.smith@army.ml action=reject "
             "level=block reasons=tld-typo",
             "rcptguard-milter: stopped: judged 3 recipients; per recipient p50 "):
    if line not in log:
        failures.append("the log has no %r:\n%s" % (line, log))


def confirm(path, tmp):
    c = session(path)
    expect("confirm", text_of(c.rcpt("<gen.smith@army.ml>")),
           "550 5.7.1 " + WHY + " If the address is right, send the message again within 30 "
           "minutes.")
    c.close()
    c = session(path)
    expect("confirmed", c.rcpt("<gen.smith@army.ml>").cmd, b"c")
    c.close()


run("protected-domains=army.mil\n", confirm)


# The reply is English whatever the milter's locale, and in the policy's
# server-reply-language when it names one, made ASCII by that language's rules
def in_language(env, policy, want):
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)

    def check(path, tmp):
        c = session(path)
        got = text_of(c.rcpt("<gen.smith@army.ml>"))
        c.close()
        for w in want:
            if w not in got:
                failures.append("%s (%r): the reply has no %r:\n  %r" % (policy, env, w, got))
        if not got.isascii():
            failures.append("the reply is not ASCII: %r" % got)

    try:
        run(policy, check)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


in_language({"LC_ALL": "C.UTF-8", "LANGUAGE": "de"},
            "protected-domains=army.mil\nlevel-tld-typo=block\n",
            ['550 5.7.1 gen.smith@army.ml: ".ml" is the country domain of Mali',
             "Did you mean gen.smith@army.mil?"])
in_language({"LC_ALL": "C.UTF-8", "LANGUAGE": ""},
            "protected-domains=army.mil\nlevel-tld-typo=block\nserver-reply-language=de\n",
            ['550 5.7.1 gen.smith@army.ml: ".ml" ist die Laenderdomain von Mali',
             "Meinten Sie gen.smith@army.mil?"])


def garbage(path, tmp):
    c = session(path)
    expect("garbage", text_of(c.rcpt("<this is not an address>")),
           '451 4.1.3 "this is not an address" is not an e-mail address rcptguard can read. '
           "Check the address and send the message again.")
    expect("after garbage", c.rcpt("<john@army.mil>").cmd, b"c")
    c.close()


run("protected-domains=army.mil\n", garbage)


def unusable(path, tmp):
    c = session(path)
    expect("unusable store", text_of(c.rcpt("<john@army.mil>")),
           "451 4.3.0 The recipients cannot be checked right now. Send the message again "
           "later.")
    c.close()


log = run("protected-domains=army.mil\non-error=block\n", unusable,
          extra=("-s", "/nonexistent/rcptguard/senders.db"))
if "the sender store cannot be used" not in log:
    failures.append("the log does not say that the store cannot be used:\n" + log)

# started by hand as root without -u, it refuses; --check says what it found
if os.geteuid() == 0:
    r = subprocess.run([milter, "-p", "local:/nonexistent/milter.sock"], capture_output=True,
                       text=True, timeout=60)
    expect("as root without -u", (r.returncode, "refusing to run as root" in r.stderr),
           (78, True))
tmp = tempfile.mkdtemp(prefix="rg-milter-")
with open(tmp + "/policy.conf", "w") as f:
    f.write("[policy]\nprotected-domains=army.mil\nserver-action-warn=bounce\n")
as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
if as_user:
    shutil.chown(tmp, user="nobody")
r = subprocess.run([milter, "--check", "-c", tmp + "/policy.conf", "-s", tmp + "/senders.db"]
                   + as_user, capture_output=True, text=True, timeout=60)
expect("--check of a policy with an error", r.returncode, 78)
if "server-action-warn" not in r.stderr or "holds 0 senders" not in r.stderr:
    failures.append("--check did not say what it found:\n" + r.stderr)
with open(tmp + "/policy.conf", "w") as f:
    f.write("[policy]\nprotected-domains=army.mil\n")
r = subprocess.run([milter, "--check", "-c", tmp + "/policy.conf", "-s", tmp + "/senders.db"]
                   + as_user, capture_output=True, text=True, timeout=60)
expect("--check of a good policy", r.returncode, 0)
shutil.rmtree(tmp)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("every reply as expected")
