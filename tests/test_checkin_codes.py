"""Check-in codes (SPEC "At the door and after"): short, unguessable, easy to
type, one per participant and bound to one event; shown as a QR code and as
text in the confirmation and reminder mails and on the personal page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import OutboxMessage, Registration, RegistrationStatus
from services import checkin_codes
from services.checkin_codes import ALPHABET, new_code, normalised
from tests.conftest import confirm_email, registration_form, run_worker, submit
from tests.mail import link_in, text_of

URL = "/de/events/forumtheater/register"
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
CODE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=EVENT_START, capacity=5, has_waitlist=True)


def test_codes_are_two_groups_of_four_without_ambiguous_characters():
    assert set(ALPHABET) == set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    codes = {new_code() for _ in range(2000)}
    assert all(CODE.match(code) for code in codes)
    assert len(codes) == 2000  # 31^8 codes: no repeats in a few thousand draws
    assert not set("".join(codes)) & set("OIL01")


def test_codes_are_unguessable_every_character_is_drawn_evenly():
    drawn = "".join(new_code().replace("-", "") for _ in range(4000))
    for char in ALPHABET:  # 32000 characters: about 1032 of each
        assert 800 < drawn.count(char) < 1300, char


def test_a_typed_code_is_read_however_it_is_written():
    assert normalised("k7qm 2xpd") == "K7QM-2XPD"
    assert normalised(" K7QM2XPD ") == "K7QM-2XPD"
    assert normalised("K7QM-2XPD") == "K7QM-2XPD"
    assert normalised("K7QM-2XP") is None
    assert normalised("K7QM-2XP0") is None  # no zero in codes
    assert normalised("Mia Beispiel") is None


def test_the_qr_code_encodes_the_code_itself():
    qr = checkin_codes.qr("K7QM-2XPD")
    assert qr.error in {"M", "Q", "H"}  # at least M: survives a scratched screen
    assert qr.version == 1  # the smallest QR code: easy to read from afar
    assert checkin_codes.qr_png("K7QM-2XPD").startswith(b"\x89PNG")
    svg = checkin_codes.qr_svg("K7QM-2XPD", "QR code K7QM-2XPD")
    assert svg.startswith("<svg") and "<title>QR code K7QM-2XPD</title>" in svg


def test_every_participant_has_their_own_code_unique_in_the_event(make_registration, workshop):
    people = [make_registration(workshop) for _ in range(5)]
    codes = [p.checkin_code for p in people]
    assert all(CODE.match(code) for code in codes)
    assert len(set(codes)) == 5


def test_one_code_cannot_be_given_twice_in_one_event(make_registration, workshop, make_event):
    first = make_registration(workshop)
    other_event = make_event(slug="andere", starts_at=EVENT_START)
    # Another event may draw the same code: it opens only its own door.
    assert make_registration(other_event, checkin_code=first.checkin_code).id
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        make_registration(workshop, checkin_code=first.checkin_code)
    db.session.rollback()


def _confirmed_mail(app, client, smtp, email="lena@example.org"):
    assert submit(client, URL, registration_form(email=email)).status_code == 303
    run_worker(app)
    [first] = smtp.inbox.to(email)
    assert "Einlass-Code" not in text_of(first)  # not yet: the place is not certain
    confirm_email(client, link_in(first, "confirm"))
    run_worker(app)
    return smtp.inbox.to(email)[1]


def test_the_confirmation_mail_carries_the_code_as_text_and_inline_qr_image(
    app, client, smtp, workshop
):
    mail = _confirmed_mail(app, client, smtp)
    db.session.rollback()
    registration = db.session.scalar(select(Registration))
    code = registration.checkin_code
    assert f"Einlass-Code: {code}" in text_of(mail)
    html = mail.get_body(("html",)).get_content()
    assert 'src="cid:checkin-qr"' in html and code in html
    [image] = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<checkin-qr>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content().startswith(b"\x89PNG")
    # The outbox keeps only the short text; the image is drawn when sending.
    stored = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "registration_confirmed")
    )
    assert stored.qr_code == code


def test_the_reminder_carries_the_code_too(app, client, smtp, workshop):
    _confirmed_mail(app, client, smtp)
    run_worker(app, EVENT_START - timedelta(days=1))
    reminder = smtp.inbox.to("lena@example.org")[-1]
    assert reminder["Subject"].startswith("Erinnerung")
    db.session.rollback()
    code = db.session.scalar(select(Registration.checkin_code))
    assert f"Einlass-Code: {code}" in text_of(reminder)
    assert any(part["Content-ID"] == "<checkin-qr>" for part in reminder.walk())


def test_english_mails_say_check_in_code(app, client, smtp, workshop):
    url = "/en/events/forumtheater/register"
    assert submit(client, url, registration_form(email="sam@example.org")).status_code == 303
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("sam@example.org")[0], "confirm"))
    run_worker(app)
    assert "Check-in code: " in text_of(smtp.inbox.to("sam@example.org")[1])


def test_the_personal_page_shows_the_code_and_its_qr_code(app, client, smtp, workshop):
    mail = _confirmed_mail(app, client, smtp)
    page = client.get(link_in(mail, "manage")).get_data(as_text=True)
    db.session.rollback()
    code = db.session.scalar(select(Registration.checkin_code))
    assert f"Einlass-Code: {code}" in page
    assert "<svg" in page and f"<title>QR-Code Ihres Einlass-Codes {code}</title>" in page


def test_a_pending_registration_shows_no_code(app, client, smtp, workshop):
    assert submit(client, URL, registration_form(email="lena@example.org")).status_code == 303
    run_worker(app)
    db.session.rollback()
    registration = db.session.scalar(select(Registration))
    assert registration.status is RegistrationStatus.PENDING
    [first] = smtp.inbox.to("lena@example.org")
    page = client.get(link_in(first, "manage")).get_data(as_text=True)
    assert "Einlass-Code" not in page and "<svg" not in page
