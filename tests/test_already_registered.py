"""Repeating a registration cannot flood a mailbox: at most one "already
registered" mail per address and event per hour, while the page answers
everyone the same (no enumeration)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import csrf_token, registration_form, run_worker, submit

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
ALREADY = "Sie sind bereits angemeldet: Workshop Forumtheater"


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(NOW, tick=False)
    return make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))


def subjects(smtp, address: str) -> list[str]:
    return [message["Subject"] for message in smtp.inbox.to(address)]


def test_twenty_repeats_within_an_hour_send_one_already_registered_mail(
    app, client, smtp, workshop
):
    first = submit(client, URL, registration_form(email="victim@example.org"))
    token = csrf_token(client, URL)
    repeats = [
        submit(client, URL, registration_form(email=address), token)
        for address in ["victim@example.org", "VICTIM@example.org", "victim@ｅｘａｍｐｌｅ.org"] * 7
    ]
    assert {(r.status_code, r.location) for r in repeats} == {(first.status_code, first.location)}
    run_worker(app)
    assert subjects(smtp, "victim@example.org") == [
        "Bitte bestätigen Sie Ihre Anmeldung: Workshop Forumtheater",
        ALREADY,
    ]


def test_after_an_hour_the_next_repeat_is_told_again(app, client, smtp, workshop, time_machine):
    submit(client, URL, registration_form(email="lena@example.org"))
    submit(client, URL, registration_form(email="lena@example.org"))
    time_machine.move_to(NOW + timedelta(minutes=59), tick=False)
    submit(client, URL, registration_form(email="lena@example.org"))
    time_machine.move_to(NOW + timedelta(minutes=61), tick=False)
    submit(client, URL, registration_form(email="lena@example.org"))
    run_worker(app)
    assert subjects(smtp, "lena@example.org").count(ALREADY) == 2


def test_the_limit_is_per_event(app, client, smtp, workshop, make_event):
    make_event(slug="sommerfest", starts_at=datetime(2026, 7, 11, 15, 0, tzinfo=UTC))
    for url in (URL, "/de/events/sommerfest/register"):
        submit(client, url, registration_form(email="lena@example.org"))
        submit(client, url, registration_form(email="lena@example.org"))
    run_worker(app)
    assert subjects(smtp, "lena@example.org").count(ALREADY) == 2  # both events have this title
