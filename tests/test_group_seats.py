"""All-or-nothing seats for a group: it takes its seats together or waits
together, promotion moves a waiting group up only when all of it fits, and
nobody behind a waiting group overtakes it unless the event lets smaller
registrations fill the free seats (the event page says which rule holds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationGroup, RegistrationStatus
from services import lifecycle, notifications
from tests.conftest import registration_form, submit

URL = "/de/events/forumtheater/register"
CONFIRMED, PENDING = RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING
WAITLISTED, CANCELLED = RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def born(age: int) -> str:
    return (datetime.now(UTC) - timedelta(days=365 * age + 100)).date().isoformat()


def group_form(email: str, names: list[str]) -> dict[str, str]:
    """The contact takes no seat; `names` are the participants."""
    form = registration_form(email=email, first_name="Kontakt", date_of_birth="")
    for index, name in enumerate(names):
        form |= {
            f"others-{index}-first_name": name,
            f"others-{index}-last_name": "Gruppe",
            f"others-{index}-date_of_birth": born(17),
        }
    return form


def statuses(event_id: int) -> dict[str, RegistrationStatus]:
    db.session.rollback()
    return {
        r.first_name: r.status
        for r in db.session.scalars(select(Registration).where(Registration.event_id == event_id))
    }


def make_group(make_registration, event, names, status=WAITLISTED):
    group = RegistrationGroup(event_id=event.id, contact_first_name="K", contact_last_name="G")
    db.session.add(group)
    db.session.commit()
    return [
        make_registration(event, status=status, first_name=name, group_id=group.id)
        for name in names
    ]


def cancel(event, *registrations):
    event = db.session.merge(event)
    lifecycle.end(
        db.session,
        event,
        [db.session.merge(r) for r in registrations],
        CANCELLED,
        datetime.now(UTC),
        notifications.registration_cancelled,
    )
    db.session.commit()


def test_a_group_that_fits_takes_its_seats_together(client, make_event):
    event = make_event(capacity=3, max_group_size=4, min_age=None, max_age=None)
    assert submit(client, URL, group_form("a@example.org", ["A1", "A2", "A3"])).status_code == 303
    assert statuses(event.id) == {"A1": PENDING, "A2": PENDING, "A3": PENDING}


def test_a_group_that_does_not_fit_waits_all_together(client, make_event, make_registration):
    event = make_event(capacity=3, max_group_size=4, min_age=None, max_age=None)
    make_registration(event, first_name="Früh")
    assert submit(client, URL, group_form("a@example.org", ["A1", "A2", "A3"])).status_code == 303
    assert statuses(event.id) == {
        "Früh": CONFIRMED,
        "A1": WAITLISTED,
        "A2": WAITLISTED,
        "A3": WAITLISTED,
    }


def test_without_a_waitlist_a_group_that_does_not_fit_is_refused(
    client, make_event, make_registration
):
    event = make_event(capacity=3, max_group_size=4, has_waitlist=False, min_age=None, max_age=None)
    make_registration(event, first_name="Früh")
    response = submit(client, URL, group_form("a@example.org", ["A1", "A2", "A3"]))
    assert response.status_code == 409
    assert "nur noch 2 Plätze frei" in response.get_data(as_text=True)
    assert statuses(event.id) == {"Früh": CONFIRMED}


def test_a_later_single_does_not_jump_a_waiting_group(client, make_event, make_registration):
    event = make_event(capacity=3, max_group_size=4, min_age=None, max_age=None)
    make_registration(event, first_name="Früh")
    make_registration(event, first_name="Auch")
    make_group(make_registration, event, ["G1", "G2"])
    late = registration_form(first_name="Spät", contact_takes_part="y")
    assert submit(client, URL, late).status_code == 303
    assert statuses(event.id)["Spät"] is WAITLISTED


def test_with_fill_with_smaller_a_single_takes_the_seat_a_group_does_not_fit(
    client, make_event, make_registration
):
    event = make_event(
        capacity=3, max_group_size=4, fill_with_smaller=True, min_age=None, max_age=None
    )
    make_registration(event, first_name="Früh")
    make_registration(event, first_name="Auch")
    make_group(make_registration, event, ["G1", "G2"])
    late = registration_form(first_name="Spät", contact_takes_part="y")
    assert submit(client, URL, late).status_code == 303
    assert statuses(event.id)["Spät"] is PENDING


def test_promotion_waits_until_the_whole_group_fits(make_event, make_registration):
    event = make_event(capacity=2, max_group_size=3)
    first = make_registration(event, first_name="Eins")
    second = make_registration(event, first_name="Zwei")
    make_group(make_registration, event, ["G1", "G2"])
    cancel(event, first)
    assert statuses(event.id)["G1"] is WAITLISTED and statuses(event.id)["G2"] is WAITLISTED
    cancel(event, second)
    assert statuses(event.id)["G1"] is PENDING and statuses(event.id)["G2"] is PENDING


def test_nobody_behind_a_waiting_group_moves_up_past_it(make_event, make_registration):
    event = make_event(capacity=2, max_group_size=3)
    first = make_registration(event, first_name="Eins")
    make_registration(event, first_name="Zwei")
    make_group(make_registration, event, ["G1", "G2"])
    make_registration(event, status=WAITLISTED, first_name="Single")
    cancel(event, first)
    assert statuses(event.id)["Single"] is WAITLISTED
    assert statuses(event.id)["G1"] is WAITLISTED


def test_fill_with_smaller_lets_a_single_behind_a_group_move_up(make_event, make_registration):
    event = make_event(capacity=2, max_group_size=3, fill_with_smaller=True)
    first = make_registration(event, first_name="Eins")
    make_registration(event, first_name="Zwei")
    make_group(make_registration, event, ["G1", "G2"])
    make_registration(event, status=WAITLISTED, first_name="Single")
    cancel(event, first)
    assert statuses(event.id)["Single"] is PENDING
    assert statuses(event.id)["G1"] is WAITLISTED


def test_the_event_page_states_the_rule(client, make_event):
    event = make_event(capacity=5, max_group_size=4)
    page = client.get("/en/events/forumtheater/").get_data(as_text=True)
    assert "Up to 4 people can register together" in page
    assert "nobody overtakes a waiting group" in page
    event = db.session.merge(event)
    event.fill_with_smaller = True
    db.session.commit()
    page = client.get("/en/events/forumtheater/").get_data(as_text=True)
    assert "smaller registrations behind it may take them" in page
