"""Events on the staff side: create and edit with the SPEC's field names,
validation and duplicating (cancelling: test_event_cancellation.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Event, Registration, RegistrationStatus
from tests.conftest import submit

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def event_form(**overrides) -> dict:
    return {
        "slug": "forumtheater-2026",
        "title_de": "Workshop Forumtheater",
        "title_en": "Forum theatre workshop",
        "summary_de": "Für Jugendliche",
        "description_de": "Anlässlich des Internationalen Tag des Friedens …",
        "venue": "Rostocker Rathaus",
        "starts_at": "2026-09-18T10:00",
        "ends_at": "2026-09-18T16:00",
        "registration_closes_at": "2026-09-11T23:59",
        "min_age": "14",
        "max_age": "18",
        "capacity": "20",
        "waitlist": "y",
        "guardian_consent_below_age": "16",
        "status": "published",
    } | overrides


@pytest.fixture
def organiser(staff_client, time_machine):
    time_machine.move_to(NOW, tick=False)
    return staff_client("organiser")


def test_an_organiser_creates_an_event_in_local_time_and_organises_it(organiser):
    response = submit(organiser, "/admin/events/new", event_form())
    assert response.status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))
    assert event.starts_at == datetime(2026, 9, 18, 8, 0, tzinfo=UTC)  # 10:00 in Rostock in summer
    assert event.registration_closes_at == datetime(2026, 9, 11, 21, 59, tzinfo=UTC)
    assert event.text("title", "en") == "Forum theatre workshop"
    assert [user.id for user in event.organisers] == [organiser.user.id]
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.event_id == event.id))
        == "event.create"
    )
    assert organiser.get(f"/admin/events/{event.id}/edit").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_at", "2026-09-18T09:00", "Das Ende muss nach dem Beginn liegen."),
        (
            "registration_closes_at",
            "2026-09-19T10:00",
            "Die Anmeldung muss vor Beginn der Veranstaltung enden.",
        ),
        ("max_age", "12", "Das Höchstalter darf nicht unter dem Mindestalter liegen."),
        ("slug", "Forum Theater!", "Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche"),
        ("title_de", "", "Bitte füllen Sie dieses Feld aus."),
        ("starts_at", "morgen", "Bitte geben Sie Datum und Uhrzeit ein, z. B. 2026-09-18 10:00."),
        ("capacity", "-1", "Bitte geben Sie eine Zahl von 0 bis 100000 ein."),
    ],
)
def test_an_invalid_event_is_refused_with_a_clear_message_and_nothing_stored(
    organiser, field, value, message
):
    response = submit(organiser, "/admin/events/new", event_form(**{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_slug_is_used_only_once(organiser, make_event):
    make_event(slug="forumtheater-2026")
    response = submit(organiser, "/admin/events/new", event_form())
    assert response.status_code == 422
    assert "Diese Webadresse" in response.get_data(as_text=True)


def test_capacity_cannot_drop_below_the_seats_already_held(
    staff_client, make_event, make_registration
):
    admin = staff_client("admin")
    event = make_event(capacity=5)
    for _ in range(3):
        make_registration(event)
    response = submit(
        admin,
        f"/admin/events/{event.id}/edit",
        event_form(
            slug=event.slug,
            capacity="2",
            starts_at="2030-01-01T10:00",
            ends_at="2030-01-01T12:00",
            registration_closes_at="",
        ),
    )
    assert response.status_code == 422
    assert "3 Plätze sind bereits vergeben" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Event, event.id).capacity == 5


def test_more_capacity_promotes_the_waitlist(staff_client, make_event, make_registration):
    admin = staff_client("admin")
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    form = event_form(
        slug=event.slug,
        capacity="2",
        starts_at="2030-01-01T10:00",
        ends_at="2030-01-01T12:00",
        registration_closes_at="",
    )
    assert submit(admin, f"/admin/events/{event.id}/edit", form).status_code == 303
    db.session.rollback()
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.PENDING


def test_duplicating_copies_texts_and_settings_but_not_dates_or_registrations(
    staff_client, make_event, make_registration
):
    admin = staff_client("admin")
    event = make_event(capacity=12, min_age=14, max_age=18)
    make_registration(event)
    page = admin.get(f"/admin/events/{event.id}/duplicate").get_data(as_text=True)
    assert 'value="Workshop Forumtheater"' in page
    assert 'name="capacity" required type="number" value="12"' in page or 'value="12"' in page
    assert (
        'name="starts_at"' in page
        and 'name="starts_at" required type="datetime-local" value=""' in page
    )
    assert 'value="forumtheater-neu"' in page
    form = event_form(slug="forumtheater-neu", capacity="12")
    assert submit(admin, "/admin/events/new", form).status_code == 303
    copy = db.session.scalar(select(Event).where(Event.slug == "forumtheater-neu"))
    assert (
        db.session.scalar(
            select(func.count()).select_from(Registration).where(Registration.event_id == copy.id)
        )
        == 0
    )


def test_titles_with_markup_are_escaped_on_admin_pages(staff_client, make_event, make_registration):
    admin = staff_client("admin")
    event = make_event(title_en=None)
    event.set_text("de", title="<script>alert(1)</script>")
    db.session.commit()
    make_registration(event, first_name="<script>alert(2)</script>")
    for url in (
        "/admin/events/",
        f"/admin/events/{event.id}/edit",
        f"/admin/events/{event.id}/participants",
    ):
        page = admin.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
