"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import re
import threading
import time
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.live.servers import free_port


class Inbox:
    """The SMTP handler: stores messages; can stall or refuse on demand."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = 0.0
        self.reply = "250 Message accepted for delivery"
        self.sessions = 0  # SMTP conversations begun (EHLO)
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        session.host_name = hostname
        self.sessions += 1
        return responses

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.reply.startswith("2"):
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(message)
        return self.reply

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage, kind: str) -> str:
    """The path of the first link of `kind` (confirm, consent, manage) in a mail."""
    patterns = {
        "confirm": r"https?://[^/\s]+(/\w+/registrations/confirm/[\w-]+)",
        "consent": r"https?://[^/\s]+(/\w+/registrations/consent/[\w-]+)",
        "manage": r"https?://[^/\s]+(/\w+/registrations/[\w-]{20,}/)",
    }
    match = re.search(patterns[kind], text_of(message))
    assert match, f"no {kind} link in:\n{text_of(message)}"
    return match.group(1)
