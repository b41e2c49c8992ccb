"""The mails to the participant, or a group's contact, along the
registration's life: confirm the address, waitlisted, already registered,
confirmed, promoted, reminder, expired and cancelled. Where a guardian is
involved, they get their copy too."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from models import Registration
from services.notifications.guardian import _guardian_cancelled
from services.notifications.messages import (
    ALREADY_REGISTERED,
    People,
    _confirm_url,
    _confirm_url_until_confirmed,
    _consent_url,
    _manage_url,
    _queue,
    _title,
    _to_guardian,
    _with_checkin_code,
    guardian_is_involved,
)


def confirm_email(session: Session, registration: Registration, people: People = None) -> None:
    """New registration on a seat: confirm your email (double opt-in)."""
    with force_locale(registration.language):
        _queue(
            session,
            "confirm_email",
            registration,
            gettext("Please confirm your registration: %(title)s", title=_title(registration)),
            confirm_url=_confirm_url(session, registration),
            manage_url=_manage_url(session, registration),
            pending_hours=current_app.config["PENDING_HOURS"],
            people=people,
        )


def waitlisted(session: Session, registration: Registration, people: People = None) -> None:
    with force_locale(registration.language):
        _queue(
            session,
            "waitlisted",
            registration,
            gettext("You are on the waitlist: %(title)s", title=_title(registration)),
            confirm_url=_confirm_url_until_confirmed(session, registration),
            manage_url=_manage_url(session, registration),
            people=people,
        )


def already_registered(session: Session, registration: Registration, people: People = None) -> None:
    """Someone registered this address again: tell the truth, send the link."""
    with force_locale(registration.language):
        _queue(
            session,
            ALREADY_REGISTERED,
            registration,
            gettext("You are already registered: %(title)s", title=_title(registration)),
            confirm_url=_confirm_url_until_confirmed(session, registration),
            manage_url=_manage_url(session, registration),
            people=people,
        )


def registration_confirmed(
    session: Session, registration: Registration, people: People = None
) -> None:
    with force_locale(registration.language):
        message = _queue(
            session,
            "registration_confirmed",
            registration,
            gettext("Your registration is confirmed: %(title)s", title=_title(registration)),
            with_calendar=True,
            manage_url=_manage_url(session, registration),
            people=people,
        )
        _with_checkin_code(message, registration, people)
        _to_guardian(
            session,
            "guardian_confirmed",
            registration,
            lambda who: gettext(
                "The registration of %(name)s is confirmed: %(title)s",
                name=who,
                title=_title(registration),
            ),
            people,
            with_calendar=True,
        )


def promoted(session: Session, registration: Registration, people: People = None) -> None:
    """A seat became free and went to the first person on the waitlist."""
    with force_locale(registration.language):
        message = _queue(
            session,
            "promoted",
            registration,
            gettext("You got a seat: %(title)s", title=_title(registration)),
            with_calendar=True,
            confirm_url=_confirm_url_until_confirmed(session, registration),
            manage_url=_manage_url(session, registration),
            pending_hours=current_app.config["PENDING_HOURS"],
            people=people,
        )
        _with_checkin_code(message, registration, people)
        # The consent link is about a minor of the group still without consent.
        waiting = [
            person
            for person in (people or [registration])
            if guardian_is_involved(person) and person.guardian_consented_at is None
        ]
        _to_guardian(
            session,
            "guardian_promoted",
            registration,
            lambda who: gettext(
                "%(name)s got a seat: %(title)s",
                name=who,
                title=_title(registration),
            ),
            people,
            with_calendar=True,
            consent_url=_consent_url(session, waiting[0]) if waiting else None,
        )


def registration_cancelled(
    session: Session, registration: Registration, people: People = None
) -> None:
    """Cancelled on the personal page, or declined by the guardian."""
    declined = registration.guardian_declined_at is not None
    with force_locale(registration.language):
        _queue(
            session,
            "registration_cancelled",
            registration,
            gettext("Your registration is cancelled: %(title)s", title=_title(registration)),
            declined_by_guardian=declined,
            people=people,
        )
        _guardian_cancelled(
            session, registration, "guardian" if declined else "participant", people
        )


def reminder(session: Session, registration: Registration, people: People = None) -> None:
    with force_locale(registration.language):
        message = _queue(
            session,
            "reminder",
            registration,
            gettext("Reminder: %(title)s", title=_title(registration)),
            with_calendar=True,
            manage_url=_manage_url(session, registration),
            people=people,
        )
        _with_checkin_code(message, registration, people)


def pending_expired(session: Session, registration: Registration, people: People = None) -> None:
    with force_locale(registration.language):
        _queue(
            session,
            "pending_expired",
            registration,
            gettext("Your registration has expired: %(title)s", title=_title(registration)),
            pending_hours=current_app.config["PENDING_HOURS"],
            people=people,
        )
