from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blueprints.forms import AppForm
from blueprints.validators import PlainText, strip


class LoginForm(AppForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        # PlainText: PostgreSQL refuses a NUL byte in a query parameter.
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=254),
            PlainText(),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=1024)],
    )


class StaffLanguageForm(AppForm):
    """The staff header's language switch: the chosen language and the page
    to go back to."""

    lang = StringField(validators=[DataRequired()])
    next = HiddenField()
