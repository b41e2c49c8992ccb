"""Public pages: the language redirect, home, event list and archive, event
page, calendar file, health checks, legal pages and escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from app import create_app
from extensions import db
from models import EventStatus
from tests.databases import base_config

# A summer evening in Rostock: 18:00–21:00 local time (UTC+2).
SUMMER_START = datetime(2026, 7, 10, 16, 0, tzinfo=UTC)
BEFORE_SUMMER = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def titled(event, de: str, en: str | None = None):
    """Give an event its own title (make_event gives every event the same one)."""
    event.set_text("de", title=de)
    if en:
        event.set_text("en", title=en)
    db.session.commit()
    return event


def event_links(html: str, lang: str = "de") -> list[str]:
    """The slugs of the events a page links to, in page order."""
    return re.findall(rf'href="/{lang}/events/([^/"?]+)/"', html)


def later(days: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


# --- language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        (None, "de"),
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-US,en;q=0.9", "en"),
        ("en-GB", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "en"),
        ("fr-FR,fr;q=0.9", "de"),
        ("pl", "de"),
    ],
    ids=["none", "german", "american", "british", "french-then-english", "french-only", "polish"],
)
def test_root_redirects_by_browser_language_with_german_as_default(client, accept_language, lang):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/", headers=headers)
    assert response.status_code in (302, 303, 307)
    assert urlsplit(response.location).path == f"/{lang}/"
    assert client.get(response.location).status_code == 200


@pytest.mark.parametrize("path", ["/fr/", "/fr/events/", "/xx/events/forumtheater/", "/DE/"])
def test_unknown_language_prefix_is_a_friendly_404_page(client, make_event, path):
    make_event()
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Seite nicht gefunden" in html
    assert 'href="/de/"' in html  # a way back home
    assert "Traceback" not in html


def test_404_page_is_english_for_an_english_browser(client):
    response = client.get("/fr/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


# --- home and lists ----------------------------------------------------------


def test_home_lists_upcoming_published_events_but_no_drafts_or_past_ones(client, make_event):
    make_event(slug="sommerfest", starts_at=later(10))
    make_event(slug="geheimer-entwurf", starts_at=later(5), status=EventStatus.DRAFT)
    make_event(slug="vorbei", starts_at=later(-10))
    response = client.get("/de/")
    assert response.status_code == 200
    assert event_links(response.get_data(as_text=True)) == ["sommerfest"]


def test_home_says_so_when_nothing_is_planned(client, make_event):
    make_event(slug="vorbei", starts_at=later(-10))
    html = client.get("/de/").get_data(as_text=True)
    assert "Zurzeit sind keine Veranstaltungen geplant." in html
    assert event_links(html) == []


def test_an_event_that_is_running_now_is_still_upcoming(client, make_event):
    make_event(slug="laeuft-gerade", starts_at=later(-1 / 24))  # began an hour ago, ends in two
    assert event_links(client.get("/de/events/").get_data(as_text=True)) == ["laeuft-gerade"]


def test_event_list_shows_upcoming_soonest_first_and_no_drafts(client, make_event):
    make_event(slug="spaeter", starts_at=later(20))
    make_event(slug="bald", starts_at=later(3))
    make_event(slug="entwurf", starts_at=later(4), status=EventStatus.DRAFT)
    make_event(slug="vorbei", starts_at=later(-3))
    make_event(slug="abgesagt", starts_at=later(6), status=EventStatus.CANCELLED)
    html = client.get("/de/events/").get_data(as_text=True)
    assert event_links(html) == ["bald", "abgesagt", "spaeter"]
    assert 'href="/de/events/?archive=1"' in html


def test_archive_lists_past_events_latest_first(client, make_event):
    make_event(slug="vor-einem-jahr", starts_at=later(-365))
    make_event(slug="letzte-woche", starts_at=later(-7))
    make_event(slug="letzter-monat", starts_at=later(-30))
    make_event(slug="entwurf-vorbei", starts_at=later(-2), status=EventStatus.DRAFT)
    make_event(slug="kommt-noch", starts_at=later(7))
    response = client.get("/de/events/?archive=1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Vergangene Veranstaltungen" in html
    assert event_links(html) == ["letzte-woche", "letzter-monat", "vor-einem-jahr"]


def test_event_list_is_paginated_with_a_next_page_link(app, client, make_event):
    assert app.config["EVENTS_PER_PAGE"] == 20
    for number in range(1, 22):
        make_event(slug=f"termin-{number:02d}", starts_at=later(number))
    first = client.get("/de/events/").get_data(as_text=True)
    assert event_links(first) == [f"termin-{n:02d}" for n in range(1, 21)]
    assert re.search(r'<a rel="next" href="/de/events/\?page=2">Nächste Seite</a>', first)
    assert 'rel="prev"' not in first
    assert "Seite 1 von 2" in first
    second = client.get("/de/events/?page=2").get_data(as_text=True)
    assert event_links(second) == ["termin-21"]
    assert 'rel="prev" href="/de/events/?page=1"' in second
    assert 'rel="next"' not in second


def test_archive_pagination_keeps_the_archive(client, make_event):
    for number in range(1, 22):
        make_event(slug=f"alt-{number:02d}", starts_at=later(-number))
    first = client.get("/de/events/?archive=1").get_data(as_text=True)
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert next_link
    second = client.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert event_links(second) == ["alt-21"]


@pytest.mark.parametrize("page", ["0", "-3", "abc", "", "1.5"])
def test_odd_page_numbers_show_the_first_page(client, make_event, page):
    make_event(slug="bald", starts_at=later(3))
    response = client.get(f"/de/events/?page={page}")
    assert response.status_code == 200
    assert event_links(response.get_data(as_text=True)) == ["bald"]


@pytest.mark.parametrize("page", ["2", "999999", str(2**63), str(10**30)])
def test_a_page_beyond_the_last_is_no_server_error(client, make_event, page):
    make_event(slug="bald", starts_at=later(3))
    response = client.get(f"/de/events/?page={page}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:  # the last page, or an empty one
        assert event_links(response.get_data(as_text=True)) in ([], ["bald"])


# --- the event page ----------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "local_times", "day"),
    [
        (SUMMER_START, "18:00–21:00 Uhr", "Freitag, 10. Juli 2026"),
        (
            datetime(2026, 12, 10, 16, 0, tzinfo=UTC),
            "17:00–20:00 Uhr",
            "Donnerstag, 10. Dezember 2026",
        ),
        (datetime(2026, 7, 10, 22, 30, tzinfo=UTC), "00:30–03:30 Uhr", "Samstag, 11. Juli 2026"),
    ],
    ids=["summer", "winter", "after-midnight-in-berlin"],
)
def test_event_page_shows_berlin_time_venue_and_age_range(
    client, make_event, time_machine, starts_at, local_times, day
):
    time_machine.move_to(BEFORE_SUMMER, tick=False)
    make_event(starts_at=starts_at, venue="Rostocker Rathaus, Festsaal", min_age=14, max_age=18)
    response = client.get("/de/events/forumtheater/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"{day}, {local_times}" in html
    assert f"{starts_at:%H:%M}–" not in html  # not the UTC time
    assert "Rostocker Rathaus, Festsaal" in html
    assert "14 bis 18 Jahre" in html


def test_event_page_shows_the_deadline_in_berlin_time(client, make_event, time_machine):
    time_machine.move_to(BEFORE_SUMMER, tick=False)
    make_event(
        starts_at=SUMMER_START, registration_closes_at=datetime(2026, 7, 3, 21, 59, tzinfo=UTC)
    )
    html = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "3. Juli 2026, 23:59 Uhr" in html


def test_english_event_page_uses_the_english_title(client, make_event):
    make_event(title_en="Forum theatre workshop")
    html = client.get("/en/events/forumtheater/").get_data(as_text=True)
    assert "<h1>Forum theatre workshop</h1>" in html
    assert "14 to 18 years" in html


def test_english_event_page_falls_back_to_the_german_title(client, make_event):
    make_event(title_en=None)
    response = client.get("/en/events/forumtheater/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Workshop Forumtheater</h1>" in html
    assert '<html lang="en">' in html
    assert "14 to 18 years" in html  # the page around it is English


def test_cancelled_event_page_says_so_and_offers_no_registration(client, make_event):
    make_event(status=EventStatus.CANCELLED)
    response = client.get("/de/events/forumtheater/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Diese Veranstaltung wurde abgesagt." in html
    assert "/de/events/forumtheater/register" not in html
    assert "Jetzt anmelden" not in html


def test_published_event_page_offers_registration(client, make_event):
    """The counterpart of the cancelled page: the link is there when open."""
    make_event()
    html = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert 'href="/de/events/forumtheater/register"' in html
    assert "abgesagt" not in html


def test_draft_event_page_and_calendar_file_are_404(client, make_event):
    make_event(status=EventStatus.DRAFT)
    assert client.get("/de/events/forumtheater/").status_code == 404
    assert client.get("/de/events/forumtheater.ics").status_code == 404


# --- calendar file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "summary"), [("de", "Workshop Forumtheater"), ("en", "Forum theatre workshop")]
)
def test_ics_file_has_the_utc_start_and_a_summary_in_the_pages_language(
    client, make_event, lang, summary
):
    make_event(starts_at=SUMMER_START)
    response = client.get(f"/{lang}/events/forumtheater.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == SUMMER_START
    assert entry.decoded("dtstart").utcoffset() == timedelta(0)
    assert entry.decoded("dtend") == SUMMER_START + timedelta(hours=3)
    assert str(entry["summary"]) == summary
    assert str(entry["location"]) == "Rostocker Rathaus"


def test_ics_summary_falls_back_to_german(client, make_event):
    make_event(title_en=None)
    calendar = Calendar.from_ical(client.get("/en/events/forumtheater.ics").data)
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Workshop Forumtheater"


def test_ics_of_a_cancelled_event_says_cancelled(client, make_event):
    make_event(status=EventStatus.CANCELLED)
    calendar = Calendar.from_ical(client.get("/de/events/forumtheater.ics").data)
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_event_page_links_its_calendar_file(client, make_event):
    make_event()
    assert 'href="/de/events/forumtheater.ics"' in client.get("/de/events/forumtheater/").get_data(
        as_text=True
    )


# --- health ------------------------------------------------------------------


def test_healthz_answers_ok_while_readyz_reports_an_unreachable_database():
    app = create_app(base_config("postgresql://postgres@127.0.0.1:1/nowhere"))
    client = app.test_client()
    health = client.get("/healthz")
    assert (health.status_code, health.get_data(as_text=True)) == (200, "ok")
    assert client.get("/readyz").status_code == 503
    with app.app_context():
        db.engine.dispose()


def test_readyz_answers_200_on_a_working_database(client):
    response = client.get("/readyz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")
    assert client.get("/healthz").get_data(as_text=True) == "ok"


# --- every page --------------------------------------------------------------

PAGES = [
    "/{lang}/",
    "/{lang}/events/",
    "/{lang}/events/?archive=1",
    "/{lang}/events/forumtheater/",
    "/{lang}/events/forumtheater/register",
    "/{lang}/events/forumtheater/register/done",
    "/{lang}/privacy",
    "/{lang}/imprint",
    "/{lang}/accessibility",
    "/{lang}/events/gibt-es-nicht/",
]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_page_links_privacy_imprint_and_accessibility(client, make_event, lang):
    make_event()
    for page in PAGES:
        url = page.format(lang=lang)
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.get_data(as_text=True)
        for legal in ("privacy", "imprint", "accessibility"):
            assert f'href="/{lang}/{legal}"' in html, (url, legal)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/de/privacy", "Datenschutzhinweise"),
        ("/de/imprint", "Impressum"),
        ("/de/accessibility", "Erklärung zur Barrierefreiheit"),
        ("/en/privacy", "Privacy notice"),
        ("/en/imprint", "Imprint"),
        ("/en/accessibility", "Accessibility statement"),
    ],
)
def test_legal_pages_answer_in_both_languages(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "other"), [("de", "en"), ("en", "de")])
def test_language_switch_on_an_event_page_points_at_the_same_event(client, make_event, lang, other):
    make_event()
    html = client.get(f"/{lang}/events/forumtheater/").get_data(as_text=True)
    switch = re.search(rf'<a href="([^"]+)" hreflang="{other}"', html)
    assert switch
    assert switch.group(1) == f"/{other}/events/forumtheater/"
    assert client.get(switch.group(1)).status_code == 200


def test_language_switch_on_the_archive_keeps_the_archive(client):
    html = client.get("/de/events/?archive=1").get_data(as_text=True)
    switch = re.search(r'<a href="([^"]+)" hreflang="en"', html)
    assert switch
    assert switch.group(1).replace("&amp;", "&") == "/en/events/?archive=1"


# --- escaping ----------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    "path", ["/de/events/forumtheater/", "/de/events/", "/de/", "/de/events/forumtheater/register"]
)
def test_event_title_with_html_is_escaped(client, make_event, path):
    titled(make_event(venue='Rathaus "<b>Saal</b>"'), SCRIPT)
    html = client.get(path).get_data(as_text=True)
    assert ESCAPED in html
    assert SCRIPT not in html
    assert "<b>Saal</b>" not in html
