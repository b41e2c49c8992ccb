"""Forms of the participants page: the buttons of one person and the
message to everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms import AppForm
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


def _subject(label: str, required: bool) -> StringField:
    return StringField(
        label,
        filters=[one_line],
        validators=[
            DataRequired(_l("Please fill in this field.")) if required else Optional(),
            Length(max=MAX_SUBJECT_LENGTH, message=_l("At most %(max)d characters, please.")),
            PlainText(),
        ],
    )


def _body(label: str, required: bool) -> TextAreaField:
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
    subject_de = _subject(_l("Subject (German)"), required=True)
    body_de = _body(_l("Message (German)"), required=True)
    subject_en = _subject(_l("Subject (English, optional)"), required=False)
    body_en = _body(_l("Message (English, optional)"), required=False)

    def validate(self, extra_validators: dict | None = None) -> bool:
        """The English subject and message come together or not at all (a
        field's own check would be skipped when it is empty)."""
        valid = super().validate(extra_validators)
        if bool(self.subject_en.data) != bool(self.body_en.data):
            missing = self.body_en if self.subject_en.data else self.subject_en
            missing.errors.append(
                _l("Please give the English subject and message together, or neither.")
            )
            return False
        return valid

    def message(self) -> StaffMessage:
        texts = {"de": MessageText(self.subject_de.data, self.body_de.data)}
        if self.subject_en.data and self.body_en.data:
            texts["en"] = MessageText(self.subject_en.data, self.body_en.data)
        chosen = set(self.statuses.data)
        return StaffMessage(
            statuses=frozenset(RegistrationStatus(v) for v in chosen - {NO_SHOW}),
            texts=texts,
            no_shows=NO_SHOW in chosen,
        )
