"""One function per email about a registration, split by whom it is
written to and what causes it:

- `messages`: the shared machinery, rendering a mail in the recipient's
  language and queueing it in the outbox of the caller's transaction, the
  links in the mails, the calendar, the guardian's copy, the check-in code;
- `participant`: the mails to the participant or a group's contact along
  the registration's life;
- `guardian`: the mails asking or telling the guardian of a minor;
- `organiser`: the mails the organisers and staff cause.

Callers keep `notifications.confirm_email(...)`: the names are re-exported
here."""

from services.notifications.guardian import guardian_consent_request
from services.notifications.messages import (
    ALREADY_REGISTERED,
    People,
    guardian_is_involved,
    header_safe,
    names,
    render_message,
)
from services.notifications.organiser import (
    certificate_available,
    event_cancelled,
    removed_by_organiser,
    staff_message,
)
from services.notifications.participant import (
    already_registered,
    confirm_email,
    pending_expired,
    promoted,
    registration_cancelled,
    registration_confirmed,
    reminder,
    waitlisted,
)

__all__ = [
    "ALREADY_REGISTERED",
    "People",
    "already_registered",
    "certificate_available",
    "confirm_email",
    "event_cancelled",
    "guardian_consent_request",
    "guardian_is_involved",
    "header_safe",
    "names",
    "pending_expired",
    "promoted",
    "registration_cancelled",
    "registration_confirmed",
    "reminder",
    "removed_by_organiser",
    "render_message",
    "staff_message",
    "waitlisted",
]
