"""schema.org descriptions that search engines read from event pages, so
that they can show the date and the place with the link."""

from __future__ import annotations

from typing import Any

from models import Event
from services.localtime import local_date, to_local

SCHEMA = "https://schema.org"


def event_json_ld(
    event: Event, *, lang: str, url: str, organiser: str, image_url: str | None = None
) -> dict[str, Any]:
    """An `Event` in JSON-LD: local times with their offset (ISO 8601), or
    only the days when the time is not known yet."""
    if event.has_start_time:
        start, end = to_local(event.starts_at).isoformat(), to_local(event.ends_at).isoformat()
    else:
        start, end = local_date(event.starts_at).isoformat(), local_date(event.ends_at).isoformat()
    venue = event.text("venue", lang)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.text("title", lang),
        "description": event.text("summary", lang) or None,
        "startDate": start,
        "endDate": end,
        "eventStatus": f"{SCHEMA}/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": venue, "address": event.venue_address or venue},
        "organizer": {"@type": "Organization", "name": organiser}
        | ({"email": event.contact_email} if event.contact_email else {}),
        "isAccessibleForFree": not event.text("price", lang),
        "image": image_url,
        "inLanguage": lang,
        "url": url,
    }
    if event.min_age is not None or event.max_age is not None:
        data["typicalAgeRange"] = f"{event.min_age or 0}-{event.max_age or ''}"
    return {key: value for key, value in data.items() if value is not None}
