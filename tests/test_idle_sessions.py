"""SPEC "Staff accounts": a staff session ends after STAFF_IDLE_MINUTES
(default 60) without a request, and the sign-in page says why. The clock
is moved, never slept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def test_the_default_is_sixty_minutes(app):
    assert app.config["STAFF_IDLE_MINUTES"] == 60


def test_a_session_in_use_goes_on(staff_client, clock):
    client = staff_client("organiser")
    for minutes in (59, 118, 177):
        clock.move_to(NOW + timedelta(minutes=minutes), tick=False)
        assert client.get("/admin/events/").status_code == 200


def test_an_idle_session_ends_and_the_login_page_says_why(staff_client, clock):
    client = staff_client("organiser", language="en")
    assert client.get("/admin/events/").status_code == 200
    clock.move_to(NOW + timedelta(minutes=60), tick=False)
    response = client.get("/admin/events/")
    assert response.status_code == 303 and response.location.endswith("/admin/login")
    page = client.get(response.location).get_data(as_text=True)
    assert "signed out because there was no activity for 60 minutes" in page
    assert client.get("/admin/events/").status_code == 302  # the session is gone


def test_the_limit_follows_the_setting(app, staff_client, clock):
    app.config["STAFF_IDLE_MINUTES"] = 15
    client = staff_client("organiser", language="de")
    clock.move_to(NOW + timedelta(minutes=16), tick=False)
    response = client.get("/admin/events/", follow_redirects=True)
    assert "15 Minuten lang nichts geschehen" in response.get_data(as_text=True)


def test_a_cookie_kept_from_before_cannot_stretch_the_session(app, staff_client, clock):
    client = staff_client("organiser")
    old_cookie = client.get_cookie("session").value
    clock.move_to(NOW + timedelta(minutes=30), tick=False)
    assert client.get("/admin/events/").status_code == 200
    clock.move_to(NOW + timedelta(minutes=61), tick=False)
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/admin/events/").status_code == 303


def test_public_pages_are_not_touched(staff_client, client, clock):
    staff = staff_client("organiser")
    clock.move_to(NOW + timedelta(hours=3), tick=False)
    assert staff.get("/de/").status_code == 200
