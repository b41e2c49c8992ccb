"""Text typed into staff forms: one Markdown pipeline (markdown-it-py, then
nh3) for news and for event, city and network descriptions; paragraphs kept
whether the browser sent CRLF or LF, on pages and in mails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from extensions import db
from models import City, Event, Network, Relation, SupportApplication
from services.markdown import paragraphs, render_markdown
from tests.conftest import csrf_token, run_worker, submit
from tests.test_admin_events import event_form
from tests.test_directory_staff import city_form
from tests.test_news import ATTACKS, assert_harmless
from tests.test_support_workflow import _change

TYPED = (
    "Erster Absatz.\r\n\r\nZweiter mit **fett** und [Link](https://example.org).\r\n"
    "Noch Zeile zwei."
)
RENDERED = [
    "<p>Erster Absatz.</p>",
    "<p>Zweiter mit <strong>fett</strong> und "
    '<a href="https://example.org" rel="noopener noreferrer">Link</a>.\nNoch Zeile zwei.</p>',
]


@pytest.mark.parametrize("markdown", ATTACKS)
def test_markdown_never_produces_scripts_handlers_or_dangerous_links(markdown):
    html = render_markdown(markdown)
    assert_harmless(html)
    assert "<script" not in html and "<img" not in html and "<div" not in html


def test_allowed_markdown_renders_as_html():
    html = render_markdown(
        '# Überschrift\n\n**fett** und *kursiv*, [Link](https://example.org "Titel"), '
        "[Mail](mailto:international@rostock.de), [Seite](/de/events/)"
        "\n\n- eins\n- zwei\n\n1. erstens\n"
    )
    for expected in [
        "<h2>Überschrift</h2>",
        "<strong>fett</strong> und <em>kursiv</em>",  # the title is the h1
        '<a href="https://example.org" title="Titel" rel="noopener noreferrer">Link</a>',
        '<a href="mailto:international@rostock.de" rel="noopener noreferrer">Mail</a>',
        '<a href="/de/events/" rel="noopener noreferrer">Seite</a>',
        "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>",
        "<ol>\n<li>erstens</li>\n</ol>",
    ]:
        assert expected in html, expected
    image = render_markdown("![Rathaus am Abend](https://example.org/x.png)")
    assert image == "<p>Rathaus am Abend</p>\n"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_paragraphs_typed_with_any_line_break_stay_paragraphs(newline):
    typed = TYPED.replace("\r\n", newline)
    assert render_markdown(typed) == "\n".join(RENDERED) + "\n"
    assert paragraphs(f"{newline}Eins{newline} {newline}Zwei{newline}drei{newline * 3}") == [
        "Eins",
        "Zwei\ndrei",
    ]


# --- descriptions on the public pages -----------------------------------------


def described(kind: str, description: str) -> str:
    """A published event, a city or a network with `description`; its page."""
    if kind == "event":
        event = db.session.scalar(select(Event))
        event.set_text("de", title="Workshop", description=description)
        db.session.commit()
        return "/de/events/forumtheater/"
    if kind == "city":
        record: City | Network = City(slug="turku", country="FI", relation=Relation.PARTNER)
        url = "/de/partners/turku/"
    else:
        record = Network(slug="ubc")
        url = "/de/networks/ubc/"
    record.set_text("de", name="Turku", description=description)
    db.session.add(record)
    db.session.commit()
    return url


@pytest.mark.parametrize("kind", ["event", "city", "network"])
def test_a_description_is_markdown_with_its_paragraphs(client, make_event, kind):
    make_event()
    html = client.get(described(kind, TYPED)).get_data(as_text=True)
    for paragraph in RENDERED:
        assert paragraph in html
    assert "**fett**" not in html and "[Link]" not in html


@pytest.mark.parametrize("markdown", ATTACKS)
@pytest.mark.parametrize("kind", ["event", "city", "network"])
def test_no_attack_in_a_description_reaches_the_page(client, make_event, kind, markdown):
    make_event()
    response = client.get(described(kind, markdown))
    assert response.status_code == 200
    assert_harmless(response.get_data(as_text=True))


# --- typed into the staff forms -----------------------------------------------


def test_an_event_description_typed_in_the_staff_form_keeps_its_paragraphs(
    staff_client, client, time_machine
):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    organiser = staff_client("organiser")
    form = event_form(slug="forumtheater", description_de=TYPED)
    assert submit(organiser, "/admin/events/new", form).status_code == 303
    stored = db.session.scalar(select(Event)).text("description", "de")
    assert stored == TYPED.replace("\r\n", "\n")
    html = client.get("/de/events/forumtheater/").get_data(as_text=True)
    for paragraph in RENDERED:
        assert paragraph in html


def test_a_city_description_typed_in_the_staff_form_keeps_its_paragraphs(staff_client, client):
    editor = staff_client("editor")
    assert submit(editor, "/admin/cities/new", city_form(description_de=TYPED)).status_code == 303
    html = client.get("/de/partners/szczecin/").get_data(as_text=True)
    for paragraph in RENDERED:
        assert paragraph in html


# --- in mails -------------------------------------------------------------------


def html_of(message) -> str:
    """The HTML part with the line breaks it was written with (SMTP sends CRLF)."""
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


def test_a_message_to_participants_keeps_its_paragraphs(
    app, smtp, staff_client, make_event, make_registration
):
    event = make_event()
    make_registration(event, email="mia@example.org")
    admin = staff_client("admin")
    url = f"/admin/events/{event.id}/participants"
    data = {"statuses": ["confirmed"], "subject_de": "Treffpunkt", "body_de": "Eins.\r\n\r\nZwei."}
    response = submit(admin, f"{url}/message", data, token=csrf_token(admin, url))
    assert response.status_code == 303
    run_worker(app)
    [message] = smtp.inbox.to("mia@example.org")
    html = html_of(message)
    assert ">Eins.</p>" in html and ">Zwei.</p>" in html
    assert "Eins.\n\nZwei." in message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_a_note_on_an_application_keeps_its_paragraphs(app, smtp, staff_client):
    now = datetime.now(UTC)
    application = SupportApplication(
        language="de",
        organisation="Verein",
        contact_name="Eva",
        email="eva@example.org",
        partner_key="city:szczecin",
        partner_name="Stettin",
        project_title="Projekt",
        description="Ein Austausch.",
        starts_on=now.date(),
        ends_on=now.date(),
        amount_requested=800,
        privacy_consent_at=now,
        privacy_consent_text="ok",
        created_at=now,
    )
    db.session.add(application)
    db.session.commit()
    note = "Leider nicht.\r\n\r\nVersuchen Sie es\r\nim Herbst."
    assert _change(staff_client("admin"), application.id, "declined", note).status_code == 303
    run_worker(app)
    [message] = smtp.inbox.to("eva@example.org")
    html = html_of(message)
    assert ">Leider nicht.</p>" in html and ">Versuchen Sie es\nim Herbst.</p>" in html
