"""Seats held by an event's registrations (pending and confirmed ones),
counted for one event, a whole list page, or as a column of a query."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from models import Event, Registration
from models.registration import SEAT_HOLDING


def held_seats_of_event() -> ScalarSelect[int]:
    """Seats held, as a column of a query on Event: the event page reads the
    event and its seats in one statement."""
    return (
        select(func.count())
        .where(Registration.event_id == Event.id, Registration.status.in_(SEAT_HOLDING))
        .correlate(Event)
        .scalar_subquery()
    )


def held_seats(session: Session, event_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event_id, Registration.status.in_(SEAT_HOLDING))
        )
        or 0
    )


def held_seats_by_event(session: Session, event_ids: Iterable[int]) -> dict[int, int]:
    """Seats held per event, in one query for a whole list page."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status.in_(SEAT_HOLDING))
        .group_by(Registration.event_id)
    )
    return {event_id: 0 for event_id in ids} | {event_id: count for event_id, count in rows}


def seats_left(event: Event, held: int) -> int | None:
    """Free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - held, 0)


def is_fully_booked(event: Event, held: int) -> bool:
    return seats_left(event, held) == 0
