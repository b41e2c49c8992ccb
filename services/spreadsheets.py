"""Tables written as CSV and XLSX, streamed row by row.

A table is typed: each column says what its values are (text, a phone
number, a whole number, an amount, a day, a moment), so each format can
write them the way it should.

- XLSX: typed cells. Numbers are numbers, days are dates and moments are
  date-times in the city's zone, each with a date format of the staff
  member's language. Text is a string cell, which a spreadsheet never runs
  as a formula, so it is written as typed: no apostrophe in "+49 381 …".
  Column widths are set and the header row stays in view.
- CSV has no types: any cell that starts with =, +, -, @, tab or CR could
  be read as a formula, so it gets a leading ' (OWASP "CSV Injection").
  A phone number is the one exception: "+49 381 123" is written as
  "0049 381 123", the same number with the international call prefix,
  which no spreadsheet reads as a formula and everyone can read and dial.
"""

from __future__ import annotations

import csv
import enum
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Union

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models.base import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CSV_CHUNK_ROWS = 200  # rows per chunk of a streamed CSV
FILE_CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024  # an XLSX larger than this goes to disk

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number as the forms take it: "+" and digits, spaces, ( ) / -.
_INTERNATIONAL_PHONE = re.compile(r"\+[0-9 ()/-]+")
XLSX_MAX_CELL_CHARS = 32767

# Number formats of days and moments, by the staff member's language.
DAY_FORMATS = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
MOMENT_FORMATS = {"de": "DD.MM.YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"}
AMOUNT_FORMAT = "#,##0.00"

Value = Union[str, int, Decimal, date, datetime, None]


class Kind(enum.Enum):
    """What the values of a column are."""

    TEXT = "text"
    PHONE = "phone"
    INTEGER = "integer"
    AMOUNT = "amount"  # a Decimal, two places
    DAY = "day"  # a date
    MOMENT = "moment"  # an aware datetime, shown in the city's zone


@dataclass(frozen=True)
class Column:
    header: object  # a (lazy) translated string
    kind: Kind = Kind.TEXT
    width: int = 16  # characters, for XLSX


@dataclass(frozen=True)
class Table:
    """Columns and the rows under them (read lazily, once); `zone` is the
    city's, for moments."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[Value]]
    zone: tzinfo


def neutralise(value: str) -> str:
    """The value with a leading `'` if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_phone(value: str) -> str:
    """A phone number for CSV: "+49 381 123" as "0049 381 123" (no formula,
    still the same number); anything else neutralised."""
    if _INTERNATIONAL_PHONE.fullmatch(value):
        return "00" + value[1:]
    return neutralise(value)


def _csv_text(kind: Kind, value: Value, zone: tzinfo) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.MOMENT:
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M}"
    if kind is Kind.DAY:
        return value.isoformat()
    if kind is Kind.AMOUNT:
        return f"{value:.2f}"
    if kind is Kind.INTEGER:
        return str(value)
    if kind is Kind.PHONE:
        return csv_phone(value)
    return neutralise(value)


def csv_chunks(table: Table) -> Iterator[bytes]:
    """UTF-8 with BOM, `;`-separated, CRLF, quoted per RFC 4180, a few
    hundred rows per chunk; every text cell neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(str(column.header)) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for number, row in enumerate(table.rows, 1):
        writer.writerow([_csv_text(kind, value, table.zone) for kind, value in zip(kinds, row)])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if rest := buffer.getvalue():
        yield rest.encode("utf-8")


@dataclass(frozen=True)
class _XlsxStyle:
    """Number formats of one export, chosen once."""

    day: str
    moment: str
    zone: tzinfo


def xlsx_file(
    table: Table, sheet_title: str = "Sheet", language: str = DEFAULT_LANGUAGE
) -> IO[bytes]:
    """A workbook of one sheet, written row by row (openpyxl's write-only
    mode) into a temporary file, positioned at its start; the caller closes
    it. Typed cells, never a formula; the header row is bold and frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    for number, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    style = _XlsxStyle(
        day=DAY_FORMATS.get(language, DAY_FORMATS[DEFAULT_LANGUAGE]),
        moment=MOMENT_FORMATS.get(language, MOMENT_FORMATS[DEFAULT_LANGUAGE]),
        zone=table.zone,
    )
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, str(column.header), bold) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    rows = 1
    for row in table.rows:
        sheet.append([_cell(sheet, kind, value, style) for kind, value in zip(kinds, row)])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{rows}"
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def _header_cell(sheet: WriteOnlyWorksheet, text: str, font: Font) -> WriteOnlyCell:
    cell = _string_cell(sheet, text)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _cell(
    sheet: WriteOnlyWorksheet, kind: Kind, value: Value, style: _XlsxStyle
) -> WriteOnlyCell | None:
    """A typed cell; None (no cell at all) for an empty value."""
    if value is None or value == "":
        return None
    if kind in (Kind.TEXT, Kind.PHONE):
        return _string_cell(sheet, value)
    if kind is Kind.MOMENT:
        # Spreadsheets have no time zones: the city's wall-clock time.
        value = value.astimezone(style.zone).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = {
        Kind.MOMENT: style.moment,
        Kind.DAY: style.day,
        Kind.AMOUNT: AMOUNT_FORMAT,
    }.get(kind, "0")
    return cell


def _string_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A string cell as typed: a string cell is never a formula, whatever
    it starts with. Characters XML cannot carry are dropped; XML reads a
    lone CR as LF anyway."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")[:XLSX_MAX_CELL_CHARS]
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
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
