"""Forms of the admin-only pages: staff accounts, the audit log filter and
the mail outbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from blueprints.forms import AppForm
from blueprints.validators import StrongPassword, strip
from extensions import db
from models import Role
from services.accounts import find_by_email
from services.labels import AUDIT_ACTIONS, AUDIT_AREAS


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Role.ORGANISER.value, _l("Organiser: events and participants")),
        SelectChoice(Role.EDITOR.value, _l("Editor: announcements and partner cities")),
        SelectChoice(Role.ADMIN.value, _l("Admin: everything, including staff accounts")),
    ]


def _role_field() -> SelectField:
    return SelectField(
        _l("Role"), choices=role_choices(), validators=[DataRequired(_l("Please choose a role."))]
    )


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
            StrongPassword(),
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


class StaffTwoFactorResetForm(AppForm):
    """Switch off another account's second factor (a lost phone): the button
    and its CSRF token."""


class OutboxRetryForm(AppForm):
    """Queue one message again: the button and its CSRF token."""


def audit_action_choices() -> list[SelectChoice]:
    """Every action in words, grouped by area; an area's first choice takes
    all of its actions (the filter matches codes by their start)."""
    choices = [SelectChoice("", _l("All"))]
    for area, area_label in AUDIT_AREAS.items():
        group = str(area_label)
        choices.append(SelectChoice(f"{area}.", _l("All of them"), optgroup=group))
        choices += [
            SelectChoice(code, name, optgroup=group)
            for code, name in AUDIT_ACTIONS.items()
            if code.startswith(f"{area}.")
        ]
    return choices


class AuditFilterForm(AppForm):
    """The audit log filter, read from the query string (GET, no CSRF)."""

    class Meta:
        csrf = False

    action = SelectField(
        _l("Action"),
        choices=audit_action_choices,
        default="",
        validators=[Optional()],
        invalid_choice_message=_l("Please choose an action from the list."),
    )
    event = IntegerField(
        _l("Event number"),
        validators=[
            Optional(),
            NumberRange(min=1, max=2**31 - 1, message=_l("Please enter an event number.")),
        ],
    )
