#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard-milter on a real Postfix, end to end: a Postfix of its own (postfixlab.py) on
loopback ports, relaying to smtp-sink, with one submission service per scenario, each with
its rcptguard-milter on smtpd_milters. A client (smtplib) submits; what reached the sink,
what sits in the queue (postqueue -j) and what the client was told are checked.

    run-e2e.py MILTER    (as root; exits 77 where Postfix cannot run)
    RG_E2E_INSTALLED=1: the installed milter (RG_E2E_INSTALLED_MILTER) instead of MILTER"""

import os
import smtplib
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postfixlab  # noqa: E402

WHY = ('gen.smith@army.ml: ".ml" is the country domain of Mali, one letter away from ".mil"; '
       "army.mil is protected by your organization's policy. Did you mean gen.smith@army.mil?")
CONFIRM = " If the address is right, send the message again within 30 minutes."

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def expect(what, got, want):
    if got != want:
        fail("%s:\n  got  %r\n  want %r" % (what, got, want))


def submit(port, sender, rcpts, subject="test"):
    """one message; returns {recipient: (code, text)} for each RCPT and the DATA reply"""
    out = {}
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
        s.ehlo("client.example")
        code, text = s.mail(sender)
        if code != 250:
            return {"MAIL": (code, text.decode())}
        accepted = 0
        for r in rcpts:
            code, text = s.rcpt(r)
            out[r] = (code, text.decode())
            accepted += code == 250
        if accepted:
            code, text = s.data(("From: <%s>\r\nTo: %s\r\nSubject: %s\r\n\r\nhello\r\n"
                                 % (sender, ", ".join(rcpts), subject)).encode())
            out["DATA"] = (code, text.decode())
        else:
            s.rset()
    return out


def main():
    why_not = postfixlab.missing()
    if why_not is not None:
        print("SKIP: " + why_not)
        return 77
    milter = sys.argv[1]
    if os.environ.get("RG_E2E_INSTALLED") == "1":
        milter = os.environ["RG_E2E_INSTALLED_MILTER"]
        if not os.access(milter, os.X_OK):
            print("FAIL: the installed milter %s is missing" % milter)
            return 1
    print("# rcptguard-milter: " + milter, flush=True)
    lab = postfixlab.Lab(milter, keep=os.environ.get("RG_KEEP") == "1")
    # one on a Unix socket, as the unit has it, the others on loopback ports
    m_reject = lab.add_milter("reject", "protected-domains=army.mil\nlevel-tld-typo=block\n",
                              unix=True)
    m_confirm = lab.add_milter("confirm", "protected-domains=army.mil\n")
    m_hold = lab.add_milter("hold", "protected-domains=army.mil\nserver-action-warn=hold\n")
    m_tag = lab.add_milter("tag", "protected-domains=army.mil\nserver-action-warn=tag\n")
    m_nostore = lab.add_milter("nostore", "protected-domains=army.mil\non-error=block\n",
                               extra=["-s", "/nonexistent/rcptguard/senders.db"])
    ports = {
        "reject": lab.add_submission("reject", m_reject),
        "confirm": lab.add_submission("confirm", m_confirm),
        "hold": lab.add_submission("hold", m_hold),
        "tag": lab.add_submission("tag", m_tag),
        "nostore": lab.add_submission("nostore", m_nostore),
        # a milter nobody runs: what milter_default_action does
        "down-tempfail": lab.add_submission(
            "down-tempfail", raw_milter="inet:127.0.0.1:%d" % postfixlab.free_port()),
        "down-accept": lab.add_submission(
            "down-accept", raw_milter="inet:127.0.0.1:%d" % postfixlab.free_port(),
            default_action="accept"),
    }
    expected = []  # the recipients the sink must have got, message by message
    try:
        lab.start()

        t = time.monotonic()
        r = submit(ports["reject"], "alice@example.org", ["gen.smith@army.ml", "john@army.mil"])
        expect("reject: army.ml", r["gen.smith@army.ml"], (550, "5.7.1 " + WHY))
        expect("reject: the rest goes on", r["john@army.mil"][0], 250)
        expected.append(["john@army.mil"])
        # alice's history now has army.mil, and the reply says so
        r = submit(ports["reject"], "alice@example.org", ["gen.smith@army.ml"])
        expect("reject, with what alice sent", r, {"gen.smith@army.ml": (550, "5.7.1 " + WHY.replace(
            "army.mil is protected by your organization's policy",
            "you have written to army.mil 1 time"))})
        print("# reject: ok (%.1fs)" % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["confirm"], "alice@example.org", ["gen.smith@army.ml"])
        expect("confirm: first attempt", r, {"gen.smith@army.ml": (550, "5.7.1 " + WHY + CONFIRM)})
        r = submit(ports["confirm"], "alice@example.org", ["gen.smith@army.ml"])
        expect("confirm: sent again", r["gen.smith@army.ml"][0], 250)
        expected.append(["gen.smith@army.ml"])
        print("# confirm-then-accept: ok (%.1fs)" % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["confirm"], "carol@example.org", ["bob@contoso.com"])
        expect("known: first contact goes", r["bob@contoso.com"][0], 250)
        expected.append(["bob@contoso.com"])
        r = submit(ports["confirm"], "carol@example.org", ["bob@contoso.com", "ann@army.mil"])
        expect("known: again", (r["bob@contoso.com"][0], r["ann@army.mil"][0]), (250, 250))
        expected.append(["bob@contoso.com", "ann@army.mil"])
        r = submit(ports["confirm"], "carol@example.org", ["bob@contosso.com"])
        expect("known: its near miss is asked about", r["bob@contosso.com"][0], 550)
        print("# known recipient delivered, its near miss refused: ok (%.1fs)"
              % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["hold"], "alice@example.org", ["gen.smith@army.ml", "john@army.mil"],
                   subject="to be held")
        expect("hold: accepted", (r["gen.smith@army.ml"][0], r["DATA"][0]), (250, 250))
        held = lab.wait_queue(lambda e: any(x["queue_name"] == "hold" for x in e))
        held = [x for x in held if x["queue_name"] == "hold"]
        expect("hold: one message in the hold queue", len(held), 1)
        expect("hold: its recipients",
               sorted(x["address"] for x in held[0]["recipients"]),
               ["gen.smith@army.ml", "john@army.mil"])
        if "milter-hold: END-OF-MESSAGE" not in lab.read_maillog():
            fail("hold: Postfix did not log a milter hold")
        print("# hold: ok, in the hold queue (%.1fs)" % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["tag"], "alice@example.org", ["gen.smith@army.ml"], subject="tagged")
        expect("tag: accepted", r["gen.smith@army.ml"][0], 250)
        expected.append(["gen.smith@army.ml"])
        print("# tag: accepted (%.1fs)" % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["confirm"], "alice@example.org", ["user@[192.0.2.1]"])
        expect("garbage: refused for now", r["user@[192.0.2.1]"][0], 451)
        r = submit(ports["nostore"], "alice@example.org", ["john@army.mil"])
        expect("store unusable, on-error=block", r["john@army.mil"],
               (451, "4.3.0 The recipients cannot be checked right now. Send the message "
                     "again later."))
        print("# unreadable address and unusable store: 451 (%.1fs)"
              % (time.monotonic() - t), flush=True)

        t = time.monotonic()
        r = submit(ports["down-tempfail"], "alice@example.org", ["gen.smith@army.ml"])
        code = next(iter(r.values()))[0]
        expect("milter down, default_action=tempfail", code // 100, 4)
        r = submit(ports["down-accept"], "alice@example.org", ["gen.smith@army.ml"])
        expect("milter down, default_action=accept: unchecked", r["gen.smith@army.ml"][0], 250)
        expected.append(["gen.smith@army.ml"])
        m_confirm.pause()
        r = submit(ports["confirm"], "dave@example.org", ["gen.smith@army.ml"])
        m_confirm.resume()
        code = next(iter(r.values()))[0]
        expect("milter hangs, default_action=tempfail", code // 100, 4)
        print("# milter down or hanging: milter_default_action decides (%.1fs)"
              % (time.monotonic() - t), flush=True)

        # everything but the held message left; the sink has what was accepted, no more
        lab.wait_queue(lambda e: all(x["queue_name"] == "hold" for x in e))
        time.sleep(0.5)
        got = lab.delivered()
        expect("what reached the sink", sorted(map(sorted, got)), sorted(map(sorted, expected)))
        tagged = [h for h in lab.delivered_headers() if "Subject: tagged" in h]
        expect("tag: one tagged message", len(tagged), 1)
        if tagged and "X-Rcptguard: warn; reasons=tld-typo; recipients=1" not in tagged[0]:
            fail("tag: no X-Rcptguard header in\n" + tagged[0])
        if any("X-Rcptguard" in h for h in lab.delivered_headers() if "Subject: tagged" not in h):
            fail("a message that was not tagged has an X-Rcptguard header")
        if any("to be held" in h for h in lab.delivered_headers()):
            fail("the held message reached the sink")
        print("# the sink got exactly what was accepted: %d messages" % len(got), flush=True)
    except Exception as e:  # the logs below say what happened
        fail("%s: %s" % (type(e).__name__, e))
    finally:
        statuses = lab.stop()
        for name, rc in statuses.items():
            expect("milter %s exit status" % name, rc, 0)
        if failures:
            print("---- Postfix log\n" + lab.read_maillog())
            for m in lab.milters:
                print("---- rcptguard-milter %s\n%s" % (m.name, m.read_log()))
        lab.cleanup()
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("all scenarios passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
