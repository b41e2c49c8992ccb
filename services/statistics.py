"""Figures for the office's reports to its funders: per event and per year.

Everything is counted from the registrations, which the retention rule
keeps (it clears the personal data, not the rows): status, time of
registering, check-in, and the age on the event's first day, which it
writes down before it removes the date of birth. So the figures of an
event are the same before and after its participants are anonymised.
Registrations are counted by status, pending ones included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import City, Event, EventStatus, Network, Registration, RegistrationStatus
from models.registration import SEAT_HOLDING
from services.ages import age_on, first_day
from services.localtime import from_local, local_date
from services.participants import STATUSES

# Ages as reported: each year of the workshops' range, the rest gathered.
AGE_BANDS = ("≤ 13", "14", "15", "16", "17", "18", "19–26", "≥ 27")
UNKNOWN = "?"


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    if age <= 13:
        return AGE_BANDS[0]
    if age <= 18:
        return str(age)
    return AGE_BANDS[6] if age <= 26 else AGE_BANDS[7]


@dataclass(frozen=True)
class Figures:
    """One event's figures, or a year's over several events."""

    by_status: dict[RegistrationStatus, int]
    by_age: dict[str, int]
    # Registrations made per day, counted up: how fast the event filled.
    over_time: list[tuple[date, int]]
    waitlisted: int
    with_place: int
    checked_in: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def attendance_rate(self) -> float | None:
        """Checked in of those with a place; None before anyone could come."""
        return self.checked_in / self.with_place if self.with_place else None


def _age(registration: Registration, event: Event) -> int | None:
    if registration.date_of_birth is not None:
        return age_on(registration.date_of_birth, first_day(event))
    return registration.age_at_event


def _figures(registrations: list[tuple[Registration, Event]]) -> Figures:
    statuses = Counter(r.status for r, _ in registrations)
    ages = Counter(
        age_band(_age(r, e))
        for r, e in registrations
        if r.status is not RegistrationStatus.CANCELLED
    )
    days = Counter(local_date(r.created_at) for r, _ in registrations)
    running, over_time = 0, []
    for day in sorted(days):
        running += days[day]
        over_time.append((day, running))
    with_place = [r for r, _ in registrations if r.status in SEAT_HOLDING]
    return Figures(
        by_status={status: statuses.get(status, 0) for status in STATUSES},
        by_age={band: ages[band] for band in (*AGE_BANDS, UNKNOWN) if ages.get(band)},
        over_time=over_time,
        waitlisted=statuses.get(RegistrationStatus.WAITLISTED, 0),
        with_place=len(with_place),
        checked_in=sum(1 for r in with_place if r.checked_in_at is not None),
    )


def event_figures(session: Session, event: Event) -> Figures:
    registrations = session.scalars(
        select(Registration).where(Registration.event_id == event.id)
    ).all()
    return _figures([(r, event) for r in registrations])


@dataclass(frozen=True)
class MonthRow:
    month: int
    events: int
    registrations: int
    with_place: int
    checked_in: int


@dataclass(frozen=True)
class PartnerRow:
    """The year's events that belong to one partner city or network."""

    kind: str  # "city" or "network"
    record: City | Network
    events: int
    registrations: int
    checked_in: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    figures: Figures
    months: list[MonthRow]
    events: list[tuple[Event, Figures]]
    partners: list[PartnerRow] = field(default_factory=list)


def _partner_rows(per_event: list[tuple[Event, Figures]]) -> list[PartnerRow]:
    """Per partner city and per network, for the events that name one."""
    groups: dict[tuple[str, int], list[tuple[Event, Figures]]] = {}
    records: dict[tuple[str, int], City | Network] = {}
    for event, figures in per_event:
        for kind, record in (("city", event.city), ("network", event.network)):
            if record is not None:
                groups.setdefault((kind, record.id), []).append((event, figures))
                records[(kind, record.id)] = record
    return [
        PartnerRow(
            kind,
            records[(kind, record_id)],
            len(rows),
            sum(f.total for _, f in rows),
            sum(f.checked_in for _, f in rows),
        )
        for (kind, record_id), rows in sorted(groups.items())
    ]


def year_figures(session: Session, year: int, event_ids: list[int] | None = None) -> YearFigures:
    """The year's events that took place or are planned (not drafts), by the
    month they start in; `event_ids` limits it to an organiser's own."""
    # The year in the city's calendar: an event at 23:30 on New Year's Eve
    # belongs to the old year, though it starts in the new one in UTC.
    begins, ends = from_local(datetime(year, 1, 1)), from_local(datetime(year + 1, 1, 1))
    query = select(Event).where(
        Event.starts_at >= begins, Event.starts_at < ends, Event.status != EventStatus.DRAFT
    )
    if event_ids is not None:
        query = query.where(Event.id.in_(event_ids))
    events = sorted(session.scalars(query).all(), key=lambda e: e.starts_at)
    by_event: dict[int, list[Registration]] = {e.id: [] for e in events}
    if events:
        for registration in session.scalars(
            select(Registration).where(Registration.event_id.in_(list(by_event)))
        ):
            by_event[registration.event_id].append(registration)
    per_event = [(e, _figures([(r, e) for r in by_event[e.id]])) for e in events]
    months = []
    for month in range(1, 13):
        of_month = [f for e, f in per_event if local_date(e.starts_at).month == month]
        months.append(
            MonthRow(
                month,
                len(of_month),
                sum(f.total for f in of_month),
                sum(f.with_place for f in of_month),
                sum(f.checked_in for f in of_month),
            )
        )
    everything = _figures([(r, e) for e in events for r in by_event[e.id]])
    return YearFigures(year, everything, months, per_event, _partner_rows(per_event))
