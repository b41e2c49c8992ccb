"""Several mail workers at once (SPEC "Scale"): real `flask send-mail`
processes against a real SMTP server that takes its time, on SQLite and
PostgreSQL. They never send a message twice, also while gunicorn workers
write registrations beside them; when one is killed (kill -9) in the middle
of its work, at most the one message it was sending can arrive twice, and
only that one waits for the recovery of stuck messages."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from extensions import db
from models import OutboxMessage, OutboxStatus
from models.base import utcnow
from services.mailer import STUCK_AFTER
from tests.conftest import registration_form, run_worker
from tests.live.crowd import all_at_once, csrf_token
from tests.live.servers import Gunicorn, MailWorker

pytestmark = pytest.mark.live

MESSAGES = 80
SMTP_SECONDS = 0.05  # per message: the kill lands while the workers are busy
KILL_AFTER = 25  # messages received


@pytest.fixture
def queued(app) -> list[str]:
    """MESSAGES messages in the outbox, due now; their recipients."""
    due = utcnow() - timedelta(seconds=1)
    recipients = [f"person{n}@example.org" for n in range(MESSAGES)]
    db.session.add_all(
        OutboxMessage(
            kind="test",
            language="de",
            recipient=recipient,
            subject=f"Nachricht {n}",
            body_text="Hallo",
            next_attempt_at=due,
        )
        for n, recipient in enumerate(recipients)
    )
    db.session.commit()
    return recipients


@pytest.fixture
def workers(database_url, smtp, tmp_path):
    env = {
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
    }
    started = [MailWorker(tmp_path, env).start() for _ in range(2)]
    yield started
    for worker in started:
        worker.stop()


def statuses() -> Counter:
    db.session.rollback()
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    rows = db.session.execute(query)
    return Counter(dict(rows.all()))


def wait_until(condition: Callable[[], bool], seconds: float, steady: float = 0.0) -> None:
    """Until `condition` holds (for `steady` seconds on end), or fail."""
    deadline = time.monotonic() + seconds
    held_since = None
    while time.monotonic() < deadline:
        if condition():
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= steady:
                return
        else:
            held_since = None
        time.sleep(0.05)
    raise AssertionError(f"timed out; outbox: {dict(statuses())}")


def test_two_worker_processes_send_every_message_exactly_once(app, smtp, queued, workers):
    smtp.inbox.delay = SMTP_SECONDS
    wait_until(lambda: statuses()[OutboxStatus.SENT] == MESSAGES, seconds=60)
    received = Counter(message["To"] for message in smtp.inbox.messages)
    assert received == Counter({recipient: 1 for recipient in queued})


def test_a_worker_killed_mid_batch_repeats_at_most_the_message_it_was_sending(
    app, smtp, queued, workers
):
    smtp.inbox.delay = SMTP_SECONDS
    wait_until(lambda: len(smtp.inbox.messages) >= KILL_AFTER, seconds=60)
    victim, survivor = workers
    victim.kill()
    assert len(smtp.inbox.messages) < MESSAGES  # it was killed in the middle of the work

    # The survivor sends everything but what the victim was sending.
    def only_the_victims_message_left() -> bool:
        now = statuses()
        sending, sent = now[OutboxStatus.SENDING], now[OutboxStatus.SENT]
        return sending <= 1 and sent + sending == MESSAGES

    wait_until(only_the_victims_message_left, seconds=60, steady=1.0)
    survivor.stop()

    # Ten minutes later the stuck message is claimed again.
    report = run_worker(app, utcnow() + STUCK_AFTER + timedelta(seconds=1))
    assert report.sent <= 1
    assert statuses() == Counter({OutboxStatus.SENT: MESSAGES})
    received = Counter(message["To"] for message in smtp.inbox.messages)
    assert set(received) == set(queued)
    twice = [recipient for recipient, times in received.items() if times > 1]
    assert sum(received.values()) - MESSAGES <= 1, f"sent twice: {twice}"


def test_workers_record_what_they_sent_while_the_site_takes_registrations(
    app, smtp, make_event, workers, database_url, tmp_path
):
    make_event(capacity=100, guardian_consent_below_age=0)
    url = "/de/events/forumtheater/register"
    forms: dict[int, dict] = {}

    def prepare(client: httpx.Client, round: int, n: int) -> int:
        forms[n] = registration_form(email=f"p{round}-{n}@example.org")
        forms[n]["csrf_token"] = csrf_token(client, url)
        return 0

    def send(client: httpx.Client, _round: int, n: int) -> int:
        return client.post(url, data=forms[n]).status_code

    env = {"DATABASE_URL": database_url}
    with Gunicorn(tmp_path, env, workers=3, config="tests/live/write_race.py") as site:
        clients = [httpx.Client(base_url=site.url, timeout=60) for _ in range(8)]
        try:
            codes = all_at_once(clients, prepare, send, rounds=3)
        finally:
            for client in clients:
                client.close()
    assert codes == Counter({303: 24})
    wait_until(lambda: statuses()[OutboxStatus.SENT] == 24, seconds=60)
    received = Counter(message["To"] for message in smtp.inbox.messages)
    assert sorted(received.values()) == [1] * 24
