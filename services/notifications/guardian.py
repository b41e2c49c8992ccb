"""The mails asking or telling the guardian of a minor: the request for
consent, and the word that the registration is cancelled (by whom)."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from models import Registration
from services.notifications.messages import (
    People,
    _consent_url,
    _queue,
    _title,
    _to_guardian,
    names,
)


def guardian_consent_request(
    session: Session, registration: Registration, people: People = None
) -> None:
    with force_locale(registration.language):
        _queue(
            session,
            "guardian_consent_request",
            registration,
            gettext(
                "Your consent is needed: %(name)s wants to take part in %(title)s",
                name=names(people or [registration]),
                title=_title(registration),
            ),
            to=registration.guardian_email,
            consent_url=_consent_url(session, registration),
            people=people,
        )


def _guardian_cancelled(
    session: Session, registration: Registration, by: str, people: People = None
) -> None:
    """`by`: participant, guardian, organisers or event (the whole event is off)."""
    _to_guardian(
        session,
        "guardian_cancelled",
        registration,
        lambda who: gettext(
            "The registration of %(name)s is cancelled: %(title)s",
            name=who,
            title=_title(registration),
        ),
        people,
        by=by,
    )
