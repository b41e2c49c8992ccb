"""SPEC rule 12: every page, form and error exists in German and English."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import registration_form, submit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["blueprints", "services", "models", "templates"]
MODULES = ["app.py", "i18n.py", "commands.py", "config.py"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def extracted_messages() -> set[str]:
    """Every msgid in the code and templates, as `make messages` collects them."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: set[str] = set()
    for folder in SOURCES:
        for _, _, message, *_ in extract_from_dir(
            ROOT / folder, method_map, options_map, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    for module in MODULES:
        for _, _, message, *_ in extract_from_dir(
            ROOT, [(module, "python")], {}, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def german():
    with open(ROOT / "translations/de/LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f)


def test_every_text_has_a_german_translation(german):
    missing = sorted(
        msgid
        for msgid in extracted_messages()
        if msgid not in german
        or not german[msgid].string
        or german[msgid].fuzzy
        or (isinstance(german[msgid].string, tuple) and not all(german[msgid].string))
    )
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)


def test_german_catalogue_compiles_without_errors(german):
    problems = [(message.id, errors) for message, errors in german.check()]
    assert not problems


def test_german_catalogue_has_no_fuzzy_entries(german):
    assert not [message.id for message in german if message.id and message.fuzzy]


def english_sources(german) -> list[str]:
    """English texts that must not show on German pages: those without
    placeholders that differ from their translation."""
    texts = []
    for message in german:
        msgid = message.id if isinstance(message.id, str) else None
        if (
            msgid
            and "%" not in msgid
            and message.string
            and message.string != msgid
            and len(msgid) > 3
        ):
            texts.append(msgid)
    return texts


PAGES = [
    "/de/",
    "/de/events/",
    "/de/events/?archive=1",
    "/de/events/forumtheater/",
    "/de/events/forumtheater/register",
    "/de/events/forumtheater/register/done",
    "/de/privacy",
    "/de/imprint",
    "/de/accessibility",
    "/de/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
def test_german_pages_show_no_english_text(client, make_event, german, path):
    make_event()
    page = html.unescape(client.get(path).get_data(as_text=True))
    leaked = [
        text for text in english_sources(german) if f">{text}<" in page or f"{text}</" in page
    ]
    assert not leaked


def test_german_form_errors_show_no_english_text(client, make_event, german):
    make_event()
    response = submit(
        client,
        "/de/events/forumtheater/register",
        registration_form(email="x", date_of_birth="2099-01-01", privacy_consent=""),
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    leaked = [
        text
        for text in english_sources(german)
        if re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", page)
    ]
    assert not leaked


@pytest.mark.parametrize("path", [p.replace("/de/", "/en/", 1) for p in PAGES])
def test_english_pages_render(client, make_event, path):
    make_event()
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert '<html lang="en">' in response.get_data(as_text=True)
