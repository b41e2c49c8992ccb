"""Ages as the registration rules count them: completed years on the
event's first day in the city's calendar, and the event's age range."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from models import Event
from services.dates import day_text
from services.localtime import local_date


def age_on(born: date, day: date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year
    older on 1 March in common years."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def first_day(event: Event) -> date:
    """The event's first day in the city's calendar: ages are counted then."""
    return local_date(event.starts_at)


def needs_guardian_consent(event: Event, born: date, today: date) -> bool:
    """Younger than the event's consent age on the day of registering."""
    return age_on(born, today) < event.guardian_consent_below_age


def age_range_text(event: Event) -> str | None:
    if event.min_age is not None and event.max_age is not None:
        return gettext("%(min)d to %(max)d years", min=event.min_age, max=event.max_age)
    if event.min_age is not None:
        return gettext("from %(min)d years", min=event.min_age)
    if event.max_age is not None:
        return gettext("up to %(max)d years", max=event.max_age)
    return None


def age_error(event: Event, born: date) -> str | None:
    """The message for someone outside the age range on the first day, if so."""
    age = age_on(born, first_day(event))
    too_young = event.min_age is not None and age < event.min_age
    too_old = event.max_age is not None and age > event.max_age
    if not (too_young or too_old):
        return None
    return gettext(
        "This event is for ages %(range)s (age on %(day)s).",
        range=age_range_text(event),
        day=day_text(first_day(event)),
    )
