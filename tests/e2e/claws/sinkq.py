#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints "rcpt,rcpt<TAB>To: header" for the message with this subject in the sink's file,
or exits 1 when there is none.  usage: sinkq.py SINK.jsonl SUBJECT"""
import email
import email.policy
import json
import sys

path, subject = sys.argv[1], sys.argv[2]
try:
    lines = open(path, encoding="utf-8").readlines()
except FileNotFoundError:
    sys.exit(1)
for line in lines:
    record = json.loads(line)
    msg = email.message_from_string(record["data"], policy=email.policy.default)
    if msg["Subject"] == subject:
        print(",".join(record["rcpt_tos"]) + "\tTo: " + str(msg["To"] or ""))
        sys.exit(0)
sys.exit(1)
