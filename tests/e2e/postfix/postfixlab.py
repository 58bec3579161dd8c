# SPDX-License-Identifier: LGPL-2.1-or-later
"""A real Postfix of its own for the end-to-end test and the load benchmark: its own
config_directory and queue_directory in a temporary directory, listening on loopback ports
only, relaying everything to smtp-sink, with rcptguard-milter instances on smtpd_milters.
Nothing of the system's Postfix is used or changed (that one need not even be configured).
Needs root, as Postfix does."""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

POSTFIX = "/usr/sbin/postfix"
POSTQUEUE = "/usr/sbin/postqueue"
POSTCONF = "/usr/sbin/postconf"
SMTP_SINK = "/usr/sbin/smtp-sink"
SMTP_SOURCE = "/usr/sbin/smtp-source"


class LabError(Exception):
    pass


def missing():
    """why this cannot run here, or None"""
    if os.geteuid() != 0:
        return "a real Postfix needs root"
    for tool in (POSTFIX, POSTQUEUE, POSTCONF, SMTP_SINK, SMTP_SOURCE):
        if not os.access(tool, os.X_OK):
            return "%s is missing (the postfix package, build-aux/packages-test.txt)" % tool
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(family, address, what, timeout=30.0, proc=None):
    """waits until something accepts connections at @address (AF_INET or AF_UNIX)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise LabError("%s exited with %d before it listened" % (what, proc.returncode))
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.settimeout(1)
                s.connect(address)
                return
        except OSError:
            time.sleep(0.05)
    raise LabError("%s does not listen on %s" % (what, address))


def wait_for_port(port, what, timeout=30.0, proc=None):
    wait_listening(socket.AF_INET, ("127.0.0.1", port), what, timeout, proc)


def wait_for_socket(path, what, timeout=30.0, proc=None):
    wait_listening(socket.AF_UNIX, path, what, timeout, proc)


# the services an instance needs, chroot off: Postfix's own processes and nothing else
MASTER_CF = """\
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Milter:
    """one rcptguard-milter with a policy of its own, on a loopback port, or with @unix on a
    Unix socket (as the unit does), running as user postfix so that smtpd may connect"""

    def __init__(self, lab, name, policy, extra=(), unix=False):
        self.lab = lab
        self.name = name
        self.dir = os.path.join(lab.dir, "milter-" + name)
        os.makedirs(self.dir)
        self.port = free_port()
        self.unix = unix
        self.user = "postfix" if unix else "nobody"
        self.socket = os.path.join(self.dir, "milter.sock")
        self.policy = os.path.join(self.dir, "policy.conf")
        with open(self.policy, "w") as f:
            f.write("[policy]\n" + policy)
        shutil.chown(self.dir, user=self.user)
        self.store = os.path.join(self.dir, "senders.db")
        self.log_path = os.path.join(self.dir, "milter.log")
        self.extra = list(extra)
        self.proc = None

    @property
    def postfix_name(self):
        """the milter as smtpd_milters names it (Postfix's notation)"""
        if self.unix:
            return "unix:" + self.socket
        return "inet:127.0.0.1:%d" % self.port

    def start(self):
        listen = "local:" + self.socket if self.unix else "inet:%d@127.0.0.1" % self.port
        args = [self.lab.milter, "-u", self.user, "-p", listen, "-c", self.policy,
                "-s", self.store] + self.extra
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        if self.unix:
            wait_for_socket(self.socket, "rcptguard-milter " + self.name, proc=self.proc)
        else:
            wait_for_port(self.port, "rcptguard-milter " + self.name, proc=self.proc)

    def signal_stop(self):
        """asks it to stop, as systemd does (libmilter takes up to five seconds)"""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()

    def stop(self):
        """stops it and returns its exit status"""
        if self.proc is None:
            return 0
        self.signal_stop()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        self.log.close()
        return rc

    def pause(self):
        """a milter that hangs: it stops answering, its socket stays open"""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def read_log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


class Lab:
    """a Postfix instance and its smtp-sink; submission services are added before start()"""

    def __init__(self, milter, keep=False):
        self.milter = milter
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="rg-postfix-")
        # Postfix's processes (user postfix) reach the queue below it
        os.chmod(self.dir, 0o755)
        self.config = os.path.join(self.dir, "config")
        self.queue = os.path.join(self.dir, "queue")
        self.data = os.path.join(self.dir, "data")
        self.sink_dir = os.path.join(self.dir, "sink")
        self.maillog = os.path.join(self.dir, "maillog")
        for d in (self.config, self.queue, self.data, self.sink_dir):
            os.makedirs(d)
        shutil.chown(self.data, user="postfix")
        shutil.chown(self.sink_dir, user="postfix")
        self.sink_port = free_port()
        self.services = {}  # name -> port
        self.milters = []
        self.sink = None
        self.master = None

    # ---------------------------------------------------------------- set-up

    def add_milter(self, name, policy, extra=(), unix=False):
        m = Milter(self, name, policy, extra, unix)
        self.milters.append(m)
        return m

    def add_submission(self, name, milter=None, default_action="tempfail", raw_milter=None):
        """an smtpd on a port of its own with @milter on smtpd_milters (None: no milter)"""
        port = free_port()
        opts = ["-o", "syslog_name=postfix/" + name]
        if milter is not None or raw_milter is not None:
            target = raw_milter if raw_milter is not None else milter.postfix_name
            opts += ["-o", "smtpd_milters=%s" % target,
                     "-o", "milter_default_action=%s" % default_action]
        else:
            opts += ["-o", "smtpd_milters="]
        self.services[name] = (port, opts)
        return port

    def write_config(self):
        main = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue,
            "data_directory": self.data,
            "maillog_file": self.maillog,
            "maillog_file_prefixes": self.dir,
            "myhostname": "submission.example.test",
            "mydomain": "example.test",
            "myorigin": "example.test",
            "mydestination": "",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "relayhost": "[127.0.0.1]:%d" % self.sink_port,
            # no DNS, no network: the next hop is a literal address
            "smtp_dns_support_level": "disabled",
            "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
            "alias_maps": "",
            "alias_database": "",
            "local_recipient_maps": "",
            "biff": "no",
            "smtpd_tls_security_level": "none",
            "smtp_tls_security_level": "none",
            "milter_connect_timeout": "3s",
            "milter_command_timeout": "3s",
            "non_smtpd_milters": "",
            # the load benchmark sends thousands of messages quickly
            "smtpd_client_connection_count_limit": "0",
            "smtpd_client_connection_rate_limit": "0",
            "smtpd_client_message_rate_limit": "0",
            "smtpd_client_recipient_rate_limit": "0",
            "smtpd_recipient_limit": "10000",
            "default_process_limit": "200",
            "smtp_destination_concurrency_limit": "20",
            "default_destination_recipient_limit": "1000",
            "queue_run_delay": "1s",
            "minimal_backoff_time": "1s",
            "maximal_backoff_time": "2s",
            "in_flow_delay": "0",
        }
        with open(os.path.join(self.config, "main.cf"), "w") as f:
            for k, v in main.items():
                f.write("%s = %s\n" % (k, v))
        with open(os.path.join(self.config, "master.cf"), "w") as f:
            f.write(MASTER_CF)
            for name, (port, opts) in self.services.items():
                f.write("127.0.0.1:%d inet n - n - - smtpd\n" % port)
                for o in range(0, len(opts), 2):
                    f.write("  %s %s\n" % (opts[o], opts[o + 1]))

    # ---------------------------------------------------------------- running

    def start(self):
        self.write_config()
        self.sink = subprocess.Popen(
            [SMTP_SINK, "-u", "postfix", "-d", os.path.join(self.sink_dir, "%H/%M%S."),
             "127.0.0.1:%d" % self.sink_port, "256"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for_port(self.sink_port, "smtp-sink", proc=self.sink)
        for m in self.milters:
            m.start()
        self.postfix("start")
        for name, (port, _) in self.services.items():
            wait_for_port(port, "postfix service " + name)

    def postfix(self, *args):
        r = subprocess.run([POSTFIX, "-c", self.config] + list(args),
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise LabError("postfix %s failed (%d):\n%s%s" % (" ".join(args), r.returncode,
                                                               r.stdout, r.stderr))
        return r

    def stop(self):
        """stops everything; returns the milters' exit statuses"""
        statuses = {}
        try:
            self.postfix("stop")
        except LabError:
            subprocess.run([POSTFIX, "-c", self.config, "abort"], capture_output=True)
        for m in self.milters:
            m.signal_stop()
        for m in self.milters:
            statuses[m.name] = m.stop()
        if self.sink is not None and self.sink.poll() is None:
            self.sink.terminate()
            self.sink.wait(timeout=30)
        return statuses

    def cleanup(self):
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ---------------------------------------------------------------- looking

    def queue_entries(self):
        """postqueue -j: every message still in a queue (active, deferred, hold, ...)"""
        r = subprocess.run([POSTQUEUE, "-c", self.config, "-j"], capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise LabError("postqueue -j failed: %s" % r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]

    def wait_queue(self, pred=lambda entries: not entries, timeout=60.0):
        """waits until @pred holds for the queue entries; returns them"""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.queue_entries()
            if pred(entries):
                return entries
            if time.monotonic() > deadline:
                raise LabError("the queue did not settle:\n%s" % json.dumps(entries, indent=1))
            time.sleep(0.2)

    def delivered(self):
        """per message smtp-sink received: the list of its envelope recipients"""
        messages = []
        for path in sorted(glob.glob(os.path.join(self.sink_dir, "*", "*"))):
            with open(path, errors="replace") as f:
                rcpts = []
                for line in f:
                    if line.startswith("X-Rcpt-Args:"):
                        m = re.match(r"X-Rcpt-Args: <?([^> ]*)>?", line)
                        rcpts.append(m.group(1))
                    elif line.startswith("Received:"):
                        break
                messages.append(rcpts)
        return messages

    def delivered_headers(self):
        """the headers of every message smtp-sink received, as text"""
        out = []
        for path in sorted(glob.glob(os.path.join(self.sink_dir, "*", "*"))):
            with open(path, errors="replace") as f:
                out.append(f.read().split("\n\n", 1)[0])
        return out

    def read_maillog(self):
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except OSError:
            return ""
