"""Form fields repeated for every language of the `LANGUAGES` setting.

A form declares a text once (`title = PerLanguage(_l("Title"), text_field,
200, required=True)`); each form made in a request gets `title_de`,
`title_en`, … for the languages the app is configured with, so a third
language needs a setting and a catalogue, never a new field in code. The
content language (German) carries the `required` check; the others are
optional because their texts fall back to German.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from wtforms.fields.core import UnboundField

from models.base import DEFAULT_LANGUAGE
from services.labels import language_name


def configured_languages() -> tuple[str, ...]:
    """The languages of the running app in the order forms show them: the
    content language (German, to which the others fall back) first."""
    languages = current_app.config["LANGUAGES"]
    return tuple(sorted(languages, key=lambda lang: lang != DEFAULT_LANGUAGE))


def language_label(text: object | None, lang: str) -> LazyString:
    """A field's label with its language in the reader's words, worked out
    when shown: "Titel (Polnisch)" on a German page, "Title (Polish)" on an
    English one; without `text` (a fieldset says what it is) just
    "Polnisch"."""
    if text is None:
        return LazyString(lambda: language_name(lang))
    return LazyString(
        lambda: gettext("%(text)s (%(language)s)", text=text, language=language_name(lang))
    )


class PerLanguage:
    """A field declared once and made for each configured language.

    `make(label, *args, required=…, **kwargs)` returns the unbound field of
    one language; `field_name(attribute, lang)` names it (`title_de` unless
    the form gives another rule, e.g. the event's German venue is `venue`).
    The marker keeps its place among the form's other fields."""

    def __init__(
        self,
        label: object | None,
        make: Callable[..., UnboundField],
        *args: Any,
        required: bool = False,
        field_name: Callable[[str, str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        # Take a place in the order WTForms gives declared fields.
        UnboundField.creation_counter += 1
        self.creation_counter = UnboundField.creation_counter
        self.label, self.make, self.args, self.kwargs = label, make, args, kwargs
        self.required = required
        self.name_rule = field_name or (lambda attribute, lang: f"{attribute}_{lang}")
        self.attribute = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def name(self, lang: str) -> str:
        return self.name_rule(self.attribute, lang)

    def fields(self, languages: tuple[str, ...]) -> list[tuple[str, UnboundField]]:
        """The unbound field of each language, named and in the marker's place."""
        made = []
        for lang in languages:
            unbound = self.make(
                language_label(self.label, lang),
                *self.args,
                required=self.required and lang == DEFAULT_LANGUAGE,
                **self.kwargs,
            )
            unbound.creation_counter = self.creation_counter
            made.append((self.name(lang), unbound))
        return made


def expand(form_class: type, declared: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """`declared` (WTForms' unbound fields of `form_class`) with the fields of
    every PerLanguage marker of the class added for the configured
    languages, in declaration order; a subclass's marker of the same name
    replaces its parent's."""
    languages = configured_languages()
    markers = {
        attribute: marker
        for attribute in dir(form_class)
        if not attribute.startswith("_")
        and isinstance(marker := getattr(form_class, attribute), PerLanguage)
    }
    made = [field for marker in markers.values() for field in marker.fields(languages)]
    names = {name for name, _ in made}
    fields = [(name, field) for name, field in declared if name not in names] + made
    # Stable: fields of one marker keep the order of the languages.
    return sorted(fields, key=lambda item: item[1].creation_counter)
