"""Fixtures: every test that uses `app` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from extensions import db
from models import Event, EventStatus, Registration, RegistrationStatus, User
from tests.databases import Database, base_config, postgres_database, sqlite_database
from tests.mail import SMTPServer


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if request.param == "postgresql":
        return postgres_database()
    return sqlite_database(tmp_path_factory)


@pytest.fixture
def database_url(database: Database, tmp_path) -> str:
    return database.fresh(tmp_path)


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    """A real SMTP server on loopback; the app fixture sends to it."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


class RequestClient(FlaskClient):
    """Each request gets an app context of its own, as in a real server: a
    fresh `g` and database session, not the test's."""

    def open(self, *args: Any, **kwargs: Any):
        # The test's own transaction ends first, as another client's would:
        # an open SQLite read transaction could not write after the request.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url: str, smtp: SMTPServer) -> Iterator[Flask]:
    config = base_config(database_url) | {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.rollback()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def submit(
    client: FlaskClient, url: str, data: dict[str, Any], token: str | None = None, **kwargs: Any
):
    """Post a form the way a browser does: load it first for its CSRF token
    (or use `token`, from a form loaded earlier)."""
    return client.post(url, data={"csrf_token": token or csrf_token(client, url), **data}, **kwargs)


def confirm_email(client: FlaskClient, link: str):
    """Open the emailed confirmation link and press its button, as a person
    does (a GET alone confirms nothing)."""
    return submit(client, link, {})


@pytest.fixture
def make_event(app: Flask) -> Callable[..., Event]:
    """Create a published event; keyword arguments override the defaults."""

    def make(**overrides: Any) -> Event:
        starts_at = overrides.pop(
            "starts_at", datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
        )
        fields = {
            "slug": "forumtheater",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "min_age": 14,
            "max_age": 18,
            "capacity": 10,
            "has_waitlist": True,
            "status": EventStatus.PUBLISHED,
        } | overrides
        title_en = fields.pop("title_en", "Forum theatre workshop")
        venue, venue_en = fields.pop("venue", "Rostocker Rathaus"), fields.pop("venue_en", None)
        event = Event(**fields)
        event.set_text(
            "de", title="Workshop Forumtheater", summary="Kurz", description="Lang", venue=venue
        )
        if title_en or venue_en:
            event.set_text("en", title=title_en, venue=venue_en)
        db.session.add(event)
        db.session.commit()
        return event

    return make


_numbers = itertools.count(1)


@pytest.fixture
def make_registration(app: Flask) -> Callable[..., Registration]:
    def make(event: Event, **overrides: Any) -> Registration:
        now = datetime.now(UTC)
        fields = {
            "event_id": event.id,
            "status": RegistrationStatus.CONFIRMED,
            "language": "de",
            "first_name": "Mia",
            "last_name": "Beispiel",
            "email": f"mia{next(_numbers)}@example.org",
            "privacy_consent_at": now,
            "privacy_consent_text": "ok",
        } | overrides
        registration = Registration(**fields)
        db.session.add(registration)
        db.session.commit()
        return registration

    return make


def registration_form(**overrides: Any) -> dict[str, Any]:
    """A valid form of a 17-year-old, who needs no guardian."""
    born = (datetime.now(UTC) - timedelta(days=365 * 17 + 60)).date()
    return {
        "first_name": "Lena",
        "last_name": "Schröder",
        "email": "lena@example.org",
        "date_of_birth": born.isoformat(),
        "privacy_consent": "y",
    } | overrides


def run_worker(app: Flask, now: datetime | None = None):
    """One pass of `flask send-mail --once`, at `now` (default: the clock)."""
    from models.base import utcnow
    from services.worker import run_pass

    with app.app_context():
        return run_pass(db.session, now or utcnow())


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app: Flask):
    """Create a staff account with PASSWORD."""
    from models import Role
    from services import accounts

    def make(role: str = "admin", email: str | None = None) -> User:
        user = accounts.create_user(
            db.session, email or f"{role}{next(_numbers)}@stadt.example", PASSWORD, Role(role)
        )
        db.session.commit()
        return user

    return make


def sign_in(client: FlaskClient, user, password: str = PASSWORD):
    """Sign in through /admin/login as a person would."""
    return submit(client, "/admin/login", {"email": user.email, "password": password})


@pytest.fixture
def staff_client(app: Flask, make_user):
    """A test client signed in with the given role: staff_client("organiser");
    staff pages follow the browser's language (German unless `language`)."""

    def make(role: str = "admin", user=None, language: str = "de"):
        user = user or make_user(role)
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        assert sign_in(client, user).status_code == 303
        client.user = user
        return client

    return make
