"""SPEC rule 8: the outbox and its worker. No confirmation is lost when the
mail server is down, none is sent twice, and requests never wait for SMTP."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import create_app
from extensions import db
from models import OutboxMessage, OutboxStatus
from services import mailer
from services.mailer import STUCK_AFTER, next_attempt
from tests.conftest import registration_form, run_worker, submit
from tests.databases import base_config

URL = "/de/events/forumtheater/register"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(NOW, tick=False)
    return make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC), capacity=100)


def outbox() -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def register_people(client, count: int) -> None:
    for n in range(count):
        assert submit(client, URL, registration_form(email=f"p{n}@example.org")).status_code == 303


def test_backoff_grows_1_5_15_60_minutes_then_every_4_hours():
    steps = [next_attempt(attempt, NOW) - NOW for attempt in range(1, 8)]
    assert steps == [timedelta(minutes=m) for m in (1, 5, 15, 60, 240, 240, 240)]


def test_mail_server_outage_loses_nothing_and_sends_each_message_once(
    app, client, smtp, workshop, time_machine
):
    smtp.stop()
    register_people(client, 3)
    run_worker(app)
    assert {m.status for m in outbox()} == {OutboxStatus.RETRY}
    assert all(m.last_error for m in outbox())

    smtp.start()
    run_worker(app)  # not due yet: back-off
    assert smtp.inbox.messages == []

    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)
    run_worker(app)
    run_worker(app)
    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert {m.status for m in outbox()} == {OutboxStatus.SENT}


def test_registration_does_not_wait_for_a_stalling_mail_server(app, client, smtp, workshop):
    smtp.inbox.delay = 2.0
    submit(client, URL, registration_form(email="warmup@example.org"))
    started = time.perf_counter()
    response = submit(client, URL, registration_form(email="lena@example.org"))
    request_seconds = time.perf_counter() - started
    assert response.status_code == 303

    started = time.perf_counter()
    run_worker(app)
    worker_seconds = time.perf_counter() - started
    assert worker_seconds >= 2.0  # the server really stalls ...
    assert request_seconds < 1.0  # ... and the request did not wait for it
    assert len(smtp.inbox.messages) == 2


def test_a_permanent_refusal_marks_the_message_failed_without_retrying(app, client, smtp, workshop):
    smtp.inbox.reply = "550 No such user here"
    register_people(client, 1)
    run_worker(app)
    [message] = outbox()
    assert message.status is OutboxStatus.FAILED
    assert "550" in message.last_error


def test_a_temporary_refusal_is_retried(app, client, smtp, workshop, time_machine):
    smtp.inbox.reply = "451 Try again later"
    register_people(client, 1)
    run_worker(app)
    assert outbox()[0].status is OutboxStatus.RETRY
    smtp.inbox.reply = "250 OK"
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    run_worker(app)
    assert outbox()[0].status is OutboxStatus.SENT
    assert len(smtp.inbox.messages) == 1


def test_a_message_left_sending_by_a_crashed_worker_is_sent_later(
    app, client, smtp, workshop, time_machine
):
    register_people(client, 1)
    [message] = outbox()
    message.status, message.claimed_at = OutboxStatus.SENDING, NOW
    db.session.commit()
    run_worker(app)
    assert smtp.inbox.messages == []  # another worker may still be on it
    time_machine.move_to(NOW + STUCK_AFTER + timedelta(seconds=1), tick=False)
    run_worker(app)
    assert len(smtp.inbox.messages) == 1


def test_a_worker_that_dies_mid_pass_leaves_only_the_message_it_was_sending(
    app, client, smtp, workshop, time_machine, monkeypatch
):
    register_people(client, 5)

    def dies(*_args):
        raise RuntimeError("the worker is killed after its first delivery")

    with monkeypatch.context() as patch:
        patch.setattr(mailer, "record", dies)
        with pytest.raises(RuntimeError):
            run_worker(app)
    in_flight = {OutboxStatus.SENDING: 1}
    assert Counter(m.status for m in outbox()) == in_flight | {OutboxStatus.QUEUED: 4}

    run_worker(app)  # another worker sends the rest at once; the one in flight waits
    assert Counter(m.status for m in outbox()) == in_flight | {OutboxStatus.SENT: 4}
    time_machine.move_to(NOW + STUCK_AFTER + timedelta(seconds=1), tick=False)
    run_worker(app)
    assert {m.status for m in outbox()} == {OutboxStatus.SENT}
    received = Counter(m["To"] for m in smtp.inbox.messages)
    assert sorted(received.values()) == [1, 1, 1, 1, 2]  # only the one in flight arrived twice


def test_a_pass_sends_its_messages_over_one_connection(app, client, smtp, workshop):
    register_people(client, 4)
    run_worker(app)
    assert len(smtp.inbox.messages) == 4
    assert smtp.inbox.sessions == 1


def test_a_pass_stops_claiming_after_a_minute_so_its_claims_never_look_stuck(
    app, client, smtp, workshop, monkeypatch
):
    """Claims carry the pass's start time: a pass that went on for longer
    than STUCK_AFTER would hand its fresh claims to other workers."""
    register_people(client, 3)
    clock = iter(range(0, 1000, 40))  # each look at the clock: 40 s later
    monkeypatch.setattr(mailer, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    assert run_worker(app).sent == 1
    assert Counter(m.status for m in outbox()) == {OutboxStatus.SENT: 1, OutboxStatus.QUEUED: 2}
    monkeypatch.undo()
    assert run_worker(app).sent == 2


def test_two_workers_at_once_never_send_a_message_twice(app, client, smtp, workshop):
    register_people(client, 40)
    smtp.inbox.delay = 0.01
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        run_worker(app)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = Counter(m["To"] for m in smtp.inbox.messages)
    assert len(received) == 40
    assert set(received.values()) == {1}


def test_without_a_mail_server_messages_are_written_as_eml_files(database_url, tmp_path, workshop):
    app = create_app(
        base_config(database_url) | {"MAIL_SERVER": "", "MAIL_FILE_DIR": str(tmp_path / "mail")}
    )
    client = app.test_client()
    with app.app_context():
        submit(client, URL, registration_form(email="lena@example.org"))
        run_worker(app)
        db.engine.dispose()
    [path] = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "lena@example.org"
    assert message["From"] == "Fachbereich Internationales <international@localhost>"


def test_sent_messages_keep_the_configured_sender(app, client, smtp, workshop):
    register_people(client, 1)
    run_worker(app)
    [message] = smtp.inbox.messages
    assert message["From"] == "Fachbereich Internationales <international@localhost>"
    [message_id] = message.get_all("Message-ID")  # RFC 5322: exactly one
    assert ".outbox-" in message_id and message_id.endswith("@partnerstadt.test>")


@pytest.mark.parametrize(
    "sender",
    ["Stadt, Internationales <i@example.org>", "no address", "A <a@example.org>\r\nBcc: x@y.z"],
)
def test_a_malformed_sender_is_refused_at_start_up(sender):
    with pytest.raises(ValueError, match="MAIL_DEFAULT_SENDER"):
        create_app(base_config("sqlite://") | {"MAIL_DEFAULT_SENDER": sender})


def test_a_sent_message_no_longer_keeps_its_personal_links(app, client, smtp, workshop):
    register_people(client, 1)
    assert "/registrations/" in outbox()[0].body_text
    run_worker(app)
    [message] = outbox()
    assert message.status is OutboxStatus.SENT
    assert (message.body_text, message.body_html, message.ics) == ("", None, None)
