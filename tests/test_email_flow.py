"""SPEC rules 4–8 end to end against a real SMTP server: double opt-in,
guardian consent, the waitlist, languages and the calendar attachment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from extensions import db
from models import OutboxMessage, Registration, RegistrationStatus
from tests.conftest import confirm_email, registration_form, run_worker, submit
from tests.mail import link_in, text_of

URL = "/de/events/forumtheater/register"
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)  # 17:00 in Rostock


def registration(email: str) -> Registration:
    db.session.rollback()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def born(age: int) -> str:
    return (EVENT_START.date() - timedelta(days=365 * age + 100)).isoformat()


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=EVENT_START, capacity=1, has_waitlist=True)


def test_adult_confirms_by_email_and_gets_the_calendar_file(app, client, smtp, workshop):
    assert (
        submit(
            client, URL, registration_form(email="lena@example.org", date_of_birth=born(17))
        ).status_code
        == 303
    )
    assert registration("lena@example.org").status is RegistrationStatus.PENDING

    run_worker(app)
    [first] = smtp.inbox.to("lena@example.org")
    assert first["From"] == "Fachbereich Internationales <international@localhost>"
    assert first["Subject"] == "Bitte bestätigen Sie Ihre Anmeldung: Workshop Forumtheater"
    assert "Freitag, 10. Juli 2026, 17:00–20:00 Uhr" in text_of(first)
    assert first.get_body(("html",)) is not None

    confirmed = confirm_email(client, link_in(first, "confirm"))
    assert confirmed.status_code == 303
    assert registration("lena@example.org").status is RegistrationStatus.CONFIRMED

    run_worker(app)
    second = smtp.inbox.to("lena@example.org")[1]
    assert second["Subject"] == "Ihre Anmeldung ist bestätigt: Workshop Forumtheater"
    # The calendar file, beside the check-in code's inline QR image.
    [attachment] = [
        part for part in second.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    calendar = Calendar.from_ical(attachment.get_content())
    [entry] = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == EVENT_START
    assert str(entry["summary"]) == "Workshop Forumtheater"


def test_fifteen_year_old_is_confirmed_only_after_the_guardian_consents(
    app, client, smtp, workshop
):
    form = registration_form(
        email="tim@example.org",
        date_of_birth=born(15),
        guardian_name="Eva Muster",
        guardian_email="eva@example.org",
    )
    assert submit(client, URL, form).status_code == 303
    run_worker(app)
    assert smtp.inbox.to("eva@example.org") == []  # asked only once the participant confirmed

    confirm_email(client, link_in(smtp.inbox.to("tim@example.org")[0], "confirm"))
    assert registration("tim@example.org").status is RegistrationStatus.PENDING
    run_worker(app)
    [request] = smtp.inbox.to("eva@example.org")
    assert "Lena Schröder" in request["Subject"]
    consent_page = client.get(link_in(request, "consent")).get_data(as_text=True)
    assert "Workshop Forumtheater" in consent_page and "Lena Schröder" in consent_page
    assert "Rostocker Rathaus" in consent_page

    assert submit(client, link_in(request, "consent"), {"agree": "y"}).status_code == 303
    consented = registration("tim@example.org")
    assert consented.status is RegistrationStatus.CONFIRMED
    assert consented.guardian_consented_at is not None
    assert "Lena Schröder" in consented.guardian_consent_text

    run_worker(app)
    assert (
        smtp.inbox.to("tim@example.org")[-1]["Subject"]
        == "Ihre Anmeldung ist bestätigt: Workshop Forumtheater"
    )


def test_guardian_consent_without_the_tick_is_refused(app, client, smtp, workshop):
    form = registration_form(
        email="tim@example.org",
        date_of_birth=born(15),
        guardian_name="Eva",
        guardian_email="eva@example.org",
    )
    submit(client, URL, form)
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("tim@example.org")[0], "confirm"))
    run_worker(app)
    consent = link_in(smtp.inbox.to("eva@example.org")[0], "consent")
    assert submit(client, consent, {}).status_code == 422
    assert registration("tim@example.org").guardian_consented_at is None


def test_waitlisted_person_gets_the_seat_when_someone_cancels(app, client, smtp, workshop):
    submit(client, URL, registration_form(email="first@example.org"))
    submit(client, URL, registration_form(email="second@example.org"))
    assert registration("second@example.org").status is RegistrationStatus.WAITLISTED
    run_worker(app)
    [waiting] = smtp.inbox.to("second@example.org")
    assert waiting["Subject"] == "Sie stehen auf der Warteliste: Workshop Forumtheater"
    confirm_email(client, link_in(waiting, "confirm"))

    manage = link_in(smtp.inbox.to("first@example.org")[0], "manage")
    cancel_form = f'<form method="post" action="{manage}"'
    assert cancel_form not in client.get(manage).get_data(as_text=True)
    assert cancel_form in client.get(manage + "?cancel=1").get_data(
        as_text=True
    )  # the confirmation step
    assert submit(client, manage + "?cancel=1", {}).status_code == 303
    assert registration("first@example.org").status is RegistrationStatus.CANCELLED
    assert registration("second@example.org").status is RegistrationStatus.CONFIRMED

    run_worker(app)
    assert (
        smtp.inbox.to("first@example.org")[-1]["Subject"]
        == "Ihre Anmeldung ist storniert: Workshop Forumtheater"
    )
    promoted = smtp.inbox.to("second@example.org")[-1]
    assert promoted["Subject"] == "Sie haben einen Platz: Workshop Forumtheater"
    # The calendar file and the check-in code's QR image.
    assert [a.get_content_type() for a in promoted.iter_attachments()] == [
        "text/calendar",
        "image/png",
    ]


def test_messages_are_in_the_registrants_language(app, client, smtp, workshop):
    submit(client, "/en/events/forumtheater/register", registration_form(email="kim@example.org"))
    run_worker(app)
    [message] = smtp.inbox.to("kim@example.org")
    assert message["Subject"] == "Please confirm your registration: Forum theatre workshop"
    assert "Friday 10 July 2026, 17:00–20:00" in text_of(message)
    assert "/en/registrations/confirm/" in text_of(message)


def test_registering_twice_tells_the_truth_by_email_only(app, client, smtp, workshop):
    first = submit(client, URL, registration_form(email="lena@example.org"))
    second = submit(client, URL, registration_form(email="lena@example.org"))
    assert (first.status_code, first.location) == (second.status_code, second.location)
    run_worker(app)
    subjects = [m["Subject"] for m in smtp.inbox.to("lena@example.org")]
    assert subjects == [
        "Bitte bestätigen Sie Ihre Anmeldung: Workshop Forumtheater",
        "Sie sind bereits angemeldet: Workshop Forumtheater",
    ]
    assert "/de/registrations/" in text_of(smtp.inbox.to("lena@example.org")[1])


@pytest.mark.parametrize(
    "again", ["LENA@Example.org", "lena@ｅｘａｍｐｌｅ.org", "ｌｅｎａ@example.org"]
)
def test_the_same_mailbox_written_differently_is_a_duplicate(app, client, smtp, workshop, again):
    submit(client, URL, registration_form(email="lena@example.org"))
    assert submit(client, URL, registration_form(email=again, first_name="Lea")).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    run_worker(app)
    assert [m["Subject"] for m in smtp.inbox.to("lena@example.org")] == [
        "Bitte bestätigen Sie Ihre Anmeldung: Workshop Forumtheater",
        "Sie sind bereits angemeldet: Workshop Forumtheater",
    ]


def test_a_refused_registration_leaves_no_mail(app, client, workshop):
    assert submit(client, URL, registration_form(date_of_birth=born(12))).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_registration_rolled_back_after_queueing_its_mail_leaves_no_mail(
    app, client, workshop, monkeypatch
):
    import services.registration as registration_service

    queue = registration_service.notifications.confirm_email

    def queue_then_fail(session, registration):
        queue(session, registration)
        session.flush()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(registration_service.notifications, "confirm_email", queue_then_fail)
    assert submit(client, URL, registration_form()).status_code == 500
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_line_breaks_in_a_title_cannot_add_mail_headers(
    app, client, smtp, make_event, time_machine
):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    event = make_event(starts_at=EVENT_START)
    event.set_text("de", title="Workshop\r\nBcc: victim@example.org")
    db.session.commit()
    submit(client, URL, registration_form(email="lena@example.org"))
    run_worker(app)
    [message] = smtp.inbox.messages
    assert message["Bcc"] is None
    assert message["X-Envelope-To"] == "lena@example.org"
    assert (
        message["Subject"]
        == "Bitte bestätigen Sie Ihre Anmeldung: Workshop Bcc: victim@example.org"
    )
