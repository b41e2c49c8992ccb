"""Forms of the participants page: the buttons of one person and the
message to everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage
from blueprints.validators import PlainText
from models import RegistrationStatus
from services.labels import ATTENDANCE, REGISTRATION_STATUSES
from services.participants import NO_SHOW, STATUSES, MessageText, StaffMessage

MAX_SUBJECT_LENGTH = 200
MAX_BODY_LENGTH = 5000


def one_line(value: str | None) -> str | None:
    """A subject folded to one line: no break can reach a mail header."""
    return " ".join(value.split()) if isinstance(value, str) else value


def paragraphs(value: str | None) -> str | None:
    """Text with the browser's CRLF line ends as plain LF, trimmed."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _subject(label: object, required: bool) -> StringField:
    return StringField(
        label,
        filters=[one_line],
        validators=[
            DataRequired(_l("Please fill in this field.")) if required else Optional(),
            Length(max=MAX_SUBJECT_LENGTH, message=_l("At most %(max)d characters, please.")),
            PlainText(),
        ],
    )


def _body(label: object, required: bool) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[paragraphs],
        validators=[
            DataRequired(_l("Please fill in this field.")) if required else Optional(),
            Length(max=MAX_BODY_LENGTH, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=True),
        ],
    )


class ParticipantUpdateForm(AppForm):
    """A button of one person (check in, undo, give a place, remove): only its
    CSRF token; the URL says what changes."""


class ParticipantMessageForm(AppForm):
    statuses = SelectMultipleField(
        _l("Send to everyone who is"),
        choices=[SelectChoice(status.value, REGISTRATION_STATUSES[status]) for status in STATUSES]
        + [SelectChoice(NO_SHOW, ATTENDANCE[NO_SHOW])],
        validators=[DataRequired(_l("Please choose at least one group."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    subject = PerLanguage(_l("Subject"), _subject, required=True)
    body = PerLanguage(_l("Message"), _body, required=True)

    def in_each_language(self) -> list[tuple[str, Field, Field]]:
        """Subject and message side by side for each language, German first."""
        return [
            (lang, subject, self[type(self).body.name(lang)])
            for lang, subject in self.in_languages("subject")
        ]

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Another language's subject and message come together or not at
        all (a field's own check would be skipped when it is empty)."""
        valid = super().validate(extra_validators)
        for _, subject, body in self.in_each_language()[1:]:
            if bool(subject.data) != bool(body.data):
                missing = body if subject.data else subject
                missing.errors.append(
                    _l("Please give the subject and message together, or neither.")
                )
                valid = False
        return valid

    def message(self) -> StaffMessage:
        texts = {
            lang: MessageText(subject.data, body.data)
            for lang, subject, body in self.in_each_language()
            if subject.data and body.data
        }
        chosen = set(self.statuses.data)
        return StaffMessage(
            statuses=frozenset(RegistrationStatus(v) for v in chosen - {NO_SHOW}),
            texts=texts,
            no_shows=NO_SHOW in chosen,
        )
