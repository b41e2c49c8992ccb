"""Exports with typed cells, read back as a spreadsheet program would: XLSX
ages are numbers, days are dates and moments date-times in the city's zone
(with a date format of the staff member's language), phone numbers are text
without an apostrophe; column widths are set and the header row is frozen.
The CSV stays safe in Excel: "+49 …" becomes "0049 …", never a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models import ApplicationStatus
from services.spreadsheets import csv_phone
from tests.test_exports import (
    AGE,
    BORN,
    CHECKED_IN_AT,
    FIRST_NAME,
    GUARDIAN_CONSENT_AT,
    NOTES,
    PHONE,
    PRIVACY_CONSENT_AT,
    REGISTERED_AT,
    STATUS,
)
from tests.test_support_applications import make_application  # noqa: F401 (a fixture)

SUMMER = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)  # 17:00 in Rostock
WINTER = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)  # 16:00 in Rostock


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def sheet_of(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def csv_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def event_with_lena(make_event, make_registration):
    event = make_event(starts_at=SUMMER)
    make_registration(
        event,
        first_name="Lena",
        date_of_birth=date(2010, 7, 10),  # 16 on the event's first day
        phone="+49 381 123456",
        guardian_consented_at=WINTER,
        privacy_consent_at=SUMMER,
        created_at=SUMMER,
        checked_in_at=SUMMER,
    )
    return event


@pytest.mark.parametrize(
    ("language", "day_format", "moment_format"),
    [("de", "DD.MM.YYYY", "DD.MM.YYYY HH:MM"), ("en", "YYYY-MM-DD", "YYYY-MM-DD HH:MM")],
)
def test_xlsx_cells_are_typed_with_date_formats_of_the_staff_language(
    staff_client, event_with_lena, language, day_format, moment_format
):
    admin = staff_client("admin", language=language)
    sheet = sheet_of(download(admin, f"/admin/events/{event_with_lena.id}/participants.xlsx"))
    row = next(sheet.iter_rows(min_row=2, max_row=2))

    assert (row[AGE].value, row[AGE].data_type) == (16, "n")
    assert row[BORN].is_date and row[BORN].value == datetime(2010, 7, 10)
    assert row[BORN].number_format == day_format
    for column, local in (
        (GUARDIAN_CONSENT_AT, datetime(2026, 1, 10, 16, 0)),  # winter: UTC+1
        (PRIVACY_CONSENT_AT, datetime(2026, 7, 10, 17, 0)),  # summer: UTC+2
        (REGISTERED_AT, datetime(2026, 7, 10, 17, 0)),
        (CHECKED_IN_AT, datetime(2026, 7, 10, 17, 0)),
    ):
        assert row[column].is_date and row[column].value == local
        assert row[column].number_format == moment_format
    assert (row[PHONE].value, row[PHONE].data_type) == ("+49 381 123456", "s")
    assert (row[FIRST_NAME].value, row[FIRST_NAME].data_type) == ("Lena", "s")


def test_xlsx_has_column_widths_a_bold_frozen_header_and_a_filter(admin_client, event_with_lena):
    url = f"/admin/events/{event_with_lena.id}/participants.xlsx"
    sheet = sheet_of(download(admin_client, url))

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q2"
    assert all(cell.font.b for cell in sheet[1])
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths["D"] >= 25  # email addresses
    assert widths["K"] >= 30  # notes
    assert widths["F"] <= 12  # an age


def test_csv_keeps_text_with_the_phone_number_safe_and_readable(admin_client, event_with_lena):
    rows = csv_of(download(admin_client, f"/admin/events/{event_with_lena.id}/participants.csv"))
    row = rows[1]

    assert row[PHONE] == "0049 381 123456"
    assert row[AGE] == "16" and row[BORN] == "2010-07-10"
    assert row[REGISTERED_AT] == "2026-07-10 17:00"
    assert row[GUARDIAN_CONSENT_AT] == "2026-01-10 16:00"


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("+49 381 123456", "0049 381 123456"),
        ("+49 (0)381 123-456", "0049 (0)381 123-456"),
        ("+41 44/123 45 67", "0041 44/123 45 67"),
        ("0381 123456", "0381 123456"),
        ('=HYPERLINK("//x.test")', '\'=HYPERLINK("//x.test")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-381 123", "'-381 123"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_a_phone_number_in_csv_is_never_a_formula(stored, written):
    assert csv_phone(stored) == written
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_an_anonymised_row_has_no_typed_personal_cells(admin_client, make_event, make_registration):
    event = make_event(starts_at=SUMMER)
    make_registration(
        event,
        date_of_birth=date(2010, 1, 1),
        phone="+49 381 1",
        notes="geheim",
        created_at=SUMMER,
        anonymised_at=SUMMER,
    )
    sheet = sheet_of(download(admin_client, f"/admin/events/{event.id}/participants.xlsx"))
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[STATUS].value
    assert [cell.value for cell in row[FIRST_NAME : PRIVACY_CONSENT_AT + 1]] == [None] * 12
    assert row[REGISTERED_AT].value == datetime(2026, 7, 10, 17, 0)
    assert row[NOTES].value is None


def test_support_applications_xlsx_has_typed_cells(admin_client, make_application):  # noqa: F811
    make_application(
        organisation="Kunstverein",
        phone="+49 381 987",
        amount_requested=Decimal("1500.50"),
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 1, 12),
        created_at=WINTER,
        status=ApplicationStatus.SUBMITTED,
    )
    sheet = sheet_of(download(admin_client, "/admin/applications.xlsx"))
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2])}

    assert row["Nummer"].data_type == "n" and isinstance(row["Nummer"].value, int)
    assert row["Eingegangen"].value == datetime(2026, 1, 10, 16, 0)
    assert row["Eingegangen"].number_format == "DD.MM.YYYY HH:MM"
    assert row["Projektbeginn"].value == datetime(2027, 1, 10)
    assert row["Projektbeginn"].number_format == "DD.MM.YYYY"
    amount = row["Beantragter Betrag (EUR)"]
    assert (amount.value, amount.data_type, amount.number_format) == (1500.5, "n", "#,##0.00")
    assert (row["Telefon"].value, row["Telefon"].data_type) == ("+49 381 987", "s")
    assert row["Organisation"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width >= 50  # the description


@pytest.fixture
def admin_client(staff_client):
    return staff_client("admin")
