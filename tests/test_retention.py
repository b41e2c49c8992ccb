"""SPEC rule 10: participants' personal data is anonymised RETENTION_DAYS
after the event ended; the counts by status stay."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, OutboxMessage, Registration, RegistrationStatus, RegistrationToken
from tests.conftest import registration_form, run_worker, submit

EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
EVENT_END = EVENT_START + timedelta(hours=3)


@pytest.fixture
def finished_event(client, make_event, make_registration, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, tzinfo=UTC), tick=False)
    event = make_event(starts_at=EVENT_START, capacity=2)
    submit(
        client,
        "/de/events/forumtheater/register",
        registration_form(email="lena@example.org", phone="0381 123456", notes="vegetarisch"),
    )
    make_registration(
        event,
        status=RegistrationStatus.CONFIRMED,
        date_of_birth=date(2010, 5, 1),
        guardian_name="Eva",
        guardian_email="eva@example.org",
    )
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    return event


def registrations() -> list[Registration]:
    db.session.rollback()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def test_nothing_is_anonymised_before_retention_days_have_passed(app, finished_event, time_machine):
    time_machine.move_to(EVENT_END + timedelta(days=90) - timedelta(seconds=1), tick=False)
    assert run_worker(app).anonymised == 0
    assert registrations()[0].email == "lena@example.org"


def test_personal_data_is_anonymised_retention_days_after_the_event(
    app, finished_event, time_machine
):
    time_machine.move_to(EVENT_END + timedelta(days=1), tick=False)
    run_worker(app)  # the unconfirmed registration has expired by now
    before = Counter(r.status for r in registrations())
    time_machine.move_to(EVENT_END + timedelta(days=90, seconds=1), tick=False)
    assert run_worker(app).anonymised == 4

    rows = registrations()
    assert Counter(r.status for r in rows) == before  # the statistics stay
    for row in rows:
        assert (row.first_name, row.last_name, row.email, row.email_key) == ("", "", "", "")
        assert (
            row.date_of_birth
            is row.guardian_name
            is row.guardian_email
            is row.phone
            is row.notes
            is None
        )
        assert row.anonymised_at is not None
    assert db.session.scalar(select(func.count()).select_from(RegistrationToken)) == 0
    for message in db.session.scalars(select(OutboxMessage)):
        assert (
            "lena"
            not in f"{message.recipient}{message.subject}{message.body_text}{message.body_html}"
        )
    assert (
        db.session.scalar(
            select(AuditEntry.row_count).where(AuditEntry.action == "retention.purge")
        )
        == 4
    )


def test_purging_twice_changes_nothing_the_second_time(app, runner, finished_event, time_machine):
    time_machine.move_to(EVENT_END + timedelta(days=91), tick=False)
    assert "anonymised: 4" in runner.invoke(args=["purge-personal-data"]).output
    assert "anonymised: 0" in runner.invoke(args=["purge-personal-data"]).output
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "retention.purge")
        )
        == 1
    )


def test_retention_days_come_from_the_setting(app, finished_event, time_machine):
    app.config["RETENTION_DAYS"] = 7
    time_machine.move_to(EVENT_END + timedelta(days=7, seconds=1), tick=False)
    assert run_worker(app).anonymised == 4


def test_other_events_keep_their_data(
    app, finished_event, make_event, make_registration, time_machine
):
    later = make_event(slug="later", starts_at=EVENT_START + timedelta(days=200))
    kept = make_registration(later, email="kept@example.org")
    time_machine.move_to(EVENT_END + timedelta(days=91), tick=False)
    run_worker(app)
    db.session.rollback()
    assert db.session.get(Registration, kept.id).email == "kept@example.org"
