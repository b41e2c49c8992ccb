"""One way to end a registration: the person's cancellation, the guardian's
refusal, the organisers' removal, the event's cancellation and the expiry
all go through services.lifecycle.end, which frees the seat and promotes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extensions import db
from models import EventStatus, RegistrationStatus
from services import lifecycle
from services.registration import lock_event

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


def untold(session, registration) -> None:
    """A `tell` that sends nothing."""


def test_ending_a_seat_gives_it_to_the_first_waiting_after_the_ended_is_told(
    make_event, make_registration
):
    event = make_event(capacity=1)
    seated = make_registration(event, status=CONFIRMED, first_name="Anna")
    first = make_registration(event, status=WAITLISTED, first_name="Ben")
    make_registration(event, status=WAITLISTED, first_name="Cem")
    told = []
    event = lock_event(db.session, event.id)
    seated = db.session.get(type(seated), seated.id)
    promoted = lifecycle.end(
        db.session,
        event,
        [seated],
        RegistrationStatus.CANCELLED,
        datetime.now(UTC),
        lambda session, registration: told.append(registration.first_name),
    )
    assert [r.id for r in promoted] == [first.id]
    assert told == ["Anna"]
    assert seated.status is RegistrationStatus.CANCELLED and seated.cancelled_at is not None
    assert promoted[0].status.holds_seat
    db.session.rollback()


def test_seats_freed_by_a_cancelled_event_go_to_nobody(make_event, make_registration):
    event = make_event(capacity=1)
    seated = make_registration(event, status=CONFIRMED)
    make_registration(event, status=WAITLISTED)
    event = lock_event(db.session, event.id)
    event.status = EventStatus.CANCELLED
    seated = db.session.get(type(seated), seated.id)
    now = datetime.now(UTC)
    promoted = lifecycle.end(db.session, event, [seated], RegistrationStatus.CANCELLED, now, untold)
    assert promoted == []
    db.session.rollback()


def test_only_an_ending_status_ends_a_registration(make_event):
    event = make_event()
    with pytest.raises(ValueError):
        lifecycle.end(db.session, event, [], WAITLISTED, datetime.now(UTC), untold)


def test_no_module_beside_lifecycle_sets_an_ending_status():
    root = Path(__file__).resolve().parent.parent
    setters = {
        path.relative_to(root).as_posix()
        for folder in ("blueprints", "services", "models")
        for path in (root / folder).rglob("*.py")
        if re.search(
            r"\.status = RegistrationStatus\.(CANCELLED|EXPIRED)|\.cancelled_at = ",
            path.read_text(),
        )
    }
    assert setters == {"services/lifecycle.py"}
