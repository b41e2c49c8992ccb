"""SPEC "Staff accounts": at most 10 failed sign-ins per 15 minutes per
account from all clients together and 5 per client, counted in the database
across all workers; a person who is locked out can still reset their
password (services.sign_in.clear_failures)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import AuditEntry, SignInFailure
from services import sign_in
from tests.conftest import PASSWORD, RequestClient, submit
from tests.databases import base_config
from tests.live.servers import Gunicorn
from tests.test_login import page_without_token_and_email

MIA = "mia@stadt.example"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCKED_OUT = "Too many failed sign-ins with this address"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def mia(make_user):
    return make_user("organiser", email=MIA)


def attempt(app, email: str, password: str, address: str, language: str = "en"):
    client = app.test_client()
    client.environ_base |= {"REMOTE_ADDR": address, "HTTP_ACCEPT_LANGUAGE": language}
    return submit(client, "/admin/login", {"email": email, "password": password})


def codes(app, email: str, password: str, addresses: list[str]) -> list[int]:
    return [attempt(app, email, password, address).status_code for address in addresses]


def locks() -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.locked")))


def test_a_sixth_failure_from_one_client_gets_the_login_page_with_429(app, mia, clock):
    assert codes(app, MIA, "wrong", ["127.0.0.5"] * 6) == [401] * 5 + [429]
    page = attempt(app, MIA, "wrong", "127.0.0.5", language="de")
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert 'name="password"' in text  # the usual sign-in page, in the visitor's language
    assert "Zu viele fehlgeschlagene Anmeldungen" in text


def test_the_eleventh_failure_from_all_clients_together_is_refused(app, mia, clock):
    clients = [f"127.0.0.{n}" for n in range(2, 7)] * 2
    assert codes(app, MIA, "wrong", clients) == [401] * 10
    assert codes(app, MIA, "wrong", ["127.0.0.7"]) == [429]


def test_a_locked_out_person_is_refused_even_with_the_right_password(app, mia, clock):
    codes(app, MIA, "wrong", [f"127.0.0.{n}" for n in range(2, 12)])
    refused = attempt(app, MIA, PASSWORD, "127.0.0.99")
    assert refused.status_code == 429 and LOCKED_OUT in refused.get_data(as_text=True)


def test_clearing_the_failures_lets_the_person_sign_in_again(app, mia, clock):
    """What a password reset does for someone locked out."""
    codes(app, MIA, "wrong", [f"127.0.0.{n}" for n in range(2, 12)])
    assert sign_in.clear_failures(db.session, "Mia@Stadt.Example") == 10
    db.session.commit()
    assert attempt(app, MIA, PASSWORD, "127.0.0.99").status_code == 303


def test_failures_older_than_fifteen_minutes_no_longer_count(app, mia, clock):
    codes(app, MIA, "wrong", [f"127.0.0.{n}" for n in range(2, 12)])
    clock.move_to(NOW + timedelta(minutes=14, seconds=59), tick=False)
    assert attempt(app, MIA, PASSWORD, "127.0.0.99").status_code == 429
    clock.move_to(NOW + timedelta(minutes=15, seconds=1), tick=False)
    assert attempt(app, MIA, PASSWORD, "127.0.0.99").status_code == 303


def test_an_unknown_address_is_limited_and_answered_the_same_way(app, mia, clock):
    """The answers never tell whether an account has the address."""
    clients = [f"127.0.0.{n}" for n in range(2, 7)] * 2 + ["127.0.0.7"]
    known = [attempt(app, MIA, "wrong", address) for address in clients]
    unknown = [attempt(app, "nobody@stadt.example", "wrong", address) for address in clients]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * 10 + [429]
    for mine, nobodys in zip(known, unknown):
        assert page_without_token_and_email(mine) == page_without_token_and_email(nobodys)


def test_an_attacker_at_one_client_does_not_lock_the_person_out_elsewhere(app, mia, clock):
    assert codes(app, MIA, "wrong", ["127.0.0.66"] * 8) == [401] * 5 + [429] * 3
    assert attempt(app, MIA, PASSWORD, "127.0.0.7").status_code == 303


def test_refused_attempts_are_not_counted(app, mia, clock):
    codes(app, MIA, "wrong", ["127.0.0.66"] * 20)
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 5


def test_signing_in_forgets_that_clients_failures(app, mia, clock):
    codes(app, MIA, "wrong", ["127.0.0.5"] * 4 + ["127.0.0.6"] * 2)
    assert attempt(app, MIA, PASSWORD, "127.0.0.5").status_code == 303
    assert codes(app, MIA, "wrong", ["127.0.0.5"] * 5) == [401] * 5
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 7


def test_the_first_lock_in_a_window_is_audited_once(app, mia, clock):
    codes(app, MIA, "wrong", [f"127.0.0.{n}" for n in range(2, 12)])
    codes(app, MIA, "wrong", ["127.0.0.20", "127.0.0.21"])  # refused: no second entry
    (entry,) = locks()
    assert (entry.actor_email, entry.target, entry.at) == ("system", MIA, NOW)
    assert entry.details == {"failures": 10, "minutes": 15}
    # One failure leaves the window: one more gets in and reaches the limit
    # again, within 15 minutes of the lock — still the same lock.
    clock.move_to(NOW + timedelta(minutes=10), tick=False)
    codes(app, MIA, "wrong", ["127.0.0.30"] * 9)
    clock.move_to(NOW + timedelta(minutes=15, seconds=1), tick=False)
    assert codes(app, MIA, "wrong", ["127.0.0.31"]) == [401]
    assert len(locks()) == 1
    clock.move_to(NOW + timedelta(minutes=26), tick=False)
    codes(app, MIA, "wrong", [f"127.0.0.{n}" for n in range(40, 50)])
    assert len(locks()) == 2


def test_old_failures_of_every_address_are_pruned_when_one_is_written(app, mia, clock):
    codes(app, "somebody@stadt.example", "wrong", ["127.0.0.5"] * 3)
    clock.move_to(NOW + timedelta(minutes=16), tick=False)
    codes(app, MIA, "wrong", ["127.0.0.5"])
    db.session.rollback()
    assert list(db.session.scalars(select(SignInFailure.email))) == [MIA]


def test_the_general_limit_per_client_stays_with_flask_limiter(database_url, smtp):
    limited = {"RATELIMIT_ENABLED": True, "RATELIMIT_SIGN_IN": "3 per minute"}
    app = create_app(base_config(database_url) | limited)
    app.test_client_class = RequestClient
    with app.app_context():
        answers = [attempt(app, f"p{n}@stadt.example", "wrong", "127.0.0.8") for n in range(4)]
        assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
        assert "Too many requests" in answers[-1].get_data(as_text=True)  # Flask-Limiter's page
        db.engine.dispose()


def test_the_general_limit_per_client_is_thirty_attempts_a_minute_by_default(app):
    assert app.config["RATELIMIT_SIGN_IN"] == "30 per minute"


# --- across the workers of gunicorn -----------------------------------------------


class Browser:
    """A person at one client address (127.0.0.2 … 127.0.0.7)."""

    def __init__(self, base_url: str, address: str) -> None:
        transport = httpx.HTTPTransport(local_address=address)
        self.client = httpx.Client(base_url=base_url, transport=transport, timeout=30)

    def sign_in(self, email: str, password: str) -> int:
        page = self.client.get("/admin/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {"csrf_token": token, "email": email, "password": password}
        return self.client.post("/admin/login", data=data).status_code


@pytest.mark.live
def test_failures_are_counted_across_three_gunicorn_workers_and_six_clients(
    database_url, tmp_path, mia
):
    """The default setup (in-memory Flask-Limiter, three workers) used to
    allow each worker its own five failures per client."""
    env = {
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    with Gunicorn(tmp_path, env, workers=3) as server:
        browsers = [Browser(server.url, f"127.0.0.{n}") for n in range(2, 8)]
        attacker, others, person = browsers[0], browsers[1:5], browsers[5]
        # One client: the sixth failure is refused, whichever worker takes it.
        assert [attacker.sign_in(MIA, "wrong") for _ in range(6)] == [401] * 5 + [429]
        # All clients together: five more reach ten, the eleventh is refused.
        round_robin = [*others, *others[:2]]
        assert [b.sign_in(MIA, "wrong") for b in round_robin] == [401] * 5 + [429]
        # Locked out, the right password too; other addresses are not.
        assert person.sign_in(MIA, PASSWORD) == 429
        assert person.sign_in("nobody@stadt.example", "wrong") == 401
        sign_in.clear_failures(db.session, MIA)  # what a password reset does
        db.session.commit()
        assert person.sign_in(MIA, PASSWORD) == 303
        for browser in browsers:
            browser.client.close()
    assert len(locks()) == 1
