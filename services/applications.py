"""Support applications from clubs: the three-month rule, submission, the
staff workflow with an email to the applicant at each step, the staff list
and the audit of its export.

Workflow: submitted → in_review → approved | declined, and also
submitted → declined, for an application that plainly cannot be supported
(no partner city involved, too late) and needs no review. Nothing is
approved without a review, and approved and declined are final.
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import force_locale, format_currency, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models import ApplicationStatus, City, Network, SupportApplication, User
from services import audit, locking
from services.dates import day_text
from services.labels import APPLICATION_STATUSES
from services.localtime import local_date
from services.notifications import render_message
from services.refusals import Refused

MONTHS_AHEAD = 3
MAX_AMOUNT = Decimal("99999999.99")  # the column holds ten digits, two of them cents

S = ApplicationStatus
TRANSITIONS: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    S.SUBMITTED: (S.IN_REVIEW, S.DECLINED),
    S.IN_REVIEW: (S.APPROVED, S.DECLINED),
    S.APPROVED: (),
    S.DECLINED: (),
}
# The email the applicant gets when an application reaches each status.
MESSAGES = {
    S.SUBMITTED: ("application_received", _l("We have received your application: %(title)s")),
    S.IN_REVIEW: ("application_in_review", _l("Your application is being reviewed: %(title)s")),
    S.APPROVED: ("application_approved", _l("Your application has been approved: %(title)s")),
    S.DECLINED: ("application_declined", _l("Decision on your application: %(title)s")),
}
PARTNER_GROUPS = ("partner", "friendship", "network")  # the order they are offered in


class ApplicationRefused(Refused):
    """A rule of applying for support says no."""


class ApplicationNotFound(LookupError):
    """No application has this id."""


class TransitionRefused(Refused):
    """The workflow does not allow this step; `message` tells staff why."""


@dataclass(frozen=True)
class ApplicationData:
    """What a club typed into the application form, already well-formed."""

    organisation: str
    contact_name: str
    email: str
    partner_key: str
    project_title: str
    description: str
    starts_on: date
    ends_on: date
    amount_requested: Decimal
    language: str
    privacy_consent_text: str
    phone: str | None = None


@dataclass(frozen=True)
class PartnerOption:
    """A partner city, befriended city or network one can apply for."""

    key: str  # "city:<slug>" or "network:<slug>"
    name: str
    group: str  # one of PARTNER_GROUPS


# --- the rules ---------------------------------------------------------------


def earliest_start(submitted_on: date) -> date:
    """Three calendar months after `submitted_on`, on the month's last day
    where that month is shorter (30.11. → 28.02., or 29.02. in leap years)."""
    months = submitted_on.month - 1 + MONTHS_AHEAD
    year, month = submitted_on.year + months // 12, months % 12 + 1
    return date(year, month, min(submitted_on.day, calendar.monthrange(year, month)[1]))


def start_error(starts_on: date, today: date) -> str | None:
    earliest = earliest_start(today)
    if starts_on >= earliest:
        return None
    return gettext(
        "Applications must be made at least three months before the project starts: "
        "the project can start on %(date)s at the earliest.",
        date=day_text(earliest),
    )


def end_error(starts_on: date, ends_on: date) -> str | None:
    if ends_on >= starts_on:
        return None
    return gettext("The project cannot end before it starts.")


def amount_error(amount: Decimal) -> str | None:
    if not amount.is_finite():
        return gettext("Please enter an amount in euros, e.g. 1234.50.")
    if amount < 0:
        return gettext("The amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return gettext(
            "Please check the amount: it cannot be more than %(max)s.",
            max=format_currency(MAX_AMOUNT, "EUR"),
        )
    if amount.normalize().as_tuple().exponent < -2:  # 12.50 and 12.500 are fine, 12.505 is not
        return gettext("Please give at most two decimal places (cents).")
    return None


def application_errors(data: ApplicationData, today: date) -> dict[str, str]:
    """Field errors from the rules on dates and the amount."""
    errors = {
        "starts_on": start_error(data.starts_on, today),
        "ends_on": end_error(data.starts_on, data.ends_on),
        "amount_requested": amount_error(data.amount_requested),
    }
    return {name: message for name, message in errors.items() if message}


# --- the directory, read only -------------------------------------------------


def _sort_key(option: PartnerOption) -> tuple[int, str]:
    name = unicodedata.normalize("NFKD", option.name.casefold())
    return PARTNER_GROUPS.index(option.group), "".join(
        c for c in name if not unicodedata.combining(c)
    )


def partner_options(session: Session, lang: str) -> list[PartnerOption]:
    """Every partner city, befriended city and network, named in `lang`."""
    options = [
        PartnerOption(
            f"city:{city.slug}", city.text("name", lang) or city.slug, city.relation.value
        )
        for city in session.scalars(select(City))
    ]
    options += [
        PartnerOption(
            f"network:{network.slug}", network.text("name", lang) or network.slug, "network"
        )
        for network in session.scalars(select(Network))
    ]
    return sorted(options, key=_sort_key)


def find_partner(session: Session, key: str, lang: str) -> PartnerOption | None:
    """The directory entry named by "city:<slug>" or "network:<slug>"."""
    kind, _, slug = key.partition(":")
    if kind == "city" and (city := session.scalar(select(City).where(City.slug == slug))):
        return PartnerOption(key, city.text("name", lang) or slug, city.relation.value)
    if kind == "network" and (
        network := session.scalar(select(Network).where(Network.slug == slug))
    ):
        return PartnerOption(key, network.text("name", lang) or slug, "network")
    return None


# --- submission and workflow --------------------------------------------------


def submit(session: Session, data: ApplicationData, now: datetime) -> SupportApplication:
    """Store the application, queue the applicant's confirmation, and commit.

    The submission day is the city's calendar day at `now`. Raises
    ApplicationRefused when a rule says no; then nothing is stored.
    """
    try:
        partner = find_partner(session, data.partner_key, data.language)
        with force_locale(data.language):  # the applicant's language, also outside a request
            errors = application_errors(data, local_date(now))
            if partner is None:
                errors["partner"] = gettext(
                    "Please choose the partner city or network of your project."
                )
        if errors:
            raise ApplicationRefused(errors)
        application = SupportApplication(
            status=S.SUBMITTED,
            language=data.language,
            organisation=data.organisation,
            contact_name=data.contact_name,
            email=data.email,
            phone=data.phone or None,
            partner_key=partner.key,
            partner_name=partner.name,
            project_title=data.project_title,
            description=data.description,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            amount_requested=data.amount_requested.quantize(Decimal("0.01")),
            privacy_consent_at=now,
            privacy_consent_text=data.privacy_consent_text,
            created_at=now,
            updated_at=now,
        )
        session.add(application)
        session.flush()
        _notify(session, application)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return application


def next_statuses(status: ApplicationStatus) -> tuple[ApplicationStatus, ...]:
    return TRANSITIONS[status]


def change_status(
    session: Session,
    application_id: int,
    new_status: ApplicationStatus,
    note: str | None,
    actor: User,
    now: datetime,
) -> SupportApplication:
    """Move the application one step on, email the applicant (with the note,
    if any), record it in the audit log, and commit. A note replaces the
    stored staff_note; the audit log keeps every one. The row is locked, so
    two staff members cannot take the same step twice."""
    application = locking.lock_one(session, SupportApplication, application_id)
    try:
        if application is None:
            raise ApplicationNotFound(application_id)
        previous = application.status
        if new_status not in TRANSITIONS[previous]:
            raise TransitionRefused(_refusal(previous, new_status))
        note = (note or "").strip() or None
        application.status = new_status
        application.updated_at = now
        if note:
            application.staff_note = note
        if not TRANSITIONS[new_status]:
            application.decided_by_id = actor.id
        _notify(session, application, note)
        audit.record(
            session,
            actor,
            "application.status",
            target=f"application:{application.id}",
            note=note,
            **{"from": previous.value, "to": new_status.value},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return application


def _refusal(current: ApplicationStatus, wanted: ApplicationStatus) -> str:
    if current is wanted:
        return gettext(
            "This application is already %(status)s.", status=APPLICATION_STATUSES[current]
        )
    if not TRANSITIONS[current]:
        return gettext(
            "This application is %(status)s; that decision is final.",
            status=APPLICATION_STATUSES[current],
        )
    return gettext(
        "An application that is %(current)s cannot become %(wanted)s; it can become: %(allowed)s.",
        current=APPLICATION_STATUSES[current],
        wanted=APPLICATION_STATUSES[wanted],
        allowed=", ".join(str(APPLICATION_STATUSES[s]) for s in TRANSITIONS[current]),
    )


def _notify(session: Session, application: SupportApplication, note: str | None = None) -> None:
    """Queue the email for the application's status, in its language."""
    name, subject = MESSAGES[application.status]
    with force_locale(application.language):
        session.add(
            render_message(
                name,
                to=application.email,
                language=application.language,
                subject=str(subject) % {"title": application.project_title},
                application=application,
                starts_on=day_text(application.starts_on),
                ends_on=day_text(application.ends_on),
                amount=format_currency(application.amount_requested, "EUR"),
                note=note,
            )
        )


# --- the staff list and its export (the table: services/exports.py) ------------


def listing_query(
    status: ApplicationStatus | None = None, partner_key: str | None = None
) -> Select[Any]:
    """Applications, newest first, optionally of one status and one partner."""
    query = select(SupportApplication).order_by(
        SupportApplication.created_at.desc(), SupportApplication.id.desc()
    )
    if status is not None:
        query = query.where(SupportApplication.status == status)
    if partner_key:
        query = query.where(SupportApplication.partner_key == partner_key)
    return query


def partners_applied_for(session: Session) -> list[tuple[str, str]]:
    """(key, name) of every partner named in some application, by name."""
    name = func.max(SupportApplication.partner_name)
    rows = session.execute(
        select(SupportApplication.partner_key, name).group_by(SupportApplication.partner_key)
    )
    return sorted(((key, label) for key, label in rows), key=lambda row: row[1].casefold())


def record_export(session: Session, actor: User, query: Select[Any], **filters: str) -> int:
    """Record one export in the audit log and commit, before the first byte
    leaves; the row count. Exports are GETs: the write lock is taken here."""
    locking.begin_writing(session)
    rows = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    audit.record(session, actor, "applications.export", row_count=rows, format="xlsx", **filters)
    session.commit()
    return rows
