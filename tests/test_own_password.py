"""SPEC "Staff accounts": staff change their own password at
/admin/account/password; every other session of the account ends."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import AuditEntry
from tests.conftest import PASSWORD, sign_in, submit

NEW = "lindenblatt wasserturm nebel"
URL = "/admin/account/password"


def change(client, current=PASSWORD, new=NEW, again=None):
    return submit(
        client,
        URL,
        {"current_password": current, "new_password": new, "new_password_confirm": again or new},
    )


def test_the_staff_header_links_to_the_password_page(staff_client):
    client = staff_client("organiser")
    assert f'href="{URL}"' in client.get("/admin/").get_data(as_text=True)
    assert client.get(URL).status_code == 200


def test_changing_the_password_ends_every_other_session_but_this_one(app, staff_client):
    here = staff_client("editor")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, here.user).status_code == 303
    assert change(here).status_code == 303
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, here.user).status_code == 401
    assert sign_in(fresh, here.user, NEW).status_code == 303
    db.session.rollback()
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "account.password_change")
    )
    assert entry is not None and entry.actor_id == here.user.id


def test_a_wrong_current_password_changes_nothing(app, staff_client):
    client = staff_client("editor")
    response = change(client, current="not my password at all")
    assert response.status_code == 422
    assert "Das aktuelle Passwort ist falsch." in response.get_data(as_text=True)
    assert sign_in(app.test_client(), client.user).status_code == 303


def test_the_two_new_passwords_must_match(staff_client):
    response = change(staff_client("editor"), again="lindenblatt wasserturm regen")
    assert response.status_code == 422


def test_a_common_password_is_refused_with_the_reason(staff_client):
    client = staff_client("editor", language="en")
    for weak, reason in (
        ("password1234", "among the most common"),
        ("aaaaaaaaaaaa", "repeats a few characters"),
        ("kurz", "at least 12 characters"),
    ):
        response = change(client, new=weak)
        assert response.status_code == 422
        assert reason in response.get_data(as_text=True), weak


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(URL).status_code == 302
