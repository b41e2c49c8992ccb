"""Checking people in at the door (SPEC "At the door and after").

An organiser scans a QR code or types a check-in code or a name on a phone.
A code is looked up in this event only; it checks the person in at once
when nothing speaks against it. A name only finds people: the organiser
picks the right one and presses the button, since two people can share a
name. Anything that needs a human decision is said, never passed over: a
second check-in, a code of another event, someone without a place, and a
registration whose confirmations (the guardian's consent for a minor) are
not all in, which is admitted only by a second, deliberate press.

Two organisers at two doors: the registration row is locked
(`locking.lock_one`) and read afresh before it is changed, so the second
scan of one code answers "already checked in, at … by …".

Check-in is open from two hours before the start (for an event whose time
is not known yet, from the start of its day) until the end. The
participants page keeps its own button at any time, for corrections
afterwards (a certificate depends on the check-in).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, Registration, RegistrationStatus, User
from models.registration import ACTIVE, SEAT_HOLDING
from services import audit
from services.ages import age_on, first_day
from services.checkin_codes import normalised
from services.locking import lock_one
from services.participants import listing

OPENS_BEFORE_START = timedelta(hours=2)
ADULT_AGE = 18
MAX_CANDIDATES = 10


class Outcome(enum.StrEnum):
    ADMITTED = "admitted"
    ALREADY_IN = "already_in"
    NEEDS_DECISION = "needs_decision"  # confirmations missing: admit only on purpose
    NO_PLACE = "no_place"
    WRONG_EVENT = "wrong_event"
    UNKNOWN = "unknown"
    CHOOSE = "choose"  # a name matched: the organiser picks the person
    NOT_OPEN = "not_open"
    OVER = "over"


@dataclass(frozen=True)
class Person:
    """What the door needs to know about one registration."""

    registration: Registration
    age: int | None

    @property
    def is_minor(self) -> bool | None:
        return None if self.age is None else self.age < ADULT_AGE

    @property
    def consent_missing(self) -> bool:
        r = self.registration
        return r.needs_guardian_consent and r.guardian_consented_at is None


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    person: Person | None = None
    candidates: list[Person] = field(default_factory=list)


def opens_at(event: Event) -> datetime:
    """Two hours before the start; for an event whose time is not known yet,
    when its day begins (its start is that day's midnight in the city)."""
    if not event.has_start_time:
        return event.starts_at
    return event.starts_at - OPENS_BEFORE_START


def window_outcome(event: Event, now: datetime) -> Outcome | None:
    """NOT_OPEN or OVER outside the check-in window, None inside it."""
    if now < opens_at(event):
        return Outcome.NOT_OPEN
    if now >= event.ends_at:
        return Outcome.OVER
    return None


def person(registration: Registration) -> Person:
    born = registration.date_of_birth
    age = age_on(born, first_day(registration.event)) if born else registration.age_at_event
    return Person(registration, age)


def look_up(session: Session, event: Event, typed: str, actor: User, now: datetime) -> Answer:
    """What was scanned or typed: a code checks in (see `admit`), a name
    lists who matches. Codes of other events are named as such."""
    if closed := window_outcome(event, now):
        return Answer(closed)
    code = normalised(typed)
    if code is not None:
        found = session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.checkin_code == code
            )
        )
        if found is not None:
            return admit(session, event, found, actor, now)
        elsewhere = session.scalar(
            select(Registration.id).where(Registration.checkin_code == code).limit(1)
        )
        return Answer(Outcome.WRONG_EVENT if elsewhere else Outcome.UNKNOWN)
    rows = [
        Person(row.registration, row.age)
        for row in listing(session, event, None, typed)
        if row.registration.status in ACTIVE
    ]
    if not typed.strip() or not rows:
        return Answer(Outcome.UNKNOWN)
    return Answer(Outcome.CHOOSE, candidates=rows[:MAX_CANDIDATES])


def _missing(registration: Registration) -> str:
    """Which confirmation an organiser admitted someone without."""
    consent_missing = (
        registration.needs_guardian_consent and registration.guardian_consented_at is None
    )
    return "guardian_consent" if consent_missing else "email_confirmation"


def admit(
    session: Session,
    event: Event,
    registration_id: int,
    actor: User,
    now: datetime,
    *,
    despite_missing: bool = False,
) -> Answer:
    """Check one registration of the event in, under its row lock. Commits
    when it checked in; otherwise changes nothing and says why."""
    if closed := window_outcome(event, now):
        return Answer(closed)
    registration = lock_one(session, Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        session.rollback()
        return Answer(Outcome.UNKNOWN)
    found = person(registration)
    if registration.status not in SEAT_HOLDING:
        outcome = Outcome.NO_PLACE
    elif registration.checked_in_at is not None:
        outcome = Outcome.ALREADY_IN
    elif registration.status is not RegistrationStatus.CONFIRMED and not despite_missing:
        outcome = Outcome.NEEDS_DECISION
    else:
        registration.checked_in_at = now
        registration.checked_in_by_id = actor.id
        audit.record(
            session,
            actor,
            "registration.check_in",
            event_id=event.id,
            target=f"registration:{registration.id}",
            checked_in_at=now.isoformat(),
            admitted_without=_missing(registration) if despite_missing else None,
        )
        session.commit()
        return Answer(Outcome.ADMITTED, person(registration))
    session.rollback()
    return Answer(outcome, found)
