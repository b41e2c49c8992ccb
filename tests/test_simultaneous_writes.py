"""Simultaneous writes under several gunicorn workers answer as one at a time
would: sign-ins, exports (a GET that writes its audit row), news saves and
support applications, 8 at once, three times. On SQLite a transaction that
has read cannot always become a writer ("database is locked"); every
transaction that writes takes the write lock before it reads. The control
leaves the lock out and shows the failure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, City, NewsPost, Relation, SupportApplication, User
from tests.conftest import PASSWORD
from tests.live.crowd import Step, all_at_once
from tests.live.crowd import csrf_token as token
from tests.live.servers import Gunicorn

pytestmark = pytest.mark.live

AT_ONCE = 8
ROUNDS = 3


def sign_in(client: httpx.Client, email: str) -> int:
    form = {"csrf_token": token(client, "/admin/login"), "email": email, "password": PASSWORD}
    return client.post("/admin/login", data=form).status_code


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@dataclass
class Scenario:
    """Who sends what, and how many rows the database must hold afterwards."""

    clients: Callable[[str], list[httpx.Client]]
    prepare: Step
    send: Step
    success: int
    stored: Callable[[], int]
    rows: int = AT_ONCE * ROUNDS


@contextmanager
def clients_of(base_url: str, emails: list[str] | None = None) -> Iterator[list[httpx.Client]]:
    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(AT_ONCE)]
    try:
        for client, email in zip(clients, emails or []):
            assert sign_in(client, email) == 303
        yield clients
    finally:
        for client in clients:
            client.close()


def sign_ins(make_user, **_fixtures) -> Scenario:
    """Eight staff members sign in at once: each sign-in writes last_login_at."""
    emails = [make_user("organiser").email for _ in range(AT_ONCE)]
    forms: dict[int, dict] = {}

    def prepare(client: httpx.Client, _round: int, n: int) -> int:
        client.cookies.clear()
        forms[n] = {
            "csrf_token": token(client, "/admin/login"),
            "email": emails[n],
            "password": PASSWORD,
        }
        return 0

    def send(client: httpx.Client, _round: int, n: int) -> int:
        return client.post("/admin/login", data=forms[n]).status_code

    def stored() -> int:
        return count(User, User.last_login_at.is_not(None))

    return Scenario(lambda url: clients_of(url), prepare, send, 303, stored, rows=AT_ONCE)


def csv_exports(make_user, make_event, make_registration, **_fixtures) -> Scenario:
    """Eight admins download one event's participants at once: each export
    writes its audit row, in a GET."""
    event = make_event()
    make_registration(event)
    emails = [make_user("admin").email for _ in range(AT_ONCE)]

    def send(client: httpx.Client, _round: int, _n: int) -> int:
        response = client.get(f"/admin/events/{event.id}/participants.csv")
        assert response.status_code != 200 or "Mia" in response.text
        return response.status_code

    def stored() -> int:
        return count(AuditEntry, AuditEntry.action == "participants.export")

    return Scenario(lambda url: clients_of(url, emails), lambda *_: 0, send, 200, stored)


def news_saves(make_user, **_fixtures) -> Scenario:
    """Eight editors publish an announcement each, at once."""
    emails = [make_user("editor").email for _ in range(AT_ONCE)]
    forms: dict[int, dict] = {}

    def prepare(client: httpx.Client, round: int, n: int) -> int:
        forms[n] = {
            "csrf_token": token(client, "/admin/news/new"),
            "slug": f"nachricht-{round}-{n}",
            "title_de": f"Nachricht {round}-{n}",
            "teaser_de": "Kurz gesagt",
            "status": "published",
        }
        return 0

    def send(client: httpx.Client, _round: int, n: int) -> int:
        return client.post("/admin/news/new", data=forms[n]).status_code

    return Scenario(
        lambda url: clients_of(url, emails), prepare, send, 303, lambda: count(NewsPost)
    )


def support_applications(**_fixtures) -> Scenario:
    """Eight clubs send a support application at once."""
    city = City(slug="szczecin", country="PL", relation=Relation.PARTNER, since=1957)
    city.set_text("de", name="Stettin")
    db.session.add(city)
    db.session.commit()
    starts = date.today() + timedelta(days=200)
    forms: dict[int, dict] = {}

    def prepare(client: httpx.Client, round: int, n: int) -> int:
        forms[n] = {
            "csrf_token": token(client, "/de/support/apply"),
            "organisation": f"Verein {round}-{n}",
            "contact_name": "Eva Muster",
            "email": f"verein{round}-{n}@example.org",
            "partner": "city:szczecin",
            "project_title": "Regatta",
            "description": "Ein Austausch.",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=3)).isoformat(),
            "amount_requested": "1500",
            "privacy_consent": "y",
        }
        return 0

    def send(client: httpx.Client, _round: int, n: int) -> int:
        return client.post("/de/support/apply", data=forms[n]).status_code

    return Scenario(
        lambda url: clients_of(url), prepare, send, 303, lambda: count(SupportApplication)
    )


SCENARIOS = {
    "sign-in": sign_ins,
    "csv-export": csv_exports,
    "news-save": news_saves,
    "support-application": support_applications,
}


@pytest.fixture(params=list(SCENARIOS))
def scenario(request, make_user, make_event, make_registration) -> Scenario:
    return SCENARIOS[request.param](
        make_user=make_user, make_event=make_event, make_registration=make_registration
    )


def run(scenario: Scenario, env: dict[str, str], tmp_path) -> Counter:
    with Gunicorn(tmp_path, env, workers=3, config="tests/live/write_race.py") as server:
        with scenario.clients(server.url) as clients:
            return all_at_once(clients, scenario.prepare, scenario.send, ROUNDS)


def test_simultaneous_writes_all_succeed(database_url, scenario, tmp_path):
    codes = run(scenario, {"DATABASE_URL": database_url}, tmp_path)
    assert codes == Counter({scenario.success: AT_ONCE * ROUNDS}), f"responses: {codes}"
    assert scenario.stored() == scenario.rows


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_control_without_the_write_lock_sqlite_fails_requests(database_url, scenario, tmp_path):
    codes = run(scenario, {"DATABASE_URL": database_url, "WRITE_LOCK": "off"}, tmp_path)
    failed = sum(n for code, n in codes.items() if code >= 500)
    print(f"without the write lock: responses {dict(codes)}")
    assert failed > 0, f"no failure seen: {codes}"
