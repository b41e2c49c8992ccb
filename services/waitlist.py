"""The waitlist: who moves up when seats are free, first come, first served,
a group all together or not at all; and a waiting person's place in line.
The callers hold the event's lock (services/lifecycle.py, event_admin.py,
participants.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models import Event, EventStatus, Registration, RegistrationStatus
from services import notifications
from services.group_seats import units_of
from services.seats import held_seats, seats_left


def promote_waitlisted(session: Session, event: Event, now: datetime) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served, a group
    all together or not at all. A group that does not fit stops the line:
    nobody behind it moves up, unless the event lets smaller registrations
    fill the seats (`fill_with_smaller`). The caller holds the event's lock."""
    if event.status is not EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    # None: the limit was lifted, so everyone still waiting gets a seat.
    free = seats_left(event, held_seats(session, event.id))
    if free == 0:
        return []
    waiting = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    promoted: list[Registration] = []
    for unit in units_of(waiting):
        if free is not None and len(unit) > free:
            if event.fill_with_smaller:
                continue
            break
        for registration in unit:
            take_seat(registration, now)
        notifications.promoted(session, unit[0], unit if len(unit) > 1 else None)
        promoted += unit
        if free is not None:
            free -= len(unit)
            if free == 0:
                break
    return promoted


def give_seat(session: Session, registration: Registration, now: datetime) -> None:
    """Move someone from the waitlist onto a seat and tell them: confirmed at
    once if all confirmations are in, else pending for PENDING_HOURS from now.
    The caller holds the event's lock and has checked a seat is free."""
    take_seat(registration, now)
    notifications.promoted(session, registration)


def take_seat(registration: Registration, now: datetime) -> None:
    """The seat itself, without the mail (a group's contact gets one)."""
    if registration.has_all_confirmations:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.PENDING
        registration.pending_since = now


def waitlist_place(session: Session, registration: Registration) -> int | None:
    """Where a waiting registration stands: 1 is the next to get a place, in
    the order promotion follows (first come, first served); None when it is
    not waiting."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            or_(
                Registration.created_at < registration.created_at,
                and_(
                    Registration.created_at == registration.created_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return (ahead or 0) + 1
