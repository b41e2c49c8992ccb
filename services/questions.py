"""The organiser's questions of an event: adding, changing, removing and
copying them (staff side), and the answers a registration stores.

Answers store the index of a choice, not its words: a choice means the same
in every language, and the words can be corrected. So once a question has
answers, its kind stays and its choices can only be added to: changing or
removing a choice would silently change what stored answers say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Answer, Event, Question, QuestionKind, Registration, User
from models.base import DEFAULT_LANGUAGE
from models.question import NO, YES
from services import audit, locking

# What a participant answered: the text, or the indexes of the chosen choices.
Given = str | tuple[int, ...]


class QuestionRefused(Exception):
    """The change breaks a rule; `errors` maps form fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def lock_event(session: Session, event_id: int) -> Event:
    """Questions change under the event's lock, the one registrations take:
    no answer is stored between a check of the choices and the change."""
    return locking.lock_one(session, Event, event_id)


@dataclass(frozen=True)
class QuestionData:
    """A question as the form describes it: labels and choice lines by language."""

    labels: Mapping[str, str | None]
    choices: Mapping[str, Sequence[str]]
    kind: QuestionKind
    is_required: bool
    position: int


def questions_of(session: Session, event_id: int) -> list[Question]:
    """The event's questions in the order of the form."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event_id)
            .order_by(Question.position, Question.id)
        )
    )


def question_of(session: Session, event_id: int, question_id: int) -> Question | None:
    return session.scalar(
        select(Question).where(Question.id == question_id, Question.event_id == event_id)
    )


def answer_count(session: Session, question_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_id == question_id)
        )
        or 0
    )


def next_position(session: Session, event_id: int) -> int:
    """Where a new question goes by default: after the last one."""
    last = session.scalar(select(func.max(Question.position)).where(Question.event_id == event_id))
    return (last or 0) + 1


def _apply(question: Question, data: QuestionData) -> list[str]:
    """Copy `data` onto `question`; the names of what changed."""
    changed = []
    if question.kind != data.kind:
        question.kind = data.kind
        changed.append("kind")
    if question.is_required != data.is_required:
        question.is_required = data.is_required
        changed.append("required")
    if question.position != data.position:
        question.position = data.position
        changed.append("position")
    for lang in current_app.config["LANGUAGES"]:
        lines = list(data.choices.get(lang, ())) if data.kind.has_choices else []
        row = question.texts.get(lang)
        before = (row.label, row.choices) if row is not None else (None, None)
        question.set_text(lang, label=data.labels.get(lang), choices="\n".join(lines))
        row = question.texts[lang]
        if (row.label, row.choices) != before:
            changed.append(f"texts.{lang}")
    return changed


def _choice_errors(question: Question, data: QuestionData) -> dict[str, str]:
    """A question with answers keeps its kind, and its choices in their
    places: new ones can only be added at the end."""
    errors = {}
    if data.kind is not question.kind:
        errors["kind"] = gettext(
            "This question has answers already, so its kind cannot be changed."
        )
    elif data.kind.has_choices:
        for lang in current_app.config["LANGUAGES"]:
            old, new = question.choice_lines(lang), list(data.choices.get(lang, ()))
            if new[: len(old)] != old:
                errors[f"choices_{lang}"] = gettext(
                    "This question has answers already: its choices can only be added to, at "
                    "the end. Please keep the existing ones as they are."
                )
    return errors


def add_question(session: Session, event_id: int, data: QuestionData, actor: User) -> Question:
    """Add a question to the event's form; audited, commits."""
    event = lock_event(session, event_id)
    try:
        question = Question(event_id=event.id, kind=data.kind)
        session.add(question)
        _apply(question, data)
        session.flush()
        audit.record(
            session, actor, "question.create", event_id=event.id, target=f"question:{question.id}"
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return question


def update_question(
    session: Session, event_id: int, question_id: int, data: QuestionData, actor: User
) -> Question:
    """Change a question under the event's lock, so that no answer is stored
    between the check of the choices and the change; audited, commits."""
    event = lock_event(session, event_id)
    try:
        question = question_of(session, event.id, question_id)
        if question is None:
            raise LookupError(question_id)
        if answer_count(session, question.id) and (errors := _choice_errors(question, data)):
            raise QuestionRefused(errors)
        changed = _apply(question, data)
        audit.record(
            session,
            actor,
            "question.update",
            event_id=event.id,
            target=f"question:{question.id}",
            changed=changed,
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return question


def remove_question(session: Session, event_id: int, question_id: int, actor: User) -> int:
    """Remove a question with its answers; the number of answers removed.
    Audited, commits."""
    event = lock_event(session, event_id)
    try:
        question = question_of(session, event.id, question_id)
        if question is None:
            raise LookupError(question_id)
        answers = answer_count(session, question.id)
        audit.record(
            session,
            actor,
            "question.remove",
            event_id=event.id,
            target=question.label(DEFAULT_LANGUAGE),
            row_count=answers,
        )
        session.delete(question)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return answers


def copy_questions(session: Session, source_id: int, event: Event) -> None:
    """Give a new edition of an event the questions of the one it copies,
    without answers. The caller owns the transaction."""
    for original in questions_of(session, source_id):
        question = Question(
            event_id=event.id,
            kind=original.kind,
            is_required=original.is_required,
            position=original.position,
        )
        for lang, row in original.texts.items():
            question.set_text(lang, label=row.label, choices=row.choices)
        session.add(question)


def store_answers(session: Session, registration: Registration, given: Mapping[int, Given]) -> None:
    """Store or replace a registration's answers, for the questions its event
    still has; an empty answer removes the stored one. The caller owns the
    transaction and has flushed `registration`."""
    if not given:
        return  # the form asked nothing: there is nothing to store or remove
    questions = {q.id: q for q in questions_of(session, registration.event_id)}
    stored = {
        a.question_id: a
        for a in answers_of(session, [registration.id]).get(registration.id, {}).values()
    }
    for question_id, value in given.items():
        question = questions.get(question_id)
        if question is None:
            continue
        answer = stored.get(question_id)
        if not value:
            if answer is not None:
                session.delete(answer)
            continue
        if answer is None:
            answer = Answer(registration_id=registration.id, question_id=question_id)
            session.add(answer)
        if question.kind is QuestionKind.TEXT:
            answer.text, answer.choices = str(value), None
        else:
            answer.text, answer.choices = None, sorted(set(value))


def answers_of(session: Session, registration_ids: Iterable[int]) -> dict[int, dict[int, Answer]]:
    """Answers by registration, then by question, in one query."""
    ids = list(registration_ids)
    found: dict[int, dict[int, Answer]] = {}
    if not ids:
        return found
    for answer in session.scalars(select(Answer).where(Answer.registration_id.in_(ids))):
        found.setdefault(answer.registration_id, {})[answer.question_id] = answer
    return found


def given_of(answers: Mapping[int, Answer]) -> dict[int, Given]:
    """Stored answers as the form shows them again."""
    return {
        question_id: answer.text if answer.text is not None else tuple(answer.choices or ())
        for question_id, answer in answers.items()
    }


def yes_no_words() -> list[str]:
    """The two choices of a yes/no question, at the indexes YES and NO."""
    words = {YES: gettext("Yes"), NO: gettext("No")}
    return [words[index] for index in sorted(words)]


def choice_words(question: Question, lang: str) -> list[str]:
    if question.kind is QuestionKind.YES_NO:
        return yes_no_words()
    return question.choices(lang)


def answer_text(question: Question, answer: Answer | None, lang: str) -> str:
    """An answer in words, choices in `lang`; "" when there is none."""
    if answer is None:
        return ""
    if question.kind is QuestionKind.TEXT:
        return answer.text or ""
    words = choice_words(question, lang)
    return ", ".join(words[i] for i in answer.choices or () if 0 <= i < len(words))


def answer_lines(
    session: Session, event_id: int, registration_ids: Iterable[int], lang: str
) -> dict[int, list[tuple[str, str]]]:
    """(question, answer) in words for each registration that answered,
    questions in the order of the form: for the participants page."""
    asked = questions_of(session, event_id)
    lines: dict[int, list[tuple[str, str]]] = {}
    for registration_id, answers in answers_of(session, registration_ids).items():
        shown = [
            (question.label(lang), answer_text(question, answers.get(question.id), lang))
            for question in asked
        ]
        lines[registration_id] = [(label, text) for label, text in shown if text]
    return lines
