"""Creating, changing and duplicating events (staff side). Cancelling is a
step of its own (services/cancellation.py), never a side effect of saving."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from models import City, Event, EventStatus, Network, Registration, Role, User
from models.base import DEFAULT_LANGUAGE
from services import audit, categories, questions, waitlist
from services.localtime import to_local
from services.news_images import ImageRefused, image_change
from services.registration import RegistrationRefused, lock_event
from services.seats import held_seats

# The texts each language has; German is required, the others fall back to it.
TEXT_FIELDS = ("title", "summary", "description", "venue", "price", "image_alt")


@dataclass(frozen=True)
class EventData:
    """An event as the form describes it, times already in UTC; `texts` by
    language, with the fields of TEXT_FIELDS."""

    slug: str
    texts: dict[str, dict[str, str | None]]
    starts_at: datetime
    ends_at: datetime
    has_start_time: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    min_age: int | None
    max_age: int | None
    capacity: int | None
    has_waitlist: bool
    guardian_consent_below_age: int
    status: EventStatus
    venue_address: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    # How many people one submission registers at most; and whether smaller
    # registrations may take seats a waiting larger group does not fit in.
    max_group_size: int = 1
    fill_with_smaller: bool = False
    city_id: int | None = None
    network_id: int | None = None
    # Slugs of the event's categories.
    categories: tuple[str, ...] = ()
    # A new image (None: keep the current one), or remove it.
    image: FileStorage | None = None
    remove_image: bool = False


SETTINGS = [
    f.name
    for f in fields(EventData)
    if f.name not in {"texts", "status", "categories", "image", "remove_image"}
]
# What a visitor asks before coming, beside the texts; copied to a next edition.
ESSENTIALS = ("venue_address", "contact_name", "contact_email", "city_id", "network_id")


class EventRefused(RegistrationRefused):
    """The change breaks a rule; `errors` maps form fields to messages."""


@dataclass(frozen=True)
class Saved:
    """A saved event and whoever moved up from the waitlist because of it."""

    event: Event
    promoted: list[Registration]


def _cancelling_refused() -> EventRefused:
    """Saving the form never cancels: the cancel step shows who is told."""
    return EventRefused(
        {
            "status": gettext(
                "Saving does not cancel an event. Please use “Cancel this event”: it shows "
                "who will be told and lets you add a message for them."
            )
        }
    )


def _date_errors(data: EventData) -> dict[str, str]:
    """The event's times in order: it ends after it starts. The form says so
    at once; this holds for every caller."""
    if data.ends_at <= data.starts_at:
        return {"ends_at": gettext("The end must be after the start.")}
    return {}


def _slug_taken(session: Session, slug: str, event_id: int | None) -> bool:
    return (
        session.scalar(select(Event.id).where(Event.slug == slug, Event.id != (event_id or 0)))
        is not None
    )


def _apply(event: Event, data: EventData) -> list[str]:
    """Copy `data` onto `event`; the names of what changed."""
    changed = []
    for name in SETTINGS:
        if getattr(event, name) != getattr(data, name):
            setattr(event, name, getattr(data, name))
            changed.append(name)
    before = _texts(event)
    for lang, texts in data.texts.items():
        event.set_text(lang, **texts)
    if _texts(event) != before:
        changed.append("texts")
    return changed


def _apply_categories(session: Session, event: Event, slugs: tuple[str, ...]) -> list[str]:
    """Give `event` the categories of `slugs`; ["categories"] when they changed."""
    chosen = categories.by_slugs(session, slugs)
    if {c.id for c in chosen} == {c.id for c in event.categories}:
        return []
    event.categories = chosen
    return ["categories"]


def _texts(event: Event) -> dict[str, tuple[str | None, ...]]:
    return {
        lang: tuple(getattr(row, name) for name in TEXT_FIELDS) for lang, row in event.texts.items()
    }


def _image_errors(event: Event, data: EventData) -> dict[str, str]:
    """An image needs a description in the content language."""
    keeps_image = event.image_filename is not None and not data.remove_image
    described = (data.texts.get(DEFAULT_LANGUAGE) or {}).get("image_alt")
    if (data.image or keeps_image) and not described:
        return {
            f"image_alt_{DEFAULT_LANGUAGE}": gettext(
                "Please describe the image for people who cannot see it."
            )
        }
    return {}


@contextmanager
def _image_of(event: Event, data: EventData) -> Iterator[None]:
    """Store the form's image for `event` while the block saves it: a refused
    upload is a field error, a failed save leaves no file behind."""
    try:
        with image_change(event.image_filename, data.image, data.remove_image) as image:
            event.image_filename = image
            if image is None:  # no image, nothing to describe
                for row in event.texts.values():
                    row.image_alt = None
            yield
    except ImageRefused as refusal:
        raise EventRefused({"image": str(refusal)}) from None


def create_event(
    session: Session, data: EventData, actor: User, copy_of: Event | None = None
) -> Event:
    """Create an event; the next edition of `copy_of` also gets its
    registration questions."""
    if errors := _date_errors(data):
        raise EventRefused(errors)
    if _slug_taken(session, data.slug, None):
        raise EventRefused({"slug": gettext("This web address is already used by another event.")})
    if data.status is EventStatus.CANCELLED:
        raise _cancelling_refused()
    event = Event(status=EventStatus.DRAFT)
    if errors := _image_errors(event, data):
        raise EventRefused(errors)
    try:
        _apply(event, data)
        with _image_of(event, data):
            _apply_categories(session, event, data.categories)
            event.status = data.status
            if actor.role is Role.ORGANISER:
                event.organisers.append(actor)
            session.add(event)
            session.flush()
            if copy_of is not None:
                questions.copy_questions(session, copy_of.id, event)
            audit.record(
                session,
                actor,
                "event.create",
                event_id=event.id,
                target=event.slug,
                copy_of=copy_of.id if copy_of is not None else None,
            )
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return event


def update_event(
    session: Session, event_id: int, data: EventData, actor: User, now: datetime
) -> Saved:
    """Change the event under its lock: capacity can't drop below the seats
    held, and free seats (more capacity, or publishing) promote the waitlist.
    `cancelled` is kept only by an event that is cancelled already."""
    event = lock_event(session, event_id)
    try:
        errors = _date_errors(data)
        if _slug_taken(session, data.slug, event.id):
            errors["slug"] = gettext("This web address is already used by another event.")
        held = held_seats(session, event.id)
        if data.capacity is not None and data.capacity < held:
            errors["capacity"] = gettext(
                "%(held)d places are already taken; the capacity cannot be lower.", held=held
            )
        if data.status is EventStatus.CANCELLED and not event.is_cancelled:
            errors |= _cancelling_refused().errors
        errors |= _image_errors(event, data)
        if errors:
            raise EventRefused(errors)
        image_before = event.image_filename
        changed = _apply(event, EventData(**{**data.__dict__, "status": event.status}))
        with _image_of(event, data):
            if event.image_filename != image_before:
                changed.append("image")
            changed += _apply_categories(session, event, data.categories)
            if data.status is not event.status:
                changed.append("status")
                event.status = data.status
            promoted = waitlist.promote_waitlisted(session, event, now)
            audit.record(
                session,
                actor,
                "event.update",
                event_id=event.id,
                target=event.slug,
                changed=changed,
                promoted=[registration.id for registration in promoted],
            )
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return Saved(event, promoted)


def place_choices(
    session: Session, lang: str
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The cities and networks an event can belong to, as (id, name) by name."""
    cities = [(city.id, city.text("name", lang)) for city in session.scalars(select(City))]
    networks = [(net.id, net.text("name", lang)) for net in session.scalars(select(Network))]
    return sorted(cities, key=lambda c: c[1].casefold()), sorted(
        networks, key=lambda n: n[1].casefold()
    )


def text_field_name(name: str, lang: str) -> str:
    """The form field of a text: `title_de`, `venue_en`; the German venue is
    plain `venue`, the name the SPEC gives it."""
    return "venue" if (name, lang) == ("venue", "de") else f"{name}_{lang}"


def form_data(event: Event, *, with_dates: bool) -> dict[str, object]:
    """The event as form data; a duplicate gets texts and settings, not dates."""
    data: dict[str, object] = {
        name: getattr(event, name)
        for name in (
            "min_age",
            "max_age",
            "capacity",
            "guardian_consent_below_age",
            "max_group_size",
            "fill_with_smaller",
            *ESSENTIALS,
        )
    }
    data |= {"slug": event.slug, "waitlist": event.has_waitlist, "status": event.status.value}
    data["time_to_be_announced"] = not event.has_start_time
    data["categories"] = [category.slug for category in event.categories]
    for lang in current_app.config["LANGUAGES"]:
        row = event.texts.get(lang)
        for name in TEXT_FIELDS:
            data[text_field_name(name, lang)] = getattr(row, name, None) if row else None
    if with_dates:
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = getattr(event, name)
            data[name] = to_local(value).replace(tzinfo=None) if value else None
    else:
        data["slug"] = f"{event.slug}-neu"
        data["status"] = EventStatus.DRAFT.value
    return data
