"""Loading a page's object or answering 404."""

from __future__ import annotations

import re

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from extensions import db
from models import Category, City, Event, EventStatus, Network
from services.seats import held_seats_of_event

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 80
PUBLIC = Event.status != EventStatus.DRAFT
# The event page's one statement: the event, its texts joined, its partner
# city, network and categories joined with their texts, its organisers
# (staff) not loaded, and the seats held. Each `selectin` load would be a
# statement of its own, each costing more than the join. Built once, because
# building a query with its options costs about as much as running it
# (bench/README.md).
EVENT_PAGE = (
    select(Event, held_seats_of_event())
    .where(Event.slug == bindparam("slug"), PUBLIC)
    .options(
        joinedload(Event.texts),
        joinedload(Event.city).joinedload(City.texts),
        joinedload(Event.network).joinedload(Network.texts),
        joinedload(Event.categories).joinedload(Category.texts),
        lazyload(Event.organisers),
    )
)


# The event with its texts only, for the pages that show no more of it (the
# registration form, its answer, the calendar file): its organisers,
# categories, city and network would be four more statements each time.
EVENT_WITH_TEXTS = (
    select(Event)
    .where(Event.slug == bindparam("slug"), PUBLIC)
    .options(joinedload(Event.texts), lazyload("*"))
)


def public_event_or_404(slug: str) -> Event:
    """A published or cancelled event; drafts do not exist for the public.
    A slug that no event could have is answered without asking the database."""
    _check_slug(slug)
    event = db.session.scalars(EVENT_WITH_TEXTS, {"slug": slug}).unique().one_or_none()
    if event is None:
        abort(404)
    return event


def public_event_page_or_404(slug: str) -> tuple[Event, int]:
    """The event for its public page and the seats it holds, in one statement."""
    _check_slug(slug)
    row = db.session.execute(EVENT_PAGE, {"slug": slug}).unique().one_or_none()
    if row is None:
        abort(404)
    return row[0], row[1]


def _check_slug(slug: str) -> None:
    if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
        abort(404)
