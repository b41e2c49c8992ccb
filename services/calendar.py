"""Events as iCalendar files."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from models import Event
from services.localtime import local_date


def event_calendar(
    event: Event, *, title: str, description: str, location: str, url: str, domain: str
) -> bytes:
    """One VEVENT in UTC (or whole days when the event has no time yet)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Partnerstadt//Events//DE")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{domain}")
    entry.add("dtstamp", event.updated_at)
    entry.add("summary", title)
    if event.has_start_time:
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
    else:
        entry.add("dtstart", local_date(event.starts_at))
        entry.add("dtend", local_date(event.ends_at) + timedelta(days=1))
    entry.add("location", location)
    entry.add("description", description)
    entry.add("url", url)
    if event.is_cancelled:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()
