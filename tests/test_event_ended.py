""" "The event has ended" is stated once (models.event.Event.has_ended_at and
has_ended, hybrid properties) and gives the same answer on an event and in
a query, on both databases, from the minute the event ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Event

ENDS = datetime(2026, 9, 18, 11, 0, tzinfo=UTC)
MOMENTS = [ENDS - timedelta(seconds=1), ENDS, ENDS + timedelta(seconds=1)]


def ended_in_sql(expression) -> bool:
    return db.session.scalar(select(Event.id).where(expression)) is not None


@pytest.mark.parametrize("moment", MOMENTS)
def test_ended_at_a_moment_is_the_same_in_python_and_sql(make_event, moment):
    event = make_event(starts_at=ENDS - timedelta(hours=3), ends_at=ENDS)
    assert event.has_ended_at(moment) is (moment >= ENDS)
    assert ended_in_sql(Event.has_ended_at(moment)) is (moment >= ENDS)
    assert ended_in_sql(~Event.has_ended_at(moment)) is (moment < ENDS)


@pytest.mark.parametrize("moment", MOMENTS)
def test_ended_now_follows_the_clock_in_python_and_sql(make_event, time_machine, moment):
    event = make_event(starts_at=ENDS - timedelta(hours=3), ends_at=ENDS)
    time_machine.move_to(moment, tick=False)
    assert event.has_ended is (moment >= ENDS)
    assert ended_in_sql(Event.has_ended) is (moment >= ENDS)
