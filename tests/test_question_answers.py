"""Answers to the organiser's questions after registering: on the
participants page, in the exports (one column per question, headed by its
German label, neutralised like every cell), under the retention rule (free
text cleared, choices kept), and questions copied to the next edition."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Answer, AuditEntry, Event, Question, QuestionKind
from services import questions
from tests.conftest import csrf_token, run_worker, submit
from tests.test_admin_events import event_form
from tests.test_exports import csv_rows, export, xlsx_rows
from tests.test_registration_questions import add_question


@pytest.fixture
def answered(make_event, make_registration):
    """An event with a choice and a text question, and one participant who
    answered both (the text starts like a formula)."""
    event = make_event()
    city = add_question(
        event,
        QuestionKind.CHOICE,
        "Welche Partnerstadt?",
        "Which partner city?",
        choices=["Aarhus", "Danzig"],
        choices_en=["Aarhus", "Gdańsk"],
        position=1,
    )
    food = add_question(event, QuestionKind.TEXT, "=Allergien?", position=2)
    registration = make_registration(event, first_name="Mia")
    db.session.add_all(
        [
            Answer(registration_id=registration.id, question_id=city.id, choices=[1]),
            Answer(registration_id=registration.id, question_id=food.id, text="=1+1 Nüsse"),
        ]
    )
    db.session.commit()
    return event, city, food, registration


def test_the_participants_page_shows_the_answers(staff_client, answered):
    event, city, food, registration = answered
    page = staff_client("admin").get(f"/admin/events/{event.id}/participants")
    html = page.get_data(as_text=True)
    assert "Welche Partnerstadt?" in html and "Danzig" in html
    assert "=1+1 Nüsse" in html
    english = staff_client("admin", language="en").get(f"/admin/events/{event.id}/participants")
    assert "Gdańsk" in english.get_data(as_text=True)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_exports_have_one_column_per_question_headed_by_its_german_label(
    staff_client, answered, format
):
    event, city, food, registration = answered
    response = export(staff_client("admin", language="en"), event, format)
    rows = csv_rows(response) if format == "csv" else xlsx_rows(response)
    header, row = rows[0], rows[1]
    assert header[-2] == "Welche Partnerstadt?"
    assert row[-2] == "Gdańsk"  # the words of the staff member's language
    if format == "csv":
        assert header[-1] == "'=Allergien?" and row[-1] == "'=1+1 Nüsse"
    else:
        assert header[-1] == "=Allergien?" and row[-1] == "=1+1 Nüsse"


def test_retention_clears_free_text_and_keeps_the_choices(app, answered, time_machine):
    event, city, food, registration = answered
    time_machine.move_to(event.ends_at + timedelta(days=91), tick=False)
    assert run_worker(app).anonymised == 1
    db.session.rollback()  # the worker committed in its own session
    kept = {a.question_id: a for a in db.session.scalars(select(Answer))}
    assert kept[city.id].choices == [1]
    assert kept[food.id].text is None


def test_the_next_edition_gets_the_questions_without_answers(staff_client, answered):
    event, city, food, registration = answered
    admin = staff_client("admin")
    page = admin.get(f"/admin/events/{event.id}/duplicate").get_data(as_text=True)
    assert f'name="duplicate_of" value="{event.id}"' in page
    form = event_form(slug="forumtheater-neu", duplicate_of=str(event.id))
    assert submit(admin, "/admin/events/new", form).status_code == 303
    copy = db.session.scalar(select(Event).where(Event.slug == "forumtheater-neu"))
    copied = questions.questions_of(db.session, copy.id)
    assert [(q.kind, q.label("de"), q.choices("en")) for q in copied] == [
        (QuestionKind.CHOICE, "Welche Partnerstadt?", ["Aarhus", "Gdańsk"]),
        (QuestionKind.TEXT, "=Allergien?", []),
    ]
    assert questions.answers_of(db.session, [registration.id])[registration.id]
    assert all(questions.answer_count(db.session, q.id) == 0 for q in copied)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event_id == copy.id))
    assert entry.details["copy_of"] == event.id


def test_an_organiser_cannot_copy_the_questions_of_an_event_not_theirs(staff_client, answered):
    event, city, food, registration = answered
    organiser = staff_client("organiser")
    token = csrf_token(organiser, "/admin/events/new")
    form = event_form(slug="forumtheater-neu", duplicate_of=str(event.id))
    assert submit(organiser, "/admin/events/new", form, token).status_code == 403
    assert db.session.scalar(select(Question).where(Question.event_id != event.id)) is None
