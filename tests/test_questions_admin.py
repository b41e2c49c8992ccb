"""The organiser's own questions on the staff side: add, edit, reorder,
remove; choices of a question with answers can only be added to."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import Answer, AuditEntry, Question, QuestionKind
from services import questions as service
from tests.conftest import csrf_token, submit


def question_form(**overrides) -> dict:
    return {
        "label_de": "Welche Partnerstadt?",
        "label_en": "Which partner city?",
        "kind": "choice",
        "choices_de": "Aarhus\nDanzig\nRiga",
        "choices_en": "Aarhus\nGdańsk\nRiga",
        "required": "y",
        "position": "1",
    } | overrides


def own_event_client(staff_client, make_event, role="organiser"):
    event = make_event()
    client = staff_client(role)
    if role == "organiser":
        event.organisers.append(client.user)
        db.session.commit()
    return event, client


def test_an_organiser_adds_a_choice_question_and_it_is_audited(staff_client, make_event):
    event, client = own_event_client(staff_client, make_event)
    url = f"/admin/events/{event.id}/questions"
    response = submit(client, url, question_form())
    assert response.status_code == 303
    question = db.session.scalar(select(Question).where(Question.event_id == event.id))
    assert question.kind is QuestionKind.CHOICE
    assert question.is_required
    assert question.choices("en") == ["Aarhus", "Gdańsk", "Riga"]
    assert question.label("en") == "Which partner city?"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.event_id == event.id))
    assert "question.create" in list(actions)
    page = client.get(url).get_data(as_text=True)
    assert "Welche Partnerstadt?" in page


def test_english_falls_back_to_german_per_choice(staff_client, make_event):
    event, client = own_event_client(staff_client, make_event)
    submit(
        client,
        f"/admin/events/{event.id}/questions",
        question_form(label_en="", choices_en=""),
    )
    question = db.session.scalar(select(Question).where(Question.event_id == event.id))
    assert question.label("en") == "Welche Partnerstadt?"
    assert question.choices("en") == ["Aarhus", "Danzig", "Riga"]


def test_a_choice_question_needs_choices_and_matching_english_ones(staff_client, make_event):
    event, client = own_event_client(staff_client, make_event)
    url = f"/admin/events/{event.id}/questions"
    assert submit(client, url, question_form(choices_de="", choices_en="")).status_code == 422
    assert submit(client, url, question_form(choices_en="Aarhus\nGdańsk")).status_code == 422
    assert submit(client, url, question_form(label_de="")).status_code == 422
    assert db.session.scalar(select(Question).where(Question.event_id == event.id)) is None


def test_an_organiser_of_another_event_may_not_manage_its_questions(staff_client, make_event):
    event = make_event()
    client = staff_client("organiser")
    assert client.get(f"/admin/events/{event.id}/questions").status_code == 403
    token = csrf_token(client, "/admin/")
    response = submit(client, f"/admin/events/{event.id}/questions", question_form(), token)
    assert response.status_code == 403


def test_questions_are_edited_and_reordered_by_position(staff_client, make_event):
    event, client = own_event_client(staff_client, make_event, role="admin")
    url = f"/admin/events/{event.id}/questions"
    submit(client, url, question_form(label_de="Erste", position="1"))
    submit(client, url, question_form(label_de="Zweite", kind="text", position="2"))
    first, second = service.questions_of(db.session, event.id)
    response = submit(
        client,
        f"{url}/{first.id}",
        question_form(label_de="Erste", position="3", required=""),
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert [q.label("de") for q in service.questions_of(db.session, event.id)] == [
        "Zweite",
        "Erste",
    ]
    assert not db.session.get(Question, first.id).is_required


def test_choices_of_an_answered_question_can_only_be_added_to(
    staff_client, make_event, make_registration
):
    event, client = own_event_client(staff_client, make_event)
    url = f"/admin/events/{event.id}/questions"
    submit(client, url, question_form())
    question = db.session.scalar(select(Question).where(Question.event_id == event.id))
    registration = make_registration(event)
    db.session.add(Answer(registration_id=registration.id, question_id=question.id, choices=[1]))
    db.session.commit()

    edit = f"{url}/{question.id}"
    page = client.get(edit).get_data(as_text=True)
    assert "can add choices at the end" in page or "am Ende" in page
    changed = question_form(choices_de="Aarhus\nGdansk\nRiga", choices_en="Aarhus\nGdańsk\nRiga")
    assert submit(client, edit, changed).status_code == 422
    assert submit(client, edit, question_form(kind="multiple")).status_code == 422
    added = question_form(
        choices_de="Aarhus\nDanzig\nRiga\nTurku", choices_en="Aarhus\nGdańsk\nRiga\nTurku"
    )
    assert submit(client, edit, added).status_code == 303
    db.session.expire_all()
    assert db.session.get(Question, question.id).choices("de")[-1] == "Turku"


def test_removing_a_question_removes_its_answers_and_is_audited(
    staff_client, make_event, make_registration
):
    event, client = own_event_client(staff_client, make_event)
    submit(client, f"/admin/events/{event.id}/questions", question_form())
    question = db.session.scalar(select(Question).where(Question.event_id == event.id))
    registration = make_registration(event)
    db.session.add(Answer(registration_id=registration.id, question_id=question.id, choices=[0]))
    db.session.commit()
    url = f"/admin/events/{event.id}/questions/{question.id}"
    response = submit(client, f"{url}/remove", {}, token=csrf_token(client, url))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Question).where(Question.event_id == event.id)) is None
    assert db.session.scalar(select(Answer)) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "question.remove"))
    assert entry.row_count == 1


def test_a_question_of_another_event_is_not_found(staff_client, make_event):
    event, client = own_event_client(staff_client, make_event, role="admin")
    other = make_event(slug="andere")
    submit(client, f"/admin/events/{other.id}/questions", question_form())
    question = db.session.scalar(select(Question).where(Question.event_id == other.id))
    assert client.get(f"/admin/events/{event.id}/questions/{question.id}").status_code == 404
