"""The venue is a text of each language, like the title: English pages,
emails and calendar files use the English one, falling back to German."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from extensions import alembic, db
from models import Event, Registration
from services import notifications
from tests.conftest import registration_form, run_worker, submit
from tests.test_admin_events import event_form

START = datetime(2026, 7, 10, 16, 0, tzinfo=UTC)
VENUE_REVISION = "1796192882"  # moves event.venue into event_text


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=START, venue="Rostocker Rathaus", venue_en="Rostock Town Hall")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def input_named(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def location(ics: bytes | str) -> str:
    [entry] = Calendar.from_ical(ics).walk("VEVENT")
    return str(entry["LOCATION"])


def test_english_pages_and_the_calendar_file_show_the_english_venue(client, workshop):
    for url in ("/en/events/", "/en/events/forumtheater/", "/en/events/forumtheater/register"):
        shown = page(client, url)
        assert "Rostock Town Hall" in shown and "Rostocker Rathaus" not in shown, url
    assert "Rostocker Rathaus" in page(client, "/de/events/forumtheater/")
    assert location(client.get("/en/events/forumtheater.ics").data) == "Rostock Town Hall"
    assert location(client.get("/de/events/forumtheater.ics").data) == "Rostocker Rathaus"


def test_emails_name_the_venue_in_the_registrants_language(app, client, smtp, workshop):
    submit(client, "/en/events/forumtheater/register", registration_form(email="kim@example.org"))
    submit(client, "/de/events/forumtheater/register", registration_form(email="lena@example.org"))
    run_worker(app)
    [english] = smtp.inbox.to("kim@example.org")
    [german] = smtp.inbox.to("lena@example.org")
    for message, venue, other in (
        (english, "Rostock Town Hall", "Rostocker Rathaus"),
        (german, "Rostocker Rathaus", "Rostock Town Hall"),
    ):
        for part in ("plain", "html"):
            body = message.get_body((part,)).get_content()
            assert venue in body and other not in body, part
    # The confirmation carries the calendar file, in the registrant's language too.
    kim = db.session.scalar(sa.select(Registration).where(Registration.email == "kim@example.org"))
    notifications.registration_confirmed(db.session, kim)
    db.session.commit()
    run_worker(app)
    [attachment] = [
        part
        for part in smtp.inbox.to("kim@example.org")[1].iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert location(attachment.get_content()) == "Rostock Town Hall"


def test_without_an_english_venue_english_pages_show_the_german_one(client, make_event):
    make_event(venue="Rostocker Rathaus, Festsaal")
    assert "Rostocker Rathaus, Festsaal" in page(client, "/en/events/forumtheater/")
    assert location(client.get("/en/events/forumtheater.ics").data) == "Rostocker Rathaus, Festsaal"


def test_the_event_form_keeps_venue_for_german_and_adds_venue_en(staff_client, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    organiser = staff_client("organiser")
    form = event_form(venue="Rostocker Rathaus", venue_en="Rostock Town Hall")
    assert submit(organiser, "/admin/events/new", form).status_code == 303
    event = db.session.scalar(sa.select(Event).where(Event.slug == "forumtheater-2026"))
    venues = (event.text("venue", "de"), event.text("venue", "en"))
    assert venues == ("Rostocker Rathaus", "Rostock Town Hall")
    edit = page(organiser, f"/admin/events/{event.id}/edit")
    assert 'value="Rostocker Rathaus"' in input_named(edit, "venue")
    assert 'value="Rostock Town Hall"' in input_named(edit, "venue_en")


def test_the_german_venue_is_required_and_the_english_one_is_not(staff_client, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    organiser = staff_client("organiser")
    form = event_form(venue="", venue_en="Rostock Town Hall")
    refused = submit(organiser, "/admin/events/new", form)
    assert refused.status_code == 422
    assert "Bitte füllen Sie dieses Feld aus." in refused.get_data(as_text=True)
    assert 'value="Rostock Town Hall"' in refused.get_data(as_text=True)  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    assert submit(organiser, "/admin/events/new", event_form(venue_en="")).status_code == 303


OLD_EVENT = sa.text(
    "INSERT INTO event (id, slug, venue, starts_at, ends_at, has_start_time, waitlist,"
    " guardian_consent_below_age, status, created_at, updated_at)"
    " VALUES (:id, 'e' || :id, :venue, :at, :at, true, false, 16, 'published', :at, :at)"
)
TEXT_ROW = sa.text("INSERT INTO event_text (event_id, lang, title) VALUES (1, :lang, 'Titel')")
TEXTS_AFTER = sa.text("SELECT event_id, lang, venue FROM event_text ORDER BY event_id, lang")
NAIVE_START = START.replace(tzinfo=None)


def test_the_migration_moves_each_venue_into_the_german_text_and_back(app):
    """Upgrading copies event.venue into the German text row (creating the row
    where an event had none); downgrading brings the German venue back."""
    before = f"{VENUE_REVISION}-1"
    alembic.downgrade(before)
    try:
        with db.engine.begin() as connection:
            for number, venue in ((1, "Rostocker Rathaus"), (2, "Kunsthalle")):
                connection.execute(OLD_EVENT, {"id": number, "venue": venue, "at": NAIVE_START})
            for lang in ("de", "en"):  # event 2 has no text row at all
                connection.execute(TEXT_ROW, {"lang": lang})
        alembic.upgrade(VENUE_REVISION)
        with db.engine.connect() as connection:
            rows = connection.execute(TEXTS_AFTER)
            assert [tuple(row) for row in rows] == [
                (1, "de", "Rostocker Rathaus"),
                (1, "en", None),
                (2, "de", "Kunsthalle"),
            ]
        alembic.downgrade(before)
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, venue FROM event ORDER BY id"))
            assert [tuple(row) for row in rows] == [(1, "Rostocker Rathaus"), (2, "Kunsthalle")]
    finally:
        alembic.upgrade()
        db.engine.dispose()
