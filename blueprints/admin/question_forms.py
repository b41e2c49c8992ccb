"""The form of one registration question (field names are part of the SPEC)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange

from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import text_field
from models import Question, QuestionKind
from models.base import DEFAULT_LANGUAGE
from services.questions import QuestionData

MAX_CHOICES = 30
MAX_CHOICE_LENGTH = 200

KIND_CHOICES = [
    SelectChoice(QuestionKind.TEXT.value, _l("Text")),
    SelectChoice(QuestionKind.CHOICE.value, _l("One of several choices")),
    SelectChoice(QuestionKind.MULTIPLE.value, _l("Several choices (tick all that apply)")),
    SelectChoice(QuestionKind.YES_NO.value, _l("Yes or no")),
]


def choice_lines(text: str | None) -> list[str]:
    """The choices of a text area, one per line, without blank lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionEditForm(AppForm):
    """Add or change one question, in every configured language (`label_de`,
    `choices_de`, …). Choices are one per line; those of the other languages,
    if any, in the same order as the German ones."""

    label = PerLanguage(_l("Question"), text_field, 300, required=True)
    kind = SelectField(_l("Kind of answer"), choices=KIND_CHOICES)
    choices = PerLanguage(_l("Choices, one per line"), text_field, 5000, area=True)
    required = BooleanField(_l("An answer is required"))
    position = IntegerField(
        _l("Position on the form"),
        validators=[
            InputRequired(_l("Please enter a number.")),
            NumberRange(
                min=0, max=1000, message=_l("Please enter a number from %(min)s to %(max)s.")
            ),
        ],
    )

    @classmethod
    def data_of(cls, question: Question) -> dict[str, object]:
        """A stored question as form data."""
        data: dict[str, object] = {
            "kind": question.kind.value,
            "required": question.is_required,
            "position": question.position,
        }
        for lang in configured_languages():
            row = question.texts.get(lang)
            data[f"label_{lang}"] = row.label if row else None
            data[f"choices_{lang}"] = row.choices if row else None
        return data

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Choices are needed for a choice question, at most MAX_CHOICES, and
        those of the other languages match the German ones line by line."""
        super().validate(extra_validators)
        if self.kind.data in {QuestionKind.CHOICE.value, QuestionKind.MULTIPLE.value}:
            main = self._fields[f"choices_{DEFAULT_LANGUAGE}"]
            lines = {lang: choice_lines(f.data) for lang, f in self.in_languages("choices")}
            german = lines[DEFAULT_LANGUAGE]
            if not german and not main.errors:
                main.errors.append(_l("Please give the choices, one per line."))
            elif len(german) > MAX_CHOICES:
                main.errors.append(_l("At most %(max)d choices, please.", max=MAX_CHOICES))
            elif len(set(german)) < len(german):
                main.errors.append(_l("Each choice only once, please."))
            for lang, field in self.in_languages("choices"):
                translated = lines[lang]
                if lang != DEFAULT_LANGUAGE and translated and len(translated) != len(german):
                    if not field.errors:
                        field.errors.append(
                            _l(
                                "Please give a choice in this language for every German one, "
                                "in the same order, or none at all."
                            )
                        )
                too_long = any(len(line) > MAX_CHOICE_LENGTH for line in translated)
                if too_long and not field.errors:
                    field.errors.append(
                        _l("At most %(max)d characters per choice, please.", max=MAX_CHOICE_LENGTH)
                    )
        return not self.errors

    def question_data(self) -> QuestionData:
        return QuestionData(
            labels={lang: field.data for lang, field in self.in_languages("label")},
            choices={
                lang: choice_lines(field.data) for lang, field in self.in_languages("choices")
            },
            kind=QuestionKind(self.kind.data),
            is_required=bool(self.required.data),
            position=self.position.data,
        )


class QuestionRemoveForm(AppForm):
    """The remove button: a POST with its CSRF token."""
