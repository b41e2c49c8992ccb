"""Loading a page's object or answering 404."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import Event, EventStatus


def public_event_or_404(slug: str) -> Event:
    """A published or cancelled event; drafts do not exist for the public."""
    return db.one_or_abort(select(Event).where(Event.slug == slug, Event.status != EventStatus.DRAFT))
