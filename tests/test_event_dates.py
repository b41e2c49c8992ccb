"""An event ends after it starts: the service refuses anything else, for
every caller, and the form shows the refusal at the end field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from blueprints.admin.event_forms import EventEditForm
from extensions import db
from models import Event, EventStatus
from services import event_admin
from tests.conftest import submit
from tests.test_admin_events import NOW, event_form

STARTS = datetime(2026, 9, 18, 8, 0, tzinfo=UTC)


def event_data(**overrides) -> event_admin.EventData:
    fields = {
        "slug": "forumtheater",
        "texts": {"de": {"title": "Workshop Forumtheater"}},
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=6),
        "has_start_time": True,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "min_age": None,
        "max_age": None,
        "capacity": None,
        "has_waitlist": False,
        "guardian_consent_below_age": 16,
        "status": EventStatus.DRAFT,
    } | overrides
    return event_admin.EventData(**fields)


@pytest.mark.parametrize("ends_at", [STARTS, STARTS - timedelta(minutes=1)])
def test_an_event_that_ends_before_it_starts_is_refused(app, make_user, ends_at):
    admin = make_user("admin")
    with app.test_request_context("/admin/"), pytest.raises(event_admin.EventRefused) as refused:
        event_admin.create_event(db.session, event_data(ends_at=ends_at), admin)
    assert set(refused.value.errors) == {"ends_at"}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_change_that_puts_the_end_before_the_start_is_refused(app, make_user):
    admin = make_user("admin")
    event = event_admin.create_event(db.session, event_data(), admin)
    refusal = pytest.raises(event_admin.EventRefused)
    with app.test_request_context("/admin/"), refusal as refused:
        event_admin.update_event(
            db.session, event.id, event_data(ends_at=STARTS - timedelta(hours=1)), admin, NOW
        )
    assert set(refused.value.errors) == {"ends_at"}
    assert db.session.get(Event, event.id).ends_at == STARTS + timedelta(hours=6)


def test_the_form_shows_the_services_refusal_at_the_end_field(
    staff_client, time_machine, monkeypatch
):
    time_machine.move_to(NOW, tick=False)
    # Without the form's own check, the service's refusal is what is shown.
    monkeypatch.setattr(EventEditForm, "validate_ends_at", lambda form, field: None)
    admin = staff_client("admin", language="en")
    response = submit(admin, "/admin/events/new", event_form(ends_at="2026-09-18T09:00"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="ends_at-error">The end must be after the start.' in page
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
