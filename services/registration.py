"""Who may register for which seat: the registration window, the guardian,
capacity and the waitlist. Ages are counted by services/ages.py, seats by
services/seats.py.

`register` is the one function that creates a registration. It owns its
transaction and takes the event's lock before it counts seats, so several
server processes can never hand out more seats than there are.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload, selectinload

from models import Event, OutboxMessage, Registration, RegistrationGroup, RegistrationStatus
from models.base import utcnow
from models.registration import ACTIVE
from services import locking, notifications, questions
from services.ages import age_error, needs_guardian_consent
from services.dates import moment_text
from services.group_seats import Participant, not_yet_registered, seats_for_newcomers
from services.localtime import local_date
from services.mailboxes import mailbox_key
from services.refusals import Refused
from services.seats import held_seats, seats_left

# Times are entered to the minute; the closing minute belongs to the window.
_CLOSING_GRACE = timedelta(minutes=1)
# However often a registration is repeated, its address gets at most one
# "already registered" mail in this time: the form is no way to flood a mailbox.
ALREADY_REGISTERED_INTERVAL = timedelta(hours=1)


class Window(enum.StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Applicant:
    """What a person typed into the registration form, already well-formed.
    The person is the contact: the mails go to `email`. They take part
    themselves unless `contact_takes_part` is False (a parent or teacher
    registering others); then `date_of_birth` may be None."""

    first_name: str
    last_name: str
    email: str
    date_of_birth: date | None
    language: str
    privacy_consent_text: str
    guardian_name: str | None = None
    guardian_email: str | None = None
    phone: str | None = None
    notes: str | None = None
    photo_consent: bool = False
    # The answers to the event's own questions, by question id.
    answers: Mapping[int, questions.Given] = field(default_factory=dict)
    others: tuple[Participant, ...] = ()
    contact_takes_part: bool = True

    @property
    def participants(self) -> list[Participant]:
        """Everyone who takes a seat, the contact first if they take part."""
        own = (
            [Participant(self.first_name, self.last_name, self.date_of_birth)]
            if self.contact_takes_part and self.date_of_birth is not None
            else []
        )
        return own + list(self.others)

    @property
    def is_group(self) -> bool:
        return len(self.others) > 0 or not self.contact_takes_part

    def born_by_field(self) -> dict[str, date | None]:
        """Each participant's date of birth under its form field's name."""
        born: dict[str, date | None] = {}
        if self.contact_takes_part:
            born["date_of_birth"] = self.date_of_birth
        for index, other in enumerate(self.others):
            born[f"others-{index}-date_of_birth"] = other.date_of_birth
        return born


class RegistrationRefused(Refused):
    """A rule of registering says no."""


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    is_new: bool


def window(event: Event, now: datetime) -> Window:
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return Window.NOT_YET_OPEN
    if (
        event.registration_closes_at is not None
        and now >= event.registration_closes_at + _CLOSING_GRACE
    ):
        return Window.CLOSED
    if event.registration_closes_at is None and now >= event.starts_at:
        return Window.CLOSED
    return Window.OPEN


def window_error(event: Event, now: datetime) -> str | None:
    state = window(event, now)
    if state is Window.NOT_YET_OPEN:
        return gettext(
            "Registration opens on %(when)s.",
            when=moment_text(event.registration_opens_at),
        )
    if state is Window.CLOSED:
        return gettext("Registration for this event is closed.")
    return None


def applicant_errors(event: Event, applicant: Applicant, today: date) -> dict[str, str]:
    """Field errors from the rules of the event: group size, age range and guardian."""
    errors = rule_errors(
        event,
        today,
        born=applicant.born_by_field(),
        email=applicant.email,
        guardian_name=applicant.guardian_name,
        guardian_email=applicant.guardian_email,
    )
    if message := group_size_error(event, len(applicant.participants)):
        errors[""] = message
    return errors


def group_size_error(event: Event, size: int) -> str | None:
    """Nobody, or more people than the event takes in one registration."""
    if size < 1:
        return gettext("Please name at least one person who takes part.")
    if size > event.max_group_size:
        return gettext(
            "At most %(num)d people can be registered together for this event.",
            num=event.max_group_size,
        )
    return None


def rule_errors(
    event: Event,
    today: date,
    *,
    born: Mapping[str, date | None],
    email: str | None,
    guardian_name: str | None,
    guardian_email: str | None,
) -> dict[str, str]:
    """The age and guardian rules for what is known so far: `born` maps each
    participant's date-of-birth field to the date (None: not given or not
    well-formed). Every participant's age is checked on the event's first
    day; one minor among them asks for the one guardian of the group. The
    form asks this before the lock, so that every error of a submission
    shows in one round; `register` asks again under it."""
    errors: dict[str, str] = {}
    minor = False
    for name, day in born.items():
        if day is None:
            continue
        if message := age_error(event, day):
            errors[name] = message
        elif needs_guardian_consent(event, day, today):
            minor = True
    if minor:
        if not guardian_name:
            errors["guardian_name"] = gettext(
                "Participants under %(age)d need the consent of a parent or guardian: "
                "please give their name.",
                age=event.guardian_consent_below_age,
            )
        if not guardian_email:
            errors["guardian_email"] = gettext(
                "Participants under %(age)d need the consent of a parent or guardian: "
                "please give their email address.",
                age=event.guardian_consent_below_age,
            )
        elif email and mailbox_key(guardian_email) == mailbox_key(email):
            errors["guardian_email"] = gettext(
                "The guardian's email address must differ from the participant's."
            )
    return errors


def lock_event(session: Session, event_id: int) -> Event | None:
    """Begin the transaction that owns the event's seats and lock the event.

    The request's earlier reads are ended first; SQLite takes its write lock
    (BEGIN IMMEDIATE), PostgreSQL locks the event row FOR UPDATE
    (services.locking). The event is read afresh with its texts (the mails
    name it) and nothing else of it, which the seat rules do not need.
    """
    return locking.lock_one(session, Event, event_id, selectinload(Event.texts), lazyload("*"))


def find_active(session: Session, event_id: int, email: str) -> Registration | None:
    """The registration of this mailbox for the event that still counts, if
    any, however the address is written (services.mailboxes)."""
    return session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.email_key == mailbox_key(email),
            Registration.status.in_(ACTIVE),
        )
        .limit(1)
    )


def register(
    session: Session, event_id: int, applicant: Applicant, now: datetime | None = None
) -> Outcome:
    """Register `applicant` for the event, on a seat or the waitlist, and commit.

    Raises RegistrationRefused when a rule says no; then nothing is stored.
    The same email registered twice creates nothing new (is_new is False)
    and gets an email that says so. Emails are queued in the same transaction.
    """
    now = now or utcnow()
    event = lock_event(session, event_id)
    try:
        if event is None or not event.is_published:
            raise RegistrationRefused({"": gettext("This event does not take registrations.")}, 404)
        if message := window_error(event, now):
            raise RegistrationRefused({"": message}, 409)
        if errors := applicant_errors(event, applicant, local_date(now)):
            raise RegistrationRefused(errors, 422)
        size = len(applicant.participants)
        held = held_seats(session, event.id)
        fits = _fits(session, event, held, size)
        if not fits and not event.has_waitlist:
            raise RegistrationRefused({"": _no_seats_message(event, held)}, 409)
        if existing := find_active(session, event.id, applicant.email):
            # Duplicates hold per participant: a group's contact may add
            # people not registered yet; everyone else creates nothing new.
            fresh = (
                not_yet_registered(session, event.id, applicant.email, applicant.participants)
                if applicant.is_group
                else []
            )
            if not fresh:
                if not _told_already_registered(session, existing, now):
                    still = [m for m in existing.members if m.status in ACTIVE]
                    notifications.already_registered(session, existing, still)
                session.commit()
                return Outcome(existing, is_new=False)
            applicant = replace(applicant, others=tuple(fresh), contact_takes_part=False)
            fits = _fits(session, event, held, len(fresh))
        status = RegistrationStatus.PENDING if fits else RegistrationStatus.WAITLISTED
        members = _new_registrations(event, applicant, status, now)
        session.add_all(members)
        session.flush()
        for member in members:
            questions.store_answers(session, member, applicant.answers)
        # The mails go to the contact once, about everyone of the submission.
        registration = members[0]
        if registration.status is RegistrationStatus.WAITLISTED:
            notifications.waitlisted(session, registration, members)
        else:
            notifications.confirm_email(session, registration, members)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Outcome(registration, is_new=True)


def _told_already_registered(session: Session, registration: Registration, now: datetime) -> bool:
    """An "already registered" mail about this registration was queued within
    ALREADY_REGISTERED_INTERVAL (the outbox keeps every message)."""
    return bool(
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.registration_id == registration.id,
                OutboxMessage.kind == notifications.ALREADY_REGISTERED,
                OutboxMessage.created_at > now - ALREADY_REGISTERED_INTERVAL,
            )
        )
    )


def _fits(session: Session, event: Event, held: int, size: int) -> bool:
    return seats_for_newcomers(
        session, event.id, seats_left(event, held), size, event.fill_with_smaller
    )


def _no_seats_message(event: Event, held: int) -> str:
    free = seats_left(event, held)
    if free:
        return gettext(
            "Only %(num)d places are left, fewer than the people in this registration.", num=free
        )
    return gettext("Sorry, this event is fully booked.")


def _new_registrations(
    event: Event, applicant: Applicant, status: RegistrationStatus, now: datetime
) -> list[Registration]:
    """A registration per participant, tied to a group when the contact
    registers more than themselves; the one guardian consents for every
    minor among them."""
    members = [
        _new_registration(event, applicant, participant, status, now)
        for participant in applicant.participants
    ]
    if applicant.is_group:
        group = RegistrationGroup(
            event_id=event.id,
            contact_first_name=applicant.first_name,
            contact_last_name=applicant.last_name,
            contact_takes_part=applicant.contact_takes_part,
            created_at=now,
        )
        for member in members:
            member.group = group
    return members


def _new_registration(
    event: Event,
    applicant: Applicant,
    participant: Participant,
    status: RegistrationStatus,
    now: datetime,
) -> Registration:
    needs_guardian = needs_guardian_consent(event, participant.date_of_birth, local_date(now))
    return Registration(
        event=event,
        status=status,
        language=applicant.language,
        first_name=participant.first_name,
        last_name=participant.last_name,
        email=applicant.email,
        date_of_birth=participant.date_of_birth,
        guardian_name=applicant.guardian_name if needs_guardian else None,
        guardian_email=applicant.guardian_email if needs_guardian else None,
        phone=applicant.phone or None,
        notes=applicant.notes or None,
        privacy_consent_at=now,
        privacy_consent_text=applicant.privacy_consent_text,
        # A guardian decides for a participant who needs their consent.
        photo_consent=applicant.photo_consent and not needs_guardian,
        needs_guardian_consent=needs_guardian,
        created_at=now,
        pending_since=now if status is RegistrationStatus.PENDING else None,
    )
