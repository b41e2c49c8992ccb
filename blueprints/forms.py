"""The base class of every form of the site."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields import Field, FileField

from blueprints.per_language import PerLanguage, configured_languages, expand

SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FROM_REQUEST = object()  # "read the submitted request", the default of AppForm()


def submitted_formdata(form: Form) -> MultiDict | None:
    """What a submitted request holds for `form`: the text of the body
    (`request.form`) with line breaks as LF, and uploads only for the
    form's own file fields.

    Flask-WTF merges every uploaded file into the form data and reads JSON
    bodies as well: a text field sent as a multipart file part then holds a
    file object that string filters and validators cannot handle, and a
    file part named like a checkbox counts as ticked. Browsers send a
    textarea's line breaks as CRLF; stored as LF, paragraphs and length
    limits mean the same whichever browser typed them."""
    if request.method not in SUBMIT_METHODS:
        return None
    data = MultiDict(
        (name, value.replace("\r\n", "\n").replace("\r", "\n"))
        for name, value in request.form.items(multi=True)
    )
    for field in form:
        if isinstance(field, FileField):
            for upload in request.files.getlist(field.name):
                data.add(field.name, upload)
    return data or None


class AppForm(FlaskForm):
    """A Flask-WTF form (CSRF, translations) that reads a submission through
    `submitted_formdata`; `formdata=` given explicitly (request.args of a
    filter, None for an unsubmitted form) is used as it is. Fields declared
    with PerLanguage are made for the languages of the running app."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Form, formdata: Any) -> Any:
            if formdata is _FROM_REQUEST:
                return submitted_formdata(form)
            return formdata

    def __init__(self, formdata: Any = _FROM_REQUEST, **kwargs: Any) -> None:
        key = (type(self), configured_languages())
        if key not in _FIELDS:
            _FIELDS[key] = expand(type(self), type(self)._unbound_fields)
        # WTForms binds the fields of this list; the class's own stays as declared.
        self._unbound_fields = _FIELDS[key]
        super().__init__(formdata=formdata, **kwargs)

    def add_errors(self, errors: dict[str, str]) -> None:
        """Show a service's refusal (`errors`: field name to message, "" for
        the form as a whole) next to the field it concerns, or above the
        form for a name the form has no field of; a field that already says
        what is wrong with it keeps its own message."""
        for name, message in errors.items():
            field = self._fields.get(name)
            if field is None:
                self.form_errors.append(message)
            elif not field.errors:
                field.errors = [*field.errors, message]

    def in_languages(self, attribute: str) -> list[tuple[str, Field]]:
        """The language and bound field of one PerLanguage text, German first."""
        marker = getattr(type(self), attribute)
        if not isinstance(marker, PerLanguage):
            raise TypeError(f"{attribute} is not declared per language")
        return [(lang, self[marker.name(lang)]) for lang in configured_languages()]


# A form class's fields for a set of languages, worked out once.
_FIELDS: dict[tuple[type, tuple[str, ...]], list[tuple[str, Any]]] = {}
