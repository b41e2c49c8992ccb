"""The door (`/admin/events/<id>/check-in`): check-in by code and by name,
twice, with a code of another event, a minor without consent, outside the
check-in window, undo, and two organisers at two doors at once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Registration, RegistrationStatus
from models.base import utcnow
from services import door
from tests.conftest import csrf_token, submit

EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)  # 17:00 in Rostock
AT_THE_DOOR = EVENT_START - timedelta(minutes=30)
CHECK_INS = select(AuditEntry).where(AuditEntry.action == "registration.check_in")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AT_THE_DOOR, tick=False)


@pytest.fixture
def workshop(make_event):
    return make_event(starts_at=EVENT_START, capacity=20)


@pytest.fixture
def organiser(staff_client, make_user, workshop):
    user = make_user("organiser")
    workshop.organisers.append(user)
    db.session.commit()
    client = staff_client(user=user, language="en")
    return client


def page(event) -> str:
    return f"/admin/events/{event.id}/check-in"


def scan(client, event, typed: str):
    return submit(client, page(event), {"code": typed}, token=csrf_token(client, page(event)))


def press(client, event, registration, suffix: str = "", **data):
    url = f"{page(event)}/{registration.id}{suffix}"
    return submit(client, url, data, token=csrf_token(client, page(event)))


def fresh(registration: Registration) -> Registration:
    db.session.rollback()
    return db.session.get(Registration, registration.id)


def test_the_page_is_made_for_a_phone_with_camera_and_typing(organiser, workshop):
    response = organiser.get(page(workshop))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="code"' in html
    assert "/static/vendor/jsqr/jsQR.js" in html and "/static/js/check-in.js" in html
    assert response.headers["Permissions-Policy"].startswith("camera=(self)")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_decoder_is_served_by_the_app_itself(client):
    response = client.get("/static/vendor/jsqr/jsQR.js")
    assert response.status_code == 200
    assert "jsQR" in response.get_data(as_text=True)
    response.close()
    script = client.get("/static/js/check-in.js")
    assert "BarcodeDetector" in script.get_data(as_text=True)
    script.close()


def test_a_scanned_code_checks_in_at_once_and_says_who_it_is(
    organiser, workshop, make_registration
):
    mia = make_registration(workshop, date_of_birth=date(2009, 1, 5))
    html = scan(organiser, workshop, mia.checkin_code).get_data(as_text=True)
    assert "✓ Checked in" in html
    assert "Mia Beispiel" in html and "17 years" in html and "Minor" in html
    mia = fresh(mia)
    assert mia.checked_in_at == AT_THE_DOOR
    assert mia.checked_in_by_id == organiser.user.id
    entry = db.session.scalar(CHECK_INS)
    assert entry.target == f"registration:{mia.id}" and entry.actor_id == organiser.user.id


def test_a_typed_code_works_in_small_letters_and_without_the_dash(
    organiser, workshop, make_registration
):
    mia = make_registration(workshop)
    typed = mia.checkin_code.replace("-", " ").lower()
    assert "✓ Checked in" in scan(organiser, workshop, typed).get_data(as_text=True)
    assert fresh(mia).checked_in_at is not None


def test_the_second_scan_says_already_checked_in_when_and_by_whom(
    organiser, workshop, make_registration
):
    mia = make_registration(workshop)
    scan(organiser, workshop, mia.checkin_code)
    html = scan(organiser, workshop, mia.checkin_code).get_data(as_text=True)
    assert "Already checked in" in html
    assert f"by {organiser.user.email}" in html
    count = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "registration.check_in")
    )
    assert count == 1


def test_a_code_of_another_event_is_refused_as_such(
    organiser, workshop, make_event, make_registration
):
    other = make_event(slug="sommerfest", starts_at=EVENT_START)
    guest = make_registration(other)
    html = scan(organiser, workshop, guest.checkin_code).get_data(as_text=True)
    assert "This code belongs to another event" in html
    assert fresh(guest).checked_in_at is None


def test_an_unknown_code_finds_nobody(organiser, workshop, make_registration):
    make_registration(workshop, checkin_code="AAAA-BBBB")
    html = scan(organiser, workshop, "AAAA-BBBC").get_data(as_text=True)
    assert "Nobody found" in html


def test_a_name_lists_who_matches_and_the_organiser_chooses(organiser, workshop, make_registration):
    mia = make_registration(workshop, first_name="Mia", last_name="Müller")
    make_registration(workshop, first_name="Mia", last_name="Schulz")
    make_registration(workshop, first_name="Ole", last_name="Müller")
    html = scan(organiser, workshop, "mia").get_data(as_text=True)
    assert "Who is it?" in html and "Mia Müller" in html and "Mia Schulz" in html
    assert "Ole Müller" not in html
    assert fresh(mia).checked_in_at is None  # a name alone checks nobody in
    html = press(organiser, workshop, mia).get_data(as_text=True)
    assert "✓ Checked in" in html and fresh(mia).checked_in_at is not None


def test_a_name_with_umlauts_is_found_typed_without_them(organiser, workshop, make_registration):
    make_registration(workshop, first_name="Jürgen", last_name="Groß")
    html = scan(organiser, workshop, "juergen gross").get_data(as_text=True)
    assert "Jürgen Groß" in html


def test_a_minor_without_consent_is_flagged_not_admitted(organiser, workshop, make_registration):
    tim = make_registration(
        workshop,
        status=RegistrationStatus.PENDING,
        date_of_birth=date(2011, 3, 1),
        needs_guardian_consent=True,
        email_confirmed_at=utcnow(),
    )
    html = scan(organiser, workshop, tim.checkin_code).get_data(as_text=True)
    assert "Not admitted: the guardian" in html and "consent is missing" in html
    assert "Guardian consent is missing" in html and "15 years" in html
    assert fresh(tim).checked_in_at is None
    html = press(organiser, workshop, tim, despite="1").get_data(as_text=True)
    assert "✓ Checked in" in html and fresh(tim).checked_in_at is not None
    entry = db.session.scalar(CHECK_INS)
    assert entry.details["admitted_without"] == "guardian_consent"


def test_a_minor_with_consent_shows_it(organiser, workshop, make_registration):
    tim = make_registration(
        workshop,
        date_of_birth=date(2011, 3, 1),
        needs_guardian_consent=True,
        guardian_consented_at=utcnow(),
    )
    html = scan(organiser, workshop, tim.checkin_code).get_data(as_text=True)
    assert "✓ Checked in" in html and "Guardian consent given" in html


def test_someone_without_a_place_is_refused(organiser, workshop, make_registration):
    for status in (RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED):
        gone = make_registration(workshop, status=status)
        html = scan(organiser, workshop, gone.checkin_code).get_data(as_text=True)
        assert "No place at this event" in html
        assert fresh(gone).checked_in_at is None


def _organised(event, organiser):
    event.organisers.append(organiser.user)
    db.session.commit()
    return event


def test_check_in_opens_two_hours_before_the_start(
    organiser, make_event, make_registration, time_machine
):
    # The clock moves on by a second only: the organiser stays signed in.
    later = _organised(
        make_event(slug="spaeter", starts_at=AT_THE_DOOR + timedelta(hours=2, seconds=1)),
        organiser,
    )
    mia = make_registration(later)
    html = scan(organiser, later, mia.checkin_code).get_data(as_text=True)
    assert "Check-in is not open yet" in html and fresh(mia).checked_in_at is None
    assert "two hours before the start" in organiser.get(page(later)).get_data(as_text=True)
    time_machine.move_to(AT_THE_DOOR + timedelta(seconds=1), tick=False)
    assert "✓ Checked in" in scan(organiser, later, mia.checkin_code).get_data(as_text=True)


def test_an_event_without_a_time_opens_its_door_when_its_day_begins(
    organiser, make_event, make_registration, time_machine
):
    # Its start is the midnight its day begins with (here a second away, so
    # that the organiser stays signed in); not two hours before that.
    day = _organised(
        make_event(slug="tag", starts_at=AT_THE_DOOR + timedelta(seconds=1), has_start_time=False),
        organiser,
    )
    mia = make_registration(day)
    html = scan(organiser, day, mia.checkin_code).get_data(as_text=True)
    assert "Check-in is not open yet" in html and fresh(mia).checked_in_at is None
    assert "when the day of the event begins" in organiser.get(page(day)).get_data(as_text=True)
    time_machine.move_to(AT_THE_DOOR + timedelta(seconds=1), tick=False)
    assert "✓ Checked in" in scan(organiser, day, mia.checkin_code).get_data(as_text=True)


def test_check_in_closes_at_the_end(organiser, make_event, make_registration, time_machine):
    ending = _organised(
        make_event(
            slug="endet",
            starts_at=AT_THE_DOOR - timedelta(hours=3),
            ends_at=AT_THE_DOOR + timedelta(seconds=1),
        ),
        organiser,
    )
    mia = make_registration(ending)
    time_machine.move_to(AT_THE_DOOR + timedelta(seconds=1), tick=False)
    html = scan(organiser, ending, mia.checkin_code).get_data(as_text=True)
    assert "Check-in is closed" in html and fresh(mia).checked_in_at is None


def test_a_check_in_can_be_undone(organiser, workshop, make_registration):
    mia = make_registration(workshop)
    scan(organiser, workshop, mia.checkin_code)
    response = press(organiser, workshop, mia, "/undo")
    assert response.status_code == 303
    assert fresh(mia).checked_in_at is None
    html = organiser.get(page(workshop)).get_data(as_text=True)
    assert "The check-in of Mia Beispiel is undone." in html
    assert "✓ Checked in" in scan(organiser, workshop, mia.checkin_code).get_data(as_text=True)


def test_a_registration_of_another_event_cannot_be_pressed(
    organiser, workshop, make_event, make_registration
):
    other = make_event(slug="sommerfest", starts_at=EVENT_START)
    guest = make_registration(other)
    html = press(organiser, workshop, guest).get_data(as_text=True)
    assert "Nobody found" in html and fresh(guest).checked_in_at is None
    assert press(organiser, workshop, guest, "/undo").status_code == 404


def test_an_organiser_of_another_event_may_not_use_the_door(staff_client, workshop):
    stranger = staff_client("organiser")
    assert stranger.get(page(workshop)).status_code == 403


def test_an_empty_field_is_asked_for_again(organiser, workshop):
    response = scan(organiser, workshop, "  ")
    assert response.status_code == 422
    assert "Please scan a code" in response.get_data(as_text=True)


def test_two_organisers_at_two_doors_check_one_person_in_once(
    app, workshop, make_registration, make_user
):
    mia = make_registration(workshop)
    organisers = [make_user("organiser"), make_user("organiser")]
    workshop.organisers.extend(organisers)
    db.session.commit()
    code, event_id = mia.checkin_code, workshop.id
    start = threading.Barrier(2)
    outcomes: list[door.Outcome] = []

    def at_the_door(user_id: int) -> None:
        with app.app_context():
            from models import Event, User

            event = db.session.get(Event, event_id)
            actor = db.session.get(User, user_id)
            start.wait()
            outcomes.append(door.look_up(db.session, event, code, actor, AT_THE_DOOR).outcome)
            db.session.rollback()

    db.session.commit()  # the test's own read ends, as another client's would
    threads = [threading.Thread(target=at_the_door, args=(u.id,)) for u in organisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([door.Outcome.ADMITTED, door.Outcome.ALREADY_IN])
    db.session.rollback()
    count = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "registration.check_in")
    )
    assert count == 1
