#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loopback SMTP sink for the end-to-end tests: sink.py PORT OUTDIR.

Stores each message as OUTDIR/NNN.eml and appends its SMTP envelope (which includes Bcc
recipients) as one JSON line to OUTDIR/envelopes.jsonl."""
import json
import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%03d.eml" % self.count
        with open(os.path.join(self.outdir, name), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(os.path.join(self.outdir, "envelopes.jsonl"), "a") as f:
            f.write(json.dumps({"file": name, "mail_from": envelope.mail_from,
                                "rcpt_tos": envelope.rcpt_tos}) + "\n")
        return "250 OK"


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    controller = Controller(Handler(outdir), hostname="127.0.0.1", port=port)
    controller.start()
    print("listening", port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
