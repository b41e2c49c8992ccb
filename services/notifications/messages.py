"""The shared machinery of the mails about a registration: each renders
email/<name>.txt and .html in the recipient's language and adds the message
to the outbox in the caller's transaction: a change that is rolled back
leaves no mail behind. The links in the mails, the calendar attachment, the
guardian's copy and the check-in code are made here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from flask import current_app, render_template
from sqlalchemy.orm import Session

from models import Event, OutboxMessage, Registration, RegistrationStatus, TokenPurpose
from services import tokens
from services.calendar import event_calendar
from services.links import external_url, mail_domain


def header_safe(text: str) -> str:
    """One line: CR, LF and other breaks in a header would start a new header."""
    return " ".join(text.split())


def _manage_url(session: Session, registration: Registration) -> str:
    raw = tokens.issue_manage(session, registration)
    return external_url("registration.manage", lang=registration.language, token=raw)


def _confirm_url(session: Session, registration: Registration) -> str:
    raw = tokens.issue(
        session, registration, TokenPurpose.CONFIRM_EMAIL, registration.event.ends_at
    )
    return external_url("registration.confirm", lang=registration.language, token=raw)


def _confirm_url_until_confirmed(session: Session, registration: Registration) -> str | None:
    """The link that confirms the address, while it is not confirmed yet."""
    return None if registration.email_confirmed_at else _confirm_url(session, registration)


def _consent_url(session: Session, registration: Registration) -> str:
    raw = tokens.issue(
        session, registration, TokenPurpose.GUARDIAN_CONSENT, registration.event.ends_at
    )
    return external_url("registration.consent", lang=registration.language, token=raw)


def _calendar(event: Event, lang: str) -> str:
    return event_calendar(
        event,
        title=event.text("title", lang),
        description=event.text("summary", lang),
        location=event.text("venue", lang),
        url=external_url("public.event_detail", lang=lang, slug=event.slug),
        domain=mail_domain(),
    ).decode()


def render_message(
    name: str, *, to: str, language: str, subject: str, ics: str | None = None, **context: object
) -> OutboxMessage:
    """An outbox row for the email `name`: email/<name>.txt and .html rendered
    inside the caller's force_locale. The caller adds it to the session."""
    context = {"city": current_app.config["CITY_NAME"], **context}
    return OutboxMessage(
        kind=name,
        language=language,
        recipient=to,
        subject=header_safe(subject),
        body_text=render_template(f"email/{name}.txt", **context),
        body_html=render_template(f"email/{name}.html", **context),
        ics=ics,
    )


People = Sequence[Registration] | None


def names(people: Iterable[Registration]) -> str:
    return ", ".join(person.full_name for person in people)


def _greeting_name(registration: Registration) -> str:
    """Whom the mail greets: the contact of a group, who may not take part."""
    group = registration.group
    if group is not None and group.contact_first_name:
        return group.contact_first_name
    return registration.first_name


def _queue(
    session: Session,
    name: str,
    registration: Registration,
    subject: str,
    *,
    to: str | None = None,
    with_calendar: bool = False,
    people: People = None,
    **context: object,
) -> OutboxMessage:
    """Queue the email `name` about a registration and its event; `people`
    are the participants of a group the one mail is about (the contact gets
    one mail for all of them, not one each)."""
    event = registration.event
    lang = registration.language
    people = list(people) if people else [registration]
    message = render_message(
        name,
        to=to or registration.email,
        language=lang,
        subject=subject,
        ics=_calendar(event, lang) if with_calendar else None,
        registration=registration,
        event=event,
        title=event.text("title", lang),
        event_url=external_url("public.event_detail", lang=lang, slug=event.slug),
        people=people,
        people_names=names(people),
        in_group=registration.group_id is not None,
        greeting_name=_greeting_name(registration),
        **context,
    )
    message.registration_id = registration.id
    session.add(message)
    return message


def _title(registration: Registration) -> str:
    return registration.event.text("title", registration.language)


def guardian_is_involved(registration: Registration) -> bool:
    """The guardian hears about a registration once they have been asked for
    consent, which is after the participant confirmed their address: the form
    cannot be used to send mail to strangers."""
    return bool(
        registration.needs_guardian_consent
        and registration.guardian_email
        and registration.email_confirmed_at
    )


def _to_guardian(
    session: Session,
    name: str,
    registration: Registration,
    subject: Callable[[str], str],
    people: People = None,
    **context: object,
) -> None:
    """The guardian's copy of a message about the registration (about the
    minors among `people` of a group), where they are involved; the personal
    page only for a guardian who has consented. `subject` is made from the
    minors' names."""
    minors = [person for person in (people or [registration]) if guardian_is_involved(person)]
    if not minors:
        return
    lead = minors[0]
    consented = lead.guardian_consented_at is not None
    _queue(
        session,
        name,
        lead,
        subject(names(minors)),
        to=lead.guardian_email,
        people=minors,
        manage_url=_manage_url(session, lead) if consented else None,
        **context,
    )


def _with_checkin_code(
    message: OutboxMessage, registration: Registration, people: People = None
) -> None:
    """The check-in code travels with the mail once the place is certain; a
    group's mail lists each participant's code as text instead."""
    if people and len(people) > 1:
        return
    if registration.status is RegistrationStatus.CONFIRMED and registration.checkin_code:
        message.qr_code = registration.checkin_code


ALREADY_REGISTERED = "already_registered"
