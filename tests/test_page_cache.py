"""The cache of rendered public pages: a visitor without cookies may get a
page rendered a moment ago, but never one that a committed change, a passed
deadline or another language has made wrong; forms, staff pages and
responses that set cookies are never kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, Response
from sqlalchemy import func, select, text

from app import create_app
from blueprints.page_cache import UNSEEN_TABLES, cached_page
from extensions import db
from i18n import browser_language
from models import AuditEntry, EventStatus, Model, SiteVersion
from models.site_version import SITE
from services.localtime import to_local
from tests.conftest import RequestClient, registration_form, submit
from tests.databases import base_config
from tests.test_admin_events import event_form
from tests.test_news import post_form

EVENT_PAGE = "/de/events/forumtheater/"
CACHED_ENDPOINTS = {
    "public.home",
    "public.event_list",
    "public.event_detail",
    "public.events_ics",  # subscribed calendars ask often, and all alike
    "public.site_search",
    "partners.directory",
    "news.news_list",
}


def config(database_url: str, tmp_path, smtp) -> dict:
    return base_config(database_url) | {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "PAGE_CACHE_SECONDS": 5,
    }


@pytest.fixture
def app(database_url, smtp, tmp_path) -> Iterator[Flask]:
    """As in conftest, with the cache on and its version file of its own."""
    app = create_app(config(database_url, tmp_path, smtp))
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.rollback()
        db.engine.dispose()


def cached_paths(app: Flask) -> set[str]:
    """Path and query string of every page in the cache."""
    keys = app.extensions["page_cache"].keys()
    return {path + (f"?{query.decode()}" if query else "") for _, _, path, query, _ in keys}


def retitle_behind_the_apps_back(event, title: str) -> None:
    """Change the German title on a connection of its own, as a tool
    outside the app would: no session event, so no new content version."""
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE event_text SET title = :title WHERE event_id = :id AND lang = 'de'"),
            {"title": title, "id": event.id},
        )


def later(**delta: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(**delta)


def local_form_time(moment: datetime) -> str:
    """A time as the staff form takes it: in the city's zone, to the minute."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


# --- what is cached, and for how long -----------------------------------------


def test_only_home_event_list_event_pages_partners_and_news_are_cached(app):
    cached = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_cached_page", False)
    }
    assert cached == CACHED_ENDPOINTS


def test_a_page_is_served_from_the_cache_until_its_seconds_are_over(
    app, client, make_event, time_machine
):
    time_machine.move_to(datetime(2026, 12, 1, 10, 0, 10, tzinfo=UTC), tick=False)
    event = make_event(starts_at=later(days=30))
    assert "Workshop Forumtheater" in client.get(EVENT_PAGE).text
    retitle_behind_the_apps_back(event, "Neuer Titel")

    time_machine.shift(4)
    assert "Workshop Forumtheater" in client.get(EVENT_PAGE).text  # still the cached page
    time_machine.shift(2)
    assert "Neuer Titel" in client.get(EVENT_PAGE).text


def test_no_page_outlives_the_minute_it_was_rendered_in(app, client, make_event, time_machine):
    """Deadlines are to the minute: at 12:01:00 the page says closed, not 5 s later."""
    closes = datetime(
        2026, 12, 1, 11, 0, tzinfo=UTC
    )  # 12:00 in Rostock, the last minute that counts
    time_machine.move_to(closes + timedelta(seconds=59.5), tick=False)
    make_event(starts_at=closes + timedelta(days=7), registration_closes_at=closes)
    assert "Registration closed" not in client.get("/en/events/forumtheater/").text

    time_machine.shift(0.5)
    assert "Registration closed" in client.get("/en/events/forumtheater/").text


# --- committed changes show at once -----------------------------------------------


def test_a_registration_that_takes_a_seat_shows_at_once(app, client, make_event):
    make_event(capacity=10)
    assert "10 seats left" in client.get("/en/events/forumtheater/").text
    assert "/en/events/forumtheater/" in cached_paths(app)

    visitor = app.test_client()
    assert (
        submit(visitor, "/en/events/forumtheater/register", registration_form()).status_code == 303
    )

    assert "9 seats left" in client.get("/en/events/forumtheater/").text


def test_an_event_edited_by_staff_shows_at_once_on_every_cached_page(
    app, client, make_event, staff_client
):
    starts = later(days=40)
    event = make_event(starts_at=starts)
    for path in ("/de/", "/de/events/", EVENT_PAGE):
        assert "Workshop Forumtheater" in client.get(path).text
    admin = staff_client("admin")
    form = event_form(
        slug="forumtheater",
        title_de="Forumtheater im Rathaus",
        starts_at=local_form_time(starts),
        ends_at=local_form_time(starts + timedelta(hours=3)),
        registration_closes_at="",
    )
    assert submit(admin, f"/admin/events/{event.id}/edit", form).status_code == 303

    for path in ("/de/", "/de/events/", EVENT_PAGE):
        assert "Forumtheater im Rathaus" in client.get(path).text, path


def test_a_news_post_shows_at_once_when_it_is_published(app, client, staff_client):
    for path in ("/de/news/", "/de/"):
        assert "Rostock - Raleigh" not in client.get(path).text
    assert {"/de/news/", "/de/"} <= cached_paths(app)

    editor = staff_client("editor")
    assert submit(editor, "/admin/news/new", post_form()).status_code == 303

    assert "Rostock - Raleigh" in client.get("/de/news/").text
    assert "Rostock - Raleigh" in client.get("/de/").text


def test_a_change_committed_by_another_process_shows_at_once(
    app, client, make_event, database_url, tmp_path, smtp
):
    """Another gunicorn worker, or the mail worker expiring a registration."""
    event = make_event()
    assert "Workshop Forumtheater" in client.get(EVENT_PAGE).text
    other = create_app(config(database_url, tmp_path, smtp))
    with other.app_context():
        db.session.execute(
            text("UPDATE event SET status = :cancelled WHERE id = :id"),
            {"cancelled": EventStatus.CANCELLED.value, "id": event.id},
        )
        db.session.commit()
        db.engine.dispose()

    assert "Abgesagt" in client.get(EVENT_PAGE).text


# --- what must not mix, and what is never kept -------------------------------------


def test_languages_and_query_strings_are_cached_apart(app, client, make_event):
    make_event(slug="kommend", starts_at=later(days=10), title_en="Coming up")
    make_event(slug="vorbei", starts_at=later(days=-10), title_en="Gone by")
    german, english = client.get("/de/events/").text, client.get("/en/events/").text
    archive = client.get("/en/events/?archive=1").text
    for _ in range(2):  # the second time from the cache
        assert "Workshop Forumtheater" in client.get("/de/events/").text
        assert (
            "Coming up" in client.get("/en/events/").text
            and "Gone by" not in client.get("/en/events/").text
        )
        assert "Gone by" in client.get("/en/events/?archive=1").text
    assert (german, english, archive) == (
        client.get("/de/events/").text,
        client.get("/en/events/").text,
        client.get("/en/events/?archive=1").text,
    )
    assert {"/de/events/", "/en/events/", "/en/events/?archive=1"} <= cached_paths(app)


def test_the_registration_form_and_staff_pages_are_never_cached(
    app, client, make_event, staff_client
):
    make_event()
    form = client.get("/de/events/forumtheater/register")
    assert form.status_code == 200 and "csrf_token" in form.text
    admin = staff_client("admin")
    for path in ("/admin/", "/admin/events/", EVENT_PAGE):
        assert admin.get(path).status_code == 200
    assert app.test_client().get("/admin/events/").status_code in (302, 303)

    assert not any("register" in path or path.startswith("/admin") for path in cached_paths(app))
    assert EVENT_PAGE not in cached_paths(app)  # the admin's request carried a cookie


def test_a_response_that_sets_a_cookie_is_not_kept(app, client, make_event):
    @app.after_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie("seen", "1")
        return response

    make_event()
    response = client.get(EVENT_PAGE)
    assert response.status_code == 200 and "seen=1" in response.headers["Set-Cookie"]
    assert EVENT_PAGE not in cached_paths(app)


def test_a_page_that_follows_the_browsers_language_is_not_kept(app, client):
    """The key holds the URL's language: a page chosen by Accept-Language
    would be served to the next visitor whatever their browser says."""

    @cached_page
    def negotiated() -> str:
        return browser_language()

    app.add_url_rule("/negotiated", "negotiated", negotiated)
    assert client.get("/negotiated", headers={"Accept-Language": "en"}).text == "en"
    assert client.get("/negotiated", headers={"Accept-Language": "de"}).text == "de"
    assert "/negotiated" not in cached_paths(app)


def test_error_pages_are_not_kept(app, client):
    assert client.get("/de/events/unbekannt/").status_code == 404
    assert cached_paths(app) == set()


def test_query_strings_cannot_grow_the_cache_beyond_its_budget(app, client):
    cache = app.extensions["page_cache"]
    cache.max_bytes = 3 * len(client.get("/de/news/?n=0").data)
    for n in range(1, 10):
        client.get(f"/de/news/?n={n}")
    assert cached_paths(app) == {"/de/news/?n=7", "/de/news/?n=8", "/de/news/?n=9"}


def test_a_cache_of_zero_seconds_keeps_nothing(database_url, tmp_path, smtp):
    app = create_app(config(database_url, tmp_path, smtp) | {"PAGE_CACHE_SECONDS": 0})
    app.test_client().get("/de/partners/")
    assert not app.extensions["page_cache"].keys()
    with app.app_context():
        db.engine.dispose()


# --- the content version in the database ----------------------------------------


def content_version() -> int:
    db.session.rollback()
    return db.session.scalar(select(SiteVersion.counter).where(SiteVersion.id == SITE)) or 0


def test_the_content_version_rises_with_each_committed_content_change_only(app, make_event):
    make_event(slug="eins")
    before = content_version()
    event = make_event()
    assert content_version() == before + 1

    event.capacity = 99
    db.session.flush()
    db.session.rollback()
    assert content_version() == before + 1  # nothing committed, nothing raised

    db.session.add(AuditEntry(action="event.update", actor_email="admin@example.org"))
    db.session.commit()
    assert content_version() == before + 1  # the audit log is on no public page


def test_reading_the_version_sees_each_commit_and_leaves_the_connection_as_it_was(app, make_event):
    """The read takes a pooled connection of its own, outside any
    transaction; the connections the sessions get afterwards still begin one."""
    version = app.extensions["page_cache"].version
    make_event(slug="eins")  # the row exists (a missing one is made anew, further up)
    before = version.current(db.engine)
    make_event()
    assert version.current(db.engine) == before + 1
    pooled = db.engine.raw_connection()
    try:
        assert getattr(pooled.driver_connection, "autocommit", False) is False
    finally:
        pooled.close()
    db.session.add(AuditEntry(action="event.update", actor_email="admin@example.org"))
    db.session.rollback()  # a transaction that can be rolled back: nothing stays
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_missing_version_row_comes_back_with_the_next_change(app, make_event):
    make_event(slug="eins")
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM site_version"))
    assert content_version() == 0
    make_event()
    assert content_version() > 2**40  # not 1 again: a page kept under 1 must not match it


def test_the_seconds_are_read_from_the_environment(database_url, monkeypatch):
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "30")
    app = create_app(base_config(database_url))
    assert app.extensions["page_cache"].seconds == 30
    with app.app_context():
        db.engine.dispose()
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "-1")
    with pytest.raises(ValueError, match="PAGE_CACHE_SECONDS must not be negative"):
        create_app(base_config(database_url))


# Tables whose rows public pages show: a change to one of them must reach
# every cached page at once. Every other table is in UNSEEN_TABLES.
CONTENT_TABLES = {
    "event",
    "event_text",
    "event_organiser",
    "event_category",
    "category",
    "category_text",
    "registration",
    "news_post",
    "news_text",
    "city",
    "city_text",
    "network",
    "network_text",
    "network_member",
    "search_document",
}


def test_every_table_is_known_to_change_public_pages_or_not():
    """A new table must be sorted in: either its changes raise the content
    version, or it is named in UNSEEN_TABLES (and then must not show on a
    cached page)."""
    tables = set(Model.metadata.tables)
    assert tables - CONTENT_TABLES - UNSEEN_TABLES == set()
    assert CONTENT_TABLES & UNSEEN_TABLES == set()
