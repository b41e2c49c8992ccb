"""Group registration on the form: further participants as fixed rows
(`others-N-…`), `contact_takes_part`, every participant's age, one guardian
for the group's minors, all errors in one round, and more people than the
event allows refused with nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Registration, RegistrationGroup, RegistrationStatus
from tests.conftest import registration_form, submit

URL = "/de/events/forumtheater/register"


def born(age: int) -> str:
    return (
        (datetime.now(UTC) + timedelta(days=30) - timedelta(days=365 * age + 100))
        .date()
        .isoformat()
    )


def rows(event_id: int) -> list[Registration]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
        )
    )


def others(*people: tuple[str, str, str]) -> dict[str, str]:
    data = {}
    for index, (first, last, day) in enumerate(people):
        data |= {
            f"others-{index}-first_name": first,
            f"others-{index}-last_name": last,
            f"others-{index}-date_of_birth": day,
        }
    return data


def test_an_event_for_one_person_each_shows_the_form_as_before(client, make_event):
    make_event()
    page = client.get(URL).get_data(as_text=True)
    assert "others-0-first_name" not in page
    assert "contact_takes_part" not in page


def test_a_group_event_offers_a_row_for_each_further_person(client, make_event):
    make_event(max_group_size=3)
    page = client.get(URL).get_data(as_text=True)
    assert 'name="others-0-first_name"' in page
    assert 'name="others-1-date_of_birth"' in page
    assert 'name="others-2-first_name"' not in page
    assert 'name="contact_takes_part"' in page and "checked" in page


def test_a_contact_and_a_further_person_are_two_participants_of_one_group(client, make_event):
    event = make_event(max_group_size=3, min_age=None, max_age=None)
    form = registration_form(contact_takes_part="y") | others(("Jonas", "Schröder", born(17)))
    assert submit(client, URL, form).status_code == 303
    registrations = rows(event.id)
    assert [r.first_name for r in registrations] == ["Lena", "Jonas"]
    assert {r.status for r in registrations} == {RegistrationStatus.PENDING}
    assert registrations[0].group_id == registrations[1].group_id is not None
    assert {r.email for r in registrations} == {"lena@example.org"}


def test_a_parent_who_does_not_take_part_takes_no_seat(client, make_event):
    event = make_event(max_group_size=3, min_age=None, max_age=None)
    form = registration_form(first_name="Anna", date_of_birth="") | others(
        ("Emil", "Schröder", born(17)), ("Ida", "Schröder", born(17))
    )
    assert submit(client, URL, form).status_code == 303
    registrations = rows(event.id)
    assert [r.first_name for r in registrations] == ["Emil", "Ida"]
    group = db.session.get(RegistrationGroup, registrations[0].group_id)
    assert group.contact_name == "Anna Schröder" and group.contact_takes_part is False


def test_a_contact_not_taking_part_must_name_somebody(client, make_event):
    event = make_event(max_group_size=3)
    response = submit(client, URL, registration_form(date_of_birth=""))
    assert response.status_code == 422
    assert "mindestens eine Person" in response.get_data(as_text=True)
    assert rows(event.id) == []


def test_every_age_is_checked_and_a_minor_needs_the_guardian_all_in_one_round(client, make_event):
    event = make_event(max_group_size=4, min_age=10, max_age=18)
    form = registration_form(contact_takes_part="y", date_of_birth=born(40)) | others(
        ("Emil", "Schröder", born(12)), ("Ida", "", born(5))
    )
    response = submit(client, URL, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("10 bis 18 Jahre") >= 2  # the contact and Ida
    assert 'id="others-1-last_name-error"' in page
    assert 'id="guardian_name-error"' in page and 'id="guardian_email-error"' in page
    assert rows(event.id) == []


def test_one_guardian_covers_the_group_s_minors(client, make_event):
    event = make_event(max_group_size=3, min_age=None, max_age=None)
    form = registration_form(
        first_name="Anna",
        date_of_birth="",
        guardian_name="Anna Schröder",
        guardian_email="anna.eltern@example.org",
    ) | others(("Emil", "Schröder", born(12)), ("Ida", "Schröder", born(17)))
    assert submit(client, URL, form).status_code == 303
    emil, ida = rows(event.id)
    assert emil.needs_guardian_consent and emil.guardian_email == "anna.eltern@example.org"
    assert not ida.needs_guardian_consent and ida.guardian_email is None


@pytest.mark.parametrize("index", [2, 7])
def test_more_people_than_allowed_are_refused_and_nothing_is_stored(client, make_event, index):
    event = make_event(max_group_size=3, min_age=None, max_age=None)
    form = registration_form(contact_takes_part="y") | others(
        ("A", "B", born(17)), ("C", "D", born(17))
    )
    form |= {
        f"others-{index}-first_name": "Zu",
        f"others-{index}-last_name": "Viel",
        f"others-{index}-date_of_birth": born(17),
    }
    response = submit(client, URL, form)
    assert response.status_code == 422
    assert "Höchstens 3 Personen" in response.get_data(as_text=True)
    assert rows(event.id) == []
    assert db.session.scalar(select(func.count()).select_from(RegistrationGroup)) == 0


def test_an_event_for_one_person_refuses_further_people(client, make_event):
    event = make_event(min_age=None, max_age=None)
    form = registration_form() | others(("Emil", "Schröder", born(17)))
    assert submit(client, URL, form).status_code == 422
    assert rows(event.id) == []


def test_the_event_form_sets_the_group_size_and_the_waitlist_rule(staff_client, time_machine):
    from models import Event
    from tests.test_admin_events import NOW, event_form

    time_machine.move_to(NOW, tick=False)
    organiser = staff_client("organiser")
    page = organiser.get("/admin/events/new").get_data(as_text=True)
    assert 'name="max_group_size"' in page and 'value="1"' in page
    form = event_form(max_group_size="4", fill_with_smaller="y")
    assert submit(organiser, "/admin/events/new", form).status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))
    assert event.max_group_size == 4 and event.fill_with_smaller is True
    copy = organiser.get(f"/admin/events/{event.id}/duplicate").get_data(as_text=True)
    assert 'name="max_group_size"' in copy and 'value="4"' in copy


@pytest.mark.parametrize("size", ["0", "41"])
def test_the_group_size_is_from_one_to_forty(staff_client, time_machine, size):
    from tests.test_admin_events import NOW, event_form

    time_machine.move_to(NOW, tick=False)
    organiser = staff_client("organiser")
    response = submit(organiser, "/admin/events/new", event_form(max_group_size=size))
    assert response.status_code == 422
