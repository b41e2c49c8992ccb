"""SECURITY.md: headers on every response, rate limits, the honeypot and
the reverse proxy (the deploy check is in test_deploy_check.py)."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
import redis
from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import Registration
from tests.conftest import RequestClient, registration_form, submit
from tests.databases import base_config
from tests.live.servers import Gunicorn

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
CSP_PARTS = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]


def assert_secure_headers(response, where: str) -> None:
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    csp = response.headers.get("Content-Security-Policy", "")
    for part in CSP_PARTS:
        assert part in csp, f"{where}: CSP lacks {part}"


@pytest.fixture
def boom_app(app):
    def boom():
        raise RuntimeError("an unexpected failure")

    app.add_url_rule("/boom", "boom", boom)
    return app


def test_security_headers_on_pages_errors_files_and_exports(
    boom_app, client, staff_client, make_event
):
    event = make_event()
    samples = [
        "/",
        "/de/",
        "/en/events/",
        "/de/events/forumtheater/",
        "/de/events/forumtheater/register",
        "/de/events/forumtheater.ics",
        "/healthz",
        "/readyz",
        "/static/css/site.css",
        "/admin/login",
        "/de/no-such-page",
        "/de/registrations/confirm/nonsense",
        "/boom",
    ]
    for url in samples:
        response = client.get(url)
        assert_secure_headers(response, url)
        response.close()
    assert client.get("/boom").status_code == 500
    admin = staff_client("admin")
    for url in (
        f"/admin/events/{event.id}/participants.csv",
        f"/admin/events/{event.id}/participants.xlsx",
        "/admin/events/",
    ):
        response = admin.get(url)
        assert response.status_code == 200
        assert_secure_headers(response, url)
        assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/de/").headers
    secure = client.get("/de/", base_url="https://partnerstadt.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_an_unexpected_error_shows_a_friendly_page_in_the_visitors_language(boom_app, client):
    response = client.get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_an_oversized_body_is_refused_with_413(client, make_event):
    make_event()
    response = client.post("/de/events/forumtheater/register", data={"notes": "x" * 300_000})
    assert response.status_code == 413
    assert "<h1>" in response.get_data(as_text=True)  # the friendly error page, not a bare one


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, make_event):
    make_event()
    response = submit(
        client, "/de/events/forumtheater/register", registration_form(website="http://spam.example")
    )
    assert response.status_code == 303
    assert response.location.endswith("/register/done")
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def limited_app(database_url, **config):
    app = create_app(base_config(database_url) | {"RATELIMIT_ENABLED": True} | config)
    app.test_client_class = RequestClient
    return app


def test_too_many_registrations_from_one_client_get_a_friendly_429(database_url, make_event):
    make_event()
    app = limited_app(database_url, RATELIMIT_REGISTRATION="3 per minute")
    client = app.test_client()
    codes = [
        submit(
            client, "/en/events/forumtheater/register", registration_form(email=f"p{n}@example.org")
        ).status_code
        for n in range(4)
    ]
    assert codes == [303, 303, 303, 429]
    page = submit(
        client, "/en/events/forumtheater/register", registration_form(email="late@example.org")
    )
    assert page.status_code == 429
    assert "Too many requests" in page.get_data(as_text=True)
    assert '<html lang="en">' in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def register_through(base_url: str, email: str) -> int:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/de/events/forumtheater/register").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return client.post(
            "/de/events/forumtheater/register",
            data=registration_form(email=email, csrf_token=token),
        ).status_code


def alternate_between_two_servers(database_url: str, tmp_path, storage: str) -> list[int]:
    """Four registrations from one client, alternating between two separate
    server processes that share a limit of 3 per minute."""
    env = {
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_REGISTRATION": "3 per minute",
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(6)}",
    }
    with Gunicorn(tmp_path, env, workers=1) as first, Gunicorn(tmp_path, env, workers=1) as second:
        return [
            register_through(server.url, f"r{n}@example.org")
            for n, server in enumerate([first, second, first, second])
        ]


@pytest.mark.live
def test_the_redis_backed_limit_is_shared_by_two_app_instances(database_url, make_event, tmp_path):
    make_event()
    try:
        redis.Redis(host="127.0.0.1", port=6379).ping()
    except redis.ConnectionError as error:  # the machine's Redis is part of the test setup
        pytest.fail(f"Redis on 127.0.0.1:6379 is needed: {error}")
    assert alternate_between_two_servers(database_url, tmp_path, "redis://127.0.0.1:6379/0") == [
        303,
        303,
        303,
        429,
    ]


@pytest.mark.live
def test_control_with_memory_storage_each_instance_counts_alone(database_url, make_event, tmp_path):
    make_event()
    assert alternate_between_two_servers(database_url, tmp_path, "memory://") == [
        303,
        303,
        303,
        303,
    ]


def test_behind_one_proxy_a_spoofed_forwarded_for_is_ignored(database_url):
    app = create_app(base_config(database_url) | {"PROXY_COUNT": 1})

    @app.get("/whoami")
    def whoami():
        from flask import request

        return request.remote_addr

    client = app.test_client()
    # The client wrote 203.0.113.9 itself; the proxy appended the real address.
    seen = client.get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.9, 127.0.0.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert seen.get_data(as_text=True) == "127.0.0.9"


def test_without_a_proxy_forwarded_for_is_not_trusted(database_url):
    app = create_app(base_config(database_url))

    @app.get("/whoami")
    def whoami():
        from flask import request

        return request.remote_addr

    seen = app.test_client().get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert seen.get_data(as_text=True) == "127.0.0.1"
