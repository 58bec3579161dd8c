#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A loopback SMTP server for the end-to-end tests: it accepts every message and appends
one JSON object per message (envelope sender, envelope recipients, data) to a file.

usage: sink.py PORTFILE OUTFILE  -- binds a free port on 127.0.0.1 and writes it to PORTFILE
"""
import json
import os
import signal
import socket
import sys
import time

from aiosmtpd.controller import Controller


class JsonLines:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        record = {
            "time": time.time(),
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    portfile, outfile = sys.argv[1], sys.argv[2]
    # the server thread inherits the mask, so only the main thread sees these signals
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    for _ in range(20):
        port = free_port()
        controller = Controller(JsonLines(outfile), hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            continue
    else:
        sys.exit("sink: no free port")
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


if __name__ == "__main__":
    main()
