"""Hosts and caches: nothing is built from a Host the site does not answer to
(TRUSTED_HOSTS), answers to forms are never stored by a cache, and `/` says
that it depends on Accept-Language."""

from __future__ import annotations

import pytest

from app import create_app
from extensions import db
from tests.conftest import registration_form, submit
from tests.databases import base_config
from tests.test_hardening import assert_secure_headers

EVIL = {"Host": "evil.example"}


def test_a_redirect_is_never_built_from_an_untrusted_host(client):
    response = client.get("/de/events", headers=EVIL)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "evil.example" not in response.get_data(as_text=True)


def test_the_sites_own_host_still_gets_its_redirects(client):
    response = client.get("/de/events", headers={"Host": "partnerstadt.test"})
    assert response.status_code == 308
    assert response.location in ("/de/events/", "http://partnerstadt.test/de/events/")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/"),
        ("GET", "/en/"),
        ("GET", "/healthz"),
        ("GET", "/admin/login"),
        ("POST", "/admin/login"),
    ],
)
def test_an_untrusted_host_gets_a_friendly_400_page_in_the_visitors_language(client, method, url):
    response = client.open(url, method=method, headers=EVIL | {"Accept-Language": "en"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "Unknown address" in page
    assert_secure_headers(response, url)


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost:5000", "localhost", "partnerstadt.test"]
)
def test_loopback_names_and_base_urls_host_are_trusted(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_trusted_hosts_can_name_more_hosts(database_url, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "www.stadt.example, .international.example")
    app = create_app(base_config(database_url))
    client = app.test_client()
    for host in ("www.stadt.example", "de.international.example", "partnerstadt.test", "127.0.0.1"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    assert client.get("/healthz", headers={"Host": "stadt.example"}).status_code == 400
    with app.app_context():
        db.engine.dispose()


# --- Cache-Control ------------------------------------------------------------


def test_a_re_rendered_registration_form_is_no_store(client, make_event):
    make_event()
    response = submit(client, "/de/events/forumtheater/register", registration_form(last_name=""))
    assert response.status_code == 422
    assert "Lena" in response.get_data(as_text=True)  # what was typed is on the page
    assert response.headers["Cache-Control"] == "no-store"


def test_every_answer_to_a_form_submission_is_no_store(client, make_event):
    make_event()
    answers = [
        submit(client, "/de/events/forumtheater/register", registration_form()),  # 303
        submit(client, "/en/support/apply", {"organisation": "Ruderclub"}),  # 422
        submit(client, "/admin/login", {"email": "mia@stadt.example", "password": "x"}),  # 401
        client.post("/de/events/forumtheater/register", data=registration_form()),  # CSRF 400
    ]
    assert [a.status_code for a in answers] == [303, 422, 401, 400]
    assert all(answer.headers["Cache-Control"] == "no-store" for answer in answers)


def test_public_pages_read_with_get_stay_cacheable(client, make_event):
    make_event()
    for url in ("/de/", "/de/events/forumtheater/", "/de/events/forumtheater/register"):
        assert "no-store" not in client.get(url).headers.get("Cache-Control", ""), url


# --- Vary ---------------------------------------------------------------------


def test_the_language_redirect_says_it_varies_by_accept_language(client):
    german = client.get("/", headers={"Accept-Language": "de"})
    english = client.get("/", headers={"Accept-Language": "en"})
    assert german.location.endswith("/de/") and english.location.endswith("/en/")
    assert "Accept-Language" in german.vary and "Accept-Language" in english.vary


def test_pages_that_follow_the_browsers_language_vary_by_it(client):
    assert "Accept-Language" in client.get("/admin/login").vary
    assert "Accept-Language" in client.get("/no-such-page").vary


def test_pages_in_the_urls_language_do_not_vary_by_accept_language(client):
    assert "Accept-Language" not in client.get("/de/").vary
    assert "Accept-Language" not in client.get("/de/no-such-page").vary
