"""Who is served from the page cache: a visitor whose cookies change nothing
on a public page (none at all, a form's session with its CSRF token only,
another site's cookie) gets the kept page, and the page rendered for them
is kept; a signed-in staff member, a visitor with a message to show and a
remember cookie get a page rendered for them, which is never kept."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.test_page_cache import (  # noqa: F401 (app: the fixture with the cache on)
    EVENT_PAGE,
    app,
    cached_paths,
    retitle_behind_the_apps_back,
)


def visitor_who_opened_the_form(app) -> FlaskClient:
    visitor = app.test_client()
    assert visitor.get(f"{EVENT_PAGE}register").status_code == 200
    assert visitor.get_cookie("session") is not None  # holds the form's CSRF token
    return visitor


def keep_the_event_page_then_retitle_it(client: FlaskClient, make_event) -> None:
    """The event page kept for visitors, then the event retitled behind the
    app's back: whoever gets the kept page still reads the old title."""
    event = make_event()
    assert "Workshop Forumtheater" in client.get(EVENT_PAGE).text
    retitle_behind_the_apps_back(event, "Neuer Titel")


def test_a_visitor_who_opened_a_form_gets_the_kept_page(app, client, make_event):
    keep_the_event_page_then_retitle_it(client, make_event)
    visitor = visitor_who_opened_the_form(app)
    page = visitor.get(EVENT_PAGE)
    assert page.status_code == 200 and "Workshop Forumtheater" in page.text
    assert "Set-Cookie" not in page.headers


def test_the_page_rendered_for_a_visitor_who_opened_a_form_is_kept_for_everyone(
    app, client, make_event
):
    event = make_event()
    visitor = visitor_who_opened_the_form(app)
    assert "Workshop Forumtheater" in visitor.get(EVENT_PAGE).text
    assert EVENT_PAGE in cached_paths(app)
    retitle_behind_the_apps_back(event, "Neuer Titel")
    page = client.get(EVENT_PAGE)
    assert "Workshop Forumtheater" in page.text and "csrf_token" not in page.text


def test_a_page_rendered_for_staff_or_with_a_message_is_not_kept(app, make_event, staff_client):
    make_event()
    assert staff_client("admin").get(EVENT_PAGE).status_code == 200
    visitor = visitor_who_opened_the_form(app)
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Eine Nachricht für Sie")]
    assert "Eine Nachricht für Sie" in visitor.get(EVENT_PAGE).text
    assert EVENT_PAGE not in cached_paths(app)


def test_another_sites_cookie_changes_nothing(app, client, make_event):
    keep_the_event_page_then_retitle_it(client, make_event)
    other = app.test_client()
    other.set_cookie("consent", "statistics=no")
    assert "Workshop Forumtheater" in other.get(EVENT_PAGE).text


def test_a_signed_in_staff_member_gets_a_page_rendered_for_them(
    app, client, make_event, staff_client
):
    admin = staff_client("admin")  # before: the test's own session writes the account
    keep_the_event_page_then_retitle_it(client, make_event)
    assert "Neuer Titel" in admin.get(EVENT_PAGE).text


def test_a_visitor_with_a_message_to_show_sees_it(app, client, make_event):
    make_event()
    client.get(EVENT_PAGE)
    visitor = visitor_who_opened_the_form(app)
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Eine Nachricht für Sie")]
    assert "Eine Nachricht für Sie" in visitor.get(EVENT_PAGE).text
    assert "Eine Nachricht für Sie" not in visitor.get(EVENT_PAGE).text  # shown once


def test_a_remember_cookie_is_never_answered_from_the_cache(app, client, make_event):
    keep_the_event_page_then_retitle_it(client, make_event)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "1|abc")
    assert "Neuer Titel" in remembered.get(EVENT_PAGE).text
