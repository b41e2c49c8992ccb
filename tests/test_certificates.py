"""Certificates of attendance: only for a participant who was checked in,
only after the event, in the page's language; read back with pypdf; linked
from the personal page and offered by mail once after the event."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from models import OutboxMessage, RegistrationStatus, TokenPurpose
from services import tokens
from tests.conftest import run_worker
from tests.mail import link_in, text_of

EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)  # 17:00 in Rostock
AFTER = EVENT_START + timedelta(hours=4)


@pytest.fixture
def workshop(make_event):
    return make_event(starts_at=EVENT_START, venue_en="Rostock Town Hall")


@pytest.fixture
def came(workshop, make_registration):
    registration = make_registration(workshop, first_name="Łukasz", last_name="Öztürk")
    registration.checked_in_at = EVENT_START
    db.session.commit()
    return registration


def link(registration, lang: str = "de") -> str:
    raw = tokens.issue(db.session, registration, TokenPurpose.MANAGE, AFTER + timedelta(days=90))
    db.session.commit()
    return f"/{lang}/registrations/{raw}/"


def text_of_pdf(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_a_checked_in_participant_gets_a_german_certificate_after_the_event(
    client, came, time_machine
):
    page = link(came)
    time_machine.move_to(AFTER, tick=False)
    response = client.get(page + "certificate.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of_pdf(response.data)
    assert "Teilnahmebestätigung" in text
    assert "Łukasz Öztürk" in text
    assert "„Workshop Forumtheater“" in text
    assert "am 10. Juli 2026 von 17:00 bis 20:00 Uhr" in text
    assert "Dauer: 3 Stunden" in text
    assert "Ort: Rostocker Rathaus" in text
    assert "Fachbereich Internationales der Stadt Rostock" in text
    assert "Rostock, den 10. Juli 2026" in text
    assert PdfReader(io.BytesIO(response.data)).metadata.title.startswith("Teilnahmebestätigung")


def test_the_english_certificate_is_english(client, came, time_machine):
    page = link(came, "en")
    time_machine.move_to(AFTER, tick=False)
    text = text_of_pdf(client.get(page + "certificate.pdf").data)
    assert "Certificate of attendance" in text and "took part in the event" in text
    assert "“Forum theatre workshop”" in text
    assert "on 10 July 2026 from 17:00 to 20:00" in text and "Length: 3 hours" in text
    assert "Place: Rostock Town Hall" in text


def test_no_certificate_before_the_event_has_ended(client, came, time_machine):
    page = link(came)
    time_machine.move_to(EVENT_START + timedelta(hours=2), tick=False)
    assert client.get(page + "certificate.pdf").status_code == 404
    assert "certificate.pdf" not in client.get(page).get_data(as_text=True)


def test_no_certificate_for_who_was_not_checked_in(
    client, workshop, make_registration, time_machine
):
    stayed_away = make_registration(workshop)
    cancelled = make_registration(
        workshop, status=RegistrationStatus.CANCELLED, checked_in_at=EVENT_START
    )
    pages = [link(stayed_away), link(cancelled)]
    time_machine.move_to(AFTER, tick=False)
    for page in pages:
        assert client.get(page + "certificate.pdf").status_code == 404


def test_a_wrong_link_gets_no_certificate(client, came, time_machine):
    time_machine.move_to(AFTER, tick=False)
    assert client.get("/de/registrations/not-a-token/certificate.pdf").status_code == 404


def test_the_personal_page_links_the_certificate(client, came, time_machine):
    page = link(came)
    time_machine.move_to(AFTER, tick=False)
    html = client.get(page).get_data(as_text=True)
    assert "Teilnahmebestätigung herunterladen (PDF)" in html
    assert page + "certificate.pdf" in html


def test_the_mail_after_the_event_offers_the_certificate_once(
    app, client, smtp, came, workshop, make_registration, time_machine
):
    make_registration(workshop, email="away@example.org")  # did not come: no mail
    time_machine.move_to(EVENT_START + timedelta(hours=2), tick=False)
    run_worker(app)
    assert not smtp.inbox.to(came.email)  # not before the end
    time_machine.move_to(AFTER, tick=False)
    run_worker(app)
    [mail] = smtp.inbox.to(came.email)
    assert mail["Subject"] == "Ihre Teilnahmebestätigung: Workshop Forumtheater"
    certificate = link_in(mail, "manage") + "certificate.pdf"
    assert certificate.rsplit("/", 2)[0] in text_of(mail)
    assert "/certificate.pdf" in text_of(mail)
    time_machine.move_to(AFTER + timedelta(hours=1), tick=False)
    run_worker(app)
    assert len(smtp.inbox.to(came.email)) == 1
    assert not smtp.inbox.to("away@example.org")
    db.session.rollback()
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds == ["certificate_available"]
