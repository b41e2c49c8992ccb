"""Creating, changing and duplicating events (staff side). Cancelling is a
step of its own (services/cancellation.py), never a side effect of saving."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, EventStatus, Registration, Role, User
from services import audit, lifecycle, questions
from services.localtime import to_local
from services.registration import RegistrationRefused, held_seats, lock_event

LANGUAGES = ("de", "en")
# The texts each language has; German is required, the others fall back to it.
TEXT_FIELDS = ("title", "summary", "description", "venue")


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


SETTINGS = [f.name for f in fields(EventData) if f.name not in {"texts", "status"}]


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


def _texts(event: Event) -> dict[str, tuple[str | None, ...]]:
    return {
        lang: tuple(getattr(row, name) for name in TEXT_FIELDS) for lang, row in event.texts.items()
    }


def create_event(
    session: Session, data: EventData, actor: User, copy_of: Event | None = None
) -> Event:
    """Create an event; the next edition of `copy_of` also gets its
    registration questions."""
    if _slug_taken(session, data.slug, None):
        raise EventRefused({"slug": gettext("This web address is already used by another event.")})
    if data.status is EventStatus.CANCELLED:
        raise _cancelling_refused()
    event = Event(status=EventStatus.DRAFT)
    _apply(event, data)
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
    return event


def update_event(
    session: Session, event_id: int, data: EventData, actor: User, now: datetime
) -> Saved:
    """Change the event under its lock: capacity can't drop below the seats
    held, and free seats (more capacity, or publishing) promote the waitlist.
    `cancelled` is kept only by an event that is cancelled already."""
    event = lock_event(session, event_id)
    try:
        errors = {}
        if _slug_taken(session, data.slug, event.id):
            errors["slug"] = gettext("This web address is already used by another event.")
        held = held_seats(session, event.id)
        if data.capacity is not None and data.capacity < held:
            errors["capacity"] = gettext(
                "%(held)d places are already taken; the capacity cannot be lower.", held=held
            )
        if data.status is EventStatus.CANCELLED and not event.is_cancelled:
            errors |= _cancelling_refused().errors
        if errors:
            raise EventRefused(errors)
        changed = _apply(event, EventData(**{**data.__dict__, "status": event.status}))
        if data.status is not event.status:
            changed.append("status")
            event.status = data.status
        promoted = lifecycle.promote_waitlisted(session, event, now)
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


def text_field_name(name: str, lang: str) -> str:
    """The form field of a text: `title_de`, `venue_en`; the German venue is
    plain `venue`, the name the SPEC gives it."""
    return "venue" if (name, lang) == ("venue", "de") else f"{name}_{lang}"


def form_data(event: Event, *, with_dates: bool) -> dict[str, object]:
    """The event as form data; a duplicate gets texts and settings, not dates."""
    data: dict[str, object] = {
        name: getattr(event, name)
        for name in ("min_age", "max_age", "capacity", "guardian_consent_below_age")
    }
    data |= {"slug": event.slug, "waitlist": event.has_waitlist, "status": event.status.value}
    data["time_to_be_announced"] = not event.has_start_time
    for lang in LANGUAGES:
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
