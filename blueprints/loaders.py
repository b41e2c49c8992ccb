"""Loading a page's object or answering 404."""

from __future__ import annotations

import re

from flask import abort
from sqlalchemy import select

from extensions import db
from models import Event, EventStatus

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 80


def public_event_or_404(slug: str) -> Event:
    """A published or cancelled event; drafts do not exist for the public.
    A slug that no event could have is answered without asking the database."""
    if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
        abort(404)
    return db.one_or_abort(
        select(Event).where(Event.slug == slug, Event.status != EventStatus.DRAFT)
    )
