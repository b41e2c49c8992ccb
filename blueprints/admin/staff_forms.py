"""Forms of the admin-only pages: staff accounts, the audit log filter and
the mail outbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from blueprints.forms import AppForm
from blueprints.validators import strip
from extensions import db
from models import Role
from services.accounts import MIN_PASSWORD_LENGTH, find_by_email


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Role.ORGANISER.value, _l("Organiser: events and participants")),
        SelectChoice(Role.EDITOR.value, _l("Editor: announcements and partner cities")),
        SelectChoice(Role.ADMIN.value, _l("Admin: everything, including staff accounts")),
    ]


def _role_field() -> SelectField:
    return SelectField(_l("Role"), choices=role_choices(), validators=[DataRequired(_l("Please choose a role."))])


class StaffCreateForm(AppForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Please enter an email address.")),
            Length(max=254, message=_l("At most %(max)d characters, please.")),
            Email(_l("Please enter a valid email address, e.g. name@stadt.example.")),
        ],
    )
    role = _role_field()
    password = PasswordField(
        _l("Initial password"),
        validators=[
            DataRequired(_l("Please enter a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=_l("The password needs %(min)d to %(max)d characters."),
            ),
        ],
    )

    def validate_email(self, field: EmailField) -> None:
        if find_by_email(db.session, field.data) is not None:
            raise ValidationError(_l("There is already an account with this email address."))

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.data)


class StaffRoleChangeForm(AppForm):
    role = _role_field()

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.data)


class StaffToggleForm(AppForm):
    """Disable or enable an account: the button and its CSRF token."""


class OutboxRetryForm(AppForm):
    """Queue one message again: the button and its CSRF token."""


class AuditFilterForm(AppForm):
    """The audit log filter, read from the query string (GET, no CSRF)."""

    class Meta:
        csrf = False

    action = StringField(
        _l("Action starts with"),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            Optional(),
            Length(max=60, message=_l("At most %(max)d characters, please.")),
            Regexp(r"[a-z0-9_.-]+\Z", message=_l("Use letters, digits, dots and underscores, e.g. participants.export.")),
        ],
    )
    event = IntegerField(
        _l("Event number"),
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1, message=_l("Please enter an event number."))],
    )
