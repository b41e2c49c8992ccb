"""`flask seed-demo`: the 2025 Forumtheater workshop as Rostock announced it,
and an upcoming edition to try registering with; safe to run again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Event, EventStatus, EventText
from models.base import utcnow
from services.demo import public_holidays, upcoming_dates
from services.localtime import local_date
from services.registration import Window, window


def seed(runner, *args: str):
    result = runner.invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result


def event(slug: str) -> Event:
    found = db.session.scalar(select(Event).where(Event.slug == slug))
    assert found is not None, f"no event {slug!r}"
    return found


def slugs() -> list[str]:
    return sorted(db.session.scalars(select(Event.slug)))


def test_seed_creates_the_2025_workshop_as_announced(runner):
    seed(runner)
    workshop = event("forumtheater-2025")
    assert workshop.status is EventStatus.PUBLISHED
    assert local_date(workshop.starts_at) == date(2025, 9, 19)
    assert local_date(workshop.ends_at) == date(2025, 9, 19)
    assert workshop.registration_closes_at == datetime(2025, 9, 12, 21, 59, tzinfo=UTC)
    assert (workshop.min_age, workshop.max_age) == (14, 18)
    venues = (workshop.text("venue", "de"), workshop.text("venue", "en"))
    assert venues == ("Rostocker Rathaus", "Rostock Town Hall")


def test_the_2025_workshop_is_in_the_archive_not_among_upcoming_events(runner, client):
    seed(runner)
    archive = client.get("/de/events/?archive=1").get_data(as_text=True)
    assert 'href="/de/events/forumtheater-2025/"' in archive
    assert 'href="/de/events/forumtheater-2025/"' not in client.get("/de/events/").get_data(
        as_text=True
    )
    page = client.get("/de/events/forumtheater-2025/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Freitag, 19. September 2025" in html
    assert "12. September 2025, 23:59 Uhr" in html
    assert "Rostocker Rathaus" in html
    assert "14 bis 18 Jahre" in html
    assert "/de/events/forumtheater-2025/register" not in html


def test_seed_creates_an_upcoming_edition_open_for_registration(runner, client):
    seed(runner)
    upcoming = event("forumtheater")
    now = utcnow()
    assert upcoming.status is EventStatus.PUBLISHED
    assert upcoming.starts_at > now
    assert window(upcoming, now) is Window.OPEN
    assert (upcoming.min_age, upcoming.max_age) == (14, 18)
    assert upcoming.text("venue", "de") == "Rostocker Rathaus"
    home = client.get("/de/").get_data(as_text=True)
    assert 'href="/de/events/forumtheater/"' in home
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert 'href="/de/events/forumtheater/register"' in page
    form = client.get("/de/events/forumtheater/register")
    assert form.status_code == 200
    assert 'name="first_name"' in form.get_data(as_text=True)


def test_seed_twice_adds_nothing(runner):
    first = seed(runner)
    assert "forumtheater-2025" in first.output
    counts = (
        db.session.scalar(select(func.count()).select_from(Event)),
        db.session.scalar(select(func.count()).select_from(EventText)),
    )
    second = seed(runner)
    db.session.expire_all()
    assert slugs() == ["forumtheater", "forumtheater-2025"]
    assert counts == (2, 4)
    assert (
        db.session.scalar(select(func.count()).select_from(Event)),
        db.session.scalar(select(func.count()).select_from(EventText)),
    ) == counts
    assert "forumtheater-2025" not in second.output


def test_seed_if_empty_leaves_a_database_with_events_alone(runner, make_event):
    make_event(slug="sommerfest")
    result = seed(runner, "--if-empty")
    assert slugs() == ["sommerfest"]
    assert "nothing seeded" in result.output


def test_seed_if_empty_seeds_an_empty_database(runner):
    seed(runner, "--if-empty")
    assert slugs() == ["forumtheater", "forumtheater-2025"]


def test_seed_keeps_an_existing_event_with_a_demo_slug(runner, make_event):
    make_event(slug="forumtheater", venue="Eigene Veranstaltung")
    seed(runner)
    assert slugs() == ["forumtheater", "forumtheater-2025"]
    assert event("forumtheater").text("venue", "de") == "Eigene Veranstaltung"


@pytest.mark.parametrize("slug", ["forumtheater-2025", "forumtheater"])
def test_seed_texts_come_from_the_citys_page_in_both_languages(runner, client, slug):
    seed(runner)
    seeded = event(slug)
    german = seeded.text("description", "de")
    assert "Augusto Boal" in german
    assert "hmt Rostock" in german
    assert seeded.text("title", "de") == "Workshop Forumtheater"
    assert "en" in seeded.texts
    assert seeded.texts["en"].title == "Forum theatre workshop"
    assert seeded.texts["en"].description and "Augusto Boal" in seeded.texts["en"].description
    assert seeded.texts["en"].description != german
    english = client.get(f"/en/events/{slug}/").get_data(as_text=True)
    assert "<h1>Forum theatre workshop</h1>" in english
    assert "Theatre of the Oppressed" in english


def test_the_2025_workshop_text_is_the_first_edition_for_the_day_of_peace(runner):
    seed(runner)
    german = event("forumtheater-2025").text("description", "de")
    assert "Internationalen Tag des Friedens" in german
    assert "19.09.2025" in german
    assert "12.09.2025" in german


# --- the upcoming edition's day -----------------------------------------------

HOLIDAY_CASES = [  # today, state, the workshop's day, the registration deadline
    pytest.param(date(2026, 12, 2), "MV", date(2027, 1, 8), date(2026, 12, 31), id="christmas"),
    pytest.param(date(2027, 3, 5), "MV", date(2027, 4, 2), date(2027, 3, 25), id="good-friday"),
    pytest.param(date(2031, 9, 12), "NI", date(2031, 10, 10), date(2031, 10, 2), id="3-october"),
    pytest.param(date(2031, 10, 10), "NI", date(2031, 11, 7), date(2031, 10, 30), id="reformation"),
    pytest.param(date(2030, 2, 15), "MV", date(2030, 3, 15), date(2030, 3, 7), id="mv-8-march"),
    pytest.param(date(2030, 2, 15), "NI", date(2030, 3, 8), date(2030, 3, 1), id="ni-8-march"),
]


@pytest.mark.parametrize(("today", "state", "day", "deadline"), HOLIDAY_CASES)
def test_the_upcoming_edition_and_its_deadline_avoid_the_states_public_holidays(
    today, state, day, deadline
):
    assert upcoming_dates(today, state) == (day, deadline)


@pytest.mark.parametrize("state", ["MV", "NI"])
def test_every_day_of_four_years_gives_the_first_free_friday_three_weeks_ahead(state):
    closed = public_holidays(state, *range(2025, 2030))
    today = date(2025, 1, 1)
    while today.year < 2029:
        day, deadline = upcoming_dates(today, state)
        assert day.weekday() == 4 and day not in closed and day - today >= timedelta(days=21)
        earlier = day - timedelta(days=7)
        assert earlier - today < timedelta(days=21) or earlier in closed, (today, day)
        assert deadline.weekday() < 5 and deadline not in closed, (today, deadline)
        assert today < deadline <= day - timedelta(days=7)
        today += timedelta(days=1)


def test_seed_demo_in_december_puts_the_workshop_after_christmas_and_new_year(
    runner, client, time_machine
):
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False)
    seed(runner)
    upcoming = event("forumtheater")
    assert local_date(upcoming.starts_at) == date(2027, 1, 8)
    assert upcoming.registration_closes_at == datetime(2026, 12, 31, 22, 59, tzinfo=UTC)
    assert "31.12.2026" in upcoming.text("description", "de")
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "Freitag, 8. Januar 2027" in page
    assert 'href="/de/events/forumtheater/register"' in page
