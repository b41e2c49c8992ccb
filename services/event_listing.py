"""The staff side's list of events: which events a staff member sees (an
admin every one, an organiser their own) under which tab, in which order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, EventStatus, Role, User, event_organiser

# The tabs of the list; the first is shown when none is asked for.
LISTS = ("upcoming", "drafts", "past")
LIMIT = 200


def shown_list(requested: str | None) -> str:
    """The tab asked for, or the first one for anything else."""
    return requested if requested in LISTS else LISTS[0]


def staff_events(session: Session, viewer: User, shown: str, now: datetime) -> list[Event]:
    """Drafts by start; published and cancelled events that have not ended,
    soonest first; those that have, latest first. At most LIMIT."""
    query = select(Event)
    if viewer.role is not Role.ADMIN:
        query = query.join(event_organiser).where(event_organiser.c.user_id == viewer.id)
    if shown == "drafts":
        query = query.where(Event.status == EventStatus.DRAFT).order_by(Event.starts_at)
    elif shown == "past":
        query = query.where(Event.status != EventStatus.DRAFT, Event.has_ended_at(now)).order_by(
            Event.starts_at.desc()
        )
    else:
        query = query.where(Event.status != EventStatus.DRAFT, ~Event.has_ended_at(now)).order_by(
            Event.starts_at
        )
    return list(session.scalars(query.limit(LIMIT)))
