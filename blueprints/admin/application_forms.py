"""Forms of the support application pages (admins only): the list filter
and the status change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from blueprints.forms import AppForm
from blueprints.validators import PlainText, strip
from models import ApplicationStatus
from services.labels import APPLICATION_STATUSES

MAX_NOTE_LENGTH = 5000


class ApplicationFilterForm(AppForm):
    """The list filter, read from the query string (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("All")),
            *(SelectChoice(s.value, label) for s, label in APPLICATION_STATUSES.items()),
        ],
        default="",
        validators=[Optional()],
        invalid_choice_message=_l("Please choose a status from the list."),
    )
    partner = SelectField(
        _l("Partner city or network"),
        choices=[],
        default="",
        validators=[Optional()],
        invalid_choice_message=_l("Please choose a partner from the list."),
    )

    def __init__(self, partners: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.partner.choices = [
            SelectChoice("", _l("All")),
            *(SelectChoice(key, name) for key, name in partners),
        ]

    def chosen(self) -> dict[str, str]:
        """The filters that are set and valid, for queries and links."""
        return {
            name: field.data
            for name, field in (("status", self.status), ("partner", self.partner))
            if field.data and not field.errors
        }


class ApplicationStatusChangeForm(AppForm):
    """The next step of an application; the workflow itself decides what is
    allowed, so a stale page gets its message rather than a bare "invalid"."""

    status = SelectField(
        _l("New status"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(_l("Please choose the new status."))],
    )
    note = TextAreaField(
        _l("Note to the applicant (optional; included in the email)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MAX_NOTE_LENGTH, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=True),
        ],
    )

    def __init__(self, next_statuses: tuple[ApplicationStatus, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.offer(next_statuses)

    def offer(self, next_statuses: tuple[ApplicationStatus, ...]) -> None:
        """Offer the steps the application can take from where it is now."""
        self.status.choices = [
            SelectChoice(s.value, APPLICATION_STATUSES[s]) for s in next_statuses
        ]

    def validate_status(self, field: SelectField) -> None:
        if field.data not in {s.value for s in ApplicationStatus}:
            raise ValidationError(_l("Please choose the new status."))

    @property
    def chosen_status(self) -> ApplicationStatus:
        return ApplicationStatus(self.status.data)
