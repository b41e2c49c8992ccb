"""Registrations against the running server: a burst for few seats (the
logic of tests/test_concurrency.py, timed), and one person after another
while the mail worker is stuck on a mail server that stalls."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bench.databases import database_session
from models import OutboxMessage, OutboxStatus, Registration
from models.registration import SEAT_HOLDING
from tests.conftest import CSRF, registration_form
from tests.live.servers import ROOT
from tests.mail import SMTPServer

CAPACITY = 10
REGISTRATIONS = 60
THREADS = 30
SEQUENTIAL = 20
STALL_SECONDS = 2.0


@dataclass(frozen=True)
class Timed:
    codes: Counter
    seconds: list[float]  # of each POST, from sending to the full response

    @property
    def errors(self) -> int:
        """Responses other than the 303 to "check your inbox"."""
        return sum(count for code, count in self.codes.items() if code != 303)


def _form(client: httpx.Client, url: str, email: str) -> dict[str, str]:
    token = CSRF.search(client.get(url).text).group(1)
    return registration_form(email=email, csrf_token=token)


def _post(client: httpx.Client, url: str, form: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        code = client.post(url, data=form).status_code
    except httpx.TransportError:
        code = 0
    return code, time.perf_counter() - started


def burst(base_url: str, slug: str) -> Timed:
    """60 people load the form, then all press "register" at the same moment
    (30 threads with two browsers each)."""
    url = f"{base_url}/de/events/{slug}/register"
    start = threading.Barrier(THREADS)

    def person(thread: int) -> list[tuple[int, float]]:
        clients = [httpx.Client(timeout=60) for _ in range(REGISTRATIONS // THREADS)]
        try:
            forms = [
                _form(client, url, f"b{thread}-{n}@example.org") for n, client in enumerate(clients)
            ]
            start.wait()
            return [_post(client, url, form) for client, form in zip(clients, forms)]
        finally:
            for client in clients:
                client.close()

    with ThreadPoolExecutor(THREADS) as pool:
        results = [result for results in pool.map(person, range(THREADS)) for result in results]
    return Timed(Counter(code for code, _ in results), [seconds for _, seconds in results])


def held_seats(database_url: str, event_id: int) -> int:
    with database_session(database_url) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Registration)
                .where(Registration.event_id == event_id, Registration.status.in_(SEAT_HOLDING))
            )
            or 0
        )


def one_after_another(
    base_url: str, slug: str, count: int = SEQUENTIAL, prefix: str = "s"
) -> Timed:
    """`count` people register, each with a browser of their own."""
    url = f"{base_url}/de/events/{slug}/register"
    results = []
    for number in range(count):
        with httpx.Client(timeout=60) as client:
            results.append(_post(client, url, _form(client, url, f"{prefix}{number}@example.org")))
    return Timed(Counter(code for code, _ in results), [seconds for _, seconds in results])


def wait_until_sending(database_url: str, timeout: float = 30) -> bool:
    """True once the mail worker has claimed a message: it is talking to
    the mail server (and, when that stalls, stuck there)."""
    deadline = time.monotonic() + timeout
    sending = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
    )
    with database_session(database_url) as session:
        while time.monotonic() < deadline:
            if session.scalar(sending):
                return True
            session.rollback()
            time.sleep(0.1)
    return False


class MailWorker:
    """`flask send-mail` against the database and SMTP server, stopped on exit."""

    def __init__(self, log_dir: Path, database_url: str, smtp: SMTPServer) -> None:
        self.log = log_dir / f"send-mail-{smtp.port}.log"
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp.port),
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> MailWorker:
        flask = Path(sys.executable).with_name("flask")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(flask), "send-mail", "--interval", "0.5"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
