"""The personal page from every email: a participant corrects their name,
phone and notes until registration closes, checked as on the registration
form; email, birth date and guardian stay as registered, and the page says why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.conftest import csrf_token, registration_form, run_worker, submit
from tests.form_page import FormPage
from tests.mail import link_in

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
CLOSES = datetime(2026, 7, 3, 21, 59, tzinfo=UTC)  # 03.07.2026 23:59 in Rostock
CHANGE = {
    "first_name": "Lene",
    "last_name": "Schroeder-Paulsen",
    "phone": "0381 654321",
    "notes": "Vegan",
}
WHY = (
    "E-Mail-Adresse, Geburtsdatum und Elternteil oder erziehungsberechtigte Person "
    "können hier nicht geändert werden"
)


@pytest.fixture
def manage(app, client, smtp, make_event, time_machine) -> str:
    """Lena registered; the path of her personal page."""
    time_machine.move_to(NOW, tick=False)
    make_event(starts_at=EVENT_START, registration_closes_at=CLOSES)
    assert submit(client, URL, registration_form(notes="Vegetarisch")).status_code == 303
    run_worker(app)
    return link_in(smtp.inbox.to("lena@example.org")[0], "manage")


def stored() -> Registration:
    db.session.rollback()
    return db.session.scalars(select(Registration)).one()


def details(row: Registration) -> dict[str, str | None]:
    return {name: getattr(row, name) for name in CHANGE}


def test_a_participant_corrects_name_phone_and_notes(client, manage):
    page = client.get(manage).get_data(as_text=True)
    assert f'href="{manage}edit"' in page and "Meine Angaben ändern" in page
    form = FormPage(client.get(manage + "edit").get_data(as_text=True))
    assert (form.values["first_name"], form.values["notes"]) == ("Lena", "Vegetarisch")

    response = submit(client, manage + "edit", CHANGE)
    assert (response.status_code, response.location) == (303, manage)
    assert details(stored()) == CHANGE
    page = client.get(manage).get_data(as_text=True)
    assert "Ihre Änderungen sind gespeichert." in page and "Lene Schroeder-Paulsen" in page


def test_phone_and_notes_can_be_emptied(client, manage):
    assert submit(client, manage + "edit", CHANGE | {"phone": "", "notes": ""}).status_code == 303
    assert (stored().phone, stored().notes) == (None, None)


def test_a_change_is_checked_like_the_form_with_every_error_at_once(client, manage):
    bad = {"first_name": "", "last_name": "Sch\x1broder", "phone": "anrufen!", "notes": "x" * 1001}
    response = submit(client, manage + "edit", bad)
    assert response.status_code == 422
    page = FormPage(response.get_data(as_text=True))
    assert set(page.errors) == {"first_name", "last_name", "phone", "notes"}
    assert page.errors["first_name"].strip() == "Bitte füllen Sie dieses Feld aus."
    assert "Telefonnummer" in page.errors["phone"]
    assert page.values["phone"] == "anrufen!"  # kept as typed
    assert details(stored()) == {
        "first_name": "Lena",
        "last_name": "Schröder",
        "phone": None,
        "notes": "Vegetarisch",
    }


def test_email_birth_date_and_guardian_stay_as_registered_and_the_page_says_why(client, manage):
    before = stored()
    born, email = before.date_of_birth, before.email
    page = client.get(manage + "edit").get_data(as_text=True)
    assert WHY in page
    assert 'name="email"' not in page and 'name="date_of_birth"' not in page
    forged = CHANGE | {
        "email": "other@example.org",
        "date_of_birth": "2001-01-01",
        "guardian_email": "x@example.org",
    }
    assert submit(client, manage + "edit", forged).status_code == 303
    after = stored()
    assert (after.email, after.date_of_birth, after.guardian_email) == (email, born, None)
    assert WHY in client.get(manage).get_data(as_text=True)


def test_until_the_deadline_minute_changes_are_possible(client, manage, time_machine):
    time_machine.move_to(CLOSES + timedelta(seconds=59), tick=False)
    assert submit(client, manage + "edit", CHANGE).status_code == 303


def test_after_the_deadline_the_page_says_it_can_no_longer_be_changed(client, manage, time_machine):
    time_machine.move_to(CLOSES - timedelta(minutes=10), tick=False)
    token = csrf_token(client, manage + "edit")
    time_machine.move_to(CLOSES + timedelta(minutes=1), tick=False)
    closed = "Die Anmeldung wurde am 3. Juli 2026, 23:59 Uhr geschlossen"
    page = client.get(manage).get_data(as_text=True)
    assert closed in page and f'href="{manage}edit"' not in page
    page = client.get(manage + "edit").get_data(as_text=True)
    assert closed in page and 'name="first_name"' not in page

    response = submit(client, manage + "edit", CHANGE, token)  # the form was left open
    assert response.status_code == 409
    assert stored().first_name == "Lena"


def test_a_cancelled_registration_cannot_be_changed(client, manage):
    token = csrf_token(client, manage + "edit")
    submit(client, manage + "?cancel=1", {})
    assert stored().status is RegistrationStatus.CANCELLED
    page = client.get(manage + "edit").get_data(as_text=True)
    assert "nicht mehr aktiv" in page and 'name="first_name"' not in page
    assert submit(client, manage + "edit", CHANGE, token).status_code == 409
    assert stored().first_name == "Lena"


def test_a_wrong_link_gets_the_friendly_page(client, manage):
    response = client.get("/de/registrations/" + "x" * 43 + "/edit")
    assert response.status_code == 404
    assert "Dieser Link ist nicht mehr gültig" in response.get_data(as_text=True)
    assert stored().date_of_birth < date.today()
