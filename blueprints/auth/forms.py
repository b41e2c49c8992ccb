from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from blueprints.validators import PlainText, strip


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        # PlainText: PostgreSQL refuses a NUL byte in a query parameter.
        validators=[DataRequired(_l("Please enter your email address.")), Length(max=254), PlainText()],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password.")), Length(max=1024)])

