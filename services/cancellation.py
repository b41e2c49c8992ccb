"""Cancelling a whole event: who will be told, whether it may be cancelled,
and the cancellation itself, which ends every registration that still counts
and emails each person, with the organisers' message in their language.

It is its own step, never a side effect of saving the event form: the
organiser first sees how many people will be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Event, EventStatus, Registration, RegistrationStatus, User
from models.base import DEFAULT_LANGUAGE
from models.registration import ACTIVE, SEAT_HOLDING
from services import audit, lifecycle, notifications
from services.refusals import Refused
from services.registration import lock_event


class CancellationRefused(Refused):
    """The event cannot be cancelled; `message` tells the organiser why."""


@dataclass(frozen=True)
class Audience:
    """Who is told when the event is cancelled: everyone whose registration
    still counts, with a place or on the waitlist."""

    with_place: int
    waitlisted: int

    @property
    def total(self) -> int:
        return self.with_place + self.waitlisted


@dataclass(frozen=True)
class CancellationNote:
    """What the organisers add to the mail, by language; may be empty."""

    texts: Mapping[str, str] = field(default_factory=dict)

    def text_for(self, language: str) -> str | None:
        """The note in `language`, else in German, else none."""
        return self.texts.get(language) or self.texts.get(DEFAULT_LANGUAGE)


def refusal(event: Event, now: datetime) -> str | None:
    """Why this event cannot be cancelled, or None when it can: only a
    published event that has not ended yet."""
    if event.status is EventStatus.CANCELLED:
        return gettext("This event is already cancelled.")
    if event.status is not EventStatus.PUBLISHED:
        return gettext("This event is a draft: it is not public, so there is nothing to cancel.")
    if event.has_ended_at(now):
        return gettext("This event is over and can no longer be cancelled.")
    return None


def audience(session: Session, event_id: int) -> Audience:
    """How many people a cancellation would email now."""
    counted = dict(
        session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
            .group_by(Registration.status)
        ).all()
    )
    return Audience(
        with_place=sum(counted.get(status, 0) for status in SEAT_HOLDING),
        waitlisted=counted.get(RegistrationStatus.WAITLISTED, 0),
    )


def cancel_event(
    session: Session, event_id: int, note: CancellationNote, actor: User, now: datetime
) -> int:
    """Cancel the event under its lock: every registration that still counts
    is cancelled and its person emailed, the note in their language. Audited
    as `event.cancel` with the number emailed; commits. Returns that number."""
    event = lock_event(session, event_id)
    try:
        if event is None:
            raise LookupError(event_id)
        if message := refusal(event, now):
            raise CancellationRefused(message)
        registrations = session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE))
            .order_by(Registration.id)
        ).all()
        # Cancelled first, so the seats freed go to nobody on the waitlist.
        event.status = EventStatus.CANCELLED
        lifecycle.end(
            session,
            event,
            registrations,
            RegistrationStatus.CANCELLED,
            now,
            lambda session, registration, people=None: notifications.event_cancelled(
                session, registration, note.text_for(registration.language), people
            ),
        )
        audit.record(
            session,
            actor,
            "event.cancel",
            event_id=event.id,
            target=event.slug,
            row_count=len(registrations),
            with_note=bool(note.texts),
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return len(registrations)
