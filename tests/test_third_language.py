"""A third language is the `LANGUAGES` setting plus a catalogue, nothing
else: the staff forms grow its fields, its pages serve, and content that
has no text in it falls back to German.

The start-up check stays strict (a configured language without a catalogue
refuses to start, test_catalogues.py), so this test ships a tiny Polish
catalogue beside copies of the real ones in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

import catalogues
from app import create_app
from extensions import db
from models import City, Event, NewsPost, NewsStatus, Relation
from tests.conftest import RequestClient, submit
from tests.databases import base_config
from tests.mail import SMTPServer

POLISH_CATALOGUE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: pl\\n"

msgid "Upcoming events"
msgstr "Nadchodzące wydarzenia"
"""


@pytest.fixture
def app(
    database_url: str, smtp: SMTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The site configured with German, English and Polish."""
    checkout = tmp_path / "translations"
    real = Path(catalogues.__file__).parent / "translations"
    shutil.copytree(real, checkout, ignore=shutil.ignore_patterns("*.mo"))
    (checkout / "pl" / "LC_MESSAGES").mkdir(parents=True)
    (checkout / "pl" / "LC_MESSAGES" / "messages.po").write_text(POLISH_CATALOGUE)
    compile_real = catalogues.compiled_catalogues
    monkeypatch.setattr(
        catalogues,
        "compiled_catalogues",
        lambda sources, fallback, languages: compile_real(checkout, fallback, languages),
    )
    config = base_config(database_url) | {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "LANGUAGES": ("de", "en", "pl"),
    }
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.rollback()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/admin/events/new", ("title", "summary", "description", "venue")),
        ("/admin/news/new", ("title", "teaser", "body", "image_alt")),
        ("/admin/cities/new", ("name", "description")),
        ("/admin/networks/new", ("name", "description")),
        ("/admin/categories", ("name",)),
    ],
)
def test_the_staff_forms_grow_the_fields_of_a_third_language(staff_client, url, fields):
    page = staff_client("admin").get(url).get_data(as_text=True)
    for name in fields:
        german = "venue" if name == "venue" else f"{name}_de"
        for field_name in (german, f"{name}_en", f"{name}_pl"):
            assert f'name="{field_name}"' in page, (url, field_name)
    # Named in the reader's language, the way German and English are.
    assert "(Polnisch)" in page and "(Englisch)" in page


def test_the_question_form_grows_the_fields_of_a_third_language(staff_client, make_event):
    event = make_event()
    page = staff_client("admin").get(f"/admin/events/{event.id}/questions")
    html = page.get_data(as_text=True)
    for name in ("label_de", "label_en", "label_pl", "choices_de", "choices_en", "choices_pl"):
        assert f'name="{name}"' in html, name
    assert "(Polnisch)" in html


def test_an_event_keeps_its_polish_title_and_shows_it_on_polish_pages(staff_client, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    form = {
        "slug": "forumtheater-2026",
        "title_de": "Workshop Forumtheater",
        "title_pl": "Warsztaty teatru forum",
        "venue": "Rostocker Rathaus",
        "starts_at": "2026-09-18T10:00",
        "ends_at": "2026-09-18T16:00",
        "guardian_consent_below_age": "16",
        "status": "published",
    }
    staff = staff_client("organiser")
    assert submit(staff, "/admin/events/new", form).status_code == 303
    event = db.session.scalars(select(Event)).one()
    assert event.texts["pl"].title == "Warsztaty teatru forum"
    assert "pl" not in event.texts or event.texts["pl"].venue is None
    # Editing shows the Polish text again.
    edit = staff.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert "Warsztaty teatru forum" in edit
    page = staff.get("/pl/events/forumtheater-2026/").get_data(as_text=True)
    assert "Warsztaty teatru forum" in page and "Rostocker Rathaus" in page


def test_polish_pages_serve_and_content_falls_back_to_german(client, make_event):
    make_event(title_en=None)
    city = City(slug="szczecin", country="PL", relation=Relation.PARTNER)
    city.set_text("de", name="Stettin", description="Partnerstadt seit 1957")
    news = NewsPost(slug="neu", status=NewsStatus.PUBLISHED, is_pinned=False)
    news.published_at = datetime(2026, 1, 1, tzinfo=UTC)
    news.set_text("de", title="Neuigkeit auf Deutsch", teaser="Kurz gesagt")
    db.session.add_all([city, news])
    db.session.commit()

    home = client.get("/pl/")
    assert home.status_code == 200
    text = home.get_data(as_text=True)
    assert '<html lang="pl">' in text
    assert "Nadchodzące wydarzenia" in text  # from the Polish catalogue
    assert "Workshop Forumtheater" in text  # no Polish title: the German one
    for url, german in [
        ("/pl/events/", "Workshop Forumtheater"),
        ("/pl/events/forumtheater/", "Rostocker Rathaus"),
        ("/pl/news/", "Neuigkeit auf Deutsch"),
        ("/pl/news/neu/", "Kurz gesagt"),
        ("/pl/partners/", "Stettin"),
        ("/pl/partners/szczecin/", "Partnerstadt seit 1957"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert german in response.get_data(as_text=True), url
    # The other pages name the language by its own name.
    assert 'hreflang="pl" lang="pl">Polski<' in client.get("/de/").get_data(as_text=True)


def test_the_cancel_step_and_the_message_to_everyone_take_polish_too(
    staff_client, make_event, make_registration
):
    event = make_event()
    make_registration(event, language="pl")  # someone to tell
    admin = staff_client("admin")
    cancel = admin.get(f"/admin/events/{event.id}/cancel").get_data(as_text=True)
    participants = admin.get(f"/admin/events/{event.id}/participants").get_data(as_text=True)
    for name in ("message_de", "message_en", "message_pl"):
        assert f'name="{name}"' in cancel, name
    for name in ("subject_pl", "body_pl"):
        assert f'name="{name}"' in participants, name
