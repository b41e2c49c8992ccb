"""The door list PDF: everyone with a place sorted by name, with age, phone,
consents and a box to tick; read back with pypdf; recorded like an export."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from models import AuditEntry, RegistrationStatus
from models.base import utcnow

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def workshop(make_event):
    return make_event(starts_at=EVENT_START, capacity=20)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # Words wrapped inside a table cell join up again.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_door_list_has_everyone_with_a_place_sorted_by_name(
    staff_client, workshop, make_registration
):
    make_registration(workshop, first_name="Ömer", last_name="Zander", phone="0381 123")
    make_registration(
        workshop,
        first_name="Łukasz",
        last_name="Ärmel",
        date_of_birth=date(2011, 2, 1),
        needs_guardian_consent=True,
        guardian_consented_at=utcnow(),
        phone="0170 555",
        photo_consent=True,
    )
    make_registration(workshop, first_name="Bea", last_name="Berg")
    make_registration(
        workshop, first_name="Weg", last_name="Gegangen", status=RegistrationStatus.CANCELLED
    )
    admin = staff_client("admin", language="en")
    response = admin.get(f"/admin/events/{workshop.id}/door-list.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of(response.data)
    assert "Door list: Forum theatre workshop" in text
    assert "3 people with a place" in text
    assert text.index("Ärmel, Łukasz") < text.index("Berg, Bea") < text.index("Zander, Ömer")
    assert "Gegangen" not in text
    assert "15 (minor)" in text and "0170 555" in text and "0381 123" in text
    assert "Guardian consent given" in text and "Photos: yes" in text
    assert "☐" in text  # the box to tick
    assert "International Office of Rostock" in text


def test_the_door_list_is_german_for_german_staff(staff_client, workshop, make_registration):
    make_registration(workshop, date_of_birth=date(2009, 1, 5))
    text = text_of(staff_client("admin").get(f"/admin/events/{workshop.id}/door-list.pdf").data)
    assert "Einlassliste: Workshop Forumtheater" in text and "Beispiel, Mia" in text
    assert "17 (minderjährig)" in text


def test_every_download_of_the_door_list_is_audited(staff_client, workshop, make_registration):
    make_registration(workshop)
    make_registration(workshop)
    admin = staff_client("admin")
    admin.get(f"/admin/events/{workshop.id}/door-list.pdf")
    db.session.rollback()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "participants.export"))
    assert entry.actor_id == admin.user.id and entry.event_id == workshop.id
    assert entry.row_count == 2 and entry.details["format"] == "door_list_pdf"


def test_only_the_events_organisers_get_the_door_list(staff_client, workshop):
    assert (
        staff_client("organiser").get(f"/admin/events/{workshop.id}/door-list.pdf").status_code
        == 403
    )
    assert (
        staff_client("editor").get(f"/admin/events/{workshop.id}/door-list.pdf").status_code == 403
    )
