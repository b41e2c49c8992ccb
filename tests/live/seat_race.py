"""gunicorn settings for the seat-race tests (`gunicorn -c tests/live/seat_race.py`).

Every worker waits 50 ms between counting the held seats and inserting, so
that simultaneous registrations really overlap. With SEAT_LOCK=off the
event lock is left out, and so is SQLite's write lock for requests that
change something: the control that shows the race is real. The control
waits 200 ms, so that the race shows also on a busy machine, where the
workers may take turns around a short gap by chance.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import select

import services.registration as registration
from models import Event
from tests.live.write_race import leave_out_the_write_lock

_count_held_seats = registration.held_seats
GAP = 0.2 if os.environ.get("SEAT_LOCK") == "off" else 0.05


def _slow_held_seats(session, event_id):
    held = _count_held_seats(session, event_id)
    time.sleep(GAP)
    return held


def _no_lock(session, event_id):
    session.rollback()
    return session.scalar(
        select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    )


def post_worker_init(worker):
    registration.held_seats = _slow_held_seats
    if os.environ.get("SEAT_LOCK") == "off":
        registration.lock_event = _no_lock
        leave_out_the_write_lock()
