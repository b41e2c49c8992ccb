"""An audit entry's details in words: the keys labelled, and the codes in
their values (statuses, roles, changed fields, mail kinds) too, in the
reader's language."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from models import (
    ApplicationStatus,
    AuditEntry,
    EventStatus,
    OutboxStatus,
    RegistrationStatus,
    Role,
)
from services import labels
from services.dates import moment_text

DETAIL_KEYS = {
    "changed": _l("Changed"),
    "from": _l("From"),
    "to": _l("To"),
    "status": _l("Status"),
    "previous_status": _l("Previous status"),
    "statuses": _l("Sent to"),
    "role": _l("Role"),
    "email": _l("Email address"),
    "kind": _l("Kind"),
    "format": _l("Format"),
    "subject": _l("Subject"),
    "note": _l("Note"),
    "promoted": _l("Moved up from the waitlist"),
    "checked_in_at": _l("Checked in at"),
    "admitted_without": _l("Admitted at the door without"),
    "retention_days": _l("Retention period (days)"),
    "partner": _l("Partner city or network"),
    "failures": _l("Failed sign-ins"),
    "minutes": _l("Minutes"),
    "left": _l("Recovery codes left"),
    "copy_of": _l("Next edition of the event with the number"),
}

# What an organiser admitted someone without, at the door (services.door).
MISSING_CONFIRMATIONS = {
    "guardian_consent": _l("the guardian's consent"),
    "email_confirmation": _l("the confirmed email address"),
}

# The names in "changed": what the staff forms of events, news, cities and networks change.
FIELD_NAMES = {
    "slug": _l("Web address (slug)"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "has_start_time": _l("Time of day"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "min_age": _l("Minimum age"),
    "max_age": _l("Maximum age"),
    "capacity": _l("Places"),
    "has_waitlist": _l("Waitlist"),
    "guardian_consent_below_age": _l("Guardian consent needed below age"),
    "status": _l("Status"),
    "texts": _l("Texts"),
    "categories": _l("Categories"),
    "texts.de": _l("Texts (German)"),
    "texts.en": _l("Texts (English)"),
    "published_at": _l("Publication date"),
    "is_pinned": _l("Pinned"),
    "image_filename": _l("Image"),
    "website": _l("Website"),
    "source": _l("Source"),
    "country": _l("Country"),
    "relation": _l("Connection"),
    "since": _l("Since"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "founded": _l("Founded"),
    "members": _l("Member cities"),
    "kind": _l("Kind of answer"),
    "required": _l("Required"),
    "position": _l("Position"),
}

# Whose states "from", "to", "status" and "previous_status" are, by the action's area.
STATES_BY_AREA: dict[str, type[enum.Enum]] = {
    "event": EventStatus,
    "participants": RegistrationStatus,
    "registration": RegistrationStatus,
    "application": ApplicationStatus,
    "applications": ApplicationStatus,
    "outbox": OutboxStatus,
    "staff": Role,
}
STATE_KEYS = frozenset({"from", "to", "status", "previous_status", "statuses"})


def _one(value: Any, words: Callable[[str], str]) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(words(str(item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return words(str(value))


def _state(kind: type[enum.Enum] | None) -> Callable[[str], str]:
    def words(code: str) -> str:
        try:
            return labels.label(kind(code)) if kind else code
        except ValueError:  # "no_show" among the statuses of a message
            return str(labels.ATTENDANCE.get(code, code))

    return words


def _moment(text: str) -> str:
    try:
        return moment_text(datetime.fromisoformat(text), "short")
    except ValueError:
        return text


def _words_for(area: str, key: str) -> Callable[[str], str]:
    if key in STATE_KEYS:
        return _state(STATES_BY_AREA.get(area))
    by_key: dict[str, Callable[[str], str]] = {
        "role": _state(Role),
        "changed": lambda code: str(FIELD_NAMES.get(code, code)),
        "kind": labels.mail_kind,
        "format": lambda code: labels.EXPORT_FORMATS.get(code, code),
        "promoted": lambda number: labels.audit_target(f"registration:{number}"),
        "checked_in_at": _moment,
        "admitted_without": lambda code: str(MISSING_CONFIRMATIONS.get(code, code)),
        "partner": lambda key: f"{labels.partner_kind(key)} {key.partition(':')[2]}".strip(),
    }
    return by_key.get(key, str)


def details(entry: AuditEntry) -> list[tuple[str, str]]:
    """(label, text) for each detail that has a value, in recorded order."""
    area = entry.action.partition(".")[0]
    return [
        (str(DETAIL_KEYS.get(key, key)), _one(value, _words_for(area, key)))
        for key, value in (entry.details or {}).items()
        if value is not None and value != [] and value != ""
    ]
