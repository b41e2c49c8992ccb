"""The personal page of a waiting person shows their place on the
waitlist; everyone corrects their answers there until registration closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Answer, QuestionKind, Registration
from tests.conftest import csrf_token, registration_form, run_worker, submit
from tests.form_page import FormPage
from tests.mail import link_in
from tests.test_registration_questions import add_question

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
CLOSES = datetime(2026, 7, 3, 21, 59, tzinfo=UTC)


@pytest.fixture
def event(make_event, time_machine):
    time_machine.move_to(NOW, tick=False)
    return make_event(starts_at=EVENT_START, registration_closes_at=CLOSES, capacity=1)


def register(app, client, smtp, email: str, **answers) -> str:
    """Register `email`; the path of its personal page."""
    assert submit(client, URL, registration_form(email=email, **answers)).status_code == 303
    run_worker(app)
    return link_in(smtp.inbox.to(email)[-1], "manage")


def test_a_waiting_person_sees_their_place_on_the_waitlist(app, client, smtp, event, time_machine):
    first = register(app, client, smtp, "erste@example.org")
    time_machine.shift(timedelta(minutes=1))
    second = register(app, client, smtp, "zweite@example.org")
    time_machine.shift(timedelta(minutes=1))
    third = register(app, client, smtp, "dritte@example.org")
    assert "Warteliste: 1." in client.get(second).get_data(as_text=True)
    assert "Warteliste: 2." in client.get(third).get_data(as_text=True)
    assert 'id="waitlist-place"' not in client.get(first).get_data(as_text=True)

    # The first cancels: the second gets the seat, the third moves up.
    assert submit(client, first, {}, csrf_token(client, first + "?cancel=1")).status_code == 303
    assert 'id="waitlist-place"' not in client.get(second).get_data(as_text=True)
    assert "Warteliste: 1." in client.get(third).get_data(as_text=True)


def test_a_waiting_person_corrects_name_phone_notes_and_answers(
    app, client, smtp, event, time_machine
):
    food = add_question(event, QuestionKind.TEXT, "Allergien?", position=1)
    days = add_question(
        event, QuestionKind.MULTIPLE, "Tage?", choices=["Freitag", "Samstag"], position=2
    )
    register(app, client, smtp, "erste@example.org")
    manage = register(
        app, client, smtp, "lena@example.org", **{f"q-{food.id}": "Nüsse", f"q-{days.id}": "0"}
    )
    page = client.get(manage).get_data(as_text=True)
    assert "Allergien?" in page and "Nüsse" in page and "Freitag" in page
    assert "Antworten korrigieren" in page

    form = FormPage(client.get(manage + "edit").get_data(as_text=True))
    assert form.values[f"q-{food.id}"] == "Nüsse"
    change = {
        "first_name": "Lene",
        "last_name": "Schröder",
        "phone": "0381 654321",
        "notes": "Komme später",
        f"q-{food.id}": "",
        f"q-{days.id}": ["0", "1"],
    }
    assert submit(client, manage + "edit", change).status_code == 303
    db.session.rollback()
    registration = db.session.scalar(
        select(Registration).where(Registration.email == "lena@example.org")
    )
    assert (registration.first_name, registration.notes) == ("Lene", "Komme später")
    answers = {a.question_id: a for a in db.session.scalars(select(Answer))}
    assert food.id not in answers  # emptied: no answer kept
    assert answers[days.id].choices == [0, 1]


def test_a_required_answer_cannot_be_emptied(app, client, smtp, event):
    food = add_question(event, QuestionKind.TEXT, "Allergien?", is_required=True)
    manage = register(app, client, smtp, "lena@example.org", **{f"q-{food.id}": "keine"})
    change = {"first_name": "Lena", "last_name": "Schröder", f"q-{food.id}": ""}
    assert submit(client, manage + "edit", change).status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(Answer.text)) == "keine"


def test_answers_cannot_be_changed_after_registration_closed(
    app, client, smtp, event, time_machine
):
    food = add_question(event, QuestionKind.TEXT, "Allergien?")
    manage = register(app, client, smtp, "lena@example.org", **{f"q-{food.id}": "keine"})
    time_machine.move_to(CLOSES - timedelta(minutes=10), tick=False)
    token = csrf_token(client, manage + "edit")  # the form was left open
    time_machine.move_to(CLOSES + timedelta(minutes=2), tick=False)
    change = {"first_name": "Lena", "last_name": "Schröder", f"q-{food.id}": "Nüsse"}
    assert submit(client, manage + "edit", change, token).status_code == 409
    db.session.rollback()
    assert db.session.scalar(select(Answer.text)) == "keine"
