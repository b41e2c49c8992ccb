"""What a registration's state means is said by the model, not worked out
in the templates: which statuses still count (and may be removed), and
when only the guardian's consent is missing."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Registration, RegistrationStatus


def test_pending_confirmed_and_waitlisted_registrations_still_count():
    assert [s for s in RegistrationStatus if s.is_active] == [
        RegistrationStatus.PENDING,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]


def test_only_a_pending_minor_with_the_email_confirmed_waits_for_the_guardian():
    now = datetime.now(UTC)

    def waiting(**fields) -> bool:
        state = {
            "status": RegistrationStatus.PENDING,
            "needs_guardian_consent": True,
            "email_confirmed_at": now,
            "guardian_consented_at": None,
        } | fields
        return Registration(**state).is_waiting_for_guardian

    assert waiting()
    assert not waiting(email_confirmed_at=None)
    assert not waiting(needs_guardian_consent=False)
    assert not waiting(guardian_consented_at=now)
    assert not waiting(status=RegistrationStatus.WAITLISTED)
