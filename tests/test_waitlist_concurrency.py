"""SPEC rule 7 under concurrency: two cancellations at the same moment
promote two different people into the two freed seats, never one twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import select

from extensions import db
from models import OutboxMessage, Registration, RegistrationStatus, TokenPurpose
from models.base import utcnow
from services import lifecycle, tokens


def test_two_simultaneous_cancellations_promote_two_different_people(
    app, make_event, make_registration
):
    event = make_event(
        capacity=2, has_waitlist=True, starts_at=datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
    )
    seated = [
        make_registration(event, status=RegistrationStatus.CONFIRMED, email=f"seat{n}@example.org")
        for n in range(2)
    ]
    waiting = [
        make_registration(
            event,
            status=RegistrationStatus.WAITLISTED,
            email=f"wait{n}@example.org",
            email_confirmed_at=utcnow(),
            created_at=datetime(2029, 1, 1, n, tzinfo=UTC),
        )
        for n in range(3)
    ]
    links = [tokens.issue(db.session, r, TokenPurpose.MANAGE, event.ends_at) for r in seated]
    db.session.commit()
    start = threading.Barrier(2)

    def cancel(raw: str) -> None:
        with app.app_context():
            start.wait()
            lifecycle.cancel(db.session, raw, utcnow())

    threads = [threading.Thread(target=cancel, args=(raw,)) for raw in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    db.session.rollback()
    status = dict(db.session.execute(select(Registration.email, Registration.status)).all())
    assert [status[r.email] for r in waiting] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    promoted_mails = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "promoted")
    ).all()
    assert sorted(promoted_mails) == ["wait0@example.org", "wait1@example.org"]


def test_the_service_refuses_to_cancel_after_the_event_ended(app, make_event, make_registration):
    event = make_event(starts_at=datetime(2020, 1, 10, 9, 0, tzinfo=UTC))
    registration = make_registration(event, status=RegistrationStatus.CONFIRMED)
    raw = tokens.issue(
        db.session, registration, TokenPurpose.MANAGE, datetime(2030, 1, 1, tzinfo=UTC)
    )
    db.session.commit()
    lifecycle.cancel(db.session, raw, utcnow())
    db.session.rollback()
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CONFIRMED
