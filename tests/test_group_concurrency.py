"""All-or-nothing seats under load: groups submitted at the same moment to
several gunicorn workers never hold more seats than there are, and no group
is split between seats and the waitlist. The control run leaves the event's
lock out and shows the race."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.live.crowd import race_shows_in_a_round
from tests.live.servers import Gunicorn
from tests.test_group_seats import group_form

pytestmark = pytest.mark.live

CAPACITY = 10
GROUPS = 20  # of two and three people: 50 people for 10 seats
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def register_all_groups_at_once(base_url: str, slug: str) -> list[int]:
    """Every contact loads the form, then all press "register" at once."""
    url = f"{base_url}/de/events/{slug}/register"
    start = threading.Barrier(GROUPS)

    def contact(number: int) -> int:
        with httpx.Client(timeout=60) as client:
            token = CSRF.search(client.get(url).text).group(1)
            size = 2 + number % 2
            names = [f"G{number}P{n}" for n in range(size)]
            form = group_form(f"contact{number}@example.org", names) | {"csrf_token": token}
            start.wait()
            return client.post(url, data=form).status_code

    with ThreadPoolExecutor(GROUPS) as pool:
        return list(pool.map(contact, range(GROUPS)))


def groups(event_id: int) -> dict[int, set[RegistrationStatus]]:
    db.session.rollback()
    by_group: dict[int, set[RegistrationStatus]] = defaultdict(set)
    for group_id, status in db.session.execute(
        select(Registration.group_id, Registration.status).where(Registration.event_id == event_id)
    ):
        by_group[group_id].add(status)
    return by_group


def held(event_id: int) -> int:
    db.session.rollback()
    return len(
        db.session.scalars(
            select(Registration.id).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.PENDING,
            )
        ).all()
    )


@pytest.fixture
def workshop(make_event):
    return make_event(
        capacity=CAPACITY,
        has_waitlist=True,
        max_group_size=4,
        min_age=None,
        max_age=None,
        guardian_consent_below_age=0,
    )


def test_simultaneous_groups_never_overbook_and_are_never_split(database_url, workshop, tmp_path):
    with Gunicorn(
        tmp_path, {"DATABASE_URL": database_url}, workers=3, config="tests/live/seat_race.py"
    ) as server:
        codes = register_all_groups_at_once(server.url, workshop.slug)

    assert codes == [303] * GROUPS, f"responses: {codes}"
    by_group = groups(workshop.id)
    assert len(by_group) == GROUPS
    assert all(len(statuses) == 1 for statuses in by_group.values()), by_group
    seated = held(workshop.id)
    # Groups of two and three fill at least eight of ten seats before one
    # does not fit; never more than ten.
    assert CAPACITY - 2 <= seated <= CAPACITY, seated


def test_control_without_the_lock_groups_overbook_or_requests_fail(
    database_url, make_event, tmp_path
):
    """A group that does not fit waits, so even a real race may end at
    exactly ten seats: one of three rounds must show it."""
    env = {"DATABASE_URL": database_url, "SEAT_LOCK": "off"}
    with Gunicorn(tmp_path, env, workers=3, config="tests/live/seat_race.py") as server:

        def one_round(number: int) -> tuple[bool, str]:
            event = make_event(
                slug=f"wettlauf-{number}",
                capacity=CAPACITY,
                has_waitlist=True,
                max_group_size=4,
                min_age=None,
                max_age=None,
                guardian_consent_below_age=0,
            )
            codes = register_all_groups_at_once(server.url, event.slug)
            seated, failed = held(event.id), sum(1 for code in codes if code >= 500)
            return seated > CAPACITY or failed > 0, f"{seated} seats held, {codes}"

        race_shows_in_a_round(one_round)
