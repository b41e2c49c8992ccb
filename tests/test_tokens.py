"""Links in emails: wrong, used, expired or misused tokens all get the same
friendly page, never a 500, and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus, RegistrationToken
from tests.conftest import csrf_token, registration_form, run_worker, submit
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
    submit(client, URL, registration_form(date_of_birth=born, guardian_name="Eva", guardian_email="eva@example.org"))
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
    assert client.get(link).status_code == 200
    assert_invalid(client.get(link))


@pytest.mark.parametrize("change", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:10], lambda t: t + "x", lambda t: "x" * 500])
def test_an_altered_link_is_refused(client, mails, change):
    link = link_in(mails.messages[0], "confirm")
    base, token = link.rsplit("/", 1)
    assert_invalid(client.get(f"{base}/{change(token)}"))
    assert status() is RegistrationStatus.PENDING


def test_an_expired_link_is_refused(client, mails, time_machine):
    link = link_in(mails.messages[0], "confirm")
    time_machine.move_to(EVENT_START + timedelta(days=1), tick=False)
    assert_invalid(client.get(link))


def test_a_token_for_one_purpose_does_not_work_for_another(client, mails):
    manage = link_in(mails.messages[0], "manage")
    manage_token = manage.rstrip("/").rsplit("/", 1)[1]
    confirm_token = link_in(mails.messages[0], "confirm").rsplit("/", 1)[1]
    assert_invalid(client.get(f"/de/registrations/confirm/{manage_token}"))
    assert_invalid(client.get(f"/de/registrations/consent/{confirm_token}"))
    assert_invalid(client.get(f"/de/registrations/{confirm_token}/"))
    assert status() is RegistrationStatus.PENDING


def test_a_used_consent_link_cannot_consent_again(app, client, mails):
    client.get(link_in(mails.messages[0], "confirm"))
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
