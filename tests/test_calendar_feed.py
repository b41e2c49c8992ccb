"""The calendar feed and the event pages' JSON-LD, read back the way
calendar apps and search engines read them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from extensions import db
from models import Category, EventStatus

START = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Rostock


@pytest.fixture
def feed_events(make_event):
    youth = Category(slug="jugend")
    youth.set_text("de", name="Jugend")
    fest = make_event(slug="fest", starts_at=START, min_age=14, max_age=18)
    fest.categories = [youth]
    make_event(slug="konzert", starts_at=START + timedelta(days=30), min_age=None, max_age=None)
    make_event(slug="entwurf", starts_at=START, status=EventStatus.DRAFT)
    make_event(slug="abgesagt", starts_at=START, status=EventStatus.CANCELLED)
    make_event(slug="vorbei", starts_at=datetime.now(UTC) - timedelta(days=3))
    db.session.commit()


def feed(client, query: str = "", lang: str = "de") -> Calendar:
    response = client.get(f"/{lang}/events.ics?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def uids(calendar: Calendar) -> list[str]:
    return [str(entry["uid"]) for entry in calendar.walk("VEVENT")]


def test_the_feed_lists_upcoming_published_events_in_local_time(client, feed_events):
    calendar = feed(client)
    assert [str(e["url"]).rsplit("/", 2)[-2] for e in calendar.walk("VEVENT")] == [
        "fest",
        "konzert",
    ]
    assert str(calendar["x-published-ttl"]) == "PT6H"
    assert str(calendar["x-wr-timezone"]) == "Europe/Berlin"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    first = calendar.walk("VEVENT")[0]
    assert first["dtstart"].params["TZID"] == "Europe/Berlin"
    assert first.decoded("dtstart") == START
    assert first.decoded("dtstart").hour == 10
    assert str(first["summary"]) == "Workshop Forumtheater"
    assert str(first["url"]) == "http://partnerstadt.test/de/events/fest/"
    english = feed(client, lang="en").walk("VEVENT")[0]
    assert str(english["summary"]) == "Forum theatre workshop"


def test_uids_are_stable_and_the_same_as_the_single_event_file(client, feed_events):
    first = uids(feed(client))
    assert first == uids(feed(client, lang="en"))
    assert len(set(first)) == 2 and all(uid.startswith("event-") for uid in first)
    single = Calendar.from_ical(client.get("/de/events/fest.ics").data)
    assert uids(single)[0] == first[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("age=15", 2),
        ("age=8", 1),
        ("category=jugend", 1),
        ("month=2030-02", 1),
        ("q=workshop", 2),
        ("q=nichts", 0),
    ],
)
def test_the_feed_takes_the_list_filters(client, feed_events, query, expected):
    assert len(uids(feed(client, query))) == expected


def test_a_bad_filter_in_the_feed_is_a_400_with_the_reason(client, feed_events):
    response = client.get("/de/events.ics?month=2030-13")
    assert response.status_code == 400
    assert "2027-01" in response.get_data(as_text=True)


def test_the_event_list_links_to_the_feed_with_its_filters(client, feed_events):
    page = client.get("/de/events/?age=15").get_data(as_text=True)
    assert 'href="/de/events.ics?age=15"' in page


def json_ld(client, url: str) -> dict:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, url
    return json.loads(match.group(1))


def test_event_pages_describe_the_event_for_search_engines(client, feed_events, make_event):
    data = json_ld(client, "/de/events/fest/")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Workshop Forumtheater"
    assert datetime.fromisoformat(data["startDate"]) == START
    assert data["startDate"].endswith("+01:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"] == {
        "@type": "Place",
        "name": "Rostocker Rathaus",
        "address": "Rostocker Rathaus",
    }
    assert data["url"] == "http://partnerstadt.test/de/events/fest/"
    assert json_ld(client, "/en/events/fest/")["name"] == "Forum theatre workshop"
    cancelled = json_ld(client, "/de/events/abgesagt/")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    day_only = make_event(slug="tag", starts_at=START, has_start_time=False)
    assert json_ld(client, f"/de/events/{day_only.slug}/")["startDate"] == "2030-01-15"


def test_json_ld_cannot_be_broken_out_of(client, make_event):
    event = make_event(slug="boese")
    event.set_text("de", title="</script><script>alert(1)</script>")
    db.session.commit()
    page = client.get("/de/events/boese/").get_data(as_text=True)
    assert "</script><script>alert(1)" not in page
    assert json_ld(client, "/de/events/boese/")["name"].startswith("</script>")


def test_json_ld_names_the_address_the_price_and_the_contact(client, make_event):
    free = make_event(slug="frei")
    assert json_ld(client, "/de/events/frei/")["isAccessibleForFree"] is True
    paid = make_event(
        slug="kurs",
        venue_address="Neuer Markt 1, 18055 Rostock",
        contact_email="kurs@stadt.example",
    )
    paid.set_text("de", price="5 €")
    db.session.commit()
    data = json_ld(client, "/de/events/kurs/")
    assert data["location"]["address"] == "Neuer Markt 1, 18055 Rostock"
    assert data["isAccessibleForFree"] is False
    assert data["organizer"]["email"] == "kurs@stadt.example"
    assert "image" not in data and free.image_filename is None
