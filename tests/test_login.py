"""Staff sign-in (SECURITY.md "Accounts and sessions"); the limits on failed
sign-ins are in test_sign_in_limits.py."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from extensions import db
from models import User
from tests.conftest import PASSWORD, csrf_token, sign_in, submit


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_user):
    user = make_user("organiser")
    unknown = submit(
        client, "/admin/login", {"email": "nobody@stadt.example", "password": PASSWORD}
    )
    wrong = submit(client, "/admin/login", {"email": user.email, "password": "not the password"})
    assert unknown.status_code == wrong.status_code == 401
    assert page_without_token_and_email(unknown) == page_without_token_and_email(wrong)


def page_without_token_and_email(response) -> str:
    """The page as the person sees it: the typed email and the CSRF token
    (signed with the time) are the only parts that may differ."""
    page = re.sub(
        r'name="csrf_token" type="hidden" value="[^"]+"', "", response.get_data(as_text=True)
    )
    return re.sub(r'value="[^"]*@stadt\.example"', "", page)


def test_a_sign_in_with_control_characters_in_the_email_is_refused_without_a_server_error(
    client, make_user
):
    make_user("organiser", email="mia@stadt.example")
    for email in ("\x00", "mia@stadt.example\x00", "mia\x1b@stadt.example"):
        response = submit(client, "/admin/login", {"email": email, "password": PASSWORD})
        assert response.status_code == 422, email


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user("organiser")
    user.is_enabled = False
    db.session.commit()
    assert sign_in(client, user).status_code == 401


def test_email_is_matched_without_regard_to_case(client, make_user):
    make_user("organiser", email="mia@stadt.example")
    assert (
        submit(
            client, "/admin/login", {"email": "MIA@Stadt.Example", "password": PASSWORD}
        ).status_code
        == 303
    )


def test_sign_in_starts_a_fresh_session(client, make_user):
    user = make_user("organiser")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_cookie_replayed_after_logout_is_refused(app, client, make_user):
    user = make_user("organiser")
    sign_in(client, user)
    cookie = client.get_cookie("session").value
    assert client.get("/admin/events/").status_code == 200
    assert (
        client.post(
            "/admin/logout", data={"csrf_token": csrf_token(client, "/admin/events/new")}
        ).status_code
        == 303
    )

    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/admin/events/")
    assert response.status_code == 302
    assert response.location.startswith("/admin/login")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "https://evil.example/admin/",
        "/\x00/admin",
        "/admin/\r\nLocation: x",
        "\\\\evil.example",
    ],
)
def test_a_hostile_next_goes_to_the_default_page(client, make_user, target):
    user = make_user("organiser")
    response = submit(
        client,
        "/admin/login",
        {"email": user.email, "password": PASSWORD},
        query_string={"next": target},
    )
    assert response.status_code == 303
    assert response.location == "/admin/"


def test_a_next_on_this_site_is_followed(client, make_user):
    user = make_user("organiser")
    response = submit(
        client,
        "/admin/login",
        {"email": user.email, "password": PASSWORD},
        query_string={"next": "/admin/events/?list=past"},
    )
    assert response.location == "/admin/events/?list=past"


def test_the_password_is_rehashed_when_the_parameters_change(client, make_user):
    user = make_user("organiser")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert sign_in(client, user).status_code == 303
    db.session.rollback()
    new = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert new != old and new.startswith("$argon2id$")


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["create-user", "Chef@Stadt.example", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@stadt.example"))
    assert user.role == "admin"
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_create_user_asks_for_the_password_twice(app, runner):
    result = runner.invoke(
        args=["create-user", "mia@stadt.example", "--role", "organiser"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        db.session.scalar(select(User.role).where(User.email == "mia@stadt.example")) == "organiser"
    )


@pytest.mark.parametrize("password", ["short", ""])
def test_create_user_refuses_a_short_password(app, runner, password):
    result = runner.invoke(
        args=["create-user", "mia@stadt.example", "--role", "editor", "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "mia@stadt.example")) is None
