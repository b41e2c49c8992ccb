"""The rules of group registration that are about seats and people: whether
a new registration of several people gets its seats now, and who of a
submission is registered already (duplicates hold per participant)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Registration, RegistrationStatus
from models.registration import ACTIVE
from services.folding import fold
from services.mailboxes import mailbox_key


@dataclass(frozen=True)
class Participant:
    """One more person a contact registers with them (`others-N-…`)."""

    first_name: str
    last_name: str
    date_of_birth: date


def waiting_count(session: Session, event_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
        or 0
    )


def seats_for_newcomers(
    session: Session, event_id: int, free: int | None, size: int, fill_with_smaller: bool
) -> bool:
    """Whether a new registration of `size` people gets its seats now, with
    `free` seats left (None: no limit): all of them fit, and nobody waits
    ahead of it, unless the event lets smaller registrations fill seats a
    waiting group does not fit in. The caller holds the event's lock."""
    if free is not None and free < size:
        return False
    return fill_with_smaller or waiting_count(session, event_id) == 0


def _person_key(first_name: str, last_name: str, born: date | None) -> tuple[str, str, date | None]:
    return (fold(first_name).strip(), fold(last_name).strip(), born)


def not_yet_registered(
    session: Session, event_id: int, email: str, participants: Iterable[Participant]
) -> list[Participant]:
    """The `participants` that the mailbox of `email` has not registered for
    the event yet (the same name and date of birth is the same person)."""
    known = {
        _person_key(r.first_name, r.last_name, r.date_of_birth)
        for r in session.scalars(
            select(Registration).where(
                Registration.event_id == event_id,
                Registration.email_key == mailbox_key(email),
                Registration.status.in_(ACTIVE),
            )
        )
    }
    return [
        p
        for p in participants
        if _person_key(p.first_name, p.last_name, p.date_of_birth) not in known
    ]


def units_of(registrations: Iterable[Registration]) -> list[list[Registration]]:
    """Registrations as the units that move and are told together: the
    members of a group among them, or one person, in the order of the first
    of each."""
    units: dict[object, list[Registration]] = {}
    for registration in registrations:
        key = ("group", registration.group_id) if registration.group_id else registration.id
        units.setdefault(key, []).append(registration)
    return list(units.values())
