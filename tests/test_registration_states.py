"""What a registration's state means is said by the model, not worked out
in the templates: which statuses still count (and may be removed)."""

from __future__ import annotations

from models import RegistrationStatus


def test_pending_confirmed_and_waitlisted_registrations_still_count():
    assert [s for s in RegistrationStatus if s.is_active] == [
        RegistrationStatus.PENDING,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
