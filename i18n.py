"""Languages: the /<lang>/ URL prefix, the locale, and template helpers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from werkzeug.routing import BaseConverter, Map

from models.base import DEFAULT_LANGUAGE, Translatable
from services import audit_text, labels
from services.dates import day_text, moment_text, time_text


def language_converter(languages: tuple[str, ...]) -> type[BaseConverter]:
    """A URL converter that matches exactly the configured languages."""

    class LanguageConverter(BaseConverter):
        regex = "|".join(re.escape(lang) for lang in languages)

        def __init__(self, map: Map) -> None:
            super().__init__(map)

    return LanguageConverter


# Staff pages have no language in their address: they follow the browser, or
# the language chosen with the switch in their header (a cookie for /admin).
STAFF_PREFIX = "/admin"
STAFF_LANGUAGE_COOKIE = "lang"


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def select_locale() -> str:
    """The URL's language; elsewhere (staff pages, unknown URLs) the path's
    first segment if it names one, on staff pages the one chosen there, else
    the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    if lang := g.get("lang"):
        return lang
    first = request.path.strip("/").split("/", 1)[0]
    if first in languages:
        return first
    chosen = request.cookies.get(STAFF_LANGUAGE_COOKIE)
    if f"/{first}" == STAFF_PREFIX and chosen in languages:
        return chosen
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
    """This page in another language (the home page where there is no twin).

    The path is built from the matched route's values alone, so no query
    argument can change which page the link names (`?slug=…`) or reach
    url_for's own options (`?_method=POST`); the query string is kept as it
    is (`?archive=1` is the archive in both languages), less any argument
    named like a path value."""
    endpoint, rule = request.endpoint, request.url_rule
    if not (endpoint and rule and "lang" in rule.arguments):
        return url_for("public.home", lang=lang)
    path = url_for(endpoint, **(request.view_args or {}) | {"lang": lang})
    query = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name not in rule.arguments
    ]
    return f"{path}?{urlencode(query)}" if query else path


_TEMPLATE_TRANSLATIONS = "template_translations"  # g key: (locale, its catalogue)


def template_translations() -> NullTranslations:
    """The catalogue of the language being rendered, for the texts in
    templates. Flask-Babel finds it anew for every `_()` (context, domain,
    locale, locale name, cache) — a third of rendering a page; here it is
    found once per request and language. Keyed by the locale object, so
    that `force_locale` (mails in the recipient's language) is followed:
    it sets a locale object of its own and puts the old one back after."""
    locale = get_locale()
    cached = g.get(_TEMPLATE_TRANSLATIONS)
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    setattr(g, _TEMPLATE_TRANSLATIONS, (locale, translations))
    return translations


def install_template_gettext(app: Flask) -> None:
    """The callables Flask-Babel installs, with the catalogue looked up once."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: template_translations().ugettext(s),
        ngettext=lambda s, p, n: template_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: template_translations().unpgettext(c, s, p, n),
    )


BUILT_PATHS = "built_paths"  # app.extensions key: the paths template_url_for built
MAX_BUILT_PATHS = 4096  # then it starts over: slugs and page numbers are unbounded


def template_url_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates, remembering the paths it built: every page
    builds the same links (menu, footer, language switch) for every visitor,
    a fifth of rendering it. A path depends on the app's routes, the
    endpoint, its values, the language pushed into them (push_language) and
    the site's root path: the key, per app. Links built outside a request
    (absolute ones, in mails), with options (`_external`, `_anchor`, …) or
    relative to the blueprint are built each time."""
    if not has_request_context() or endpoint.startswith(".") or any(k[0] == "_" for k in values):
        return url_for(endpoint, **values)
    paths: dict[tuple, str] = current_app.extensions[BUILT_PATHS]
    language = g.get("lang") or current_language()
    try:
        key = (request.script_root, language, endpoint, tuple(sorted(values.items())))
        path = paths.get(key)
    except TypeError:  # a value that cannot be a key; url_for takes it all the same
        return url_for(endpoint, **values)
    if path is None:
        path = url_for(endpoint, **values)
        if len(paths) >= MAX_BUILT_PATHS:
            paths.clear()
        paths[key] = path
    return path


def translated(item: Translatable, field: str) -> str:
    return item.text(field, current_language())


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = language_converter(tuple(app.config["LANGUAGES"]))
    install_template_gettext(app)
    app.url_value_preprocessor(pull_language)
    app.url_defaults(push_language)
    app.jinja_env.filters["tr"] = translated
    # Dates by the names in services/dates.py: local_date('weekday'), local_datetime('short').
    app.jinja_env.filters["local_date"] = day_text
    app.jinja_env.filters["local_datetime"] = moment_text
    app.jinja_env.filters["local_time"] = time_text
    # Codes in words (services/labels.py): {{ user.role|label }}, {{ entry.action|audit_action }}.
    app.jinja_env.filters["label"] = labels.label
    app.jinja_env.filters["mail_kind"] = labels.mail_kind
    app.jinja_env.filters["audit_action"] = labels.audit_action
    app.jinja_env.filters["audit_target"] = labels.audit_target
    app.jinja_env.filters["audit_details"] = audit_text.details
    app.jinja_env.filters["partner_kind"] = labels.partner_kind
    app.jinja_env.filters["language_name"] = labels.language_name
    app.jinja_env.filters["language_own_name"] = labels.language_own_name
    app.extensions[BUILT_PATHS] = {}
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["url_in_language"] = url_in_language
    app.jinja_env.globals["current_language"] = current_language
