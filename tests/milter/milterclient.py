# SPDX-License-Identifier: LGPL-2.1-or-later
"""The MTA side of the milter protocol (version 6), as much as the tests need: connect,
macros, MAIL, RCPT, end of message, and every reply with its data, so that a test can read
the exact SMTP reply a filter asked for (miltertest keeps only the reply code of RCPT)."""

import socket
import struct
import subprocess
import time

SMFI_VERSION = 6
# what this MTA offers: every action, every protocol step flag
OFFER_ACTIONS = 0x1FF
OFFER_STEPS = 0x1FFFFF

SMFIP_NOCONNECT = 0x01
SMFIP_NOHELO = 0x02
SMFIP_NOMAIL = 0x04
SMFIP_NORCPT = 0x08
SMFIP_NR_CONN = 0x1000
SMFIP_NR_MAIL = 0x4000
SMFIP_NR_RCPT = 0x8000


class MilterError(Exception):
    pass


class Reply:
    """one answer of the filter: a command letter and its data"""

    def __init__(self, cmd, data):
        self.cmd = cmd
        self.data = data

    @property
    def text(self):
        """the SMTP reply of an 'y' (SMFIR_REPLYCODE), without the protocol's final NUL"""
        if self.cmd != b"y":
            raise MilterError("not a reply code but %r" % self.cmd)
        return self.data.rstrip(b"\0").decode("ascii")

    def __repr__(self):
        return "Reply(%r, %r)" % (self.cmd, self.data)


class Connection:
    def __init__(self, path, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(timeout)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.steps = 0
        self.actions = 0

    def _send(self, cmd, data=b""):
        self.sock.sendall(struct.pack(">I", len(data) + 1) + cmd + data)

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise MilterError("the filter closed the connection")
            buf += chunk
        return buf

    def _recv(self):
        (length,) = struct.unpack(">I", self._recv_exact(4))
        body = self._recv_exact(length)
        return Reply(body[:1], body[1:])

    def negotiate(self):
        self._send(b"O", struct.pack(">III", SMFI_VERSION, OFFER_ACTIONS, OFFER_STEPS))
        r = self._recv()
        if r.cmd != b"O":
            raise MilterError("negotiation answered with %r" % r)
        _, self.actions, self.steps = struct.unpack(">III", r.data[:12])
        return r

    def macro(self, stage, **macros):
        data = stage
        for name, value in macros.items():
            data += name.encode() + b"\0" + value.encode() + b"\0"
        self._send(b"D", data)

    def connect(self, hostname, address, family=b"4", port=25):
        """the filter's answer, or None when it negotiated not to give one"""
        self._send(b"C", hostname.encode() + b"\0" + family + struct.pack(">H", port)
                   + address.encode() + b"\0")
        if self.steps & SMFIP_NR_CONN:
            return None
        return self._recv()

    def mail(self, sender, auth=None):
        if auth is not None:
            self.macro(b"M", i="QID", **{"{auth_authen}": auth})
        self._send(b"M", sender.encode() + b"\0")
        return self._recv()

    def rcpt(self, recipient):
        self._send(b"R", recipient.encode("utf-8", "surrogateescape") + b"\0")
        return self._recv()

    def eom(self):
        """the modifications the filter asked for, then its final answer"""
        self._send(b"E")
        changes = []
        while True:
            r = self._recv()
            if r.cmd in (b"c", b"a", b"r", b"t", b"d", b"y"):
                return changes, r
            changes.append(r)

    def abort(self):
        self._send(b"A")

    def close(self):
        try:
            self._send(b"Q")
        finally:
            self.sock.close()


def start_milter(milter, tmpdir, policy, user, extra=()):
    """rcptguard-milter on a socket in @tmpdir with @policy (the [policy] lines)"""
    with open(tmpdir + "/policy.conf", "w") as f:
        f.write("[policy]\n" + policy)
    path = tmpdir + "/milter.sock"
    args = [milter, "-p", "local:" + path, "-c", tmpdir + "/policy.conf",
            "-s", tmpdir + "/senders.db"]
    if user is not None:
        args += ["-u", user]
    proc = subprocess.Popen(args + list(extra), stderr=subprocess.PIPE, text=True)
    return proc, path


def stop_milter(proc):
    """stops it as systemd does; returns what it logged"""
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    if proc.returncode != 0:
        raise MilterError("the milter exited with %d:\n%s" % (proc.returncode, err))
    return err
