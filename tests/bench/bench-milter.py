#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard-milter under load, on a real Postfix (tests/e2e/postfix/postfixlab.py), against
the same Postfix without it, in the same run.

- The milter's store holds 1,000 senders with 1,000 addresses each (bench-milter-seed);
  one message from each sender first brings all of them into memory.
- Each round, smtp-source sends MESSAGES messages of RECIPIENTS recipients, from PARALLEL
  senders at once (one smtp-source each), plus one message in a hundred to gen.smith@army.ml,
  once through a submission service without the milter and once through one with it; the
  order alternates between rounds. Throughput is what smtpd accepted per second; the ratio
  is with the milter against without (goal: at least 0.8).
- The milter's per-recipient latency (p50, p99, max) comes from its own log: SIGUSR1 after
  the warm-up and after each round with the milter.
- Its memory: the resident set before the warm-up, after it (1,000 histories in memory) and
  at the end, and the peak.
- Nothing lost: after each round every recipient either reached smtp-sink or was rejected
  by the milter (Postfix's log), and the queue is empty.

Figures only; no time is asserted. Exits 1 when mail was lost, 77 where Postfix cannot run.

    bench-milter.py MILTER SEED [--messages N] [--recipients M] [--parallel P] [--rounds R]"""

import argparse
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "e2e", "postfix"))
import postfixlab  # noqa: E402

N_SENDERS = 1000
N_DOMAINS = 100
PER_DOMAIN = 10


def rss(pid):
    """(VmRSS, VmHWM) in MiB"""
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid):
    """user + system time of a process so far"""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(milter, n_before):
    """asks the milter for its figures since the last report; returns the log line's"""
    milter.proc.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines = [ln for ln in milter.read_log().splitlines() if "report: judged" in ln]
        if len(lines) > n_before:
            m = re.search(r"judged (\d+) recipients; per recipient p50 (\d+) us, p99 (\d+) us, "
                          r"max (\d+) us", lines[-1])
            return tuple(int(x) for x in m.groups())
        time.sleep(0.1)
    raise postfixlab.LabError("the milter did not report")


def warm_up(port):
    """one message from each sender, all on one connection"""
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as s:
        s.ehlo("client.example")
        for i in range(N_SENDERS):
            s.sendmail("sender%d@example.org" % i, ["rcpt@partner%d.example" % (i % N_DOMAINS)],
                       b"Subject: warm-up\r\n\r\nhello\r\n")
    return N_SENDERS


def rejects(lab):
    return lab.read_maillog().count("milter-reject: RCPT")


def one_round(lab, port, args):
    """runs the load once; returns (seconds, messages, recipients sent)"""
    per_sender = max(args.messages // args.parallel, 1)
    flagged = max(args.messages // 100, 1)
    procs = []
    start = time.monotonic()
    for i in range(args.parallel):
        procs.append(subprocess.Popen(
            [postfixlab.SMTP_SOURCE, "-A", "-s", "1", "-m", str(per_sender),
             "-r", str(args.recipients), "-f", "sender%d@example.org" % i,
             "-t", "rcpt@partner%d.example" % (i % N_DOMAINS), "-M", "client.example",
             "127.0.0.1:%d" % port], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    procs.append(subprocess.Popen(
        [postfixlab.SMTP_SOURCE, "-A", "-s", "1", "-m", str(flagged), "-r", "1",
         "-f", "sender%d@example.org" % args.parallel, "-t", "gen.smith@army.ml",
         "-M", "client.example", "127.0.0.1:%d" % port],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=3600)
        if p.returncode != 0:
            raise postfixlab.LabError("smtp-source failed: %s" % err.decode(errors="replace"))
    seconds = time.monotonic() - start
    messages = per_sender * args.parallel + flagged
    recipients = per_sender * args.parallel * args.recipients + flagged
    return seconds, messages, recipients, flagged


def count_delivered(lab):
    got = lab.delivered()
    return len(got), sum(len(r) for r in got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("milter")
    ap.add_argument("seed")
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--recipients", type=int, default=10)
    ap.add_argument("--parallel", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.recipients > PER_DOMAIN:
        ap.error("at most %d recipients: the history knows %d per domain" % (PER_DOMAIN, PER_DOMAIN))
    why_not = postfixlab.missing()
    if why_not is not None:
        print("SKIP: " + why_not)
        return 77

    lab = postfixlab.Lab(args.milter)
    # a Unix socket, as the systemd unit has it
    milter = lab.add_milter("bench", "protected-domains=army.mil\nlevel-tld-typo=block\n",
                            unix=True)
    plain = lab.add_submission("plain")
    checked = lab.add_submission("checked", milter)
    lost = []
    try:
        seed = subprocess.run([args.seed, milter.store, str(N_SENDERS), str(N_DOMAINS),
                               str(PER_DOMAIN)], capture_output=True, text=True, check=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(milter.store + suffix):
                shutil.chown(milter.store + suffix, user=milter.user)
        print("# store: " + seed.stdout.strip())
        lab.start()
        rss_start = rss(milter.proc.pid)[0]
        t = time.monotonic()
        warm = warm_up(checked)
        warm_s = time.monotonic() - t
        n_reports = 0
        warm_lat = report(milter, n_reports)
        n_reports += 1
        rss_warm = rss(milter.proc.pid)[0]
        lab.wait_queue(timeout=600)
        delivered_msgs, delivered_rcpts = count_delivered(lab)
        if (delivered_msgs, delivered_rcpts) != (warm, warm):
            lost.append("warm-up: %d messages sent, %d delivered" % (warm, delivered_msgs))
        print("# warm-up: %d senders, one message each, in %.1f s; every history read once: "
              "p50 %d us, p99 %d us, max %d us per recipient"
              % (warm, warm_s, warm_lat[1], warm_lat[2], warm_lat[3]))

        totals = {"plain": [0.0, 0, 0], "checked": [0.0, 0, 0]}
        latencies = []
        milter_cpu = []
        for rnd in range(args.rounds):
            order = [("plain", plain), ("checked", checked)]
            if rnd % 2:
                order.reverse()
            for name, port in order:
                before_msgs, before_rcpts = count_delivered(lab)
                before_rejects = rejects(lab)
                cpu_before = cpu_seconds(milter.proc.pid)
                seconds, messages, recipients, flagged = one_round(lab, port, args)
                cpu = cpu_seconds(milter.proc.pid) - cpu_before
                lab.wait_queue(timeout=1800)
                after_msgs, after_rcpts = count_delivered(lab)
                rejected = rejects(lab) - before_rejects
                delivered = after_rcpts - before_rcpts
                want_rejected = flagged if name == "checked" else 0
                if delivered + rejected != recipients or rejected != want_rejected:
                    lost.append("round %d %s: %d recipients sent, %d delivered, %d rejected "
                                "(%d expected)" % (rnd + 1, name, recipients, delivered,
                                                   rejected, want_rejected))
                want_msgs = messages - want_rejected
                if after_msgs - before_msgs != want_msgs:
                    lost.append("round %d %s: %d messages should have arrived, %d did"
                                % (rnd + 1, name, want_msgs, after_msgs - before_msgs))
                totals[name][0] += seconds
                totals[name][1] += messages
                totals[name][2] += recipients
                line = ("# round %d %-7s: %d messages, %d recipients in %.2f s: %.0f msg/s, "
                        "%.0f rcpt/s; delivered %d, rejected %d"
                        % (rnd + 1, name, messages, recipients, seconds, messages / seconds,
                           recipients / seconds, delivered, rejected))
                if name == "checked":
                    lat = report(milter, n_reports)
                    n_reports += 1
                    latencies.append(lat)
                    line += "; milter p50 %d us, p99 %d us, max %d us" % lat[1:]
                    line += "; milter CPU %.2f ms per message" % (cpu * 1000 / messages)
                    milter_cpu.append(cpu * 1000 / messages)
                print(line, flush=True)
        rss_end, hwm = rss(milter.proc.pid)
        entries = lab.queue_entries()
        if entries:
            lost.append("%d messages still queued" % len(entries))
    finally:
        lab.stop()
        log = milter.read_log() if os.path.exists(milter.log_path) else ""
        lab.cleanup()

    tp = {k: v[1] / v[0] for k, v in totals.items()}
    ratio = tp["checked"] / tp["plain"]
    judged = sum(x[0] for x in latencies)
    print("\n== rcptguard-milter on Postfix: %d rounds of %d messages x %d recipients, %d "
          "senders at once ==" % (args.rounds, args.messages, args.recipients, args.parallel))
    print("throughput without the milter: %.0f messages/s (%.0f recipients/s)"
          % (tp["plain"], totals["plain"][2] / totals["plain"][0]))
    print("throughput with the milter:    %.0f messages/s (%.0f recipients/s)"
          % (tp["checked"], totals["checked"][2] / totals["checked"][0]))
    print("ratio: %.2f (goal >= 0.80: %s)" % (ratio, "met" if ratio >= 0.8 else "NOT met"))
    print("per-recipient latency in the milter, history of %d senders x %d addresses: "
          "p99 %d us (worst round), max %d us, over %d recipients; warm-up (each history "
          "read from the store once) p99 %d us"
          % (N_SENDERS, N_DOMAINS * PER_DOMAIN, max(x[2] for x in latencies),
             max(x[3] for x in latencies), judged, warm_lat[2]))
    print("milter CPU time: %.2f ms per message (of %d recipients)"
          % (sum(milter_cpu) / len(milter_cpu), args.recipients))
    print("milter memory: %.0f MiB at start, %.0f MiB with %d histories in memory, %.0f MiB "
          "at the end, peak %.0f MiB" % (rss_start, rss_warm, N_SENDERS, rss_end, hwm))
    if lost:
        print("LOST: " + "; ".join(lost))
        print(log[-4000:])
        return 1
    print("nothing lost: every recipient delivered or rejected, the queue empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
