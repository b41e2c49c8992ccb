"""The guardian of a participant under the consent age, against a real SMTP
server: they get the confirmation, cancellation and promotion mails too, can
decline on the consent page (the seat goes to the waitlist), and decide the
photo consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.conftest import confirm_email, registration_form, run_worker, submit
from tests.mail import link_in, text_of

URL = "/de/events/forumtheater/register"
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
TITLE = "Workshop Forumtheater"
CONSENT_TEXT = "Ich bin Elternteil oder erziehungsberechtigte Person und bin damit einverstanden"


def registration(email: str) -> Registration:
    db.session.rollback()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def born(age: int) -> str:
    return (EVENT_START.date() - timedelta(days=365 * age + 100)).isoformat()


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=EVENT_START, capacity=1, has_waitlist=True)


def register_minor(client, **overrides) -> None:
    form = registration_form(
        email="tim@example.org",
        first_name="Tim",
        last_name="Muster",
        date_of_birth=born(15),
        guardian_name="Eva Muster",
        guardian_email="eva@example.org",
    )
    assert submit(client, URL, form | overrides).status_code == 303


def consent_link(app, client, smtp) -> str:
    """The participant confirms; the guardian's request arrives."""
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("tim@example.org")[0], "confirm"))
    run_worker(app)
    [request] = smtp.inbox.to("eva@example.org")
    return link_in(request, "consent")


def manage_of(smtp) -> str:
    """Tim's personal page, from his first email."""
    return link_in(smtp.inbox.to("tim@example.org")[0], "manage")


def subjects(smtp, address: str) -> list[str]:
    return [message["Subject"] for message in smtp.inbox.to(address)]


def test_the_guardian_gets_the_confirmation_with_the_calendar_file(app, client, smtp, workshop):
    register_minor(client)
    assert submit(client, consent_link(app, client, smtp), {"agree": "y"}).status_code == 303
    run_worker(app)
    confirmation = smtp.inbox.to("eva@example.org")[-1]
    assert confirmation["Subject"] == f"Die Anmeldung von Tim Muster ist bestätigt: {TITLE}"
    assert "Hallo Eva Muster," in text_of(confirmation)
    assert [a.get_content_type() for a in confirmation.iter_attachments()] == ["text/calendar"]
    assert client.get(link_in(confirmation, "manage")).status_code == 200
    assert subjects(smtp, "tim@example.org")[-1] == f"Ihre Anmeldung ist bestätigt: {TITLE}"


def test_the_guardian_hears_when_the_participant_cancels(app, client, smtp, workshop):
    register_minor(client)
    submit(client, consent_link(app, client, smtp), {"agree": "y"})
    run_worker(app)
    manage = link_in(smtp.inbox.to("tim@example.org")[-1], "manage")
    assert submit(client, manage + "?cancel=1", {}).status_code == 303
    run_worker(app)
    cancelled = smtp.inbox.to("eva@example.org")[-1]
    assert cancelled["Subject"] == f"Die Anmeldung von Tim Muster ist storniert: {TITLE}"
    assert f"Tim Muster hat die Anmeldung zu „{TITLE}“ storniert." in text_of(cancelled)


def test_the_guardian_hears_nothing_before_the_participant_confirmed(app, client, smtp, workshop):
    """Otherwise the form would send mail to any address typed in."""
    register_minor(client)
    run_worker(app)
    manage = link_in(smtp.inbox.to("tim@example.org")[0], "manage")
    assert submit(client, manage + "?cancel=1", {}).status_code == 303
    run_worker(app)
    assert smtp.inbox.to("eva@example.org") == []


def test_the_guardian_hears_of_the_promotion_from_the_waitlist(app, client, smtp, workshop):
    submit(client, URL, registration_form(email="first@example.org"))
    register_minor(client)
    assert registration("tim@example.org").status is RegistrationStatus.WAITLISTED
    thanks = submit(client, consent_link(app, client, smtp), {"agree": "y"})
    page = client.get(thanks.location).get_data(as_text=True)
    assert "Die teilnehmende Person steht auf der Warteliste." in page

    run_worker(app)
    manage = link_in(smtp.inbox.to("first@example.org")[0], "manage")
    submit(client, manage + "?cancel=1", {})
    assert registration("tim@example.org").status is RegistrationStatus.CONFIRMED
    run_worker(app)
    promoted = smtp.inbox.to("eva@example.org")[-1]
    assert promoted["Subject"] == f"Tim Muster hat einen Platz: {TITLE}"
    assert "Die Anmeldung ist bestätigt." in text_of(promoted)
    assert [a.get_content_type() for a in promoted.iter_attachments()] == ["text/calendar"]
    assert "/registrations/confirm/" not in text_of(promoted)  # the participant's link stays theirs


def test_a_promoted_minor_without_consent_sends_the_guardian_a_consent_link(
    app, client, smtp, workshop
):
    submit(client, URL, registration_form(email="first@example.org"))
    register_minor(client)
    consent_link(app, client, smtp)  # asked, not yet answered
    run_worker(app)
    submit(client, link_in(smtp.inbox.to("first@example.org")[0], "manage") + "?cancel=1", {})
    run_worker(app)
    promoted = smtp.inbox.to("eva@example.org")[-1]
    assert promoted["Subject"] == f"Tim Muster hat einen Platz: {TITLE}"
    assert submit(client, link_in(promoted, "consent"), {"agree": "y"}).status_code == 303
    assert registration("tim@example.org").status is RegistrationStatus.CONFIRMED


def test_a_guardian_who_declines_cancels_the_registration_and_frees_the_seat(
    app, client, smtp, workshop
):
    register_minor(client)
    submit(client, URL, registration_form(email="next@example.org"))
    assert registration("next@example.org").status is RegistrationStatus.WAITLISTED
    link = consent_link(app, client, smtp)
    page = client.get(link).get_data(as_text=True)
    assert (
        '<button type="submit" class="button button-danger" name="action" value="decline">' in page
    )

    declined = submit(client, link, {"action": "decline"})  # no tick needed to say no
    assert declined.status_code == 303
    assert "Die Anmeldung ist storniert" in client.get(declined.location).get_data(as_text=True)
    tim = registration("tim@example.org")
    assert tim.status is RegistrationStatus.CANCELLED
    assert tim.guardian_declined_at is not None and tim.guardian_consented_at is None
    assert registration("next@example.org").status is RegistrationStatus.PENDING  # promoted
    assert client.get(link).status_code == 404  # used

    run_worker(app)
    told = smtp.inbox.to("tim@example.org")[-1]
    assert told["Subject"] == f"Ihre Anmeldung ist storniert: {TITLE}"
    assert "hat das Einverständnis nicht gegeben" in text_of(told)
    assert (
        subjects(smtp, "eva@example.org")[-1]
        == f"Die Anmeldung von Tim Muster ist storniert: {TITLE}"
    )
    assert subjects(smtp, "next@example.org")[-1] == f"Sie haben einen Platz: {TITLE}"
    personal = client.get(manage_of(smtp))
    assert (
        "hat das Einverständnis nicht gegeben. Diese Anmeldung ist daher storniert."
        in personal.get_data(as_text=True)
    )


def test_the_minors_own_photo_tick_is_not_enough(app, client, smtp, workshop):
    register_minor(client, photo_consent="y")
    assert registration("tim@example.org").photo_consent is False
    link = consent_link(app, client, smtp)
    page = client.get(link).get_data(as_text=True)
    assert (
        'name="photo_consent"' in page
        and "checked" not in page.split('name="photo_consent"')[1][:60]
    )
    submit(client, link, {"agree": "y"})
    tim = registration("tim@example.org")
    assert tim.photo_consent is False
    assert (
        "Fotos der teilnehmenden Person dürfen nicht veröffentlicht werden."
        in tim.guardian_consent_text
    )


def test_the_guardian_allows_photos_and_the_consent_records_it(app, client, smtp, workshop):
    register_minor(client)
    submit(client, consent_link(app, client, smtp), {"agree": "y", "photo_consent": "y"})
    tim = registration("tim@example.org")
    assert tim.photo_consent is True
    assert CONSENT_TEXT in tim.guardian_consent_text
    assert "dürfen veröffentlicht werden" in tim.guardian_consent_text


def test_an_adults_own_photo_tick_counts(client, workshop):
    assert submit(client, URL, registration_form(photo_consent="y")).status_code == 303
    assert registration("lena@example.org").photo_consent is True


def test_the_thanks_page_does_not_ask_for_a_confirmation_already_given(app, client, smtp, workshop):
    register_minor(client)
    thanks = submit(client, consent_link(app, client, smtp), {"agree": "y"})
    page = client.get(thanks.location).get_data(as_text=True)
    assert "Die Anmeldung ist jetzt bestätigt." in page
    assert "bestätigt hat" not in page and "bestätigen" not in page


def test_the_guardian_hears_when_the_organisers_remove_the_participant(
    app, client, smtp, workshop, make_user
):
    from models.base import utcnow
    from services import participants

    register_minor(client)
    submit(client, consent_link(app, client, smtp), {"agree": "y"})
    tim = registration("tim@example.org")
    participants.remove(db.session, workshop.id, tim.id, make_user("organiser"), utcnow())
    db.session.commit()
    run_worker(app)
    removed = smtp.inbox.to("eva@example.org")[-1]
    assert removed["Subject"] == f"Die Anmeldung von Tim Muster ist storniert: {TITLE}"
    assert (
        f"das Veranstaltungsteam von „{TITLE}“ hat die Anmeldung von Tim Muster storniert."
        in text_of(removed)
    )
