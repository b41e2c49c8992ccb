"""SPEC rules 4, 7 and 13 in the worker: unconfirmed registrations expire
after PENDING_HOURS and free their seat; reminders go out once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.conftest import confirm_email, registration_form, run_worker, submit
from tests.mail import link_in

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)


def status_of(email: str) -> RegistrationStatus:
    db.session.rollback()
    return db.session.scalar(select(Registration.status).where(Registration.email == email))


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(NOW, tick=False)
    return make_event(starts_at=EVENT_START, capacity=1, has_waitlist=True)


def test_unconfirmed_registration_expires_after_pending_hours_and_frees_the_seat(
    app, client, smtp, workshop, time_machine
):
    submit(client, URL, registration_form(email="slow@example.org"))
    submit(client, URL, registration_form(email="next@example.org"))

    time_machine.move_to(NOW + timedelta(hours=47, minutes=59), tick=False)
    assert run_worker(app).expired == 0
    assert status_of("slow@example.org") is RegistrationStatus.PENDING

    time_machine.move_to(NOW + timedelta(hours=48), tick=False)
    assert run_worker(app).expired == 1
    assert status_of("slow@example.org") is RegistrationStatus.EXPIRED
    assert status_of("next@example.org") is RegistrationStatus.PENDING
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert "Ihre Anmeldung ist abgelaufen: Workshop Forumtheater" in subjects
    assert "Sie haben einen Platz: Workshop Forumtheater" in subjects


def test_an_expired_registrations_confirmation_link_no_longer_works(
    app, client, smtp, workshop, time_machine
):
    submit(client, URL, registration_form(email="slow@example.org"))
    run_worker(app)
    link = link_in(smtp.inbox.to("slow@example.org")[0], "confirm")
    time_machine.move_to(NOW + timedelta(hours=49), tick=False)
    run_worker(app)
    assert client.get(link).status_code == 404
    assert status_of("slow@example.org") is RegistrationStatus.EXPIRED


def test_a_promoted_person_gets_pending_hours_from_the_promotion(
    app, client, smtp, workshop, time_machine
):
    submit(client, URL, registration_form(email="slow@example.org"))
    submit(client, URL, registration_form(email="next@example.org"))
    time_machine.move_to(NOW + timedelta(hours=48), tick=False)
    run_worker(app)  # slow expires, next is promoted now
    time_machine.move_to(NOW + timedelta(hours=95), tick=False)
    run_worker(app)
    assert status_of("next@example.org") is RegistrationStatus.PENDING
    time_machine.move_to(NOW + timedelta(hours=96), tick=False)
    run_worker(app)
    assert status_of("next@example.org") is RegistrationStatus.EXPIRED


def test_confirmed_participants_are_reminded_two_days_before_once(
    app, client, smtp, workshop, time_machine
):
    submit(client, URL, registration_form(email="lena@example.org"))
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("lena@example.org")[0], "confirm"))
    run_worker(app)
    before = len(smtp.inbox.messages)

    time_machine.move_to(EVENT_START - timedelta(days=2, minutes=1), tick=False)
    assert run_worker(app).reminders == 0
    time_machine.move_to(EVENT_START - timedelta(days=2), tick=False)
    assert run_worker(app).reminders == 1
    assert run_worker(app).reminders == 0
    reminders = smtp.inbox.messages[before:]
    assert [m["Subject"] for m in reminders] == ["Erinnerung: Workshop Forumtheater"]
    # The calendar file and the check-in code's QR image.
    assert [a.get_content_type() for a in reminders[0].iter_attachments()] == [
        "text/calendar",
        "image/png",
    ]


def test_pending_and_waitlisted_people_get_no_reminder(app, client, smtp, workshop, time_machine):
    submit(client, URL, registration_form(email="pending@example.org"))
    submit(client, URL, registration_form(email="waiting@example.org"))
    time_machine.move_to(EVENT_START - timedelta(days=1), tick=False)
    report = run_worker(app)
    assert report.reminders == 0
