"""The door list (`/admin/events/<id>/door-list.pdf`): everyone with a place,
on paper, for when the network fails at the door. Personal data, so each
download is recorded in the audit log like an export, before it leaves."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Event, Registration, RegistrationStatus, User
from models.base import utcnow
from models.registration import SEAT_HOLDING
from services import audit
from services.dates import moment_text
from services.door import ADULT_AGE, Person, person
from services.folding import fold
from services.locking import begin_writing
from services.pdfs import FONT, MUTED, OfficePdf

FORMAT = "door_list_pdf"
TICK_BOX = "☐"
CHECKED = "☑"


@dataclass(frozen=True)
class DoorList:
    event: Event
    people: list[Person]


def door_list(session: Session, event: Event) -> DoorList:
    """Everyone with a place, by last and first name as people say them."""
    registrations = session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status.in_(SEAT_HOLDING)
        )
    ).all()
    people = [person(r) for r in registrations]
    people.sort(
        key=lambda p: (
            fold(p.registration.last_name),
            fold(p.registration.first_name),
            p.registration.id,
        )
    )
    return DoorList(event, people)


def record_download(session: Session, actor: User, event: Event) -> DoorList:
    """Record the download in the audit log and commit; the list as recorded.
    A GET: the write lock is taken first."""
    begin_writing(session)
    listed = door_list(session, event)
    audit.record(
        session,
        actor,
        "participants.export",
        event_id=event.id,
        row_count=len(listed.people),
        format=FORMAT,
    )
    session.commit()
    return listed


def _consents(p: Person) -> str:
    r = p.registration
    words = [
        gettext("Photos: %(answer)s", answer=gettext("yes") if r.photo_consent else gettext("no"))
    ]
    if r.needs_guardian_consent:
        words.append(
            gettext("Guardian consent is missing")
            if p.consent_missing
            else gettext("Guardian consent given")
        )
    return "\n".join(words)


def pdf(listed: DoorList, lang: str) -> bytes:
    """The list as an A4 PDF in the staff member's language."""
    event = listed.event
    office = gettext("International Office of %(city)s", city=current_app.config["CITY_NAME"])
    title = gettext("Door list: %(title)s", title=event.text("title", lang))
    document = OfficePdf(
        office=office,
        title=title,
        footer_text=gettext(
            "Personal data: keep safe and destroy after the event. Printed %(when)s",
            when=moment_text(utcnow(), "short", lang),
        ),
    )
    document.set_lang(lang)
    document.add_page()
    document.set_font(FONT, "B", 16)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "", 10)
    document.set_text_color(*MUTED)
    when = moment_text(event.starts_at, "long", lang)
    document.multi_cell(
        0, 5, f"{when} · {event.text('venue', lang)}", new_x="LMARGIN", new_y="NEXT"
    )
    document.cell(
        0,
        5,
        gettext("%(count)d people with a place", count=len(listed.people)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.set_text_color(0, 0, 0)
    document.ln(3)
    headings = (
        gettext("In"),
        gettext("Name"),
        gettext("Age"),
        gettext("Phone (of the guardian for minors)"),
        gettext("Consents"),
        gettext("Check-in code"),
    )
    document.set_font(FONT, "", 9)
    with document.table(
        col_widths=(8, 46, 26, 34, 36, 24),
        line_height=5,
        text_align=("CENTER", "LEFT", "CENTER", "LEFT", "LEFT", "LEFT"),
        repeat_headings=1,
    ) as table:
        head = table.row()
        for heading in headings:
            head.cell(heading)
        for p in listed.people:
            r = p.registration
            name = f"{r.last_name}, {r.first_name}"
            if r.status is RegistrationStatus.PENDING:
                name += "\n" + gettext("(not confirmed)")
            age = "" if p.age is None else str(p.age)
            if p.age is not None and p.age < ADULT_AGE:
                age = gettext("%(age)d (minor)", age=p.age)
            row = table.row()
            row.cell(CHECKED if r.checked_in_at else TICK_BOX)
            row.cell(name)
            row.cell(age)
            row.cell(r.phone or "")
            row.cell(_consents(p))
            row.cell(r.checkin_code or "")
    return document.output_bytes()
