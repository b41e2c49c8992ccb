"""The event list's filters: age, month, category and words, alone and
together, kept in the links, cached per address, refused clearly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from extensions import db
from models import Category
from tests.statements import statements_of_get

JAN = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
FEB = datetime(2030, 2, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def listed(make_event):
    """Three events: a German-titled one for teenagers in January in
    category "jugend", one for everybody in February, one for children."""
    youth = Category(slug="jugend")
    youth.set_text("de", name="Jugend")
    youth.set_text("en", name="Youth")
    db.session.add(youth)
    groß = make_event(slug="grosses-fest", starts_at=JAN, min_age=14, max_age=18)
    groß.set_text("de", title="Großes Sommerfest mit Jürgen", venue="Rathaus")
    groß.categories = [youth]
    make_event(slug="konzert", starts_at=FEB, min_age=None, max_age=None, title_en="Concert")
    make_event(slug="kinderfest", starts_at=JAN + timedelta(days=3), min_age=6, max_age=10)
    db.session.commit()


def slugs(client, query: str, lang: str = "de") -> list[str]:
    page = client.get(f"/{lang}/events/?{query}").get_data(as_text=True)
    return [
        slug for slug in ("grosses-fest", "konzert", "kinderfest") if f"/events/{slug}/" in page
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("age=15", ["grosses-fest", "konzert"]),
        ("age=8", ["konzert", "kinderfest"]),
        ("month=2030-01", ["grosses-fest", "kinderfest"]),
        ("month=2030-02", ["konzert"]),
        ("month=2030-03", []),
        ("category=jugend", ["grosses-fest"]),
        ("q=gross", ["grosses-fest"]),
        ("q=GROSSES+sommer", ["grosses-fest"]),
        ("q=juergen", ["grosses-fest"]),
        ("q=Jürgen", ["grosses-fest"]),
        ("q=fest+konzert", []),
        ("age=15&month=2030-01", ["grosses-fest"]),
        ("age=8&month=2030-02&q=workshop", ["konzert"]),
        ("age=15&category=jugend&month=2030-02", []),
    ],
)
def test_filters_alone_and_combined(client, listed, query, expected):
    assert slugs(client, query) == expected


def test_words_are_searched_in_the_page_language(client, listed):
    assert slugs(client, "q=concert", "en") == ["konzert"]
    assert slugs(client, "q=concert", "de") == []
    # A text missing in English is the German one there, and found as such:
    # the venues have no English names.
    assert slugs(client, "q=rostocker", "en") == ["konzert", "kinderfest"]


def test_the_filters_stay_in_the_form_and_in_the_links(client, listed, app):
    app.config["EVENTS_PER_PAGE"] = 1
    page = client.get("/de/events/?age=15&q=sommerfest").get_data(as_text=True)
    assert 'value="15"' in page and 'value="sommerfest"' in page
    assert "1 Veranstaltung gefunden." in page
    assert "page=2" not in page  # one event found: one page
    page = client.get("/de/events/?age=10").get_data(as_text=True)
    assert "2 Veranstaltungen gefunden." in page
    assert "age=10" in page.split('rel="next"')[1].split(">")[0]
    assert "archive=1&amp;age=10" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("age=abc", "Bitte geben Sie das Alter als ganze Zahl von 0 bis 120 an."),
        ("age=-3", "Bitte geben Sie das Alter als ganze Zahl von 0 bis 120 an."),
        ("age=999999999999999999999", "ganze Zahl von 0 bis 120"),
        ("month=2030-13", "Bitte geben Sie den Monat als Jahr und Monat an, z. B. 2027-01."),
        ("month=januar", "z. B. 2027-01"),
        ("category=gibtsnicht", "Diese Kategorie gibt es nicht."),
        ("q=" + "x" * 201, "höchstens 200 Zeichen"),
    ],
)
def test_a_bad_filter_is_named_never_a_server_error(client, listed, query, message):
    response = client.get(f"/de/events/?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_page_cache_keeps_each_filter_apart(client, listed, app):
    app.extensions["page_cache"].seconds = 60
    assert slugs(client, "month=2030-01") == ["grosses-fest", "kinderfest"]
    assert slugs(client, "month=2030-02") == ["konzert"]
    assert slugs(client, "month=2030-01") == ["grosses-fest", "kinderfest"]
    keys = [key[3] for key in app.extensions["page_cache"].keys()]
    assert b"month=2030-01" in keys and b"month=2030-02" in keys


def test_the_filtered_list_takes_the_same_statements_for_3_or_30_events(client, listed, make_event):
    url = "/de/events/?age=15&category=jugend&q=rathaus"
    few = statements_of_get(client, url)
    youth = db.session.get(Category, 1)
    for number in range(27):
        extra = make_event(slug=f"fest-{number}", starts_at=JAN + timedelta(hours=number))
        extra.set_text("de", title=f"Fest {number}")
        extra.categories = [youth]
    db.session.commit()
    assert statements_of_get(client, url) == few
