"""Field checks shared by the forms."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    Field,
    Form,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from blueprints.loaders import MAX_SLUG_LENGTH, SLUG
from services.passwords import MAX_LENGTH, MIN_LENGTH, Weakness, weakness

_REPLACEMENT = "\ufffd"  # what undecodable bytes of a multipart body become
# What undecodable percent-escaped bytes of a urlencoded body become: Werkzeug 3
# leaves them escaped ("Le%FFna"). A typed "%FF" looks the same, but no name
# or note contains one.
_UNDECODED_BYTE = re.compile(r"%[89A-F][0-9A-F]", re.IGNORECASE)


class PlainText:
    """Refuses control characters and undecodable bytes; `multiline` allows
    line breaks and tabs."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.allowed = {"\n", "\r", "\t"} if multiline else set()

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        if _UNDECODED_BYTE.search(value):
            raise ValidationError(_l("Please use letters, digits and punctuation only."))
        for char in value:
            if char in self.allowed:
                continue
            if char == _REPLACEMENT or unicodedata.category(char) in {"Cc", "Cs", "Co"}:
                raise ValidationError(_l("Please use letters, digits and punctuation only."))


class DateRequired:
    """Asks for a date that was left out. Unlike `DataRequired`, it keeps the
    message of a date that was typed but is not real (2010-02-30): telling
    that person to "enter a date" would be wrong."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None:
            return
        if field.process_errors:
            raise StopValidation()  # the field's own message stands
        field.errors[:] = []
        raise StopValidation(self.message)


class HoneypotField(StringField):
    """A field people never see or fill in; bots that fill every field do.
    A filled one gets the usual success response and nothing is stored."""

    def __init__(self, label: str | None = None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"tabindex": "-1", "autocomplete": "off"})
        super().__init__(label or _l("Leave this field empty"), **kwargs)

    @property
    def is_filled(self) -> bool:
        return bool(self.data)


def text_field(
    label: object, max_length: int, *, required: bool = False, area: bool = False
) -> Field:
    """A stripped one-line (or, with `area`, multi-line) text field of plain
    text, at most `max_length` characters."""
    field = TextAreaField if area else StringField
    return field(
        label,
        filters=[strip],
        validators=[
            DataRequired(_l("Please fill in this field.")) if required else Optional(),
            Length(max=max_length, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=area),
        ],
    )


def email_field(label: object, *, required: bool = True) -> Field:
    """An email address; email-validator refuses line breaks too."""
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(_l("Please enter an email address.")) if required else Optional(),
            Length(max=254, message=_l("At most %(max)d characters, please.")),
            Email(
                _l("Please enter a valid email address, e.g. name@example.org."),
                check_deliverability=False,
            ),
        ],
    )


def phone_field(label: object) -> Field:
    """An optional phone number: digits, spaces and the usual signs."""
    return TelField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Regexp(
                r"^\+?[0-9 ()/-]{5,40}$",
                message=_l("Please enter a phone number with digits only, e.g. 0381 123456."),
            ),
        ],
    )


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


class SlugField(StringField):
    """The part of a page's web address staff choose (`/events/<slug>/`), the
    same rule for events, announcements, cities and networks: what the public
    loaders accept, so every saved page can be opened. Typed capitals are
    taken as lowercase; `example` is the one the message shows."""

    def __init__(self, *, example: str, **kwargs: Any) -> None:
        super().__init__(
            _l("Web address (slug)"),
            filters=[strip, lower],
            validators=[
                DataRequired(_l("Please fill in this field.")),
                Length(max=MAX_SLUG_LENGTH, message=_l("At most %(max)d characters, please.")),
                Regexp(
                    SLUG.pattern + r"\Z",
                    message=_l(
                        "Use lowercase letters, digits and single hyphens only, e.g. %(example)s.",
                        example=example,
                    ),
                ),
            ],
            **kwargs,
        )


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time (YYYY-MM-DDTHH:MM) with a message of our own."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please enter a date and time, e.g. 2026-09-18 10:00.")) from None


class StrongPassword:
    """The password rule of services/passwords.py, with the reason in the
    reader's language: a person told only "weak" tries the same again."""

    MESSAGES = {
        Weakness.TOO_SHORT: _l("The password needs at least %(min)d characters.", min=MIN_LENGTH),
        Weakness.TOO_LONG: _l("The password may have at most %(max)d characters.", max=MAX_LENGTH),
        Weakness.COMMON: _l(
            "This password is among the most common ones, which attackers try first. "
            "Please choose another one, for example a few unrelated words."
        ),
        Weakness.REPETITIVE: _l(
            "This password repeats a few characters and is easy to guess. "
            "Please choose another one, for example a few unrelated words."
        ),
    }

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and (problem := weakness(field.data)) is not None:
            raise ValidationError(self.MESSAGES[problem])
