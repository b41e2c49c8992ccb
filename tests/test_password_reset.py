"""SPEC "Staff accounts": /admin/password-reset mails a link that works once
and for one hour; the same answer for every address; a reset ends every
session and lifts the sign-in lock. Mail goes through a real SMTP server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry
from tests.conftest import PASSWORD, run_worker, sign_in, submit
from tests.mail import text_of
from tests.test_login import page_without_token_and_email

MIA = "mia@stadt.example"
NEW = "lindenblatt wasserturm nebel"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def mia(make_user):
    return make_user("organiser", email=MIA)


def ask(client, email: str = MIA):
    return submit(client, "/admin/password-reset", {"email": email})


def reset_link(app, smtp, email: str = MIA) -> str:
    run_worker(app)
    [message] = smtp.inbox.to(email)
    match = re.search(r"https?://[^/\s]+(/admin/password-reset/[\w-]{20,})", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def set_new(client, link: str, password: str = NEW, again: str | None = None):
    data = {"new_password": password, "new_password_confirm": again or password}
    return submit(client, link, data)


def actions() -> list[str]:
    db.session.rollback()
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/admin/password-reset"' in client.get("/admin/login").get_data(as_text=True)


def test_a_reset_by_email_sets_the_password_and_ends_every_session(
    app, client, smtp, mia, staff_client
):
    signed_in = staff_client(user=mia)
    assert ask(client).status_code == 200
    link = reset_link(app, smtp)
    assert client.get(link).status_code == 200
    response = set_new(client, link)
    assert response.status_code == 303 and response.location.endswith("/admin/login")
    assert signed_in.get("/admin/").status_code == 302
    assert sign_in(app.test_client(), mia).status_code == 401
    assert sign_in(app.test_client(), mia, NEW).status_code == 303
    assert actions()[-2:] == ["account.password_reset_request", "account.password_reset"]


def test_the_mail_says_how_long_the_link_works_in_the_page_language(app, client, smtp, mia):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    ask(client)
    run_worker(app)
    [message] = smtp.inbox.to(MIA)
    assert message["Subject"] == "Passwort zurücksetzen"
    assert "60 Minuten" in text_of(message)
    assert message.get_body(("html",)) is not None


def test_the_link_works_only_once(app, client, smtp, mia):
    ask(client)
    link = reset_link(app, smtp)
    assert set_new(client, link).status_code == 303
    assert client.get(link).status_code == 404
    assert set_new(client, link, "ganz anderes passwort hier").status_code == 404
    assert sign_in(app.test_client(), mia, NEW).status_code == 303


def test_the_link_works_for_one_hour(app, client, smtp, mia, clock):
    ask(client)
    link = reset_link(app, smtp)
    clock.move_to(NOW + timedelta(minutes=59), tick=False)
    assert client.get(link).status_code == 200
    clock.move_to(NOW + timedelta(minutes=60), tick=False)
    assert client.get(link).status_code == 404
    assert set_new(client, link).status_code == 404


def test_a_wrong_link_gets_the_same_friendly_page(client):
    response = client.get("/admin/password-reset/not-a-real-token-at-all-12345")
    assert response.status_code == 404
    assert "Ask for a new link" in client.get(
        "/admin/password-reset/x", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)


def test_unknown_and_disabled_addresses_get_the_same_page_and_no_mail(
    app, client, smtp, mia, make_user
):
    gone = make_user("editor", email="weg@stadt.example")
    gone.is_enabled = False
    db.session.commit()
    known = ask(client)
    unknown = ask(client, "nobody@stadt.example")
    disabled = ask(client, "weg@stadt.example")
    assert known.status_code == unknown.status_code == disabled.status_code == 200
    pages = {page_without_token_and_email(r) for r in (known, unknown, disabled)}
    assert len(pages) == 1
    run_worker(app)
    assert [m["To"] for m in smtp.inbox.messages] == [MIA]


def test_at_most_three_links_an_hour_go_to_one_address(app, client, smtp, mia):
    for _ in range(5):
        assert ask(client).status_code == 200
    run_worker(app)
    assert len(smtp.inbox.to(MIA)) == 3


def test_the_new_password_follows_the_rule(app, client, smtp, mia):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    ask(client)
    link = reset_link(app, smtp)
    response = set_new(client, link, "password1234")
    assert response.status_code == 422
    assert "among the most common" in response.get_data(as_text=True)
    assert set_new(client, link, NEW, "something else entirely").status_code == 422
    assert set_new(client, link).status_code == 303  # the link still works after a refusal


def test_a_reset_lifts_the_sign_in_lock(app, client, smtp, mia, clock):
    for n in range(10):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"127.0.0.{n // 5 + 2}"
        sign_in(attacker, mia, "guessing wrong")
    assert sign_in(app.test_client(), mia).status_code == 429
    ask(client)
    assert set_new(client, reset_link(app, smtp)).status_code == 303
    assert sign_in(app.test_client(), mia, NEW).status_code == 303
    assert "account.locked" in actions()


def test_old_password_still_works_until_the_link_is_used(app, client, smtp, mia):
    ask(client)
    reset_link(app, smtp)
    assert sign_in(app.test_client(), mia, PASSWORD).status_code == 303
