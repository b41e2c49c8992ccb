"""Odd requests get ordinary answers: query arguments named like url_for's
options or like path values, and an error while rendering the error page
itself."""

from __future__ import annotations

import re

import pytest

from blueprints import errors
from tests.test_hardening import assert_secure_headers

PUBLIC_PAGES = [
    "/de/", "/en/", "/de/events/", "/en/events/?archive=1", "/de/events/forumtheater/",
    "/en/events/forumtheater/register", "/de/news/", "/de/partners/", "/en/networks/",
    "/de/support/apply", "/de/privacy", "/en/imprint", "/de/accessibility", "/de/leichte-sprache",
    "/de/no-such-page", "/en/events/no-such-event/",
]
URL_FOR_OPTIONS = ["_method=POST", "_external=1", "_scheme=javascript", "_anchor=x", "lang=fr"]


def language_link(html: str, lang: str) -> str:
    found = re.search(rf'<a href="([^"]+)" hreflang="{lang}"', html)
    assert found, "no language link"
    return found.group(1).replace("&amp;", "&")


# --- query arguments ---------------------------------------------------------


@pytest.mark.parametrize("option", URL_FOR_OPTIONS)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_query_arguments_named_like_url_for_options_change_nothing(
    client, make_event, path, option
):
    make_event()
    plain = client.get(path)
    odd = client.get(f"{path}{'&' if '?' in path else '?'}{option}")
    assert odd.status_code == plain.status_code < 500
    assert_secure_headers(odd, path)


def test_a_query_argument_never_changes_the_page_the_language_link_names(client, make_event):
    make_event()
    html = client.get("/de/events/forumtheater/?slug=zzz&lang=fr").get_data(as_text=True)
    assert language_link(html, "en") == "/en/events/forumtheater/"


def test_the_language_link_keeps_a_meaningful_query_string(client, make_event):
    html = client.get("/de/events/?archive=1&page=2&_method=POST").get_data(as_text=True)
    assert language_link(html, "en") == "/en/events/?archive=1&page=2&_method=POST"
    html = client.get("/en/partners/?country=PL&relation=partner").get_data(as_text=True)
    assert language_link(html, "de") == "/de/partners/?country=PL&relation=partner"


# --- the error page itself ---------------------------------------------------


@pytest.fixture
def broken_error_page(app, monkeypatch):
    """The error page's template fails to render, as any template can."""

    def fail(*args, **kwargs):
        raise RuntimeError("the error page is broken")

    monkeypatch.setattr(errors, "render_template", fail)

    def boom():
        raise RuntimeError("an unexpected failure")

    app.add_url_rule("/boom", "boom", boom)
    return app


@pytest.mark.parametrize(("path", "status"), [("/de/no-such-page", 404), ("/boom", 500)])
def test_an_error_while_rendering_the_error_page_still_answers_a_minimal_page(
    broken_error_page, client, path, status
):
    response = client.get(path)
    assert response.status_code == status
    assert_secure_headers(response, path)
    html = response.get_data(as_text=True)
    assert f"Fehler {status}" in html and "RuntimeError" not in html
