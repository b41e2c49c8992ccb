"""Participant exports (SPEC rule 9): CSV for German Excel with cells
neutralised against formula injection, XLSX with string cells that are never
formulas, every field with times in the city's zone. Who may export, and the audit:
test_export_access.py; typed XLSX cells: test_export_cells.py."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import AuditEntry, RegistrationStatus
from services.spreadsheets import neutralise

# Columns in the order of the brief.
STATUS, FIRST_NAME, LAST_NAME, EMAIL, BORN, AGE = range(6)
GUARDIAN_NAME, GUARDIAN_EMAIL, GUARDIAN_CONSENT_AT, PHONE, NOTES, PHOTO = range(6, 12)
PRIVACY_CONSENT_AT, REGISTERED_AT, CONFIRMED_AT, CHECKED_IN_AT = range(12, 16)

FORMATS = ("csv", "xlsx")

# (value typed in the form, what a spreadsheet cell must contain)
DANGEROUS = [
    pytest.param("=1+1", "'=1+1", id="equals"),
    pytest.param("+49 381 1234", "'+49 381 1234", id="plus"),
    pytest.param("-2+3", "'-2+3", id="minus"),
    pytest.param("@SUM(A1:A2)", "'@SUM(A1:A2)", id="at"),
    pytest.param("\tcmd", "'\tcmd", id="tab"),
    pytest.param("\rcmd", "'\rcmd", id="carriage-return"),
    pytest.param('Sag "Hallo"', 'Sag "Hallo"', id="embedded-quote"),
    pytest.param('=HYPERLINK("//x.test")', '\'=HYPERLINK("//x.test")', id="quoted-formula"),
]


def export(client, event, format: str, lang: str | None = None):
    headers = {"Accept-Language": lang} if lang else {}
    return client.get(f"/admin/events/{event.id}/participants.{format}", headers=headers)


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def xlsx_rows(response) -> list[list[str | None]]:
    return [[cell.value for cell in row] for row in xlsx_sheet(response).iter_rows()]


def audit_entries() -> list[AuditEntry]:
    db.session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == "participants.export")
    query = query.order_by(AuditEntry.id)
    return list(db.session.scalars(query))


@pytest.fixture
def admin(staff_client):
    return staff_client("admin")


@pytest.mark.parametrize(("typed", "expected"), DANGEROUS)
def test_csv_cells_that_could_be_formulas_start_with_a_quote_mark(
    admin, make_event, make_registration, typed, expected
):
    event = make_event()
    make_registration(event, first_name=typed, notes=typed)

    response = export(admin, event, "csv")

    assert response.status_code == 200
    header, row = csv_rows(response)
    assert row[FIRST_NAME] == expected
    assert row[NOTES] == expected


@pytest.mark.parametrize(("typed", "expected"), DANGEROUS)
def test_xlsx_text_cells_are_strings_as_typed_never_formulas(
    admin, make_event, make_registration, typed, expected
):
    event = make_event()
    make_registration(event, first_name=typed, notes=typed)

    response = export(admin, event, "xlsx")

    assert response.status_code == 200
    sheet = xlsx_sheet(response)
    for column in (FIRST_NAME, NOTES):
        cell = sheet.cell(row=2, column=column + 1)
        assert cell.data_type == "s"
        # As typed, no apostrophe; XML reads a carriage return as a line feed.
        assert cell.value == typed.replace("\r", "\n")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as workbook:
        assert "<f>" not in workbook.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("value", ["Jürgen", "Anna-Lena", "0381 1234", "", "a=b", "Tab\tinside"])
def test_neutralise_leaves_harmless_values_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("format", FORMATS)
def test_umlauts_and_sharp_s_survive(admin, make_event, make_registration, format):
    event = make_event()
    make_registration(event, first_name="Jürgen", last_name="Weiß", notes="Öl, Äpfel; Übung")

    response = export(admin, event, format)

    rows = csv_rows(response) if format == "csv" else xlsx_rows(response)
    assert rows[1][FIRST_NAME] == "Jürgen"
    assert rows[1][LAST_NAME] == "Weiß"
    assert rows[1][NOTES] == "Öl, Äpfel; Übung"


def test_control_characters_xml_cannot_carry_do_not_break_the_xlsx(
    admin, make_event, make_registration
):
    event = make_event()
    make_registration(event, notes="Zeile\x0bmit\x1fSteuerzeichen")

    response = export(admin, event, "xlsx")

    assert response.status_code == 200
    assert xlsx_rows(response)[1][NOTES] == "ZeilemitSteuerzeichen"


def test_csv_is_utf8_with_bom_semicolons_and_crlf_for_german_excel(
    admin, make_event, make_registration
):
    event = make_event(slug="sommercamp")
    make_registration(event, first_name="Jürgen", notes="eins\r\nzwei")

    response = export(admin, event, "csv")

    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="sommercamp-participants.csv"'
    header_line = body[3:].split(b"\r\n", 1)[0].decode()
    assert header_line.count(";") == 16
    assert "," not in header_line
    assert body.endswith(b"\r\n")
    assert csv_rows(response)[1][NOTES] == "eins\r\nzwei"


def test_xlsx_is_a_download_of_a_workbook(admin, make_event, make_registration):
    event = make_event(slug="sommercamp")
    make_registration(event)

    response = export(admin, event, "xlsx")

    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="sommercamp-participants.xlsx"'
    assert len(xlsx_rows(response)) == 2


@pytest.mark.parametrize(
    ("moment", "local"),
    [
        pytest.param(datetime(2026, 7, 10, 15, 0, tzinfo=UTC), "2026-07-10 17:00", id="summer"),
        pytest.param(datetime(2026, 1, 10, 15, 0, tzinfo=UTC), "2026-01-10 16:00", id="winter"),
    ],
)
@pytest.mark.parametrize("format", FORMATS)
def test_times_are_shown_in_the_city_time_zone(
    admin, make_event, make_registration, format, moment, local
):
    event = make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))
    make_registration(
        event,
        created_at=moment,
        privacy_consent_at=moment,
        confirmed_at=moment,
        checked_in_at=moment,
        guardian_consented_at=moment,
    )

    response = export(admin, event, format)

    row = (csv_rows(response) if format == "csv" else xlsx_rows(response))[1]
    columns = (GUARDIAN_CONSENT_AT, PRIVACY_CONSENT_AT, REGISTERED_AT, CONFIRMED_AT, CHECKED_IN_AT)
    if format == "xlsx":  # a date-time cell with the city's wall-clock time
        local = datetime.strptime(local, "%Y-%m-%d %H:%M")
    assert [row[column] for column in columns] == [local] * len(columns)


def test_age_is_counted_on_the_event_day(admin, make_event, make_registration):
    # 23:30 UTC on 10 July is already 11 July in Rostock: the 16th birthday.
    event = make_event(starts_at=datetime(2026, 7, 10, 23, 30, tzinfo=UTC))
    make_registration(event, first_name="Birthday", date_of_birth=date(2010, 7, 11))
    make_registration(event, first_name="Tomorrow", date_of_birth=date(2010, 7, 12))

    rows = {row[FIRST_NAME]: row for row in csv_rows(export(admin, event, "csv"))[1:]}

    assert rows["Birthday"][BORN] == "2010-07-11"
    assert rows["Birthday"][AGE] == "16"
    assert rows["Tomorrow"][AGE] == "15"


def test_every_field_is_exported(admin, make_event, make_registration):
    event = make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))
    make_registration(
        event,
        first_name="Lena",
        last_name="Schröder",
        email="lena@example.org",
        date_of_birth=date(2011, 1, 5),
        guardian_name="Petra Schröder",
        guardian_email="petra@example.org",
        phone="0381 1234",
        notes="vegetarisch",
        photo_consent=True,
    )

    row = csv_rows(export(admin, event, "csv", lang="en"))[1]

    assert row[FIRST_NAME : PHONE + 1] == [
        "Lena",
        "Schröder",
        "lena@example.org",
        "2011-01-05",
        "15",
        "Petra Schröder",
        "petra@example.org",
        "",
        "0381 1234",
    ]
    assert row[NOTES] == "vegetarisch"
    assert row[PHOTO] == "yes"
    assert len(row) == 17  # the last: the group, empty for one person


def test_anonymised_registrations_keep_their_status_but_no_personal_data(
    admin, make_event, make_registration
):
    event = make_event()
    make_registration(
        event,
        status=RegistrationStatus.CANCELLED,
        first_name="Jürgen",
        date_of_birth=date(2010, 1, 1),
        guardian_name="Petra",
        notes="geheim",
        anonymised_at=datetime.now(UTC),
    )

    csv_export, xlsx_export = export(admin, event, "csv", "en"), export(admin, event, "xlsx", "en")

    for rows in (csv_rows(csv_export), xlsx_rows(xlsx_export)):
        (row,) = rows[1:]
        assert row[STATUS] == "Cancelled"
        assert all(not value for value in row[FIRST_NAME : PRIVACY_CONSENT_AT + 1])
        assert row[REGISTERED_AT]


def test_rows_are_ordered_by_status_then_registration_time(admin, make_event, make_registration):
    event = make_event()
    order = [
        (RegistrationStatus.WAITLISTED, 1, "w1"),
        (RegistrationStatus.CONFIRMED, 2, "c2"),
        (RegistrationStatus.CANCELLED, 3, "x3"),
        (RegistrationStatus.CONFIRMED, 1, "c1"),
        (RegistrationStatus.PENDING, 1, "p1"),
        (RegistrationStatus.EXPIRED, 1, "e1"),
        (RegistrationStatus.WAITLISTED, 0, "w0"),
    ]
    for status, hour, name in order:
        registered = datetime(2026, 5, 1, hour, tzinfo=UTC)
        make_registration(event, status=status, first_name=name, created_at=registered)

    rows = csv_rows(export(admin, event, "csv"))[1:]

    assert [row[FIRST_NAME] for row in rows] == ["c1", "c2", "p1", "w0", "w1", "x3", "e1"]


def test_header_is_in_the_staff_members_language(admin, make_event, make_registration):
    event = make_event()
    make_registration(event)

    german = csv_rows(export(admin, event, "csv"))[0]
    english = csv_rows(export(admin, event, "csv", lang="en"))[0]

    assert german[FIRST_NAME] == "Vorname"
    assert english[FIRST_NAME] == "First name"
    assert len(german) == len(english) == 17
