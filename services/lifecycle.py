"""What happens to a registration after it is made: email confirmation,
guardian consent, cancellation and expiry; who moves up from the waitlist is
services/waitlist.py.

Every change that can free or take a seat runs under the event's lock
(`registration.lock_event`), so two cancellations never promote one person
twice or two people into one seat. Each top-level function commits. Every
way a registration ends, here and on the staff side, goes through `end`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, EventStatus, Registration, RegistrationStatus, TokenPurpose
from models.registration import ACTIVE, ENDED
from services import notifications, questions, tokens
from services.group_seats import units_of
from services.registration import RegistrationRefused, Window, lock_event, window
from services.waitlist import promote_waitlisted


def _locked_token(session: Session, raw: str, purpose: TokenPurpose, now: datetime):
    """Find the token, then lock its event and read it again under the lock."""
    token = tokens.find(session, raw, purpose, now)
    if token is None:
        return None
    lock_event(session, token.registration.event_id)
    token = tokens.find(session, raw, purpose, now)
    if token is None or token.registration.status not in ACTIVE:
        session.rollback()
        return None
    return token


def _confirm_complete(session: Session, registrations: list[Registration], now: datetime) -> None:
    """Confirm those of `registrations` that have every confirmation, and
    tell the contact once about all of them."""
    confirmed = [
        r
        for r in registrations
        if r.status is RegistrationStatus.PENDING and r.has_all_confirmations
    ]
    for registration in confirmed:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    if confirmed:
        notifications.registration_confirmed(session, confirmed[0], confirmed)


def _active_members(registration: Registration) -> list[Registration]:
    """The registration and the others of its group that still count."""
    return [m for m in registration.members if m.status in ACTIVE]


def confirmation_request(session: Session, raw: str, now: datetime) -> Registration | None:
    """The registration a confirmation link is about, without using the
    link: mail scanners open every link, and only the person presses the button."""
    token = tokens.find(session, raw, TokenPurpose.CONFIRM_EMAIL, now)
    if token is None or token.registration.status not in ACTIVE:
        return None
    return token.registration


def confirm_email(session: Session, raw: str, now: datetime) -> str | None:
    """The participant pressed the button behind the link in the first email.
    A guardian's consent is asked for only now, so the form cannot be used to
    mail strangers. Returns a fresh token of the personal page to go on to."""
    token = _locked_token(session, raw, TokenPurpose.CONFIRM_EMAIL, now)
    if token is None:
        return None
    registration = token.registration
    tokens.use(token, now)
    if registration.email_confirmed_at is None:
        # One link confirms the contact's address for the whole group.
        members = _active_members(registration)
        for member in members:
            member.email_confirmed_at = member.email_confirmed_at or now
        minors = [
            m for m in members if m.needs_guardian_consent and m.guardian_consented_at is None
        ]
        if minors:
            notifications.guardian_consent_request(session, minors[0], minors)
        _confirm_complete(session, members, now)
    manage_token = tokens.issue_manage(session, registration)
    session.commit()
    return manage_token


def consent_request(session: Session, raw: str, now: datetime) -> Registration | None:
    """The registration a guardian is asked about, without using the token."""
    token = tokens.find(session, raw, TokenPurpose.GUARDIAN_CONSENT, now)
    if token is None or token.registration.status not in ACTIVE:
        return None
    return token.registration


def give_consent(
    session: Session, raw: str, consent_text: str, photo_consent: bool, now: datetime
) -> Registration | None:
    """The guardian agrees, and decides whether photos may be published: for
    a participant who needs consent, their own tick does not count."""
    token = _locked_token(session, raw, TokenPurpose.GUARDIAN_CONSENT, now)
    if token is None:
        return None
    registration = token.registration
    tokens.use(token, now)
    # One guardian consents for every minor of the group.
    minors = minors_of(registration)
    for minor in minors:
        minor.guardian_consented_at = now
        minor.guardian_consent_text = consent_text
        minor.photo_consent = photo_consent
    _confirm_complete(session, minors, now)
    session.commit()
    return registration


def minors_of(registration: Registration) -> list[Registration]:
    """Whom a guardian's consent covers: the participants of the group (or
    the one registration) that still count and need the consent of this
    guardian."""
    minors = [
        m
        for m in _active_members(registration)
        if m.needs_guardian_consent
        and (registration.guardian_email is None or m.guardian_email == registration.guardian_email)
    ]
    return minors or [registration]


def decline_consent(session: Session, raw: str, now: datetime) -> Registration | None:
    """The guardian does not agree: the registration is cancelled, its seat
    goes to the next on the waitlist, and both are told."""
    token = _locked_token(session, raw, TokenPurpose.GUARDIAN_CONSENT, now)
    if token is None:
        return None
    registration = token.registration
    tokens.use(token, now)
    minors = minors_of(registration)
    for minor in minors:
        minor.guardian_declined_at = now
    end(
        session,
        registration.event,
        minors,
        RegistrationStatus.CANCELLED,
        now,
        notifications.registration_cancelled,
    )
    session.commit()
    return registration


def registration_for_manage(session: Session, raw: str, now: datetime) -> Registration | None:
    token = tokens.find(session, raw, TokenPurpose.MANAGE, now)
    return token.registration if token is not None else None


def is_cancellable(registration: Registration, now: datetime) -> bool:
    """A participant may cancel a registration that still counts, until the event ends."""
    return registration.status in ACTIVE and not registration.event.has_ended_at(now)


@dataclass(frozen=True)
class Details:
    """What a participant may correct on their personal page. The email
    address, the date of birth and the guardian are not among them: the
    confirmation, the age rule and the consent rest on them."""

    first_name: str
    last_name: str
    phone: str | None = None
    notes: str | None = None
    # The answers to the event's own questions, by question id.
    answers: Mapping[int, questions.Given] = field(default_factory=dict)


def is_changeable(registration: Registration, now: datetime) -> bool:
    """Details can be corrected while the registration counts and until
    registration for the event closes."""
    return registration.status in ACTIVE and window(registration.event, now) is not Window.CLOSED


def change_details(
    session: Session, raw: str, details: Details, now: datetime
) -> Registration | None:
    """Correct the participant's details (checked by the form as when
    registering); refused with RegistrationRefused once registration closed."""
    token = _locked_token(session, raw, TokenPurpose.MANAGE, now)
    if token is None:
        return None
    registration = token.registration
    if not is_changeable(registration, now):
        session.rollback()
        raise RegistrationRefused({"": gettext("Your registration can no longer be changed.")}, 409)
    registration.first_name = details.first_name
    registration.last_name = details.last_name
    registration.phone = details.phone
    registration.notes = details.notes
    questions.store_answers(session, registration, details.answers)
    session.commit()
    return registration


def cancel(
    session: Session, raw: str, now: datetime, participant: int | None = None
) -> Registration | None:
    """The participant cancels; a held seat goes to the next on the waitlist.
    For a group, `participant` (a registration id of the group) cancels that
    one person, None the whole group."""
    token = _locked_token(session, raw, TokenPurpose.MANAGE, now)
    if token is None:
        return None
    registration = token.registration
    if participant is None:
        ending = [m for m in registration.members if is_cancellable(m, now)]
    else:
        ending = [m for m in registration.members if m.id == participant and is_cancellable(m, now)]
    if not ending:
        session.rollback()
        return registration
    end(
        session,
        registration.event,
        ending,
        RegistrationStatus.CANCELLED,
        now,
        notifications.registration_cancelled,
    )
    session.commit()
    return registration


def end(
    session: Session,
    event: Event,
    registrations: Iterable[Registration],
    status: RegistrationStatus,
    now: datetime,
    tell: Callable[[Session, Registration], object],
) -> list[Registration]:
    """The one way registrations end, whoever ends them (the person, the
    guardian, the organisers, the event's cancellation, the expiry): each is
    marked `status` and told with `tell`, then the seats they free go to the
    waitlist, whose people are told after them. Returns who was promoted;
    nobody is when the event no longer takes people. The caller holds the
    event's lock."""
    if status not in ENDED:
        raise ValueError(f"{status} does not end a registration")
    ending = list(registrations)
    for registration in ending:
        registration.status = status
        registration.pending_since = None
        if status is RegistrationStatus.CANCELLED:
            registration.cancelled_at = now
    # A group's contact is told once about everyone of it who is ended.
    for unit in units_of(ending):
        if len(unit) == 1:
            tell(session, unit[0])
        else:
            tell(session, unit[0], people=unit)
    return promote_waitlisted(session, event, now)


def expire_pending(session: Session, now: datetime, pending_hours: int) -> int:
    """Expire unconfirmed registrations older than `pending_hours`, event by
    event under its lock, and promote the waitlist. Returns how many expired."""
    cutoff = now - timedelta(hours=pending_hours)
    stale = select(Registration.event_id).where(
        Registration.status == RegistrationStatus.PENDING, Registration.pending_since <= cutoff
    )
    expired = 0
    for event_id in sorted(set(session.scalars(stale))):
        event = lock_event(session, event_id)
        overdue = session.scalars(
            select(Registration).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.PENDING,
                Registration.pending_since <= cutoff,
            )
        ).all()
        end(session, event, overdue, RegistrationStatus.EXPIRED, now, notifications.pending_expired)
        session.commit()
        expired += len(overdue)
    return expired


def queue_reminders(session: Session, now: datetime, reminder_days: int) -> int:
    """Remind confirmed participants `reminder_days` before the event, once:
    the reminder is marked in the transaction that queues it."""
    due = (
        select(Registration)
        .join(Event)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=reminder_days),
        )
    )
    count = 0
    for event_id in sorted(set(session.scalars(due.with_only_columns(Registration.event_id)))):
        lock_event(session, event_id)
        reminded = session.scalars(due.where(Registration.event_id == event_id)).all()
        for registration in reminded:
            registration.reminder_sent_at = now
            count += 1
        # A group's contact gets one reminder for all of its participants.
        for unit in units_of(reminded):
            notifications.reminder(session, unit[0], unit if len(unit) > 1 else None)
        session.commit()
    return count
