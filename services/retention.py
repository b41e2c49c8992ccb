"""SPEC rule 10: personal data of participants is anonymised RETENTION_DAYS
after their event ended; the registrations stay, with their status, times
and age on the event's first day, for the statistics."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import (
    Answer,
    Event,
    OutboxMessage,
    Registration,
    RegistrationGroup,
    RegistrationToken,
)
from services import audit
from services.ages import age_on
from services.localtime import local_date
from services.locking import begin_writing

ANONYMOUS = ""


def due(now: datetime, retention_days: int):
    """Registrations of events that ended more than `retention_days` ago and
    still carry personal data."""
    return (
        select(Registration.id)
        .join(Event)
        .where(
            Event.has_ended_at(now - timedelta(days=retention_days)),
            Registration.anonymised_at.is_(None),
        )
    )


def _keep_ages(session: Session, ids: list[int]) -> None:
    """Before the dates of birth go, keep each age on the event's first day:
    the statistics by age stay as they were, and no birthday stays."""
    rows = session.execute(
        select(Registration.id, Registration.date_of_birth, Event.starts_at)
        .join(Event)
        .where(Registration.id.in_(ids), Registration.date_of_birth.is_not(None))
    ).all()
    for registration_id, born, starts_at in rows:
        session.execute(
            update(Registration)
            .where(Registration.id == registration_id)
            .values(age_at_event=age_on(born, local_date(starts_at)))
        )


def purge_personal_data(session: Session, now: datetime, retention_days: int) -> int:
    """Anonymise what is due, with the mail and links that carry it, and
    record how many in the audit log. Idempotent; commits. The write lock is
    taken only when something is due."""
    if session.scalar(due(now, retention_days).limit(1)) is None:
        return 0
    begin_writing(session)
    ids = list(session.scalars(due(now, retention_days)))
    if not ids:  # another process purged them a moment ago
        session.rollback()
        return 0
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        _keep_ages(session, chunk)
        session.execute(
            update(Registration)
            .where(Registration.id.in_(chunk))
            .values(
                first_name=ANONYMOUS,
                last_name=ANONYMOUS,
                email=ANONYMOUS,
                email_key=ANONYMOUS,
                date_of_birth=None,
                guardian_name=None,
                guardian_email=None,
                phone=None,
                notes=None,
                guardian_consent_text=None,
                checkin_code=None,
                anonymised_at=now,
            )
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.registration_id.in_(chunk))
            .values(
                recipient=ANONYMOUS,
                subject=ANONYMOUS,
                body_text=ANONYMOUS,
                body_html=None,
                ics=None,
                qr_code=None,
            )
        )
        # Free-text answers may say anything about the person; chosen
        # choices stay, for the statistics.
        session.execute(update(Answer).where(Answer.registration_id.in_(chunk)).values(text=None))
        session.execute(
            delete(RegistrationToken).where(RegistrationToken.registration_id.in_(chunk))
        )
        # The contact of a group is a person too; the group stays, for the counts.
        session.execute(
            update(RegistrationGroup)
            .where(
                RegistrationGroup.id.in_(
                    select(Registration.group_id).where(Registration.id.in_(chunk))
                )
            )
            .values(contact_first_name=None, contact_last_name=None)
        )
    audit.record(
        session, None, "retention.purge", row_count=len(ids), retention_days=retention_days
    )
    session.commit()
    return len(ids)
