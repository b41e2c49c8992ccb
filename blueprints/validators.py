"""Field checks shared by the public forms."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, Form
from wtforms.validators import ValidationError

_REPLACEMENT = "\ufffd"  # what undecodable bytes become


class PlainText:
    """Refuses control characters and undecodable bytes; `multiline` allows
    line breaks and tabs."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.allowed = {"\n", "\r", "\t"} if multiline else set()

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        for char in value:
            if char in self.allowed:
                continue
            if char == _REPLACEMENT or unicodedata.category(char) in {"Cc", "Cs", "Co"}:
                raise ValidationError(_l("Please use letters, digits and punctuation only."))


class IsoDateField(DateField):
    """A YYYY-MM-DD date with a message of our own for impossible dates."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please enter a real date as YYYY-MM-DD, e.g. 2010-05-31.")) from None


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
