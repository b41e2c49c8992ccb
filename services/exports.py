"""What staff export: an event's participants (CSV and XLSX) and support
applications (XLSX). Rows are read in batches and written as typed tables
(services/spreadsheets.py: typed XLSX cells, neutralised CSV text); every
export is recorded in the audit log before the file leaves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import Session

from models import (
    Event,
    Question,
    Registration,
    RegistrationGroup,
    RegistrationStatus,
    SupportApplication,
    User,
)
from models.base import DEFAULT_LANGUAGE
from models.registration import BY_RELEVANCE
from services import questions
from services.ages import age_on, first_day
from services.audit import record
from services.dates import current_language
from services.labels import APPLICATION_STATUSES, REGISTRATION_STATUSES, language_name
from services.localtime import city_zone
from services.locking import begin_writing
from services.spreadsheets import Column, Kind, Table, Value

BATCH_ROWS = 500  # rows fetched from the database at a time

PARTICIPANT_COLUMNS = (
    Column(_l("Status"), width=12),
    Column(_l("First name"), width=16),
    Column(_l("Last name"), width=18),
    Column(_l("Email address"), width=30),
    Column(_l("Date of birth"), Kind.DAY, width=13),
    Column(_l("Age on the event day"), Kind.INTEGER, width=10),
    Column(_l("Guardian's name"), width=22),
    Column(_l("Guardian's email address"), width=30),
    Column(_l("Guardian's consent given at"), Kind.MOMENT, width=17),
    Column(_l("Phone"), Kind.PHONE, width=18),
    Column(_l("Notes"), width=40),
    Column(_l("Photo consent"), width=10),
    Column(_l("Privacy consent given at"), Kind.MOMENT, width=17),
    Column(_l("Registered at"), Kind.MOMENT, width=17),
    Column(_l("Confirmed at"), Kind.MOMENT, width=17),
    Column(_l("Checked in at"), Kind.MOMENT, width=17),
    # The submission a participant came with, and who registered it.
    Column(_l("Group"), width=28),
)

_FIELDS = (
    Registration.status,
    Registration.first_name,
    Registration.last_name,
    Registration.email,
    Registration.date_of_birth,
    Registration.guardian_name,
    Registration.guardian_email,
    Registration.guardian_consented_at,
    Registration.phone,
    Registration.notes,
    Registration.photo_consent,
    Registration.privacy_consent_at,
    Registration.created_at,
    Registration.confirmed_at,
    Registration.checked_in_at,
    Registration.anonymised_at,
    Registration.id,
    RegistrationGroup.id.label("group_number"),
    RegistrationGroup.contact_first_name,
    RegistrationGroup.contact_last_name,
)


def count_participants(session: Session, event_id: int) -> int:
    query = select(func.count()).select_from(Registration).where(Registration.event_id == event_id)
    return session.scalar(query) or 0


def record_export(session: Session, actor: User, event: Event, format: str) -> int:
    """Record one export in the audit log and commit, before the first byte
    leaves; the row count. Exports are GETs: the write lock is taken here."""
    begin_writing(session)
    rows = count_participants(session, event.id)
    record(session, actor, "participants.export", event_id=event.id, row_count=rows, format=format)
    session.commit()
    return rows


def participant_query(event_id: int) -> Select[tuple]:
    """Every registration of the event, by status, then by registration time."""
    # Those with a seat first (models.registration.BY_RELEVANCE).
    status_order = case(
        *((Registration.status == status, rank) for rank, status in enumerate(BY_RELEVANCE)),
        else_=len(BY_RELEVANCE),
    )
    return (
        select(*_FIELDS)
        .outerjoin(RegistrationGroup, Registration.group_id == RegistrationGroup.id)
        .where(Registration.event_id == event_id)
        .order_by(status_order, Registration.created_at, Registration.id)
    )


def participant_table(session: Session, event: Event) -> Table:
    """The event's participants, one row per registration, in the current
    user's language; then one column per question of the event, headed by
    its German label (as the organisers wrote it first)."""
    asked = questions.questions_of(session, event.id)
    columns = PARTICIPANT_COLUMNS + tuple(
        Column(question.label(DEFAULT_LANGUAGE), width=24) for question in asked
    )
    return Table(columns, _participant_rows(session, event, asked), city_zone())


def _participant_rows(
    session: Session, event: Event, asked: list[Question]
) -> Iterator[list[Value]]:
    """Read BATCH_ROWS at a time, with the answers of each batch; the words
    of statuses and answers looked up once rather than per row."""
    day = first_day(event)
    statuses = {status: str(label) for status, label in REGISTRATION_STATUSES.items()}
    answers = {True: gettext("yes"), False: gettext("no")}
    language = current_language()
    query = participant_query(event.id).execution_options(yield_per=BATCH_ROWS)
    with session.execute(query) as result:  # closed also when the download stops early
        for batch in result.partitions():
            given = questions.answers_of(session, [row.id for row in batch]) if asked else {}
            for row in batch:
                own = given.get(row.id, {})
                yield [
                    *_participant_row(row, day, statuses, answers),
                    *(questions.answer_text(q, own.get(q.id), language) for q in asked),
                ]


def _participant_row(
    row: Row, day: date, statuses: dict[RegistrationStatus, str], answers: dict[bool, str]
) -> list[Value]:
    status = statuses.get(row.status, str(row.status))
    times = [row.created_at, row.confirmed_at, row.checked_in_at]
    if row.anonymised_at is not None:
        # Anonymised: what happened stays for statistics, nothing about the person.
        return [status, *[None] * (len(PARTICIPANT_COLUMNS) - 2 - len(times)), *times, None]
    born = row.date_of_birth
    return [
        status,
        row.first_name,
        row.last_name,
        row.email,
        born,
        age_on(born, day) if born else None,
        row.guardian_name,
        row.guardian_email,
        row.guardian_consented_at,
        row.phone,
        row.notes,
        answers[bool(row.photo_consent)],
        row.privacy_consent_at,
        *times,
        _group_text(row),
    ]


def _group_text(row: Row) -> str | None:
    if row.group_number is None:
        return None
    contact = f"{row.contact_first_name or ''} {row.contact_last_name or ''}".strip()
    return gettext("Group %(number)d, contact: %(name)s", number=row.group_number, name=contact)


APPLICATION_COLUMNS = (
    Column(_l("Number"), Kind.INTEGER, width=9),
    Column(_l("Received"), Kind.MOMENT, width=17),
    Column(_l("Status"), width=12),
    Column(_l("Organisation"), width=28),
    Column(_l("Contact person"), width=22),
    Column(_l("Email address"), width=30),
    Column(_l("Phone"), Kind.PHONE, width=18),
    Column(_l("Partner city or network"), width=24),
    Column(_l("Project title"), width=30),
    Column(_l("Description"), width=60),
    Column(_l("Project start"), Kind.DAY, width=13),
    Column(_l("Project end"), Kind.DAY, width=13),
    Column(_l("Amount requested (EUR)"), Kind.AMOUNT, width=14),
    Column(_l("Language"), width=9),
    Column(_l("Note"), width=40),
    Column(_l("Privacy consent given at"), Kind.MOMENT, width=17),
)


def application_table(session: Session, query: Select[Any]) -> Table:
    """One row per application of `query` (services.applications.listing_query)."""
    return Table(APPLICATION_COLUMNS, _application_rows(session, query), city_zone())


def _application_rows(session: Session, query: Select[Any]) -> Iterator[list[Value]]:
    statuses = {status: str(label) for status, label in APPLICATION_STATUSES.items()}
    with session.execute(query.execution_options(yield_per=BATCH_ROWS)) as result:
        for a in result.scalars():
            yield _application_row(a, statuses)


def _application_row(a: SupportApplication, statuses: dict[Any, str]) -> list[Value]:
    return [
        a.id,
        a.created_at,
        statuses[a.status],
        a.organisation,
        a.contact_name,
        a.email,
        a.phone,
        a.partner_name,
        a.project_title,
        a.description,
        a.starts_on,
        a.ends_on,
        a.amount_requested,
        language_name(a.language),
        a.staff_note,
        a.privacy_consent_at,
    ]
