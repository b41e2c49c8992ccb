"""Demo content from the city's own pages (../shared/seeds), for `flask seed-demo`.

The 2025 Forumtheater workshop is shown as the city announced it: the source
gives the day, the venue, the ages and the deadline, but no time of day and no
number of places, so the demo claims neither. The upcoming edition repeats the
pattern relative to today so that registering can be tried at once, on a day
that is no public holiday in the city's state; its seats are a demo setting.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, EventStatus
from services.dates import day_text
from services.localtime import end_of_day, from_local

# The English name is a plain translation, as the English texts already call it.
VENUE = {"de": "Rostocker Rathaus", "en": "Rostock Town Hall"}

METHOD_DE = (
    "Entwickelt in den 1970er Jahren von Augusto Boal, umfasst das „Theater der Unterdrückten“ "
    "Methoden wie das Forumtheater, Zeitungstheater oder auch das unsichtbare Theater. Wir wollen "
    "diese Methode nutzen um die Jugendlichen zu motivieren, sich aktiv mit tagesaktuellen Themen "
    "wie "
    "Rassismus, Extremismus und Toleranz auseinander zu setzen und gemeinsam Lösungsansätze "
    "auszuprobieren und zu reflektieren. Die Veranstaltung wird in Kooperation mit dem "
    "Lehramtsstudiengang Theater / Darstellendes Spiel der hmt Rostock durchgeführt."
)
METHOD_EN = (
    "Developed by Augusto Boal in the 1970s, the “Theatre of the Oppressed” includes methods such "
    "as "
    "forum theatre, newspaper theatre and invisible theatre. We want to use this method to "
    "encourage "
    "young people to engage actively with current issues such as racism, extremism and tolerance, "
    "and "
    "to try out and reflect on solutions together. The workshop is run in cooperation with the "
    "theatre / drama teacher-training programme of the hmt Rostock (University of Music and "
    "Theatre)."
)
EMPOWERMENT_DE = (
    "Jugendliche erhalten die Möglichkeit, aus selbst erlebten realen Geschichten eigene Szenen zu "
    "entwickeln und in die Rolle verschiedener Charaktere zu schlüpfen. Das Forumtheater ist eine "
    "Methode des Empowerments, die benachteiligten Personen und Gruppen ermöglicht, ihre "
    "Interessen zu "
    "artikulieren und dafür einzustehen. Es fördert die Bewusstseinsbildung und Sensibilisierung "
    "für "
    "soziale Konflikte sowie Machtverhältnisse und Friedensförderung."
)
EMPOWERMENT_EN = (
    "Young people get the chance to develop their own scenes from real stories they have lived "
    "through and to slip into the roles of different characters. Forum theatre is a method of "
    "empowerment that enables disadvantaged people and groups to voice their interests and to "
    "stand "
    "up for them. It raises awareness of social conflicts and power relations and promotes peace."
)


def _texts(day: date, closes: date, *, first_edition: bool) -> dict[str, dict[str, str]]:
    # As the city writes them in German ("19.09.2025"); in English as the site shows dates.
    day_de, closes_de = day_text(day, "short", "de"), day_text(closes, "short", "de")
    day_en, closes_en = day_text(day, "long", "en"), day_text(closes, "long", "en")
    if first_edition:
        opening_de = (
            "Anlässlich des Internationalen Tag des Friedens findet im Rostocker Rathaus am "
            f"{day_de} erstmals ein Forumtheater-Workshop statt. "
        )
        opening_en = (
            "To mark the International Day of Peace, Rostock Town Hall hosts a forum theatre "
            f"workshop for the first time on {day_en}. "
        )
    else:
        opening_de = f"Im Rostocker Rathaus findet am {day_de} ein Forumtheater-Workshop statt. "
        opening_en = f"Rostock Town Hall hosts a forum theatre workshop on {day_en}. "
    return {
        "de": {
            "title": "Workshop Forumtheater",
            "venue": VENUE["de"],
            "summary": (
                f"Forumtheater-Workshop für Jugendliche zwischen 14 und 18 Jahren am {day_de} im "
                f"Rostocker Rathaus. Die Teilnahme ist kostenlos, Anmeldung bis zum {closes_de}."
            ),
            "description": "\n\n".join(
                [
                    opening_de + EMPOWERMENT_DE,
                    METHOD_DE,
                    "Eingeladen sind alle Jugendlichen zwischen 14-18 Jahren. Die Teilnahme ist "
                    "kostenlos "
                    f"und eine Anmeldung bis zum {closes_de} möglich.",
                ]
            ),
        },
        "en": {
            "title": "Forum theatre workshop",
            "venue": VENUE["en"],
            "summary": (
                f"A forum theatre workshop for young people aged 14 to 18 on {day_en} at Rostock "
                f"Town Hall. Free of charge; register by {closes_en}."
            ),
            "description": "\n\n".join(
                [
                    opening_en + EMPOWERMENT_EN,
                    METHOD_EN,
                    "All young people aged 14 to 18 are invited. Taking part is free of charge; "
                    f"registration is open until {closes_en}.",
                ]
            ),
        },
    }


def _workshop(
    slug: str, day: date, closes: date, *, first_edition: bool, capacity: int | None
) -> Event:
    event = Event(
        slug=slug,
        starts_at=from_local(datetime.combine(day, time(0, 0))),
        ends_at=end_of_day(day),
        has_start_time=False,
        registration_closes_at=end_of_day(closes),
        min_age=14,
        max_age=18,
        capacity=capacity,
        has_waitlist=capacity is not None,
        guardian_consent_below_age=16,
        status=EventStatus.PUBLISHED,
    )
    for lang, fields in _texts(day, closes, first_edition=first_edition).items():
        event.set_text(lang, **fields)
    return event


def friday_on_or_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def public_holidays(state: str, *years: int) -> holidays.HolidayBase:
    """Germany's public holidays in `state` (e.g. "MV"), federal ones included."""
    return holidays.country_holidays("DE", subdiv=state, years=years)


def upcoming_dates(today: date, state: str) -> tuple[date, date]:
    """The upcoming edition's day and registration deadline: the first Friday
    at least three weeks ahead that is no public holiday in `state` (no
    workshop on Christmas Day or Good Friday), and the deadline a week
    before, moved back to the working day before it where that is a holiday
    (the office answers questions up to the deadline)."""
    closed = public_holidays(state, today.year, today.year + 1)
    day = friday_on_or_after(today + timedelta(days=21))
    while day in closed:
        day = friday_on_or_after(day + timedelta(days=1))
    deadline = day - timedelta(days=7)
    while deadline in closed or deadline.weekday() >= 5:
        deadline -= timedelta(days=1)
    return day, deadline


def demo_events(today: date, state: str) -> list[Event]:
    """The 2025 workshop as announced (a Friday, registration closing a week
    before), and the same pattern on the first free Friday three weeks ahead."""
    upcoming_day, closes = upcoming_dates(today, state)
    return [
        _workshop(
            "forumtheater-2025",
            date(2025, 9, 19),
            date(2025, 9, 12),
            first_edition=True,
            capacity=None,
        ),
        _workshop(
            "forumtheater",
            upcoming_day,
            closes,
            first_edition=False,
            capacity=20,
        ),
    ]


def seed_events(session: Session, today: date, state: str) -> list[str]:
    """Add the demo events that are missing, the upcoming one on a day that is
    no public holiday in `state`; returns the slugs added."""
    existing = set(session.scalars(select(Event.slug)))
    added = [event for event in demo_events(today, state) if event.slug not in existing]
    session.add_all(added)
    return [event.slug for event in added]
