"""SPEC "Staff accounts": two-factor sign-in (TOTP, RFC 6238) with the secret
as text and QR code, ten single-use recovery codes, the code step at
/admin/login/two-factor, STAFF_REQUIRE_2FA, and an admin's reset for a lost
phone. The clock is frozen to test the code windows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, RecoveryCode, User
from tests.conftest import csrf_token, sign_in, submit

NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
SETUP = "/admin/account/two-factor"
STEP = "/admin/login/two-factor"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def secret_of(user: User) -> str:
    db.session.rollback()
    return db.session.get(User, user.id).totp_secret


def code_at(user: User, moment: datetime) -> str:
    return pyotp.TOTP(secret_of(user)).at(moment)


def enrol(client) -> list[str]:
    """Switch two-factor sign-in on as a person does; the recovery codes."""
    page = client.get(SETUP).get_data(as_text=True)
    assert "<svg" in page
    response = submit(client, SETUP, {"code": code_at(client.user, datetime.now(UTC))})
    assert response.status_code == 200
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True))


def actions() -> list[str]:
    db.session.rollback()
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_the_page_shows_the_secret_as_text_and_as_a_qr_code_drawn_here(staff_client):
    client = staff_client("organiser")
    page = client.get(SETUP).get_data(as_text=True)
    secret = secret_of(client.user)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert " ".join(re.findall(".{4}", secret)) in page
    assert '<svg width="' in page and "<path" in page and "http" not in page.split("<svg")[1][:200]
    again = client.get(SETUP).get_data(as_text=True)
    assert secret_of(client.user) == secret and " ".join(re.findall(".{4}", secret)) in again


def test_a_wrong_code_does_not_switch_it_on(staff_client):
    client = staff_client("organiser")
    client.get(SETUP)
    assert submit(client, SETUP, {"code": "000000"}).status_code == 422
    db.session.rollback()
    assert not db.session.get(User, client.user.id).has_two_factor


def test_switching_on_shows_ten_recovery_codes_stored_only_as_hashes(staff_client):
    client = staff_client("organiser")
    codes = enrol(client)
    assert len(codes) == len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert "account.two_factor_on" in actions()
    assert "<code>" not in client.get(SETUP).get_data(as_text=True)  # shown once


def test_the_password_alone_gives_no_session_then_the_code_does(app, staff_client, clock):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    clock.move_to(NOW + timedelta(minutes=1), tick=False)
    client = app.test_client()
    response = sign_in(client, enrolled.user)
    assert response.status_code == 303 and response.location.endswith(STEP)
    assert client.get("/admin/").status_code == 302
    code = code_at(enrolled.user, datetime.now(UTC))
    response = submit(client, STEP, {"code": code})
    assert response.status_code == 303 and response.location.endswith("/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_only_once(app, staff_client, clock):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    clock.move_to(NOW + timedelta(minutes=1), tick=False)
    code = code_at(enrolled.user, datetime.now(UTC))
    first, second = app.test_client(), app.test_client()
    sign_in(first, enrolled.user)
    sign_in(second, enrolled.user)
    assert submit(first, STEP, {"code": code}).status_code == 303
    assert submit(second, STEP, {"code": code}).status_code == 401


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_codes_are_accepted_one_step_either_side_of_now(app, staff_client, clock, steps, accepted):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    later = NOW + timedelta(minutes=5)
    clock.move_to(later, tick=False)
    client = app.test_client()
    sign_in(client, enrolled.user)
    code = code_at(enrolled.user, later + timedelta(seconds=30 * steps))
    assert (submit(client, STEP, {"code": code}).status_code == 303) is accepted


def test_a_recovery_code_signs_in_once(app, staff_client):
    enrolled = staff_client("organiser")
    [code, *_] = enrol(enrolled)
    client = app.test_client()
    sign_in(client, enrolled.user)
    assert submit(client, STEP, {"code": code.upper()}).status_code == 303
    again = app.test_client()
    sign_in(again, enrolled.user)
    assert submit(again, STEP, {"code": code}).status_code == 401
    assert "account.recovery_code_used" in actions()


def test_the_code_step_expires_after_five_minutes(app, staff_client, clock):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    client = app.test_client()
    sign_in(client, enrolled.user)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(STEP).text)
    clock.move_to(NOW + timedelta(minutes=5), tick=False)
    code = code_at(enrolled.user, datetime.now(UTC))
    response = submit(client, STEP, {"code": code}, token=token.group(1))
    assert response.status_code == 303 and response.location.endswith("/admin/login")
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_count_as_failed_sign_ins(app, staff_client, clock):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    client = app.test_client()
    sign_in(client, enrolled.user)  # counted as an attempt until the code is right too
    codes = [submit(client, STEP, {"code": "123456"}).status_code for _ in range(5)]
    assert codes == [401] * 4 + [429]


def test_switching_off_needs_a_code(staff_client):
    client = staff_client("organiser")
    enrol(client)
    assert submit(client, SETUP, {"code": "000000"}).status_code == 422
    code = code_at(client.user, datetime.now(UTC) + timedelta(seconds=30))
    assert submit(client, SETUP, {"code": code}).status_code == 303
    db.session.rollback()
    assert not db.session.get(User, client.user.id).has_two_factor
    assert actions()[-1] == "account.two_factor_off"


def test_required_two_factor_sends_staff_to_enrol_before_any_other_page(app, staff_client):
    app.config["STAFF_REQUIRE_2FA"] = True
    client = staff_client("organiser")
    response = client.get("/admin/events/")
    assert response.status_code == 303 and response.location.endswith(SETUP)
    assert client.get("/admin/account/password").status_code == 200
    enrol(client)
    assert client.get("/admin/events/").status_code == 200
    code = code_at(client.user, datetime.now(UTC) + timedelta(seconds=30))
    assert submit(client, SETUP, {"code": code}).status_code == 303
    db.session.rollback()
    assert db.session.get(User, client.user.id).has_two_factor  # cannot be switched off


def test_an_admin_resets_the_second_factor_of_someone_who_lost_their_phone(app, staff_client):
    enrolled = staff_client("organiser")
    enrol(enrolled)
    admin = staff_client("admin", language="en")
    url = f"/admin/staff/{enrolled.user.id}"
    assert "Reset two-factor sign-in" in admin.get(url).get_data(as_text=True)
    response = submit(admin, f"{url}/two-factor/reset", {}, token=csrf_token(admin, url))
    assert response.status_code == 303
    assert enrolled.get("/admin/").status_code == 302  # signed out everywhere
    client = app.test_client()
    response = sign_in(client, enrolled.user)
    assert response.status_code == 303 and response.location.endswith("/admin/")
    assert db.session.scalars(select(RecoveryCode)).all() == []
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "staff.two_factor_reset")
    )
    assert entry.actor_id == admin.user.id and entry.target == f"user:{enrolled.user.id}"


def test_an_admin_cannot_reset_their_own_second_factor(staff_client):
    admin = staff_client("admin")
    enrol(admin)
    url = f"/admin/staff/{admin.user.id}"
    submit(admin, f"{url}/two-factor/reset", {}, token=csrf_token(admin, url))
    db.session.rollback()
    assert db.session.get(User, admin.user.id).has_two_factor
