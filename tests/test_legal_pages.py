"""Privacy notice, imprint, accessibility statement and the page in Leichte
Sprache: both languages, linked from every page, numbers and contact details
from the settings, and nothing made up where a setting is not set."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from app import create_app
from extensions import babel, db
from tests.conftest import RequestClient
from tests.databases import base_config

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "translations/de/LC_MESSAGES/messages.po"
TEMPLATES = [
    "templates/public/privacy.html",
    "templates/public/imprint.html",
    "templates/public/accessibility.html",
    "templates/public/_contact.html",
    "templates/base.html",
]
LEGAL_PAGES = ["privacy", "imprint", "accessibility"]

CONTACT = {
    "OFFICE_ADDRESS": "Rathaus, Haus & Hof 1\n18055 Musterstadt",
    "OFFICE_EMAIL": "international@stadt.example",
    "OFFICE_PHONE": "0381 381-1234",
    "DPO_EMAIL": "datenschutz@stadt.example",
    "IMPRINT_REPRESENTATIVE": "Die Oberbürgermeisterin",
    "IMPRINT_RESPONSIBLE": "Erika Beispiel, Fachbereich Internationales",
    "CITY_IMPRINT_URL": "https://stadt.example/impressum",
    "ACCESSIBILITY_STATEMENT_DATE": date(2026, 11, 21),
    "ENFORCEMENT_BODY": "Schlichtungsstelle des Landes",
    "ENFORCEMENT_BODY_URL": "https://land.example/schlichtung",
}


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """An app with extra settings, its test client a RequestClient."""
    contexts = []

    def make(**settings) -> Flask:
        app = create_app(base_config(database_url) | settings)
        app.test_client_class = RequestClient
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    yield make
    for context in reversed(contexts):
        db.session.rollback()
        db.engine.dispose()
        context.pop()


@pytest.fixture
def german_catalogue(tmp_path: Path) -> Iterator[str]:
    """A translation folder with the German catalogue compiled from the .po.

    Flask-Babel keeps loaded catalogues in one cache per process (keyed by
    locale only), so it is emptied for this test and restored afterwards."""
    with open(MESSAGES, "rb") as f:
        catalogue = read_po(f)
    folder = tmp_path / "translations" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as f:
        write_mo(f, catalogue)
    cache = babel.domain_instance.cache
    saved = dict(cache)
    cache.clear()
    yield str(tmp_path / "translations")
    cache.clear()
    cache.update(saved)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def main_text(page_html: str) -> str:
    """The page's <main>, tags removed and entities decoded."""
    main = page_html[page_html.index("<main") : page_html.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


# --- both languages ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", LEGAL_PAGES)
def test_legal_page_answers_in_its_language(make_app, lang, name):
    client = make_app().test_client()
    body = page(client, f"/{lang}/{name}")
    assert f'<html lang="{lang}">' in body
    assert body.count("<h1>") == 1


def test_easy_language_page_is_german(make_app):
    client = make_app().test_client()
    body = page(client, "/de/leichte-sprache")
    assert '<html lang="de">' in body
    assert "<h1>Informationen in Leichter Sprache</h1>" in body
    for word in ("Partner·stadt", "Anmelde·formular", "Warte·liste"):
        assert word in body  # the Mediopunkt of Leichte Sprache


def test_easy_language_page_does_not_exist_in_english(make_app):
    client = make_app().test_client()
    body = page(client, "/en/leichte-sprache", status=404)
    assert '<html lang="en">' in body


def test_language_switch_on_the_easy_language_page_leads_to_the_english_home_page(make_app):
    client = make_app().test_client()
    body = page(client, "/de/leichte-sprache")
    assert 'href="/en/" hreflang="en"' in body
    assert "/en/leichte-sprache" not in body


# --- linked from every page ------------------------------------------------------

SAMPLE_PAGES = [
    "/{lang}/",
    "/{lang}/events/",
    "/{lang}/events/forumtheater/",
    "/{lang}/gibt-es-nicht",
    "/{lang}/privacy",
]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_page_links_the_legal_pages_and_leichte_sprache(client, make_event, lang):
    make_event()
    for url in (p.format(lang=lang) for p in SAMPLE_PAGES):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.get_data(as_text=True)
        for name in LEGAL_PAGES:
            assert f'href="/{lang}/{name}"' in body, (url, name)
        assert 'href="/de/leichte-sprache" hreflang="de"' in body, url
        assert "/en/leichte-sprache" not in body, url
        footer = body[body.index('<ul class="footer-links">') :]
        if lang == "de":
            assert ">Leichte Sprache</a>" in footer
        else:
            assert 'Easy-to-read German (<span lang="de">Leichte Sprache</span>)</a>' in footer


def test_the_404_page_links_the_legal_pages(client):
    body = page(client, "/de/gibt-es-nicht", status=404)
    for name in LEGAL_PAGES:
        assert f'href="/de/{name}"' in body
    assert 'href="/de/leichte-sprache"' in body


@pytest.mark.parametrize(
    "url", ["/de/privacy", "/en/imprint", "/en/accessibility", "/de/leichte-sprache"]
)
def test_legal_pages_load_nothing_from_other_servers(make_app, url):
    """What the privacy notice promises: no external fonts, scripts, images or CDN."""
    body = page(make_app(**CONTACT).test_client(), url)
    for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", body):
        assert not re.search(r'(?:src|href)="(?:[a-z]+:)?//', tag), tag


# --- numbers from the settings ---------------------------------------------------


def test_privacy_notice_states_the_configured_periods_in_english(make_app):
    client = make_app(RETENTION_DAYS=37, PENDING_HOURS=5).test_client()
    text = main_text(page(client, "/en/privacy"))
    assert (
        "37 days after the event ends, the personal data of all participants is made anonymous"
        in text
    )
    assert "not confirmed within 5 hours" in text
    assert "90 days" not in text and "48 hours" not in text


def test_privacy_notice_uses_the_singular_for_one(make_app):
    client = make_app(RETENTION_DAYS=1, PENDING_HOURS=1).test_client()
    text = main_text(page(client, "/en/privacy"))
    assert "1 day after the event ends" in text
    assert "within 1 hour," in text


def test_privacy_notice_states_the_configured_periods_in_german(make_app, german_catalogue):
    client = make_app(
        RETENTION_DAYS=37, PENDING_HOURS=5, BABEL_TRANSLATION_DIRECTORIES=german_catalogue
    ).test_client()
    text = main_text(page(client, "/de/privacy"))
    assert "37 Tage nach dem Ende der Veranstaltung werden die personenbezogenen Daten" in text
    assert "innerhalb von 5 Stunden bestätigt" in text
    assert "Art. 6 Abs. 1 lit. a DSGVO" in text


def test_privacy_notice_in_german_uses_the_singular_for_one(make_app, german_catalogue):
    client = make_app(
        RETENTION_DAYS=1, PENDING_HOURS=1, BABEL_TRANSLATION_DIRECTORIES=german_catalogue
    ).test_client()
    text = main_text(page(client, "/de/privacy"))
    assert "1 Tag nach dem Ende der Veranstaltung" in text
    assert "innerhalb von 1 Stunde bestätigt" in text


def test_easy_language_page_states_the_configured_time_to_confirm(make_app):
    client = make_app(PENDING_HOURS=5, REMINDER_DAYS=1).test_client()
    text = main_text(page(client, "/de/leichte-sprache"))
    assert "Sie haben dafür 5 Stunden Zeit." in text
    assert "1 Tag vor der Veranstaltung" in text


# --- contact details from the settings -------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_contact_settings_appear_where_they_belong(make_app, lang):
    client = make_app(**CONTACT).test_client()
    for name in ("privacy", "imprint", "accessibility", "leichte-sprache"):
        if name == "leichte-sprache" and lang == "en":
            continue
        body = page(client, f"/{lang}/{name}")
        assert "Rathaus, Haus &amp; Hof 1<br>" in body, name
        assert "18055 Musterstadt" in body, name
        assert (
            '<a href="mailto:international@stadt.example">international@stadt.example</a>' in body
        ), name
        assert '<a href="tel:0381381-1234">0381 381-1234</a>' in body, name
        # The data protection officer belongs to the privacy notice.
        assert ("mailto:datenschutz@stadt.example" in body) == (name == "privacy"), name

    imprint = page(client, f"/{lang}/imprint")
    assert "<p>Die Oberbürgermeisterin</p>" in imprint
    assert "<p>Erika Beispiel, Fachbereich Internationales</p>" in imprint
    assert 'href="https://stadt.example/impressum"' in imprint

    statement = page(client, f"/{lang}/accessibility")
    assert (
        '<a href="https://land.example/schlichtung">Schlichtungsstelle des Landes</a>' in statement
    )
    assert ("21. November 2026" if lang == "de" else "21 November 2026") in statement


def test_enforcement_body_may_be_given_as_name_and_url_together(make_app):
    client = make_app(
        ENFORCEMENT_BODY={"name": "Durchsetzungsstelle", "url": "https://land.example/d"}
    ).test_client()
    assert '<a href="https://land.example/d">Durchsetzungsstelle</a>' in page(
        client, "/en/accessibility"
    )


def test_statement_date_given_as_text_is_shown_as_it_is(make_app):
    client = make_app(ACCESSIBILITY_STATEMENT_DATE="21.11.2026").test_client()
    assert "21.11.2026" in page(client, "/de/accessibility")


def test_links_from_the_settings_must_be_web_addresses(make_app):
    client = make_app(
        CITY_IMPRINT_URL="javascript:alert(1)", ENFORCEMENT_BODY_URL="javascript:alert(2)"
    ).test_client()
    for url in ("/en/imprint", "/en/accessibility"):
        assert "javascript:" not in page(client, url)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_nothing_is_made_up_when_the_settings_are_unset(make_app, lang):
    client = make_app().test_client()
    names = [*LEGAL_PAGES, "leichte-sprache"] if lang == "de" else LEGAL_PAGES
    for name in names:
        body = page(client, f"/{lang}/{name}")
        text = main_text(body)
        assert "[" not in text and "]" not in text, name  # no "[Anschrift …]" placeholders
        assert "None" not in text, name
        assert "mailto:" not in body and "tel:" not in body, name
        assert "<address" not in body, name


def test_unset_settings_leave_neutral_sentences_in_english(make_app):
    client = make_app().test_client()
    imprint = main_text(page(client, "/en/imprint"))
    assert (
        "In addition, the full imprint of the city of Rostock applies; it is published on the "
        "city's website." in imprint
    )
    assert "Represented by" not in imprint
    assert "Responsible for the content" not in imprint
    privacy = main_text(page(client, "/en/privacy"))
    assert "You can also contact the data protection officer of the city" in privacy
    statement = main_text(page(client, "/en/accessibility"))
    assert "This statement was prepared on" not in statement
    assert "Schlichtungs- bzw. Durchsetzungsstelle of the federal state" in statement


def test_unset_settings_leave_neutral_sentences_in_german(make_app, german_catalogue):
    client = make_app(BABEL_TRANSLATION_DIRECTORIES=german_catalogue).test_client()
    imprint = main_text(page(client, "/de/imprint"))
    assert "Ergänzend gilt das vollständige Impressum der Stadt Rostock" in imprint
    statement = main_text(page(client, "/de/accessibility"))
    assert "Schlichtungs- bzw. Durchsetzungsstelle des Bundeslandes" in statement
    easy = main_text(page(client, "/de/leichte-sprache"))
    assert "Die Kontakt·daten stehen auf der Internet·seite von der Stadt Rostock." in easy


def test_city_name_comes_from_the_settings(make_app):
    client = make_app(CITY_NAME="Osnabrück").test_client()
    assert "International Office of Osnabrück" in main_text(page(client, "/en/privacy"))
    assert "Stadt·verwaltung Osnabrück" in main_text(page(client, "/de/leichte-sprache"))


# --- the accessibility statement -------------------------------------------------


def test_accessibility_statement_names_the_known_gaps(make_app):
    client = make_app().test_client()
    body = page(client, "/en/accessibility")
    text = main_text(body)
    assert "WCAG" in text and "axe-core" in text and "keyboard" in text
    assert "PDF files and other documents of the city are not part of this website" in text
    assert "the map is an image" in text
    assert "written by the editors for each image" in text
    assert 'href="/de/leichte-sprache" hreflang="de"' in body


# --- the German texts --------------------------------------------------------------


def test_every_new_text_has_a_german_translation():
    """Each text of the legal pages is translated in the catalogue."""
    with open(MESSAGES, "rb") as f:
        catalogues = [read_po(f)]
    missing = []
    for template in TEMPLATES:
        for _, message, _, _ in extract_from_file(
            "jinja2",
            str(ROOT / template),
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
            options={"extensions": "jinja2.ext.do"},
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            translations = [
                c[msgid].string for c in catalogues if msgid in c and not c[msgid].fuzzy
            ]
            if not any(all(t) if isinstance(t, tuple) else t for t in translations):
                missing.append(msgid)
    assert not missing
