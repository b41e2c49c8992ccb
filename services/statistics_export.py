"""The statistics as an XLSX workbook: one sheet per table, the figures as
numbers. No personal data is in it, so it is not audited."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from flask_babel import gettext
from openpyxl import Workbook

from services.dates import day_text
from services.labels import REGISTRATION_STATUSES
from services.spreadsheets import neutralise
from services.statistics import Figures, YearFigures


def _sheet(book: Workbook, title: str, head: Sequence[str], rows: Iterable[Sequence]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append([neutralise(str(cell)) for cell in head])
    for row in rows:
        # Labels are text, never formulas (a title may begin with "="); figures
        # stay numbers.
        sheet.append(
            [cell if isinstance(cell, int | float) else neutralise(str(cell)) for cell in row]
        )


def figure_sheets(book: Workbook, figures: Figures) -> None:
    rate = figures.attendance_rate
    _sheet(
        book,
        gettext("Overview"),
        (gettext("Figure"), gettext("Count")),
        [
            (gettext("Registrations"), figures.total),
            (gettext("With a place"), figures.with_place),
            (gettext("Checked in"), figures.checked_in),
            (gettext("On the waitlist"), figures.waitlisted),
            (gettext("Attendance rate (%)"), round(rate * 100, 1) if rate is not None else ""),
        ],
    )
    _sheet(
        book,
        gettext("By status"),
        (gettext("Status"), gettext("Count")),
        [(REGISTRATION_STATUSES[s], n) for s, n in figures.by_status.items()],
    )
    _sheet(book, gettext("By age"), (gettext("Age"), gettext("Count")), figures.by_age.items())
    _sheet(
        book,
        gettext("Over time"),
        (gettext("Day"), gettext("Registrations so far")),
        [(day.isoformat(), n) for day, n in figures.over_time],
    )


def workbook(figures: Figures, year: YearFigures | None = None, lang: str = "de") -> bytes:
    book = Workbook()
    book.remove(book.active)
    figure_sheets(book, figures)
    if year is not None:
        _sheet(
            book,
            gettext("By month"),
            (gettext("Month"), gettext("Events"), gettext("Registrations"), gettext("Checked in")),
            [(m.month, m.events, m.registrations, m.checked_in) for m in year.months],
        )
        _sheet(
            book,
            gettext("By partner"),
            (
                gettext("Partner city or network"),
                gettext("Events"),
                gettext("Registrations"),
                gettext("Checked in"),
            ),
            [
                (p.record.text("name", lang), p.events, p.registrations, p.checked_in)
                for p in year.partners
            ],
        )
        _sheet(
            book,
            gettext("By event"),
            (gettext("Event"), gettext("Day"), gettext("Registrations"), gettext("Checked in")),
            [
                (e.text("title", lang), day_text(e.starts_at, "short", lang), f.total, f.checked_in)
                for e, f in year.events
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
