#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard-sendmail benchmark: run on demand (`meson test -C _build --benchmark sendmail`),
never a test.

In a hermetic HOME with a history store of 100,000 addresses, sends the same small message
N times through the transport alone (msmtp to a loopback SMTP sink, or `cat` when msmtp or
aiosmtpd is missing) and N times through rcptguard-sendmail in front of that transport,
interleaved (and once more with an empty history, to tell start-up from reading
the history), and prints the wrapper's added latency per message (goal: < 10 ms, start-up
included) and the ratio of the two.

usage: bench-sendmail.py RCPTGUARD-SENDMAIL RCPTGUARD SINK.PY
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

N_ADDRESSES = 100000
N_RUNS = 60
MESSAGE = (b"From: Me <me@bench.example>\nTo: Friend <p42.x@org42.com>\n"
           b"Subject: bench\n\n" + b"A line of text.\n" * 40)


def main():
    sendmail, cli, sink = sys.argv[1:4]
    root = tempfile.mkdtemp(prefix="rg-bench-sendmail-")
    env = dict(os.environ, HOME=root, XDG_CONFIG_HOME=root + "/config",
               XDG_DATA_HOME=root + "/data", XDG_CONFIG_DIRS=root + "/etc",
               XDG_CACHE_HOME=root + "/cache", NOTMUCH_CONFIG=root + "/no-notmuch",
               LC_ALL="C.UTF-8")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    sink_proc = None
    try:
        os.makedirs(root + "/etc/rcptguard")
        with open(root + "/etc/rcptguard/policy.conf", "w") as f:
            f.write("[policy]\nprotected-domains=army.mil\n")
        t = time.perf_counter()
        addresses = [f"p{i}.x@org{i % 3000}.com" for i in range(N_ADDRESSES)]
        for k in range(0, N_ADDRESSES, 10000):
            subprocess.run([cli, "history", "record"] + addresses[k:k + 10000], env=env,
                           check=True, stdout=subprocess.DEVNULL)
        print(f"history: {N_ADDRESSES} addresses recorded in {time.perf_counter() - t:.1f} s")

        transport = ["cat"]
        have_sink = shutil.which("msmtp") is not None
        if have_sink:
            portfile = root + "/port"
            sink_proc = subprocess.Popen(["/usr/bin/python3", sink, portfile, root + "/sink.jsonl"])
            for _ in range(100):
                if os.path.exists(portfile):
                    break
                time.sleep(0.1)
            port = open(portfile).read().strip()
            with open(root + "/msmtprc", "w") as f:
                f.write(f"account default\nhost 127.0.0.1\nport {port}\nauth off\ntls off\n"
                        "from me@bench.example\n")
            os.chmod(root + "/msmtprc", 0o600)
            transport = ["msmtp", "-C", root + "/msmtprc"]
        print("transport:", " ".join(transport))
        args = ["-oi", "-f", "me@bench.example", "--", "p42.x@org42.com"]
        alone = transport + args
        wrapped = [sendmail, "--sendmail", " ".join(transport)] + args

        # the same, with an empty history: what start-up costs before the history is read
        env_empty = dict(env, XDG_DATA_HOME=root + "/data-empty")

        def run(cmd, run_env=env):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, input=MESSAGE, env=run_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            dt = time.perf_counter() - t0
            if p.returncode != 0:
                sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()}")
            return dt

        run(wrapped)  # warm the page cache and the store
        base, total, empty = [], [], []
        for _ in range(N_RUNS):
            base.append(run(alone))
            total.append(run(wrapped))
            empty.append(run(wrapped, env_empty))
        b = statistics.median(base) * 1000
        w = statistics.median(total) * 1000
        e = statistics.median(empty) * 1000
        print(f"transport alone:          median {b:7.2f} ms  (min {min(base) * 1000:.2f})")
        print(f"rcptguard-sendmail + it:  median {w:7.2f} ms  (min {min(total) * 1000:.2f})")
        print(f"  ... with no history:    median {e:7.2f} ms  (start-up and check alone)")
        print(f"added per message:        median {w - b:7.2f} ms  (goal < 10 ms)")
        print(f"  of which the history:   median {w - e:7.2f} ms  (reading {N_ADDRESSES} addresses)")
        print(f"ratio wrapped / alone:    {w / b:.2f}x  ({N_RUNS} runs each, interleaved)")
    finally:
        if sink_proc is not None:
            sink_proc.terminate()
            sink_proc.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
