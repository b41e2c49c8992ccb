"""The further participants of a group registration as fields of the form:
`others-N-first_name`, `others-N-last_name`, `others-N-date_of_birth` (N
from 0), a fixed number of rows (the event's `max_group_size` - 1) that works
without JavaScript, and `contact_takes_part`. A row left blank is nobody."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, StringField
from wtforms.validators import Length, Optional

from blueprints.forms import AppForm
from blueprints.local_input import DayField
from blueprints.validators import PlainText, strip
from services.registration import Participant

FormClass = TypeVar("FormClass", bound=type[AppForm])
PARTS = ("first_name", "last_name", "date_of_birth")
_ROW_FIELD = re.compile(r"others-([0-9]+)-(first_name|last_name|date_of_birth)")


def field_name(index: int, part: str) -> str:
    return f"others-{index}-{part}"


def _name(label: object) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=100, message=_l("At most %(max)d characters, please.")),
            PlainText(),
        ],
    )


def with_group(form_class: FormClass, max_group_size: int) -> FormClass:
    """A subclass of `form_class` with a row per further participant the
    event allows; the form as it is for an event of one person each."""
    rows = max(max_group_size - 1, 0)
    if rows == 0:
        return form_class
    fields: dict[str, Field] = {
        "contact_takes_part": BooleanField(
            _l("I take part myself"),
            default=True,
        )
    }
    for index in range(rows):
        fields[field_name(index, "first_name")] = _name(_l("First name"))
        fields[field_name(index, "last_name")] = _name(_l("Last name"))
        fields[field_name(index, "date_of_birth")] = DayField(
            _l("Date of birth"), validators=[Optional()]
        )
    return type(form_class.__name__, (form_class,), {"group_rows": rows, **fields})


def rows(form: AppForm) -> list[dict[str, Field]]:
    """The bound fields of each row, for the template."""
    return [
        {part: form._fields[field_name(index, part)] for part in PARTS}
        for index in range(getattr(form, "group_rows", 0))
    ]


def _is_blank(row: Mapping[str, Field]) -> bool:
    return not any((" ".join(field.raw_data or ())).strip() for field in row.values())


def takes_part(form: AppForm) -> bool:
    field = form._fields.get("contact_takes_part")
    return True if field is None else bool(field.data)


def row_errors(form: AppForm, posted: Iterable[str]) -> dict[str, str]:
    """A row begun must be complete; a contact who does not take part names
    somebody who does; rows the form has no place for are refused (more
    people than the event allows), whatever else they hold."""
    errors: dict[str, str] = {}
    allowed = getattr(form, "group_rows", 0)
    beyond = {
        int(match.group(1))
        for name in posted
        if (match := _ROW_FIELD.fullmatch(name)) and int(match.group(1)) >= allowed
    }
    if beyond:
        errors[""] = str(
            _l(
                "At most %(num)d people can be registered together for this event.",
                num=allowed + 1,
            )
        )
    filled = 0
    for index, row in enumerate(rows(form)):
        if _is_blank(row):
            continue
        filled += 1
        for part, field in row.items():
            if field.data in (None, "") and not field.errors:
                errors[field_name(index, part)] = (
                    str(_l("Please enter the date of birth."))
                    if part == "date_of_birth"
                    else str(_l("Please fill in this field."))
                )
    if not takes_part(form) and filled == 0 and allowed:
        errors[field_name(0, "first_name")] = str(
            _l("Please name at least one person who takes part.")
        )
    return errors


def others(form: AppForm) -> tuple[Participant, ...]:
    """The further participants of a validated form, blank rows left out."""
    return tuple(
        Participant(
            first_name=row["first_name"].data,
            last_name=row["last_name"].data,
            date_of_birth=row["date_of_birth"].data,
        )
        for row in rows(form)
        if not _is_blank(row)
    )


def born_by_field(form: AppForm) -> dict[str, object]:
    """The well-formed dates of birth of the further rows, by field name."""
    return {
        field_name(index, "date_of_birth"): None
        if row["date_of_birth"].errors
        else row["date_of_birth"].data
        for index, row in enumerate(rows(form))
        if not _is_blank(row)
    }
