"""`flask seed-demo`: the 2025 Forumtheater workshop as Rostock announced it,
and an upcoming edition to try registering with; safe to run again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Event, EventStatus, EventText
from models.base import utcnow
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
    assert 'href="/de/events/forumtheater-2025/"' not in client.get("/de/events/").get_data(as_text=True)
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
