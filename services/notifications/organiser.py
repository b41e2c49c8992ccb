"""The mails the organisers and staff cause: the whole event cancelled, a
message they wrote, a registration they took off the list, and the
certificate of attendance once the event is over."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from models import Registration
from services import tokens
from services.links import external_url
from services.notifications.guardian import _guardian_cancelled
from services.notifications.messages import People, _queue, _title


def event_cancelled(
    session: Session, registration: Registration, note: str | None = None, people: People = None
) -> None:
    """The organisers cancelled the whole event; `note` is what they added."""
    with force_locale(registration.language):
        _queue(
            session,
            "event_cancelled",
            registration,
            gettext("Cancelled: %(title)s", title=_title(registration)),
            note=note,
            people=people,
        )
        _guardian_cancelled(session, registration, "event", people)


def staff_message(session: Session, registration: Registration, subject: str, body: str) -> None:
    """A message the organisers wrote to participants."""
    with force_locale(registration.language):
        _queue(session, "staff_message", registration, subject, body=body)


def removed_by_organiser(
    session: Session, registration: Registration, people: People = None
) -> None:
    """The organisers took the registration off the list."""
    with force_locale(registration.language):
        _queue(
            session,
            "removed_by_organiser",
            registration,
            gettext(
                "Your registration has been cancelled by the organisers: %(title)s",
                title=_title(registration),
            ),
            people=people,
        )
        _guardian_cancelled(session, registration, "organisers", people)


def certificate_available(session: Session, registration: Registration) -> None:
    """After the event: the certificate of attendance is ready to download."""
    with force_locale(registration.language):
        raw = tokens.issue_manage(session, registration)
        lang = registration.language
        _queue(
            session,
            "certificate_available",
            registration,
            gettext("Your certificate of attendance: %(title)s", title=_title(registration)),
            manage_url=external_url("registration.manage", lang=lang, token=raw),
            certificate_url=external_url("registration.certificate", lang=lang, token=raw),
        )
