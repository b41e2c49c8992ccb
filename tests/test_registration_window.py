"""SPEC rule 2: the registration window, inclusive, in the city's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Registration
from services.localtime import end_of_day, from_local
from tests.conftest import csrf_token, registration_form, submit

URL = "/de/events/forumtheater/register"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


def test_bis_zum_means_2359_local_time_in_summer(app):
    # Berlin is UTC+2 in September.
    assert end_of_day(date(2025, 9, 12)) == datetime(2025, 9, 12, 21, 59, tzinfo=UTC)


def test_bis_zum_means_2359_local_time_in_winter(app):
    # Berlin is UTC+1 in December.
    assert end_of_day(date(2025, 12, 12)) == datetime(2025, 12, 12, 22, 59, tzinfo=UTC)


def test_deadline_on_the_last_sunday_of_october_uses_winter_time(app):
    # Summer time ends at 03:00 on 26 October 2025; by 23:59 Berlin is UTC+1.
    assert end_of_day(date(2025, 10, 26)) == datetime(2025, 10, 26, 22, 59, tzinfo=UTC)


def test_the_hour_that_happens_twice_means_the_summer_time_one(app):
    assert from_local(datetime(2025, 10, 26, 2, 30)) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("deadline", "last_open_moment", "first_closed_moment"),
    [
        (
            date(2025, 9, 12),
            datetime(2025, 9, 12, 21, 59, 59, tzinfo=UTC),
            datetime(2025, 9, 12, 22, 0, tzinfo=UTC),
        ),
        (
            date(2025, 12, 12),
            datetime(2025, 12, 12, 22, 59, 59, tzinfo=UTC),
            datetime(2025, 12, 12, 23, 0, tzinfo=UTC),
        ),
        (
            date(2025, 10, 26),
            datetime(2025, 10, 26, 22, 59, 59, tzinfo=UTC),
            datetime(2025, 10, 26, 23, 0, tzinfo=UTC),
        ),
    ],
    ids=["summer", "winter", "last-sunday-of-october"],
)
def test_deadline_is_open_through_2359_and_closed_one_minute_later(
    client, make_event, time_machine, deadline, last_open_moment, first_closed_moment
):
    make_event(
        starts_at=datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        registration_closes_at=end_of_day(deadline),
        guardian_consent_below_age=0,
    )
    time_machine.move_to(last_open_moment, tick=False)
    token = csrf_token(client, URL)
    assert submit(client, URL, registration_form(), token).status_code == 303
    assert count() == 1

    time_machine.move_to(first_closed_moment, tick=False)
    response = submit(client, URL, registration_form(email="late@example.org"), token)
    assert response.status_code == 409
    assert "Die Anmeldung für diese Veranstaltung ist geschlossen." in response.get_data(
        as_text=True
    )
    assert count() == 1


def test_closed_event_page_says_registration_is_closed(client, make_event, time_machine):
    make_event(
        starts_at=datetime(2025, 9, 19, 8, 0, tzinfo=UTC),
        registration_closes_at=end_of_day(date(2025, 9, 12)),
    )
    time_machine.move_to(datetime(2025, 9, 13, 8, 0, tzinfo=UTC), tick=False)
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "Anmeldung geschlossen" in page
    assert "/de/events/forumtheater/register" not in page


def test_registration_before_it_opens_is_refused_and_the_page_says_when(
    client, make_event, time_machine
):
    opens = from_local(datetime(2025, 8, 1, 9, 0))
    make_event(
        starts_at=datetime(2025, 9, 19, 8, 0, tzinfo=UTC),
        registration_opens_at=opens,
        guardian_consent_below_age=0,
    )
    make_event(slug="open-now", starts_at=datetime(2025, 9, 19, 8, 0, tzinfo=UTC))
    time_machine.move_to(datetime(2025, 8, 1, 6, 59, tzinfo=UTC), tick=False)
    token = csrf_token(client, "/de/events/open-now/register")  # the session's token
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "1. August 2025, 09:00 Uhr" in page
    response = submit(client, URL, registration_form(), token)
    assert response.status_code == 409
    assert count() == 0

    time_machine.move_to(opens, tick=False)
    assert submit(client, URL, registration_form()).status_code == 303
    assert count() == 1


def test_without_a_deadline_registration_closes_when_the_event_starts(
    client, make_event, time_machine
):
    make_event(starts_at=datetime(2025, 9, 19, 8, 0, tzinfo=UTC), guardian_consent_below_age=0)
    time_machine.move_to(datetime(2025, 9, 19, 7, 59, tzinfo=UTC), tick=False)
    token = csrf_token(client, URL)
    time_machine.move_to(datetime(2025, 9, 19, 8, 0, tzinfo=UTC), tick=False)
    assert submit(client, URL, registration_form(), token).status_code == 409
    assert count() == 0
