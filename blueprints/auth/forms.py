from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from blueprints.forms import AppForm
from blueprints.validators import PlainText, StrongPassword, strip


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        filters=[strip],
        # PlainText: PostgreSQL refuses a NUL byte in a query parameter.
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=254),
            PlainText(),
        ],
    )


class LoginForm(AppForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=1024)],
    )


class TwoFactorCodeForm(AppForm):
    """The second step of signing in, switching two-factor sign-in on or off:
    a code from the app, or (where it says so) a recovery code."""

    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[DataRequired(_l("Please enter the code.")), Length(max=32), PlainText()],
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a new password.")), StrongPassword()],
    )
    again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please enter the new password a second time.")),
            EqualTo("new_password", _l("The two new passwords are not the same.")),
        ],
    )
    return new, again


class PasswordChangeForm(AppForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password.")), Length(max=1024)],
    )
    new_password, new_password_confirm = _new_password_fields()


class PasswordResetRequestForm(AppForm):
    email = _email_field()


class PasswordResetForm(AppForm):
    new_password, new_password_confirm = _new_password_fields()


class StaffLanguageForm(AppForm):
    """The staff header's language switch: the chosen language and the page
    to go back to."""

    lang = StringField(validators=[DataRequired()])
    next = HiddenField()
