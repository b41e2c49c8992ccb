"""Delivering outbox messages: over SMTP, or as .eml files a person can read
when no MAIL_SERVER is set. An `Outlet` serves one worker pass and keeps one
SMTP connection open for all of the pass's messages."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from extensions import mail
from models import OutboxMessage
from services.checkin_codes import qr_png
from services.links import mail_domain

SMTP_TIMEOUT = 30
QR_CONTENT_ID = "checkin-qr"
# The server (or the message itself) refused this one message; the
# connection can still carry the next.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    BadHeaderError,
    ValueError,
)


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, copied from its row: sending it needs no database."""

    id: int
    kind: str
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    ics: str | None
    qr_code: str | None = None

    @classmethod
    def of(cls, message: OutboxMessage) -> Outgoing:
        return cls(
            message.id,
            message.kind,
            message.recipient,
            message.subject,
            message.body_text,
            message.body_html,
            message.ics,
            message.qr_code,
        )


def as_mail(message: Outgoing) -> Message:
    mail_message = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    # Flask-Mail writes this one Message-ID; another in extra_headers would be a second.
    mail_message.msgId = make_msgid(f"outbox-{message.id}", domain=mail_domain())
    if message.ics:
        mail_message.attach(
            filename="event.ics",
            content_type="text/calendar; charset=utf-8; method=PUBLISH",
            data=message.ics.encode(),
        )
    if message.qr_code:
        # Shown in the HTML part as <img src="cid:checkin-qr">: no image is
        # fetched from anywhere, so the code shows offline and unblocked.
        mail_message.attach(
            filename="check-in.png",
            content_type="image/png",
            data=qr_png(message.qr_code),
            disposition="inline",
            headers={"Content-ID": f"<{QR_CONTENT_ID}>"},
        )
    return mail_message


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (OSError, smtplib.SMTPException))


@contextmanager
def _smtp_timeout() -> Iterator[None]:
    """Flask-Mail opens SMTP connections without a timeout: bound them."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(SMTP_TIMEOUT)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def write_eml(message: Outgoing, mail_message: Message, folder: Path) -> None:
    """Without MAIL_SERVER: one readable .eml file per message."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:08d}-{message.kind}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(mail_message.as_bytes())
    tmp.replace(path)


class Outlet:
    """Where one pass's messages go. The SMTP connection is opened for the
    first message and kept for the others. `is_unreachable`: the server (or
    the mail folder) could not be reached at all; `is_broken`: the
    connection was lost on the way. Either way the pass should stop."""

    def __init__(self) -> None:
        config = current_app.config
        self._folder = None if config["MAIL_SERVER"] else Path(config["MAIL_FILE_DIR"])
        self._connection: Connection | None = None
        self.is_unreachable = False
        self.is_broken = False

    def __enter__(self) -> Outlet:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def send(self, message: Outgoing) -> Exception | None:
        """Deliver one message; the error when it was not delivered."""
        try:
            mail_message = as_mail(message)
        except MESSAGE_ERRORS as error:
            return error
        if self._folder is not None:
            try:
                write_eml(message, mail_message, self._folder)
            except OSError as error:
                self.is_unreachable = True
                return error
            return None
        with _smtp_timeout():
            try:
                connection = self._connected()
            except OSError as error:  # smtplib's errors are OSErrors too
                self.is_unreachable = True
                return error
            try:
                connection.send(mail_message)
            except MESSAGE_ERRORS as error:
                return error
            except OSError as error:
                self.is_broken = True
                self._close()
                return error
        return None

    def _connected(self) -> Connection:
        if self._connection is None:
            connection = mail.connect()
            connection.__enter__()  # connects, starts TLS and signs in as configured
            self._connection = connection
        return self._connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None or connection.host is None:
            return
        try:
            with _smtp_timeout():
                connection.host.quit()
        except OSError:
            connection.host.close()
