"""Participant lists as CSV and XLSX: rows read in batches, cells neutralised
against spreadsheet formula injection, every export recorded in the audit log."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import IO, TYPE_CHECKING

from flask_babel import gettext, lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import Session

from models import Event, Registration, RegistrationStatus, User
from services.audit import record
from services.localtime import city_zone
from services.locking import begin_writing
from services.registration import age_on, first_day

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BATCH_ROWS = 500  # rows fetched from the database at a time
CSV_CHUNK_ROWS = 200  # rows per chunk of a streamed CSV
FILE_CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024  # an XLSX larger than this goes to disk

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL_CHARS = 32767

COLUMNS = (
    _l("Status"),
    _l("First name"),
    _l("Last name"),
    _l("Email address"),
    _l("Date of birth"),
    _l("Age on the event day"),
    _l("Guardian's name"),
    _l("Guardian's email address"),
    _l("Guardian's consent given at"),
    _l("Phone"),
    _l("Notes"),
    _l("Photo consent"),
    _l("Privacy consent given at"),
    _l("Registered at"),
    _l("Confirmed at"),
    _l("Checked in at"),
)

# The words of the participants page, in the order of the list.
STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.PENDING: _l("Pending"),
    RegistrationStatus.WAITLISTED: _l("Waitlist"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.EXPIRED: _l("Expired"),
}

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
)


def neutralise(value: str) -> str:
    """The value with a leading `'` if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


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
    status_order = case(
        *((Registration.status == status, rank) for rank, status in enumerate(STATUS_LABELS)),
        else_=len(STATUS_LABELS),
    )
    return (
        select(*_FIELDS)
        .where(Registration.event_id == event_id)
        .order_by(status_order, Registration.created_at, Registration.id)
    )


def participant_header() -> list[str]:
    """The column names in the current user's language."""
    return [str(column) for column in COLUMNS]


def participant_rows(session: Session, event: Event) -> Iterator[list[str]]:
    """One row of text per registration, read BATCH_ROWS at a time."""
    cells = _CellText(
        day=first_day(event),
        zone=city_zone(),
        statuses={status: str(label) for status, label in STATUS_LABELS.items()},
        answers={True: gettext("yes"), False: gettext("no")},
    )
    query = participant_query(event.id).execution_options(yield_per=BATCH_ROWS)
    with session.execute(query) as result:  # closed also when the download stops early
        for row in result:
            yield _participant_row(row, cells)


def participant_table(session: Session, event: Event) -> Iterator[list[str]]:
    """The header row, then the participants."""
    return itertools.chain([participant_header()], participant_rows(session, event))


@dataclass(frozen=True)
class _CellText:
    """How values read in this export, worked out once rather than per cell."""

    day: date  # the event's first day, when ages are counted
    zone: tzinfo
    statuses: dict[RegistrationStatus, str]
    answers: dict[bool, str]

    def moment(self, value: datetime | None) -> str:
        """YYYY-MM-DD HH:MM in the city (services.localtime.to_local, with
        the zone looked up once)."""
        return f"{value.astimezone(self.zone):%Y-%m-%d %H:%M}" if value is not None else ""


def _participant_row(row: Row, cells: _CellText) -> list[str]:
    status = cells.statuses.get(row.status, str(row.status))
    times = [cells.moment(when) for when in (row.created_at, row.confirmed_at, row.checked_in_at)]
    if row.anonymised_at is not None:
        # Anonymised: what happened stays for statistics, nothing about the person.
        return [status, *[""] * (len(COLUMNS) - 1 - len(times)), *times]
    born = row.date_of_birth
    return [
        status,
        row.first_name or "",
        row.last_name or "",
        row.email or "",
        born.isoformat() if born else "",
        str(age_on(born, cells.day)) if born else "",
        row.guardian_name or "",
        row.guardian_email or "",
        cells.moment(row.guardian_consented_at),
        row.phone or "",
        row.notes or "",
        cells.answers[bool(row.photo_consent)],
        cells.moment(row.privacy_consent_at),
        *times,
    ]


def csv_chunks(rows: Iterable[Sequence[str]]) -> Iterator[bytes]:
    """UTF-8 with BOM, `;`-separated, CRLF, quoted per RFC 4180, a few
    hundred rows per chunk; every cell neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for number, row in enumerate(rows, 1):
        writer.writerow([neutralise(value) for value in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if rest := buffer.getvalue():
        yield rest.encode("utf-8")


def xlsx_file(rows: Iterable[Sequence[str]], sheet_title: str = "Participants") -> IO[bytes]:
    """A workbook of one sheet, written row by row (openpyxl's write-only
    mode) into a temporary file, positioned at its start; the caller closes it.
    Every cell is a string, never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_string_cell(sheet, value) for value in row])
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def _string_cell(sheet: WriteOnlyWorksheet, value: str) -> Cell | None:
    """A text cell; None (no cell at all) for an empty value."""
    if not value:
        return None
    # Characters XML cannot carry are dropped; XML reads a lone CR as LF anyway.
    value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    value = value.replace("\r\n", "\n").replace("\r", "\n")[:XLSX_MAX_CELL_CHARS]
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip("' ")
    return cleaned[:31] or "Sheet"


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's content in chunks; the file is closed at the end."""
    try:
        while chunk := file.read(FILE_CHUNK_BYTES):
            yield chunk
    finally:
        file.close()
