"""The site search: events, announcements and cities, one rule on both
databases (PostgreSQL full-text search, SQLite FTS5) and the same results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from extensions import db
from models import Event, EventStatus, NewsPost, NewsStatus, Relation, SearchDocument
from services import search, search_index
from tests.test_directory import make_city  # noqa: F401
from tests.test_news import make_post  # noqa: F401

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def corpus(make_event, make_post, make_city):
    fest = make_event(slug="grosses-fest", starts_at=NOW + timedelta(days=5))
    fest.set_text("de", title="Großes Straßenfest", description="Mit Jürgen Müller und Chor")
    fest.set_text("en", title="Big street party")
    make_event(slug="alt", starts_at=NOW - timedelta(days=40), title_en="Old theatre evening")
    make_event(slug="entwurf", status=EventStatus.DRAFT, title_en="Secret theatre draft")
    make_post(slug="chor", title_de="Der Chor aus Stettin singt", title_en="The choir sings")
    make_post(slug="bald", title_de="Chor kommt", published_at=NOW + timedelta(days=3))
    make_city("szczecin", "Stettin", name_en="Szczecin", description="Hafenstadt an der Oder")
    make_city("aarhus", "Århus", country="DK", relation=Relation.FRIENDSHIP)
    db.session.commit()


def found(query: str, lang: str = "de") -> dict[str, list[str]]:
    results = search.search(db.session, query, lang, NOW)
    return {
        "events": [event.slug for event in results.events],
        "news": [post.slug for post in results.news],
        "cities": [city.slug for city in results.cities],
    }


@pytest.mark.parametrize(
    ("query", "lang", "events", "news", "cities"),
    [
        ("gross", "de", ["grosses-fest"], [], []),
        ("STRASSENFEST", "de", ["grosses-fest"], [], []),
        ("juergen mueller", "de", ["grosses-fest"], [], []),
        ("Jürgen Muller", "de", ["grosses-fest"], [], []),
        ("chor", "de", ["grosses-fest"], ["chor"], []),
        ("stettin", "de", [], ["chor"], ["szczecin"]),
        ("szczecin", "en", [], [], ["szczecin"]),
        ("szczecin", "de", [], [], []),
        ("hafen", "en", [], [], ["szczecin"]),  # no English description: the German one
        ("arhus", "de", [], [], ["aarhus"]),
        ("theatre", "en", ["alt"], [], []),
        ("old theat", "en", ["alt"], [], []),
        ("forum theatre", "en", [], [], []),
        ("party", "de", [], [], []),
        ("the", "en", ["alt"], ["chor"], []),  # a stopword of English still finds its word
        ("", "de", [], [], []),
        ("!!! ???", "de", [], [], []),
        ("o'neil \"; DROP TABLE event; --", "de", [], [], []),
        ("* OR NEAR(", "de", [], [], []),
    ],
)
def test_search_finds_by_the_start_of_words_folded(corpus, query, lang, events, news, cities):
    assert found(query, lang) == {"events": events, "news": news, "cities": cities}


def test_drafts_and_unpublished_news_are_not_found(corpus):
    assert found("secret") == {"events": [], "news": [], "cities": []}
    assert "bald" not in found("kommt")["news"]


def test_the_index_follows_every_change(corpus):
    event = db.session.scalar(select(Event).where(Event.slug == "grosses-fest"))
    event.set_text("de", title="Kleines Fest")
    db.session.commit()
    assert found("gross")["events"] == []
    assert found("kleines")["events"] == ["grosses-fest"]
    db.session.delete(event)
    db.session.commit()
    assert found("kleines")["events"] == []
    assert (
        db.session.scalar(
            select(SearchDocument).where(
                SearchDocument.kind == "event", SearchDocument.record_id == event.id
            )
        )
        is None
    )


def test_the_index_can_be_rebuilt(corpus):
    db.session.execute(update(NewsPost).values(status=NewsStatus.PUBLISHED))
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    assert found("chor")["news"] == []
    assert search_index.rebuild(db.session) == 7
    db.session.commit()
    assert found("chor")["news"] == ["chor"]


def test_each_database_uses_its_own_full_text_index(corpus):
    statement = search.matching_ids(db.session, "event", ["gross"], "de")
    sql = str(statement.compile(db.engine))
    if db.engine.dialect.name == "postgresql":
        assert "@@" in sql and "to_tsquery" in sql
    else:
        assert "MATCH" in sql and "search_fts" in sql


def test_the_search_page(client, corpus):
    page = client.get("/de/search?q=stettin").get_data(as_text=True)
    assert "2 Treffer für „stettin“." in page
    assert 'href="/de/partners/szczecin/"' in page and 'href="/de/news/chor/"' in page
    page = client.get("/en/search?q=street").get_data(as_text=True)
    assert 'href="/en/events/grosses-fest/"' in page
    assert client.get("/de/search").status_code == 200
    response = client.get("/de/search?q=" + "x" * 201)
    assert response.status_code == 400
    assert "höchstens 200 Zeichen" in response.get_data(as_text=True)


def test_the_command_rebuilds_the_index(runner, corpus):
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["search-index"])
    assert result.exit_code == 0, result.output
    assert "7" in result.output
    assert found("stettin")["cities"] == ["szczecin"]


def test_any_text_typed_is_searched_without_an_error(app):
    """Whatever the visitor types (operators of either full-text syntax,
    marks, scripts, stopwords), the search answers."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @given(st.text(max_size=60))
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    def check(query: str) -> None:
        for lang in ("de", "en"):
            assert search.search(db.session, query, lang, NOW).count == 0
        db.session.rollback()

    check()
