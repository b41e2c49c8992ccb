"""After the event: the participants page shows who came, and the message
form can write to those who had a place and did not come."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, OutboxMessage, RegistrationStatus
from tests.conftest import csrf_token, submit

EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
AFTER = EVENT_START + timedelta(days=1)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AFTER, tick=False)


@pytest.fixture
def ended(make_event, make_registration):
    event = make_event(starts_at=EVENT_START, capacity=20)
    came = make_registration(event, first_name="Ada", email="ada@example.org")
    came.checked_in_at = EVENT_START
    make_registration(event, first_name="Bo", email="bo@example.org")
    make_registration(
        event, first_name="Cy", email="cy@example.org", status=RegistrationStatus.CANCELLED
    )
    make_registration(
        event, first_name="Di", email="di@example.org", status=RegistrationStatus.WAITLISTED
    )
    db.session.commit()
    return event


def page(event) -> str:
    return f"/admin/events/{event.id}/participants"


def names(html: str) -> set[str]:
    return {name for name in ("Ada", "Bo", "Cy", "Di") if f"{name} Beispiel" in html}


def test_the_participants_page_shows_who_came_and_who_did_not(staff_client, ended):
    admin = staff_client("admin", language="en")
    html = admin.get(page(ended)).get_data(as_text=True)
    assert "Who had a place but did not come" in html
    assert names(admin.get(page(ended) + "?attendance=came").get_data(as_text=True)) == {"Ada"}
    no_shows = admin.get(page(ended) + "?attendance=no_show").get_data(as_text=True)
    assert names(no_shows) == {"Bo"}


def test_a_message_reaches_only_those_who_did_not_come(staff_client, ended):
    admin = staff_client("admin", language="en")
    response = submit(
        admin,
        page(ended) + "/message",
        {"statuses": ["no_show"], "subject_de": "Schade", "body_de": "Wir haben Sie vermisst."},
        token=csrf_token(admin, page(ended)),
    )
    assert response.status_code == 303
    db.session.rollback()
    recipients = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "staff_message")
    ).all()
    assert recipients == ["bo@example.org"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "participants.message"))
    assert entry.details["statuses"] == ["no_show"]
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "Had a place but did not come" in log


def test_the_message_form_offers_the_no_shows(staff_client, ended):
    html = staff_client("admin", language="en").get(page(ended)).get_data(as_text=True)
    assert 'value="no_show"' in html
