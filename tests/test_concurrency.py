"""SPEC rule 3 under load: several gunicorn workers never hand out more seats
than there are. The control run leaves the lock out and shows the race."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from extensions import db
from models import Registration, RegistrationStatus
from tests.conftest import registration_form
from tests.live.crowd import race_shows_in_a_round
from tests.live.servers import Gunicorn

pytestmark = pytest.mark.live

CAPACITY = 10
REGISTRATIONS = 60
THREADS = 30
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def register_all_at_once(base_url: str, slug: str) -> Counter:
    """60 people load the form, then all press "register" at the same moment."""
    url = f"{base_url}/de/events/{slug}/register"
    per_thread = REGISTRATIONS // THREADS
    start = threading.Barrier(THREADS)

    def person(thread: int) -> list[int]:
        clients = [httpx.Client(timeout=60) for _ in range(per_thread)]
        try:
            forms = []
            for n, client in enumerate(clients):
                token = CSRF.search(client.get(url).text).group(1)
                forms.append(
                    registration_form(email=f"p{thread}-{n}@example.org", csrf_token=token)
                )
            start.wait()
            return [client.post(url, data=form).status_code for client, form in zip(clients, forms)]
        finally:
            for client in clients:
                client.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return Counter(code for codes in pool.map(person, range(THREADS)) for code in codes)


def statuses(event_id: int) -> Counter:
    db.session.rollback()
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    )
    return Counter(dict(rows.all()))


@pytest.fixture
def workshop(make_event):
    return make_event(capacity=CAPACITY, has_waitlist=True, guardian_consent_below_age=0)


def test_sixty_simultaneous_registrations_fill_exactly_ten_seats(database_url, workshop, tmp_path):
    with Gunicorn(
        tmp_path, {"DATABASE_URL": database_url}, workers=3, config="tests/live/seat_race.py"
    ) as server:
        codes = register_all_at_once(server.url, workshop.slug)

    assert codes == Counter({303: REGISTRATIONS}), f"responses: {codes}"
    assert statuses(workshop.id) == Counter(
        {
            RegistrationStatus.PENDING: CAPACITY,
            RegistrationStatus.WAITLISTED: REGISTRATIONS - CAPACITY,
        }
    )


def test_control_without_the_lock_the_seats_are_overbooked_or_requests_fail(
    database_url, make_event, tmp_path
):
    env = {"DATABASE_URL": database_url, "SEAT_LOCK": "off"}
    with Gunicorn(tmp_path, env, workers=3, config="tests/live/seat_race.py") as server:

        def one_round(number: int) -> tuple[bool, str]:
            event = make_event(
                slug=f"wettlauf-{number}",
                capacity=CAPACITY,
                has_waitlist=True,
                guardian_consent_below_age=0,
            )
            codes = register_all_at_once(server.url, event.slug)
            held = statuses(event.id)[RegistrationStatus.PENDING]
            failed = sum(count for code, count in codes.items() if code >= 500)
            return held > CAPACITY or failed > 0, f"{held} seats held, {dict(codes)}"

        race_shows_in_a_round(one_round)
