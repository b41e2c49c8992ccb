"""SPEC rule 3: seats are held by pending and confirmed registrations; when
full, the waitlist or a refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from services.seats import held_seats
from tests.conftest import csrf_token, registration_form, submit

URL = "/de/events/forumtheater/register"


def statuses(event_id: int) -> list[RegistrationStatus]:
    return list(
        db.session.scalars(
            select(Registration.status)
            .where(Registration.event_id == event_id)
            .order_by(Registration.id)
        )
    )


def test_pending_and_confirmed_hold_seats_others_do_not(make_event, make_registration):
    event = make_event(capacity=10)
    for status in RegistrationStatus:
        make_registration(event, status=status)
    assert held_seats(db.session, event.id) == 2


def test_fully_booked_without_waitlist_is_refused_and_stores_nothing(
    client, make_event, make_registration
):
    event = make_event(capacity=1, has_waitlist=False)
    token = csrf_token(client, URL)  # the last seat goes while the form is open
    make_registration(event, status=RegistrationStatus.PENDING)
    response = submit(client, URL, registration_form(), token)
    assert response.status_code == 409
    assert "ausgebucht" in response.get_data(as_text=True)
    assert len(statuses(event.id)) == 1


def test_fully_booked_with_waitlist_puts_the_next_person_on_it(
    client, make_event, make_registration
):
    event = make_event(capacity=1, has_waitlist=True)
    make_registration(event, status=RegistrationStatus.CONFIRMED)
    assert submit(client, URL, registration_form()).status_code == 303
    assert statuses(event.id) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_a_free_seat_gives_a_pending_registration(client, make_event):
    event = make_event(capacity=1)
    assert submit(client, URL, registration_form()).status_code == 303
    assert statuses(event.id) == [RegistrationStatus.PENDING]


def test_a_cancelled_registration_frees_its_seat(client, make_event, make_registration):
    event = make_event(capacity=1, has_waitlist=False)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    assert submit(client, URL, registration_form()).status_code == 303
    assert statuses(event.id)[-1] is RegistrationStatus.PENDING


def test_no_capacity_means_unlimited(client, make_event, make_registration):
    event = make_event(capacity=None, has_waitlist=False)
    for _ in range(30):
        make_registration(event)
    assert submit(client, URL, registration_form()).status_code == 303
    assert statuses(event.id)[-1] is RegistrationStatus.PENDING


@pytest.mark.parametrize("email", ["lena@example.org", "LENA@Example.org"])
def test_the_same_email_twice_creates_nothing_new_and_looks_the_same(client, make_event, email):
    event = make_event(capacity=5)
    first = submit(client, URL, registration_form())
    second = submit(client, URL, registration_form(email=email, first_name="Other"))
    assert (first.status_code, first.location) == (second.status_code, second.location)
    assert len(statuses(event.id)) == 1


def test_event_page_shows_seats_left_and_the_waitlist(client, make_event, make_registration):
    event = make_event(capacity=2, has_waitlist=True)
    make_registration(event)
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "1 von 2 Plätzen frei" in page
    make_registration(event, status=RegistrationStatus.PENDING)
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "Ausgebucht – Warteliste offen" in page
    assert "Auf die Warteliste" in page


def test_event_page_says_fully_booked_without_waitlist(client, make_event, make_registration):
    event = make_event(capacity=1, has_waitlist=False)
    make_registration(event)
    page = client.get("/de/events/forumtheater/").get_data(as_text=True)
    assert "Ausgebucht" in page
    assert "/de/events/forumtheater/register" not in page
