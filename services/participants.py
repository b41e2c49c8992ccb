"""An event's participants on the staff side: the list with its counts,
check-in, moving people off the waitlist, removal and messages to everyone.

Every change runs under the event's lock (`registration.lock_event`), like
the participants' own cancellations, so a seat is never handed out twice.
Each change is recorded in the audit log in the transaction that makes it,
and each top-level function commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import Event, EventStatus, Registration, RegistrationStatus, User
from models.base import DEFAULT_LANGUAGE
from models.registration import ACTIVE, BY_RELEVANCE, SEAT_HOLDING
from services import audit, lifecycle, notifications, waitlist
from services.ages import age_on, first_day
from services.folding import fold
from services.refusals import Refused
from services.registration import lock_event
from services.seats import held_seats, seats_left

# The order in which statuses are counted, offered and shown.
STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EXPIRED,
)
# Who came, after the event: checked in, or had a place and did not come.
CAME, NO_SHOW = "came", "no_show"
ATTENDANCE = (CAME, NO_SHOW)
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 5


class ParticipantNotFound(LookupError):
    """No registration with this id belongs to the event."""


class ParticipantRefused(Refused):
    """A rule says no; `message` tells the organiser why."""


@dataclass(frozen=True)
class Overview:
    counts: dict[RegistrationStatus, int]
    capacity: int | None
    seats_left: int | None
    checked_in: int
    # Why nobody can be moved up from the waitlist now; None when one can.
    promotion_refusal: str | None

    @property
    def can_promote(self) -> bool:
        return self.promotion_refusal is None

    @property
    def waiting(self) -> int:
        return self.counts[RegistrationStatus.WAITLISTED]


@dataclass(frozen=True)
class Row:
    """One line of the list: the registration and the age on the first day."""

    registration: Registration
    age: int | None


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str


@dataclass(frozen=True)
class StaffMessage:
    """What the organisers wrote: German is required, other languages optional."""

    statuses: frozenset[RegistrationStatus]
    texts: Mapping[str, MessageText]
    # Also everyone who had a place and was not checked in (after the event).
    no_shows: bool = False

    def text_for(self, language: str) -> MessageText:
        return self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]


def promotion_refusal(event: Event, held: int, now: datetime) -> str | None:
    """Why moving someone up from the waitlist by hand would be refused, or
    None when it can succeed: the event is published and not over, and a
    place is free. (Until the end, so someone waiting at the door can get a
    place that nobody came for.)"""
    if event.status is EventStatus.CANCELLED:
        return gettext("This event is cancelled.")
    if event.status is not EventStatus.PUBLISHED:
        return gettext("This event is a draft; publish it first.")
    if event.has_ended_at(now):
        return gettext("This event is over.")
    if seats_left(event, held) == 0:
        return gettext("No place is free. Remove someone or raise the capacity first.")
    return None


def overview(session: Session, event: Event, now: datetime) -> Overview:
    """Counts by status, free seats, how many are checked in, and whether
    people can be moved up from the waitlist."""
    counted = dict(
        session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    checked_in = session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_(SEAT_HOLDING),
            Registration.checked_in_at.is_not(None),
        )
    )
    held = held_seats(session, event.id)
    return Overview(
        counts={status: counted.get(status, 0) for status in STATUSES},
        capacity=event.capacity,
        seats_left=seats_left(event, held),
        checked_in=checked_in or 0,
        promotion_refusal=promotion_refusal(event, held, now),
    )


def _is_no_show():
    return Registration.status.in_(SEAT_HOLDING) & Registration.checked_in_at.is_(None)


def bounded_search(query: str) -> str:
    """A search as typed, bounded in length and number of words."""
    return " ".join(query[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS])


def _matches(registration: Registration, words: list[str]) -> bool:
    names = fold(f"{registration.first_name} {registration.last_name}")
    return all(word in names for word in words)


def listing(
    session: Session,
    event: Event,
    status: RegistrationStatus | None,
    query: str,
    attendance: str | None = None,
) -> list[Row]:
    """The event's registrations, by last name, optionally of one status and
    matching every word of `query` in the first or last name; `attendance`
    CAME keeps those checked in, NO_SHOW those with a place who were not.

    Names are compared folded (services.folding: "juergen" finds "Jürgen"),
    in Python: one event's list is small, SQLite and PostgreSQL then agree
    on every name, and no folded copy of a name has to be stored and kept
    in step with corrections and the retention rule.
    """
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.group))
    )
    if status is not None:
        statement = statement.where(Registration.status == status)
    if attendance == CAME:
        statement = statement.where(Registration.checked_in_at.is_not(None))
    elif attendance == NO_SHOW:
        statement = statement.where(_is_no_show())
    words = fold(bounded_search(query)).split()
    registrations = [r for r in session.scalars(statement) if _matches(r, words)]
    registrations.sort(key=lambda r: (fold(r.last_name), fold(r.first_name), r.id))  # Ö with O
    day = first_day(event)
    return [
        Row(r, age_on(r.date_of_birth, day) if r.date_of_birth is not None else None)
        for r in registrations
    ]


def registration_of(session: Session, event_id: int, registration_id: int) -> Registration | None:
    """The registration, if it belongs to the event."""
    return session.scalar(
        select(Registration).where(
            Registration.id == registration_id, Registration.event_id == event_id
        )
    )


@contextmanager
def _locked(
    session: Session, event_id: int, registration_id: int
) -> Iterator[tuple[Event, Registration]]:
    """Lock the event, load its registration, and commit what the block did;
    roll back on any error."""
    event = lock_event(session, event_id)
    try:
        registration = registration_of(session, event_id, registration_id) if event else None
        if event is None or registration is None:
            raise ParticipantNotFound(registration_id)
        yield event, registration
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _target(registration: Registration) -> str:
    return f"registration:{registration.id}"


def _require_seat_holder(registration: Registration) -> None:
    if registration.status not in SEAT_HOLDING:
        raise ParticipantRefused(
            gettext("%(name)s has no place at this event.", name=registration.full_name)
        )


def check_in(
    session: Session, event_id: int, registration_id: int, actor: User, now: datetime
) -> Registration:
    """Mark a person with a place as arrived; the first check-in time stays."""
    with _locked(session, event_id, registration_id) as (event, registration):
        _require_seat_holder(registration)
        if registration.checked_in_at is not None:
            raise ParticipantRefused(
                gettext("%(name)s is already checked in.", name=registration.full_name)
            )
        registration.checked_in_at = now
        audit.record(
            session, actor, "registration.check_in", event_id=event.id, target=_target(registration)
        )
    return registration


def undo_check_in(
    session: Session, event_id: int, registration_id: int, actor: User, now: datetime
) -> Registration:
    """Take back a check-in made by mistake."""
    with _locked(session, event_id, registration_id) as (event, registration):
        _require_seat_holder(registration)
        if registration.checked_in_at is None:
            raise ParticipantRefused(
                gettext("%(name)s is not checked in.", name=registration.full_name)
            )
        audit.record(
            session,
            actor,
            "registration.check_in_undone",
            event_id=event.id,
            target=_target(registration),
            checked_in_at=registration.checked_in_at.isoformat(),
        )
        registration.checked_in_at = None
    return registration


def promote(
    session: Session, event_id: int, registration_id: int, actor: User, now: datetime
) -> Registration:
    """Give a free seat to this person on the waitlist, whatever their place
    in the queue; refused for the reasons of `promotion_refusal`."""
    with _locked(session, event_id, registration_id) as (event, registration):
        if registration.status is not RegistrationStatus.WAITLISTED:
            raise ParticipantRefused(
                gettext("%(name)s is not on the waitlist.", name=registration.full_name)
            )
        if refusal := promotion_refusal(event, held_seats(session, event.id), now):
            raise ParticipantRefused(refusal)
        waitlist.give_seat(session, registration, now)
        audit.record(
            session,
            actor,
            "registration.promote",
            event_id=event.id,
            target=_target(registration),
            status=registration.status.value,
        )
    return registration


def remove(
    session: Session, event_id: int, registration_id: int, actor: User, now: datetime
) -> tuple[Registration, list[Registration]]:
    """Cancel a registration on the organisers' behalf and email the person;
    a freed seat goes to the next on the waitlist. Returns the removed
    registration and whoever was promoted."""
    with _locked(session, event_id, registration_id) as (event, registration):
        if registration.status not in ACTIVE:
            raise ParticipantRefused(
                gettext(
                    "The registration of %(name)s is no longer active.", name=registration.full_name
                )
            )
        previous = registration.status
        promoted = lifecycle.end(
            session,
            event,
            [registration],
            RegistrationStatus.CANCELLED,
            now,
            notifications.removed_by_organiser,
        )
        audit.record(
            session,
            actor,
            "registration.remove",
            event_id=event.id,
            target=_target(registration),
            previous_status=previous.value,
            promoted=[p.id for p in promoted],
        )
    return registration, promoted


def _recipients(session: Session, event_id: int, message: StaffMessage) -> list[Registration]:
    """Registrations of the message's statuses (and its no-shows), one per
    email address (the one that counts most), without anonymised ones."""
    chosen_ones = Registration.status.in_(message.statuses)
    if message.no_shows:
        chosen_ones = chosen_ones | _is_no_show()
    found = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            chosen_ones,
            Registration.anonymised_at.is_(None),
        )
        .order_by(Registration.id)
    ).all()
    chosen: dict[str, Registration] = {}
    for registration in sorted(found, key=lambda r: BY_RELEVANCE.index(r.status)):
        chosen.setdefault(registration.email.casefold(), registration)
    return sorted(chosen.values(), key=lambda r: r.id)


def send_message(session: Session, event_id: int, message: StaffMessage, actor: User) -> int:
    """Queue the message for everyone of the chosen statuses, each in their
    language when it was written in it (German otherwise). Returns how many."""
    event = lock_event(session, event_id)
    try:
        if event is None:
            raise ParticipantNotFound(event_id)
        recipients = _recipients(session, event.id, message)
        if not recipients:
            raise ParticipantRefused(
                gettext("Nobody has the chosen status, so no message was sent.")
            )
        for registration in recipients:
            text = message.text_for(registration.language)
            notifications.staff_message(session, registration, text.subject, text.body)
        audit.record(
            session,
            actor,
            "participants.message",
            event_id=event.id,
            row_count=len(recipients),
            statuses=sorted(status.value for status in message.statuses)
            + ([NO_SHOW] if message.no_shows else []),
            subject=message.text_for(DEFAULT_LANGUAGE).subject,
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return len(recipients)
