"""Moving people up from the waitlist on the staff side: the button is
offered only when it can succeed (the rule lives in services/participants),
and every staff action that moves people up says who, by name."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, EventStatus, Registration, RegistrationStatus
from services.participants import promotion_refusal
from tests.conftest import csrf_token, submit
from tests.test_admin_events import event_form

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
STARTS = datetime(2026, 9, 18, 8, 0, tzinfo=UTC)  # 10:00 in Rostock, as in event_form()
CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def admin(staff_client):
    return staff_client("admin", language="en")


def participants_page(client, event) -> str:
    return client.get(f"/admin/events/{event.id}/participants").get_data(as_text=True)


def promote_buttons(html: str) -> list[str]:
    return re.findall(r'action="/admin/events/\d+/participants/(\d+)/promote', html)


def status_of(registration: Registration) -> RegistrationStatus:
    db.session.rollback()
    return db.session.get(Registration, registration.id).status


def following(client, response) -> str:
    assert response.status_code == 303, response.status_code
    return client.get(response.location).get_data(as_text=True)


# Offered only when it can succeed


def test_give_a_place_is_offered_when_a_place_is_free(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=2)
    make_registration(event, status=CONFIRMED)
    waiting = make_registration(event, status=WAITLISTED)
    html = participants_page(admin, event)
    assert promote_buttons(html) == [str(waiting.id)]
    assert "Nobody can be moved up" not in html


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"capacity": 1}, "No place is free. Remove someone or raise the capacity first."),
        ({"status": EventStatus.CANCELLED}, "This event is cancelled."),
        ({"status": EventStatus.DRAFT}, "This event is a draft; publish it first."),
        ({"starts_at": NOW - timedelta(days=1)}, "This event is over."),
    ],
)
def test_give_a_place_is_not_offered_when_it_would_be_refused(
    admin, make_event, make_registration, overrides, reason
):
    event = make_event(**({"starts_at": STARTS, "capacity": 3} | overrides))
    make_registration(event, status=CONFIRMED)
    waiting = make_registration(event, status=WAITLISTED)

    html = participants_page(admin, event)
    assert promote_buttons(html) == []
    assert f"Nobody can be moved up from the waitlist now: {reason}" in html

    # The rule the page asks is the one the action applies.
    url = f"/admin/events/{event.id}/participants/{waiting.id}/promote"
    token = csrf_token(admin, f"/admin/events/{event.id}/participants")
    assert reason in following(admin, submit(admin, url, {}, token=token))
    assert status_of(waiting) is WAITLISTED


def test_no_hint_about_the_waitlist_when_nobody_waits(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    assert "Nobody can be moved up" not in participants_page(admin, event)


def test_a_place_can_be_given_at_the_door_until_the_event_ends(app, make_event):
    event = make_event(starts_at=NOW - timedelta(hours=1), capacity=5)
    with app.test_request_context("/admin/"):
        assert promotion_refusal(event, held=2, now=NOW) is None
        assert promotion_refusal(event, held=2, now=event.ends_at) == (
            "Diese Veranstaltung ist vorbei."
        )


# Saying who moved up


def test_more_capacity_on_the_event_form_says_who_moved_up(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    anna = make_registration(event, status=WAITLISTED, first_name="Anna", last_name="Albers")
    ben = make_registration(event, status=WAITLISTED, first_name="Ben", last_name="Bauer")
    carl = make_registration(event, status=WAITLISTED, first_name="Carl", last_name="Claus")

    form = event_form(slug=event.slug, capacity="3")
    html = following(admin, submit(admin, f"/admin/events/{event.id}/edit", form))

    assert "The event has been saved." in html
    assert (
        "2 people moved up from the waitlist and are told by email: Anna Albers, Ben Bauer." in html
    )
    assert [status_of(r) for r in (anna, ben, carl)] == [
        RegistrationStatus.PENDING,
        RegistrationStatus.PENDING,
        WAITLISTED,
    ]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert entry.details["promoted"] == [anna.id, ben.id]


def test_saving_without_a_free_place_says_nobody_moved_up(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    make_registration(event, status=WAITLISTED)
    form = event_form(slug=event.slug, capacity="1")
    html = following(admin, submit(admin, f"/admin/events/{event.id}/edit", form))
    assert "The event has been saved." in html
    assert "moved up" not in html


def test_lifting_the_limit_moves_everyone_up(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    waiting = [make_registration(event, status=WAITLISTED, first_name=f"W{n}") for n in range(3)]

    form = event_form(slug=event.slug, capacity="")
    html = following(admin, submit(admin, f"/admin/events/{event.id}/edit", form))

    assert "3 people moved up from the waitlist" in html
    assert {status_of(r) for r in waiting} == {RegistrationStatus.PENDING}


def test_a_long_list_of_names_is_cut_short(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    for n in range(12):
        make_registration(event, status=WAITLISTED, first_name=f"P{n:02d}", last_name="Wartend")
    form = event_form(slug=event.slug, capacity="20")
    html = following(admin, submit(admin, f"/admin/events/{event.id}/edit", form))
    assert "12 people moved up from the waitlist and are told by email: P00 Wartend" in html
    assert "P09 Wartend and 2 more." in html and "P10 Wartend" not in html


def test_removing_someone_says_who_moved_up(admin, make_event, make_registration):
    event = make_event(starts_at=STARTS, capacity=1)
    leaving = make_registration(event, status=CONFIRMED, first_name="Lea")
    make_registration(event, status=WAITLISTED, first_name="Ben", last_name="Bauer")
    url = f"/admin/events/{event.id}/participants/{leaving.id}/remove"
    token = csrf_token(admin, f"/admin/events/{event.id}/participants")
    html = following(admin, submit(admin, url, {}, token=token))
    assert "1 person moved up from the waitlist and is told by email: Ben Bauer." in html


def test_german_notice_names_who_moved_up(staff_client, make_event, make_registration):
    admin = staff_client("admin")  # German
    event = make_event(starts_at=STARTS, capacity=1)
    make_registration(event, status=CONFIRMED)
    make_registration(event, status=WAITLISTED, first_name="Jürgen", last_name="Groß")
    form = event_form(slug=event.slug, capacity="2")
    html = following(admin, submit(admin, f"/admin/events/{event.id}/edit", form))
    assert (
        "1 Person ist von der Warteliste nachgerückt und wird per E-Mail benachrichtigt: "
        "Jürgen Groß." in html
    )
