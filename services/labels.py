"""The words staff read for the codes the app stores: one mapping per kind of
code, used by staff pages and exports alike, in the reader's language.

A code without a label (a new one, or an old one no longer made) is shown as
it is rather than failing the page; tests check that every code the app
makes has its label.
"""

from __future__ import annotations

import enum
import re

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from models import (
    ApplicationStatus,
    EventStatus,
    NewsStatus,
    OutboxStatus,
    QuestionKind,
    RegistrationStatus,
    Relation,
    Role,
)
from services.dates import current_language

ROLES = {
    Role.ADMIN: _l("Admin"),
    Role.ORGANISER: _l("Organiser"),
    Role.EDITOR: _l("Editor"),
}
# In the order of a registration's life, as the participants page lists them.
REGISTRATION_STATUSES = {
    RegistrationStatus.PENDING: _l("Pending"),
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("Waitlist"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.EXPIRED: _l("Expired"),
}
EVENT_STATUSES = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
}
# Lower case: they are also used inside sentences ("The application is now approved").
APPLICATION_STATUSES = {
    ApplicationStatus.SUBMITTED: _l("submitted"),
    ApplicationStatus.IN_REVIEW: _l("in review"),
    ApplicationStatus.APPROVED: _l("approved"),
    ApplicationStatus.DECLINED: _l("declined"),
}
OUTBOX_STATUSES = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.RETRY: _l("Waiting for retry"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
}
NEWS_STATUSES = {
    NewsStatus.DRAFT: _l("Draft"),
    NewsStatus.PUBLISHED: _l("Published"),
}
RELATIONS = {
    Relation.PARTNER: _l("Partner city"),
    Relation.FRIENDSHIP: _l("Befriended city"),
}
QUESTION_KINDS = {
    QuestionKind.TEXT: _l("Text"),
    QuestionKind.CHOICE: _l("One choice"),
    QuestionKind.MULTIPLE: _l("Several choices"),
    QuestionKind.YES_NO: _l("Yes or no"),
}
BY_ENUM: dict[type[enum.Enum], dict] = {
    Role: ROLES,
    RegistrationStatus: REGISTRATION_STATUSES,
    EventStatus: EVENT_STATUSES,
    ApplicationStatus: APPLICATION_STATUSES,
    OutboxStatus: OUTBOX_STATUSES,
    NewsStatus: NEWS_STATUSES,
    Relation: RELATIONS,
    QuestionKind: QUESTION_KINDS,
}

# The kind of an outbox message: the name of its email template.
MAIL_KINDS = {
    "certificate_available": _l("Certificate of attendance offered"),
    "confirm_email": _l("Confirm the email address"),
    "waitlisted": _l("On the waitlist"),
    "already_registered": _l("Already registered"),
    "guardian_consent_request": _l("Guardian's consent asked for"),
    "guardian_confirmed": _l("Registration confirmed (to the guardian)"),
    "guardian_promoted": _l("Place from the waitlist (to the guardian)"),
    "guardian_cancelled": _l("Registration cancelled (to the guardian)"),
    "registration_confirmed": _l("Registration confirmed"),
    "promoted": _l("Place from the waitlist"),
    "registration_cancelled": _l("Registration cancelled"),
    "reminder": _l("Reminder"),
    "pending_expired": _l("Registration expired"),
    "event_cancelled": _l("Event cancelled"),
    "staff_message": _l("Message from the organisers"),
    "removed_by_organiser": _l("Removed by the organisers"),
    "application_received": _l("Application received"),
    "application_in_review": _l("Application in review"),
    "application_approved": _l("Application approved"),
    "application_declined": _l("Application declined"),
    "password_reset": _l("Link to reset the password"),
}

# What an audit entry records (its `action`).
AUDIT_ACTIONS = {
    "event.create": _l("Event created"),
    "event.update": _l("Event changed"),
    "event.cancel": _l("Event cancelled"),
    "participants.export": _l("Participant list exported"),
    "participants.message": _l("Message to participants sent"),
    "registration.check_in": _l("Checked in"),
    "registration.check_in_undone": _l("Check-in undone"),
    "registration.promote": _l("Given a place from the waitlist"),
    "registration.remove": _l("Registration removed"),
    "application.status": _l("Application status changed"),
    "applications.export": _l("Applications exported"),
    "news.create": _l("Announcement created"),
    "news.update": _l("Announcement changed"),
    "city.create": _l("City added"),
    "city.update": _l("City changed"),
    "network.create": _l("Network added"),
    "network.update": _l("Network changed"),
    "category.create": _l("Category added"),
    "category.update": _l("Category changed"),
    "staff.create": _l("Staff account added"),
    "staff.role_change": _l("Role changed"),
    "staff.enable": _l("Account enabled"),
    "staff.disable": _l("Account disabled"),
    "staff.two_factor_reset": _l("Two-factor sign-in reset by an admin"),
    "outbox.retry": _l("Email queued again"),
    "retention.purge": _l("Personal data anonymised"),
    "account.locked": _l("Sign-in locked after failed attempts"),
    "account.password_change": _l("Own password changed"),
    "account.password_reset_request": _l("Password reset link sent"),
    "account.password_reset": _l("Password reset with the emailed link"),
    "account.two_factor_on": _l("Two-factor sign-in switched on"),
    "account.two_factor_off": _l("Two-factor sign-in switched off"),
    "account.recovery_code_used": _l("Signed in with a recovery code"),
    "question.create": _l("Registration question added"),
    "question.update": _l("Registration question changed"),
    "question.remove": _l("Registration question removed"),
}
# The first part of an action, for the audit log's filter.
AUDIT_AREAS = {
    "event": _l("Events"),
    "participants": _l("Participant lists"),
    "registration": _l("Registrations"),
    "application": _l("Support applications"),
    "applications": _l("Support application exports"),
    "news": _l("News"),
    "city": _l("Partner cities"),
    "network": _l("Networks"),
    "category": _l("Categories"),
    "staff": _l("Staff accounts"),
    "outbox": _l("Mail outbox"),
    "retention": _l("Retention"),
    "account": _l("Sign-in"),
    "question": _l("Registration questions"),
}

# "<kind>:<id>" targets of audit entries, and the kinds of partner keys.
TARGET_KINDS = {
    "user": _l("Staff account %(id)s"),
    "application": _l("Application %(id)s"),
    "outbox": _l("Message %(id)s"),
    "registration": _l("Registration %(id)s"),
    "question": _l("Question %(id)s"),
}
PARTNER_KINDS = {"city": _l("City"), "network": _l("Network")}
TARGET = re.compile(r"([a-z_]+):(\d+)\Z")

# Who came to an event (services.participants CAME, NO_SHOW).
ATTENDANCE = {"came": _l("Came (checked in)"), "no_show": _l("Had a place but did not come")}

EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "door_list_pdf": _l("Door list (PDF)")}


def label(value: enum.Enum | None) -> str:
    """The word for a state or role: `{{ user.role|label }}`."""
    if value is None:
        return ""
    names = BY_ENUM.get(type(value), {})
    return str(names.get(value, value.value))


def _named(names: dict[str, LazyString], code: str | None) -> str:
    if code is None:
        return ""
    return str(names.get(code, code))


def mail_kind(code: str | None) -> str:
    return _named(MAIL_KINDS, code)


def audit_action(code: str | None) -> str:
    return _named(AUDIT_ACTIONS, code)


def audit_target(target: str | None) -> str:
    """A target such as "user:3" as "Staff account 3"; slugs and anything
    else as they are."""
    if not target:
        return ""
    match = TARGET.match(target)
    if match is None or match.group(1) not in TARGET_KINDS:
        return target
    return str(TARGET_KINDS[match.group(1)]) % {"id": match.group(2)}


def partner_kind(key: str | None) -> str:
    """What a support application's "city:<slug>" or "network:<slug>" names."""
    kind = (key or "").partition(":")[0]
    return str(PARTNER_KINDS[kind]) if kind in PARTNER_KINDS else (key or "")


def language_own_name(code: str) -> str:
    """A language as its speakers call it ("de": "Deutsch", "pl": "Polski"),
    for the language switch, whatever the page's language."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def language_name(code: str | None) -> str:
    """A language code as the reader calls that language ("de": "German")."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(current_language()) or code
    except (ValueError, UnknownLocaleError):
        return code
