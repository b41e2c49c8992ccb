"""The city's time zone: times are stored in UTC and entered and shown locally."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def city_zone() -> ZoneInfo:
    """The zone named by CITY_TIMEZONE (default Europe/Berlin)."""
    return _zone(current_app.config["CITY_TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(city_zone())


def local_date(moment: datetime) -> date:
    """The calendar day in the city at `moment`."""
    return to_local(moment).date()


def from_local(wall_time: datetime) -> datetime:
    """A wall-clock time in the city (naive) as an aware UTC datetime.

    In the autumn hour that happens twice, the first (summer-time) one is meant.
    """
    if wall_time.tzinfo is not None:
        raise ValueError("expected a wall-clock time without a zone")
    return wall_time.replace(tzinfo=city_zone()).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """23:59 in the city on `day`, in UTC: what "bis zum <day>" means."""
    return from_local(datetime.combine(day, time(23, 59)))
