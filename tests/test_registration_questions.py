"""The organiser's questions on the registration form: shown as q-<id> in
the page's language, validated with the other fields in one round, and
stored with the registration in its transaction."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Answer, Question, QuestionKind, Registration
from tests.conftest import registration_form, submit

URL = "/de/events/forumtheater/register"
EN_URL = "/en/events/forumtheater/register"


def add_question(event, kind: QuestionKind, de: str, en: str | None = None, **fields) -> Question:
    choices, choices_en = fields.pop("choices", None), fields.pop("choices_en", None)
    question = Question(event_id=event.id, kind=kind, **fields)
    question.set_text("de", label=de, choices="\n".join(choices or ()))
    if en:
        question.set_text("en", label=en, choices="\n".join(choices_en or ()))
    db.session.add(question)
    db.session.commit()
    return question


@pytest.fixture
def asked(make_event):
    """An event with one question of each kind; the first two required."""
    event = make_event(slug="forumtheater")
    city = add_question(
        event,
        QuestionKind.CHOICE,
        "Welche Partnerstadt?",
        "Which partner city?",
        choices=["Aarhus", "Danzig", "Riga"],
        is_required=True,
        position=1,
    )
    food = add_question(
        event,
        QuestionKind.TEXT,
        "Allergien oder Ernährung?",
        "Allergies or dietary needs?",
        is_required=True,
        position=2,
    )
    days = add_question(
        event,
        QuestionKind.MULTIPLE,
        "An welchen Tagen?",
        choices=["Freitag", "Samstag", "Sonntag"],
        position=3,
    )
    stage = add_question(event, QuestionKind.YES_NO, "Theatererfahrung?", position=4)
    return event, city, food, days, stage


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_form_shows_the_questions_in_the_page_language_with_german_fallback(client, asked):
    event, city, food, days, stage = asked
    german = client.get(URL).get_data(as_text=True)
    assert "Welche Partnerstadt?" in german and f'name="q-{city.id}"' in german
    assert 'type="radio"' in german and f'name="q-{days.id}" type="checkbox"' in german
    english = client.get(EN_URL).get_data(as_text=True)
    assert "Which partner city?" in english
    assert "An welchen Tagen?" in english  # no English label: German
    assert german.index("Welche Partnerstadt?") < german.index("Theatererfahrung?")


def test_answers_are_stored_with_the_registration(client, asked):
    event, city, food, days, stage = asked
    form = registration_form(
        **{
            f"q-{city.id}": "1",
            f"q-{food.id}": "Keine Nüsse",
            f"q-{days.id}": ["0", "2"],
            f"q-{stage.id}": "0",
        }
    )
    assert submit(client, URL, form).status_code == 303
    registration = db.session.scalar(select(Registration))
    answers = {
        a.question_id: a
        for a in db.session.scalars(select(Answer).where(Answer.registration_id == registration.id))
    }
    assert answers[city.id].choices == [1]
    assert answers[food.id].text == "Keine Nüsse"
    assert answers[days.id].choices == [0, 2]
    assert answers[stage.id].choices == [0]


def test_required_questions_are_checked_with_the_other_fields_in_one_round(client, asked):
    event, city, food, days, stage = asked
    response = submit(client, URL, registration_form(privacy_consent=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL).group(0)
    assert f'href="#q-{city.id}"' in summary and f'href="#q-{food.id}"' in summary
    assert 'href="#privacy_consent"' in summary
    assert "Bitte wählen Sie eine Antwort." in summary
    assert count(Registration) == 0 and count(Answer) == 0


def test_a_choice_that_does_not_exist_is_refused(client, asked):
    event, city, food, days, stage = asked
    form = registration_form(**{f"q-{city.id}": "7", f"q-{food.id}": "-"})
    assert submit(client, URL, form).status_code == 422
    assert count(Registration) == 0


def test_optional_questions_may_stay_unanswered(client, asked):
    event, city, food, days, stage = asked
    form = registration_form(**{f"q-{city.id}": "0", f"q-{food.id}": "nichts"})
    assert submit(client, URL, form).status_code == 303
    assert count(Answer) == 2


def test_many_choices_are_a_select(client, make_event):
    event = make_event(slug="forumtheater")
    many = add_question(
        event, QuestionKind.CHOICE, "Stadt?", choices=[f"Stadt {n}" for n in range(10)]
    )
    html = client.get(URL).get_data(as_text=True)
    assert f'<select id="q-{many.id}" name="q-{many.id}"' in html
    assert submit(client, URL, registration_form(**{f"q-{many.id}": "9"})).status_code == 303
    assert db.session.scalar(select(Answer.choices)) == [9]
