"""SPEC rule 1: the age range, counted on the event's first day in the city."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Registration
from services.ages import age_on
from tests.conftest import registration_form, submit

# The 2025 workshop: Friday 19 September 2025, 10:00 in Rostock (08:00 UTC).
EVENT_DAY = datetime(2025, 9, 19, 8, 0, tzinfo=UTC)
BEFORE_DEADLINE = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)


def born_years_before(years: int, day: date = EVENT_DAY.date()) -> date:
    return day.replace(year=day.year - years)


def stored(event_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event_id)
    )


def test_age_counts_completed_years():
    assert age_on(date(2011, 9, 19), date(2025, 9, 19)) == 14
    assert age_on(date(2011, 9, 20), date(2025, 9, 19)) == 13


def test_born_on_29_february_turns_older_on_1_march_in_common_years():
    assert age_on(date(2008, 2, 29), date(2023, 2, 28)) == 14
    assert age_on(date(2008, 2, 29), date(2023, 3, 1)) == 15


def test_born_on_29_february_turns_older_on_29_february_in_leap_years():
    assert age_on(date(2008, 2, 29), date(2024, 2, 28)) == 15
    assert age_on(date(2008, 2, 29), date(2024, 2, 29)) == 16


@pytest.fixture
def workshop(make_event):
    return make_event(starts_at=EVENT_DAY, min_age=14, max_age=18, guardian_consent_below_age=0)


def register_born(client, born: date):
    return submit(
        client,
        "/de/events/forumtheater/register",
        registration_form(date_of_birth=born.isoformat()),
    )


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(13, False), (14, True), (18, True), (19, False)],
    ids=["13-refused", "14-accepted", "18-accepted", "19-refused"],
)
def test_age_on_the_event_day_decides(client, workshop, time_machine, age, accepted):
    time_machine.move_to(BEFORE_DEADLINE, tick=False)
    response = register_born(client, born_years_before(age))
    if accepted:
        assert response.status_code == 303
        assert stored(workshop.id) == 1
    else:
        assert response.status_code == 422
        assert "14 bis 18 Jahre" in response.get_data(as_text=True)
        assert stored(workshop.id) == 0


def test_thirteen_year_old_turning_fourteen_on_the_event_day_may_register(
    client, workshop, time_machine
):
    time_machine.move_to(BEFORE_DEADLINE, tick=False)
    response = register_born(client, date(2011, 9, 19))
    assert response.status_code == 303


def test_nineteenth_birthday_on_the_event_day_is_too_old(client, workshop, time_machine):
    time_machine.move_to(BEFORE_DEADLINE, tick=False)
    response = register_born(client, date(2006, 9, 19))
    assert response.status_code == 422
    assert stored(workshop.id) == 0


def test_age_is_counted_on_the_local_first_day_not_the_utc_day(client, make_event, time_machine):
    # 00:30 in Rostock on 19 September is still 18 September in UTC.
    make_event(
        starts_at=datetime(2025, 9, 18, 22, 30, tzinfo=UTC),
        min_age=14,
        max_age=18,
        guardian_consent_below_age=0,
    )
    time_machine.move_to(BEFORE_DEADLINE, tick=False)
    response = register_born(client, date(2011, 9, 19))
    assert response.status_code == 303


def test_refused_age_message_is_in_english_on_english_pages(client, workshop, time_machine):
    time_machine.move_to(BEFORE_DEADLINE, tick=False)
    response = submit(
        client,
        "/en/events/forumtheater/register",
        registration_form(date_of_birth=born_years_before(12).isoformat()),
    )
    assert response.status_code == 422
    assert "This event is for ages 14 to 18 years" in response.get_data(as_text=True)
