"""Which events the public sees, and what their pages say about seats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import Event, EventStatus
from services.registration import Window, window
from services.seats import held_seats_by_event, seats_left

PUBLIC = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@dataclass(frozen=True)
class Availability:
    """What an event page tells a visitor about registering."""

    window: Window
    capacity: int | None
    seats_left: int | None
    has_waitlist: bool
    is_cancelled: bool

    @property
    def is_fully_booked(self) -> bool:
        return self.seats_left == 0

    @property
    def takes_registrations(self) -> bool:
        """The form is offered: open, not cancelled, and a seat or waitlist place."""
        return (
            not self.is_cancelled
            and self.window is Window.OPEN
            and (not self.is_fully_booked or self.has_waitlist)
        )


def availability(event: Event, held: int, now: datetime) -> Availability:
    return Availability(
        window=window(event, now),
        capacity=event.capacity,
        seats_left=seats_left(event, held),
        has_waitlist=event.has_waitlist,
        is_cancelled=event.is_cancelled,
    )


def upcoming(
    session: Session,
    now: datetime,
    *,
    limit: int,
    offset: int = 0,
    with_cancelled: bool = True,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[Event]:
    """Public events that have not ended, soonest first. The event list keeps
    cancelled ones (marked, for those who look for them); the home page's
    teaser of what is coming leaves them out. `where`: the list's filters
    (services/event_filters.py)."""
    statuses = PUBLIC if with_cancelled else (EventStatus.PUBLISHED,)
    return list(
        session.scalars(
            select(Event)
            .where(Event.status.in_(statuses), ~Event.has_ended_at(now), *where)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
            .offset(offset)
        )
    )


def past(
    session: Session,
    now: datetime,
    *,
    limit: int,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[Event]:
    """Public events that have ended, latest first."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.status.in_(PUBLIC), Event.has_ended_at(now), *where)
            .order_by(Event.starts_at.desc(), Event.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def count(
    session: Session, now: datetime, *, archive: bool, where: Sequence[ColumnElement[bool]] = ()
) -> int:
    ended = Event.has_ended_at(now) if archive else ~Event.has_ended_at(now)
    return (
        session.scalar(
            select(func.count()).select_from(Event).where(Event.status.in_(PUBLIC), ended, *where)
        )
        or 0
    )


def availabilities(session: Session, events: list[Event], now: datetime) -> dict[int, Availability]:
    """Availability of each listed event, with one query for all seat counts."""
    held = held_seats_by_event(session, (event.id for event in events))
    return {event.id: availability(event, held[event.id], now) for event in events}


def image_is_public(session: Session, filename: str) -> bool:
    """True when a public event (published or cancelled, not a draft) shows this image."""
    return (
        session.scalar(
            select(Event.id)
            .where(Event.image_filename == filename, Event.status != EventStatus.DRAFT)
            .limit(1)
        )
        is not None
    )
