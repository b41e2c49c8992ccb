"""Forms of the door: the one field a scan or a person fills, and the buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from blueprints.forms import AppForm
from blueprints.validators import PlainText

MAX_TYPED = 100


class CheckInForm(AppForm):
    code = StringField(
        _l("Check-in code or name"),
        validators=[
            DataRequired(_l("Please scan a code or type a code or a name.")),
            Length(max=MAX_TYPED, message=_l("At most %(max)d characters, please.")),
            PlainText(),
        ],
    )


class DoorButtonForm(AppForm):
    """Check in the chosen person, or undo: only its CSRF token; the URL says whom."""
