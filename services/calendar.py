"""Events as iCalendar files: one event ("add to calendar") or the feed of
upcoming events that calendar apps subscribe to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from models import Event
from services.localtime import local_date

# How often subscribed calendars fetch the feed again.
REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class EntryText:
    """What an event's entry says, in the language of the calendar."""

    title: str
    description: str
    location: str
    url: str


def _entry(event: Event, text: EntryText, domain: str, zone: ZoneInfo | None) -> CalendarEvent:
    """One VEVENT; its UID stays the same for the event's whole life, so a
    changed event replaces its old entry. Times in UTC, or in `zone` (with
    its VTIMEZONE in the calendar); whole days when the time is not known."""
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{domain}")
    entry.add("dtstamp", event.updated_at)
    entry.add("last-modified", event.updated_at)
    entry.add("summary", text.title)
    if event.has_start_time:
        entry.add("dtstart", event.starts_at.astimezone(zone) if zone else event.starts_at)
        entry.add("dtend", event.ends_at.astimezone(zone) if zone else event.ends_at)
    else:
        entry.add("dtstart", local_date(event.starts_at))
        entry.add("dtend", local_date(event.ends_at) + timedelta(days=1))
    entry.add("location", text.location)
    entry.add("description", text.description)
    entry.add("url", text.url)
    if event.is_cancelled:
        entry.add("status", "CANCELLED")
    return entry


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Partnerstadt//Events//DE")
    calendar.add("version", "2.0")
    return calendar


def event_calendar(
    event: Event, *, title: str, description: str, location: str, url: str, domain: str
) -> bytes:
    """One VEVENT in UTC (or whole days when the event has no time yet)."""
    calendar = _calendar()
    calendar.add_component(
        _entry(event, EntryText(title, description, location, url), domain, zone=None)
    )
    return calendar.to_ical()


def events_feed(
    entries: list[tuple[Event, EntryText]],
    *,
    name: str,
    zone: ZoneInfo,
    domain: str,
) -> bytes:
    """The subscribable calendar: times in the city's zone, refreshed every
    REFRESH (X-PUBLISHED-TTL; REFRESH-INTERVAL of RFC 7986 as well)."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    calendar.add("x-published-ttl", _duration(REFRESH))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    for event, text in entries:
        calendar.add_component(_entry(event, text, domain, zone))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _duration(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"PT{hours}H"
