"""Sending the outbox, one message at a time: claim it and commit, send it,
record the outcome and commit. A worker that dies can leave at most the one
message it was sending unrecorded; every other message is either recorded
or still waiting for any worker.

Several workers may run at once: PostgreSQL claims with FOR UPDATE SKIP
LOCKED, SQLite claims under its write lock (services.locking). The message a
crashed worker was sending stays in `sending` and is claimed again after
STUCK_AFTER; it may then arrive twice, since the worker may have delivered
it. Temporary failures back off and retry; permanent ones are `failed`.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from models import OutboxMessage, OutboxStatus, User
from services import audit
from services.locking import lock_one, lock_rows
from services.mail_delivery import Outgoing, Outlet, is_temporary

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
MAX_ATTEMPTS = 10
# Longer than any one delivery can take (a pass claims with its start time,
# lasts at most PASS_SECONDS, and each SMTP step times out after 30 s), so a
# message is taken from a living worker only when that worker is gone.
STUCK_AFTER = timedelta(minutes=10)
PASS_SECONDS = 60
RETRYABLE = (OutboxStatus.FAILED, OutboxStatus.RETRY)


def next_attempt(attempts: int, now: datetime) -> datetime:
    """1, 5, 15, 60 minutes, then every 4 hours."""
    return now + BACKOFF[min(attempts, len(BACKOFF)) - 1]


def due(now: datetime) -> Select[Any]:
    """Messages to send now, oldest first: queued or retrying ones whose time
    has come, and ones a crashed worker left in `sending`."""
    return (
        select(OutboxMessage)
        .where(
            or_(
                OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.RETRY])
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == OutboxStatus.SENDING)
                & (OutboxMessage.claimed_at <= now - STUCK_AFTER),
            )
        )
        .order_by(OutboxMessage.id)
    )


def claim_next(session: Session, now: datetime) -> Outgoing | None:
    """Mark the next due message `sending` for this worker and commit; None
    when nothing is due. The write lock is taken only when something is."""
    if session.scalar(due(now).with_only_columns(OutboxMessage.id).limit(1)) is None:
        session.rollback()
        return None
    claimed = lock_rows(session, due(now).limit(1), skip_locked=True)
    if not claimed:
        session.rollback()
        return None
    [message] = claimed
    message.status = OutboxStatus.SENDING
    message.claimed_at = now
    message.attempts += 1
    outgoing = Outgoing.of(message)
    session.commit()
    return outgoing


def _apply(message: OutboxMessage, error: Exception | None, now: datetime) -> None:
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


def record(session: Session, outgoing: Outgoing, error: Exception | None, now: datetime) -> None:
    """Store how the delivery of one claimed message went, and commit."""
    message = lock_one(session, OutboxMessage, outgoing.id)
    if message is not None:
        _apply(message, error, now)
    session.commit()


def postpone_due(session: Session, error: Exception, now: datetime) -> int:
    """The mail server cannot be reached: every due message counts an
    attempt and waits its back-off, with the error shown in the outbox."""
    messages = lock_rows(session, due(now), skip_locked=True)
    for message in messages:
        message.attempts += 1
        _apply(message, error, now)
    session.commit()
    return len(messages)


def send_due(session: Session, now: datetime) -> int:
    """Send what is due, one message after another over one connection, for
    at most PASS_SECONDS; returns how many were sent. When the connection is
    lost the pass ends: the rest waits for the next pass."""
    sent = 0
    ends = time.monotonic() + PASS_SECONDS
    with Outlet() as outlet:
        while time.monotonic() < ends and (outgoing := claim_next(session, now)) is not None:
            error = outlet.send(outgoing)
            record(session, outgoing, error, now)
            if error is None:
                sent += 1
            if outlet.is_unreachable:
                postpone_due(session, error, now)
            if outlet.is_unreachable or outlet.is_broken:
                break
    return sent


def requeue(session: Session, message_id: int, actor: User, now: datetime) -> OutboxMessage | None:
    """Queue a failed (or waiting) message to be sent at the next worker pass,
    audited and committed together. None (rolled back) when there is no such
    message or it is not failed or waiting: the UPDATE is conditional on the
    status just read, so a message a worker is sending is never touched and
    the audit names the status that really was replaced."""
    table = OutboxMessage.__table__
    previous = session.scalar(select(table.c.status).where(table.c.id == message_id))
    if previous not in RETRYABLE:
        session.rollback()
        return None
    changed = session.execute(
        table.update()
        .where(table.c.id == message_id, table.c.status == previous)
        .values(status=OutboxStatus.QUEUED, next_attempt_at=now, last_error=None)
    )
    if changed.rowcount != 1:
        session.rollback()
        return None
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    audit.record(
        session,
        actor,
        "outbox.retry",
        target=f"outbox:{message_id}",
        kind=message.kind,
        previous_status=OutboxStatus(previous).value,
    )
    session.commit()
    return message
