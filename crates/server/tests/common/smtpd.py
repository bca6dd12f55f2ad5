"""The tests' SMTP server: aiosmtpd (from PyPI; `cargo xtask` installs it) on 127.0.0.1.

    python smtpd.py DIR [--refuse]

Prints the port it listens on, then writes each mail it receives to DIR/<n>.json as
{"from", "to": [...], "subject", "text", "html"} (the MIME parts decoded), so that tests
read what arrived. With --refuse it answers every mail 550 instead.
"""

import asyncio
import email
import email.policy
import itertools
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, out, refuse):
        self.out, self.refuse, self.count = out, refuse, itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 mailbox unavailable: refused by the test"
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        part = lambda kind: (lambda p: p.get_content() if p is not None else None)(msg.get_body((kind,)))
        mail = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(msg["subject"]),
                "text": part("plain"), "html": part("html")}
        path = os.path.join(self.out, f"{next(self.count)}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(mail, f)
        os.rename(path + ".tmp", path)  # readers never see half a mail
        return "250 OK"


def main():
    out, refuse = sys.argv[1], "--refuse" in sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    loop = asyncio.new_event_loop()
    handler = Handler(out, refuse)
    server = loop.run_until_complete(loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
