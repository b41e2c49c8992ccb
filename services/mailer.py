"""Sending the outbox: claim due messages, send them, retry with back-off.

Several workers may run at once: PostgreSQL claims rows with
FOR UPDATE SKIP LOCKED, SQLite claims inside BEGIN IMMEDIATE. A message
left in `sending` by a crashed worker is claimed again after STUCK_AFTER.
"""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from flask_mail import BadHeaderError, Message
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from extensions import mail
from models import OutboxMessage, OutboxStatus
from models.engine import SQLITE_BEGIN
from services.links import mail_domain

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
MAX_ATTEMPTS = 10
STUCK_AFTER = timedelta(minutes=10)
BATCH = 50
SMTP_TIMEOUT = 30


class PermanentFailure(Exception):
    """The mail server refused the message for good (5xx)."""


def next_attempt(attempts: int, now: datetime) -> datetime:
    """1, 5, 15, 60 minutes, then every 4 hours."""
    return now + BACKOFF[min(attempts, len(BACKOFF)) - 1]


def claim(session: Session, now: datetime, limit: int = BATCH) -> list[OutboxMessage]:
    """Mark due messages as `sending` for this worker and commit."""
    session.rollback()
    due = (
        select(OutboxMessage)
        .where(
            or_(
                OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.RETRY])
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at <= now - STUCK_AFTER),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
    else:
        due = due.with_for_update(skip_locked=True)
    messages = list(session.scalars(due))
    for message in messages:
        message.status = OutboxStatus.SENDING
        message.claimed_at = now
        message.attempts += 1
    session.commit()
    return messages


def as_mail(message: OutboxMessage) -> Message:
    mail_message = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={
            "Message-ID": make_msgid(f"outbox-{message.id}", domain=mail_domain()),
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.ics:
        mail_message.attach(
            filename="event.ics",
            content_type="text/calendar; charset=utf-8; method=PUBLISH",
            data=message.ics.encode(),
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


def write_eml(message: OutboxMessage, folder: Path) -> None:
    """Without MAIL_SERVER: one readable .eml file per message."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:08d}-{message.kind}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(as_mail(message).as_bytes())
    tmp.replace(path)


def deliver(messages: list[OutboxMessage]) -> dict[int, Exception | None]:
    """Send claimed messages over one connection; the outcome per message id."""
    outcome: dict[int, Exception | None] = {}
    if not current_app.config["MAIL_SERVER"]:
        for message in messages:
            write_eml(message, Path(current_app.config["MAIL_FILE_DIR"]))
            outcome[message.id] = None
        return outcome
    remaining = list(messages)
    with _smtp_timeout():
        try:
            with mail.connect() as connection:
                while remaining:
                    message = remaining[0]
                    try:
                        connection.send(as_mail(message))
                        outcome[message.id] = None
                    except smtplib.SMTPServerDisconnected:
                        raise
                    except (smtplib.SMTPException, BadHeaderError, ValueError) as error:
                        outcome[message.id] = error
                    remaining.pop(0)
        except (OSError, smtplib.SMTPException) as error:
            for message in remaining:
                outcome[message.id] = error
    return outcome


def record(session: Session, messages: list[OutboxMessage], outcome: dict[int, Exception | None], now: datetime) -> None:
    for message in messages:
        error = outcome.get(message.id)
        if error is None:
            message.status = OutboxStatus.SENT
            message.sent_at = now
            message.last_error = None
            # The body carries personal links; once delivered it is not kept.
            message.body_text, message.body_html, message.ics = "", None, None
        elif is_temporary(error) and message.attempts < MAX_ATTEMPTS:
            message.status = OutboxStatus.RETRY
            message.next_attempt_at = next_attempt(message.attempts, now)
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
        else:
            message.status = OutboxStatus.FAILED
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
    session.commit()


def send_due(session: Session, now: datetime) -> int:
    """Send everything that is due, batch by batch; returns how many were sent."""
    sent = 0
    while messages := claim(session, now):
        outcome = deliver(messages)
        record(session, messages, outcome, now)
        sent += sum(1 for error in outcome.values() if error is None)
        if len(messages) < BATCH:
            break
    return sent


RETRYABLE = (OutboxStatus.FAILED, OutboxStatus.RETRY)


def requeue(session: Session, message_id: int, now: datetime) -> OutboxMessage | None:
    """Queue a failed (or waiting) message to be sent at the next worker pass.
    None when there is no such message or it is not failed or waiting: one
    conditional UPDATE, so a message a worker is sending is never touched."""
    table = OutboxMessage.__table__
    changed = session.execute(
        table.update()
        .where(table.c.id == message_id, table.c.status.in_(RETRYABLE))
        .values(status=OutboxStatus.QUEUED, next_attempt_at=now, last_error=None)
    )
    if changed.rowcount != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)
