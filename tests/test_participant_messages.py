"""Messages to everyone of one event, from its participants page: only the
chosen statuses, each in their language with German when there is no English
text, subjects folded to one line, incomplete messages refused; email through
a real SMTP server."""

from __future__ import annotations

import pytest

from tests.conftest import run_worker
from tests.mail import text_of
from tests.test_admin_participants import (  # noqa: F401 (admin, clock, workshop: fixtures)
    CANCELLED,
    CONFIRMED,
    PENDING,
    WAITLISTED,
    admin,
    audit_log,
    clock,
    message_form,
    outbox_count,
    page,
    post,
    press,
    workshop,
)


def test_message_reaches_the_chosen_statuses_only_each_in_their_language(
    app, admin, smtp, workshop, make_registration
):
    make_registration(workshop, status=CONFIRMED, email="mia@example.org")
    make_registration(workshop, status=CONFIRMED, email="kim@example.org", language="en")
    make_registration(workshop, status=PENDING, email="pat@example.org", language="en")
    make_registration(workshop, status=WAITLISTED, email="wil@example.org")
    make_registration(workshop, status=CANCELLED, email="cas@example.org")
    html = press(admin, page(workshop) + "/message", message_form())
    assert "The message is on its way to 3 people." in html
    assert audit_log() == [("participants.message", None, 3)]

    run_worker(app)
    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        "kim@example.org",
        "mia@example.org",
        "pat@example.org",
    ]
    [german] = smtp.inbox.to("mia@example.org")
    assert german["Subject"] == "Neuer Treffpunkt"
    assert "Wir treffen uns am Haupteingang." in text_of(german)
    for address in ("kim@example.org", "pat@example.org"):
        [english] = smtp.inbox.to(address)
        assert english["Subject"] == "New meeting point"
        assert "We meet at the main entrance." in text_of(english)


def test_message_without_an_english_text_goes_out_in_german(
    app, admin, smtp, workshop, make_registration
):
    make_registration(workshop, email="kim@example.org", language="en")
    press(admin, page(workshop) + "/message", message_form(subject_en="", body_en=""))
    run_worker(app)
    [message] = smtp.inbox.to("kim@example.org")
    assert message["Subject"] == "Neuer Treffpunkt"
    assert "Wir treffen uns am Haupteingang." in text_of(message)


def test_message_subject_is_folded_to_one_line(app, admin, smtp, workshop, make_registration):
    make_registration(workshop, email="mia@example.org")
    press(
        admin,
        page(workshop) + "/message",
        message_form(subject_de="Neu\r\nBcc: victim@example.org"),
    )
    run_worker(app)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "Neu Bcc: victim@example.org"
    assert message["Bcc"] is None and message["X-Envelope-To"] == "mia@example.org"


@pytest.mark.parametrize(
    "overrides",
    [
        {"statuses": []},
        {"subject_de": ""},
        {"body_de": "x" * 5001},
        {"subject_de": "x" * 201},
        {"body_en": ""},  # English subject without English text
        {"statuses": ["expired"]},  # nobody has it
    ],
)
def test_an_incomplete_message_is_refused_and_nothing_is_sent(
    admin, workshop, make_registration, overrides
):
    make_registration(workshop)
    response = post(admin, page(workshop) + "/message", message_form(**overrides))
    assert response.status_code == 422
    assert 'class="error' in response.get_data(as_text=True)
    assert (outbox_count(), audit_log()) == (0, [])
