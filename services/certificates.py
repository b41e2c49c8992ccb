"""Certificates of attendance (Teilnahmebestätigung): a PDF a school or an
employer accepts, for a participant who was checked in, once the event is
over; and the mail after the event that offers it.

The certificate names the person, the event, its date(s), time and length
in hours, the place, and the office and city that issue it. It carries no
signature line to fill in: it is issued by machine and says so.
"""

from __future__ import annotations

from datetime import datetime

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import force_locale, get_locale, gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, Registration
from models.registration import SEAT_HOLDING
from services import notifications
from services.dates import day_text, time_text
from services.localtime import local_date
from services.locking import lock_rows
from services.pdfs import ACCENT, FONT, MUTED, OfficePdf


def is_available(registration: Registration, now: datetime) -> bool:
    """Checked in, with a place, the event over, the data not yet anonymised."""
    return (
        registration.checked_in_at is not None
        and registration.status in SEAT_HOLDING
        and registration.event.ends_at <= now
        and registration.anonymised_at is None
    )


def hours(event: Event) -> float:
    """The event's length in hours, to the quarter hour."""
    return round((event.ends_at - event.starts_at).total_seconds() / 900) / 4


def _hours_text(event: Event) -> str:
    length = hours(event)
    shown = format_decimal(length, format="#,##0.##", locale=str(get_locale() or "de"))
    # "1 hour", "1.5 hours": only exactly one is singular.
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if length == 1 else 2, hours=shown)


def _when(event: Event, lang: str) -> str:
    first, last = local_date(event.starts_at), local_date(event.ends_at)
    if first == last:
        day = day_text(event.starts_at, "long", lang)
        if not event.has_start_time:
            return day
        return gettext(
            "on %(day)s from %(start)s to %(end)s",
            day=day,
            start=time_text(event.starts_at, lang),
            end=time_text(event.ends_at, lang),
        )
    return gettext(
        "from %(first)s to %(last)s",
        first=day_text(event.starts_at, "long", lang),
        last=day_text(event.ends_at, "long", lang),
    )


def pdf(registration: Registration, lang: str, now: datetime) -> bytes:
    """The certificate as an A4 PDF in `lang` (the caller's locale)."""
    event = registration.event
    city = current_app.config["CITY_NAME"]
    office = gettext("International Office of %(city)s", city=city)
    title = gettext("Certificate of attendance")
    document = OfficePdf(
        office=office,
        title=f"{title}: {registration.full_name}",
        footer_text=gettext(
            "Issued by machine by the International Office of %(city)s; valid without signature.",
            city=city,
        ),
    )
    document.set_lang(lang)
    document.set_auto_page_break(auto=False)
    document.add_page()
    document.set_y(60)
    document.set_font(FONT, "B", 26)
    document.set_text_color(*ACCENT)
    document.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(0, 0, 0)
    document.ln(10)
    document.set_font(FONT, "", 13)
    document.multi_cell(
        0, 7, gettext("We hereby confirm that"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    document.ln(4)
    document.set_font(FONT, "B", 20)
    document.multi_cell(0, 10, registration.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font(FONT, "", 13)
    document.multi_cell(
        0,
        7,
        gettext("took part in the event"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(4)
    document.set_font(FONT, "B", 16)
    document.multi_cell(
        0,
        9,
        f"„{event.text('title', lang)}“" if lang == "de" else f"“{event.text('title', lang)}”",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(4)
    document.set_font(FONT, "", 13)
    facts = [
        _when(event, lang),
        gettext("Length: %(hours)s", hours=_hours_text(event)),
        gettext("Place: %(venue)s", venue=event.text("venue", lang)),
    ]
    for line in facts:
        document.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(14)
    document.set_font(FONT, "", 12)
    document.multi_cell(
        0,
        7,
        gettext(
            "The event was organised by the International Office of the city of %(city)s.",
            city=city,
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(16)
    document.set_font(FONT, "", 12)
    document.cell(
        0,
        7,
        gettext("%(city)s, %(day)s", city=city, day=day_text(now, "long", lang)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.set_font(FONT, "B", 12)
    document.cell(0, 7, office, new_x="LMARGIN", new_y="NEXT")
    if address := current_app.config.get("OFFICE_ADDRESS"):
        document.set_font(FONT, "", 10)
        document.set_text_color(*MUTED)
        document.multi_cell(0, 5, address, new_x="LMARGIN", new_y="NEXT")
    return document.output_bytes()


def offer_due(session: Session, now: datetime) -> int:
    """Mail everyone checked in at an event that has ended the link to their
    certificate, once: marked in the transaction that queues the mail."""
    due = (
        select(Registration)
        .join(Event)
        .where(
            Registration.checked_in_at.is_not(None),
            Registration.status.in_(SEAT_HOLDING),
            Registration.certificate_offered_at.is_(None),
            Registration.anonymised_at.is_(None),
            Event.ends_at <= now,
        )
        .order_by(Registration.id)
    )
    if session.scalar(due.with_only_columns(Registration.id).limit(1)) is None:
        session.rollback()
        return 0
    offered = 0
    for registration in lock_rows(session, due):
        registration.certificate_offered_at = now
        with force_locale(registration.language):
            notifications.certificate_available(session, registration)
        offered += 1
    session.commit()
    return offered
