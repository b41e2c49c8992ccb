"""The organiser's questions as fields of the registration form and of the
personal page: `q-<question id>`, in the page's language with German
fallback. A choice is sent as its index, so an answer means the same in
every language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms import AppForm
from blueprints.validators import PlainText, strip
from models import Question, QuestionKind
from services.questions import Given, choice_words

# Up to this many choices are radio buttons, all visible at once; more are a select.
MAX_RADIO_CHOICES = 6
MAX_TEXT_ANSWER = 1000

FormClass = TypeVar("FormClass", bound=type[AppForm])


def _required(question: Question, message: object) -> list:
    return [DataRequired(message)] if question.is_required else [Optional()]


def _choices(question: Question, lang: str) -> list[SelectChoice]:
    return [
        SelectChoice(str(index), words) for index, words in enumerate(choice_words(question, lang))
    ]


def question_field(question: Question, lang: str) -> Field:
    """The field of one question, as its kind asks; an optional one says so,
    like the form's other optional fields."""
    label = question.label(lang)
    if not question.is_required:
        label = gettext("%(question)s (optional)", question=label)
    if question.kind is QuestionKind.TEXT:
        return TextAreaField(
            label,
            filters=[strip],
            validators=[
                *_required(question, _l("Please answer this question.")),
                Length(max=MAX_TEXT_ANSWER, message=_l("At most %(max)d characters, please.")),
                PlainText(multiline=True),
            ],
            render_kw={"rows": 2},
        )
    choices = _choices(question, lang)
    if question.kind is QuestionKind.MULTIPLE:
        return SelectMultipleField(
            label,
            choices=choices,
            validators=_required(question, _l("Please tick at least one.")),
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
        )
    message = _l("Please choose an answer.")
    if len(choices) <= MAX_RADIO_CHOICES:
        return RadioField(label, choices=choices, validators=_required(question, message))
    return SelectField(
        label,
        choices=[SelectChoice("", _l("Please choose")), *choices],
        validators=_required(question, message),
    )


def with_questions(form_class: FormClass, questions: Iterable[Question], lang: str) -> FormClass:
    """A subclass of `form_class` with a field per question, in their order."""
    listed = tuple(questions)
    fields = {question.field_name: question_field(question, lang) for question in listed}
    return type(form_class.__name__, (form_class,), {"questions": listed, **fields})


def given(form: AppForm) -> dict[int, Given]:
    """The answers of a validated form: text, or the chosen indexes."""
    answers: dict[int, Given] = {}
    for question in getattr(form, "questions", ()):
        data = form._fields[question.field_name].data
        if question.kind is QuestionKind.TEXT:
            answers[question.id] = data or ""
        elif isinstance(data, list):
            answers[question.id] = tuple(int(value) for value in data if value.isdigit())
        else:
            answers[question.id] = (int(data),) if data and data.isdigit() else ()
    return answers


def form_data(questions: Iterable[Question], answers: Mapping[int, Given]) -> dict[str, object]:
    """Stored answers as the form's data, to show them for correcting."""
    data: dict[str, object] = {}
    for question in questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if question.kind is QuestionKind.TEXT:
            data[question.field_name] = value
        elif question.kind is QuestionKind.MULTIPLE:
            data[question.field_name] = [str(index) for index in value]
        else:
            data[question.field_name] = str(value[0]) if value else None
    return data
