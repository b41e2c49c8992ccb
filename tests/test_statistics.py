"""Statistics per event and per year: equal to the data, before and after
the retention rule; charts as SVG with title and description; XLSX."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import City, Network, Registration, RegistrationStatus, Relation
from services import statistics
from services.retention import purge_personal_data

EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 8, 1, 10, 0, tzinfo=UTC)
CONFIRMED, CANCELLED, WAITLISTED, PENDING = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def workshop(make_event, make_registration):
    event = make_event(starts_at=EVENT_START, capacity=4)
    day = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    people = [
        (CONFIRMED, date(2011, 1, 1), True, day),  # 15
        (CONFIRMED, date(2010, 1, 1), True, day),  # 16
        (CONFIRMED, date(2010, 2, 1), False, day + timedelta(days=1)),  # 16, stayed away
        (PENDING, date(2009, 1, 1), False, day + timedelta(days=1)),  # 17
        (WAITLISTED, date(2009, 1, 1), False, day + timedelta(days=3)),
        (CANCELLED, date(2008, 1, 1), False, day + timedelta(days=3)),
    ]
    for status, born, came, made in people:
        make_registration(
            event,
            status=status,
            date_of_birth=born,
            checked_in_at=EVENT_START if came else None,
            created_at=made,
        )
    return event


def check_figures(figures: statistics.Figures) -> None:
    assert figures.total == 6
    assert figures.by_status == {
        PENDING: 1,
        CONFIRMED: 3,
        WAITLISTED: 1,
        CANCELLED: 1,
        RegistrationStatus.EXPIRED: 0,
    }
    assert figures.by_age == {"15": 1, "16": 2, "17": 2}
    assert figures.over_time == [
        (date(2026, 6, 1), 2),
        (date(2026, 6, 2), 4),
        (date(2026, 6, 4), 6),
    ]
    assert figures.waitlisted == 1
    assert (figures.with_place, figures.checked_in) == (4, 2)
    assert figures.attendance_rate == 0.5


def test_an_events_figures_equal_its_registrations(app, workshop):
    check_figures(statistics.event_figures(db.session, workshop))


def test_the_figures_survive_the_retention_rule(app, workshop):
    assert purge_personal_data(db.session, NOW + timedelta(days=200), 90) == 6
    db.session.rollback()
    assert db.session.scalar(select(Registration.date_of_birth).limit(1)) is None
    check_figures(statistics.event_figures(db.session, workshop))
    check_figures(statistics.year_figures(db.session, 2026).figures)


def test_the_year_counts_per_month(app, workshop, make_event, make_registration):
    other = make_event(slug="herbst", starts_at=datetime(2026, 10, 2, 15, 0, tzinfo=UTC))
    make_registration(other)
    year = statistics.year_figures(db.session, 2026)
    july, october = year.months[6], year.months[9]
    assert (july.events, july.registrations, july.checked_in) == (1, 6, 2)
    assert (october.events, october.registrations) == (1, 1)
    assert year.figures.total == 7
    assert statistics.year_figures(db.session, 2025).figures.total == 0


def test_the_event_page_shows_charts_with_the_figures_as_tables(staff_client, workshop):
    admin = staff_client("admin", language="en")
    html = admin.get(f"/admin/events/{workshop.id}/statistics").get_data(as_text=True)
    assert html.count('role="img"') == 3
    assert "<title" in html and "<desc" in html
    assert "Registrations: 6" in html and "Attendance rate: 50.0 %" in html
    assert '<th scope="row">Confirmed</th><td>3</td>' in html


def test_the_year_page_and_its_export(staff_client, workshop):
    admin = staff_client("admin", language="en")
    html = admin.get("/admin/statistics?year=2026").get_data(as_text=True)
    assert "Statistics 2026" in html and "Forum theatre workshop" in html
    assert '<th scope="row">July</th><td>1</td><td>6</td><td>2</td>' in html
    response = admin.get("/admin/statistics.xlsx?year=2026")
    book = load_workbook(io.BytesIO(response.data))
    overview = {row[0]: row[1] for row in book["Overview"].iter_rows(values_only=True)}
    assert overview["Registrations"] == 6 and overview["Checked in"] == 2
    months = list(book["By month"].iter_rows(values_only=True))
    assert months[7] == (7, 1, 6, 2)


def test_the_event_export_has_the_figures(staff_client, workshop):
    response = staff_client("admin").get(f"/admin/events/{workshop.id}/statistics.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "Nach Alter" in book.sheetnames


def test_organisers_see_the_statistics_of_their_own_events_only(
    staff_client, make_user, workshop, make_event
):
    mine = make_event(slug="meins", starts_at=EVENT_START)
    user = make_user("organiser")
    mine.organisers.append(user)
    db.session.commit()
    organiser = staff_client(user=user, language="en")
    assert organiser.get(f"/admin/events/{workshop.id}/statistics").status_code == 403
    assert organiser.get(f"/admin/events/{mine.id}/statistics").status_code == 200
    html = organiser.get("/admin/statistics?year=2026").get_data(as_text=True)
    assert "Registrations: 0" in html
    assert staff_client("editor").get("/admin/statistics").status_code == 403


def test_the_year_counts_per_partner_city_and_network(
    app, staff_client, workshop, make_event, make_registration
):
    city = City(slug="raleigh", country="US", relation=Relation.PARTNER)
    city.set_text("de", name="=Raleigh")  # a name that a spreadsheet would read as a formula
    network = Network(slug="ubc")
    network.set_text("de", name="Union der Ostseestädte")
    db.session.add_all([city, network])
    db.session.flush()
    workshop.city_id = city.id
    visit = make_event(slug="besuch", starts_at=datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    visit.city_id, visit.network_id = city.id, network.id
    make_registration(visit)
    db.session.commit()
    rows = {
        (row.kind, row.record.slug): (row.events, row.registrations, row.checked_in)
        for row in statistics.year_figures(db.session, 2026).partners
    }
    assert rows == {("city", "raleigh"): (2, 7, 2), ("network", "ubc"): (1, 1, 0)}
    html = staff_client("admin").get("/admin/statistics?year=2026").get_data(as_text=True)
    assert "Union der Ostseestädte" in html
    book = load_workbook(
        io.BytesIO(staff_client("admin").get("/admin/statistics.xlsx?year=2026").data)
    )
    names = [row[0] for row in book["Nach Partner"].iter_rows(values_only=True)][1:]
    assert names == ["'=Raleigh", "Union der Ostseestädte"]


def test_the_year_is_the_citys_calendar_year(app, make_event, make_registration):
    # 23:30 on New Year's Eve in Rostock is 22:30 UTC: still the old year.
    late = make_event(slug="silvester", starts_at=datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    make_registration(late)
    # 00:30 on New Year's Day in Rostock is 23:30 UTC the day before: the new year.
    early = make_event(slug="neujahr", starts_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    make_registration(early)
    assert [e.slug for e, _ in statistics.year_figures(db.session, 2026).events] == ["silvester"]
    assert [e.slug for e, _ in statistics.year_figures(db.session, 2027).events] == ["neujahr"]
