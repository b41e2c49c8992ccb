"""Links in emails: wrong, used, expired or misused tokens all get the same
friendly page, never a 500, and change nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus, RegistrationToken
from tests.conftest import confirm_email, csrf_token, registration_form, run_worker, submit
from tests.mail import link_in

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
INVALID = "Dieser Link ist nicht mehr gültig"


@pytest.fixture
def mails(app, client, smtp, make_event, time_machine):
    """A 15-year-old registered, with the confirm and manage links mailed."""
    time_machine.move_to(NOW, tick=False)
    make_event(starts_at=EVENT_START)
    born = (EVENT_START - timedelta(days=365 * 15 + 100)).date().isoformat()
    submit(
        client,
        URL,
        registration_form(
            date_of_birth=born, guardian_name="Eva", guardian_email="eva@example.org"
        ),
    )
    run_worker(app)
    return smtp.inbox


def status() -> RegistrationStatus:
    db.session.rollback()
    return db.session.scalar(select(Registration.status))


def assert_invalid(response) -> None:
    assert response.status_code == 404
    assert INVALID in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_tokens_are_stored_only_as_hashes(app, mails):
    confirm = link_in(mails.messages[0], "confirm").rsplit("/", 1)[1]
    hashes = list(db.session.scalars(select(RegistrationToken.token_hash)))
    assert confirm not in hashes
    assert all(len(h) == 64 for h in hashes)


def test_a_confirmation_link_works_once(client, mails):
    link = link_in(mails.messages[0], "confirm")
    token = csrf_token(client, link)
    assert submit(client, link, {}, token).status_code == 303
    assert_invalid(client.get(link))
    assert_invalid(submit(client, link, {}, token))


def test_opening_the_confirmation_link_confirms_nothing(app, client, mails):
    """Mail scanners follow every link: only the button behind it confirms."""
    link = link_in(mails.messages[0], "confirm")
    for _ in range(3):
        page = client.get(link)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert f'<form method="post" action="{link}">' in html
    assert "Workshop Forumtheater" in html and "Lena Schröder" in html
    db.session.rollback()
    registration = db.session.scalars(select(Registration)).one()
    assert (registration.status, registration.email_confirmed_at) == (
        RegistrationStatus.PENDING,
        None,
    )
    run_worker(app)
    assert mails.to("eva@example.org") == []  # the guardian is asked only after the button

    assert submit(client, link, {}).status_code == 303
    db.session.rollback()
    assert db.session.scalars(select(Registration)).one().email_confirmed_at is not None


def test_confirming_leads_to_the_personal_page(client, mails):
    response = submit(client, link_in(mails.messages[0], "confirm"), {})
    assert response.status_code == 303
    assert re.fullmatch(r"/de/registrations/[\w-]{40,}/", response.location)
    page = client.get(response.location).get_data(as_text=True)
    assert "Ihre E-Mail-Adresse ist bestätigt." in page
    assert "Meine Anmeldung" in page


def test_a_confirmation_without_the_forms_token_is_refused(client, mails):
    link = link_in(mails.messages[0], "confirm")
    assert client.post(link, data={}).status_code == 400
    assert status() is RegistrationStatus.PENDING


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:10],
        lambda t: t + "x",
        lambda t: "x" * 500,
    ],
)
def test_an_altered_link_is_refused(client, mails, change):
    link = link_in(mails.messages[0], "confirm")
    base, token = link.rsplit("/", 1)
    assert_invalid(client.get(f"{base}/{change(token)}"))
    assert_invalid(submit(client, f"{base}/{change(token)}", {}, csrf_token(client, link)))
    assert status() is RegistrationStatus.PENDING


def test_an_expired_link_is_refused(client, mails, time_machine):
    link = link_in(mails.messages[0], "confirm")
    time_machine.move_to(EVENT_START + timedelta(days=1), tick=False)
    assert_invalid(client.get(link))
    assert_invalid(submit(client, link, {}, csrf_token(client, "/admin/login")))


def test_a_token_for_one_purpose_does_not_work_for_another(client, mails):
    manage = link_in(mails.messages[0], "manage")
    manage_token = manage.rstrip("/").rsplit("/", 1)[1]
    confirm_token = link_in(mails.messages[0], "confirm").rsplit("/", 1)[1]
    assert_invalid(client.get(f"/de/registrations/confirm/{manage_token}"))
    assert_invalid(client.get(f"/de/registrations/consent/{confirm_token}"))
    assert_invalid(client.get(f"/de/registrations/{confirm_token}/"))
    assert status() is RegistrationStatus.PENDING


def test_a_used_consent_link_cannot_consent_again(app, client, mails):
    confirm_email(client, link_in(mails.messages[0], "confirm"))
    run_worker(app)
    consent = link_in(mails.to("eva@example.org")[0], "consent")
    assert submit(client, consent, {"agree": "y"}).status_code == 303
    assert_invalid(client.get(consent))


def test_the_manage_link_keeps_working_and_cancels_only_by_post(client, mails):
    manage = link_in(mails.messages[0], "manage")
    assert client.get(manage).status_code == 200
    assert client.get(manage + "?cancel=1").status_code == 200
    assert status() is RegistrationStatus.PENDING
    assert client.post(manage, data={}).status_code == 400  # no CSRF token
    assert status() is RegistrationStatus.PENDING


def test_a_registration_cannot_be_cancelled_after_the_event_ended(client, mails, time_machine):
    manage = link_in(mails.messages[0], "manage")
    time_machine.move_to(EVENT_START, tick=False)
    token = csrf_token(client, manage + "?cancel=1")  # the page was left open
    time_machine.move_to(EVENT_START + timedelta(hours=4), tick=False)  # the event is over
    page = client.get(manage + "?cancel=1").get_data(as_text=True)
    assert f'<form method="post" action="{manage}"' not in page
    assert submit(client, manage, {}, token).status_code == 200
    assert status() is RegistrationStatus.PENDING
