"""Languages: the /<lang>/ URL prefix, the locale, and template helpers."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from werkzeug.routing import BaseConverter, Map

from models.base import DEFAULT_LANGUAGE, Translatable
from services.localtime import local_date as city_day


def language_converter(languages: tuple[str, ...]) -> type[BaseConverter]:
    """A URL converter that matches exactly the configured languages."""

    class LanguageConverter(BaseConverter):
        regex = "|".join(re.escape(lang) for lang in languages)

        def __init__(self, map: Map) -> None:
            super().__init__(map)

    return LanguageConverter


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def select_locale() -> str:
    """The URL's language; elsewhere (staff pages, unknown URLs) the path's
    first segment if it names one, else the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    if lang := g.get("lang"):
        return lang
    first = request.path.strip("/").split("/", 1)[0]
    if first in languages:
        return first
    return browser_language()


def browser_language() -> str:
    """The configured language the browser prefers (Accept-Language); the
    response then says that it varies by that header."""
    g.browser_language_used = True
    return request.accept_languages.best_match(
        current_app.config["LANGUAGES"], default=DEFAULT_LANGUAGE
    )


def browser_language_was_used() -> bool:
    return g.get("browser_language_used", False)


def pull_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


def push_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        return
    values["lang"] = g.get("lang") or current_language()


def url_in_language(lang: str) -> str:
    """This page in another language (the home page where there is no twin)."""
    endpoint = request.endpoint
    if endpoint and request.url_rule and "lang" in request.url_rule.arguments:
        args = dict(request.view_args or {}) | request.args.to_dict() | {"lang": lang}
        return url_for(endpoint, **args)
    return url_for("public.home", lang=lang)


def translated(item: Translatable, field: str) -> str:
    return item.text(field, current_language())


# How a date with time reads in each language; other languages get Babel's.
DATETIME_FORMATS = {"de": "d. MMMM y, HH:mm 'Uhr'", "en": "d MMMM y, HH:mm"}


def local_datetime(moment: datetime | None, format: str = "medium") -> str:
    """A moment in the city's zone (Flask-Babel converts from UTC)."""
    if moment is None:
        return ""
    if format == "medium":
        format = DATETIME_FORMATS.get(current_language(), format)
    return format_datetime(moment, format)


def local_date(moment: datetime | date | None, format: str = "medium") -> str:
    """A day as the city sees it; a datetime is first moved into its zone."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = city_day(moment)
    return format_date(moment, format)


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = language_converter(tuple(app.config["LANGUAGES"]))
    app.url_value_preprocessor(pull_language)
    app.url_defaults(push_language)
    app.jinja_env.filters["tr"] = translated
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.globals["url_in_language"] = url_in_language
    app.jinja_env.globals["current_language"] = current_language
