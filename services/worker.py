"""One pass of the background worker (`flask send-mail`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from services import certificates as certificate_offers
from services import lifecycle, mailer, retention
from services.locking import checked_writes


@dataclass(frozen=True)
class PassReport:
    expired: int
    reminders: int
    anonymised: int
    sent: int
    certificates: int = 0

    def __str__(self) -> str:
        return (
            f"expired {self.expired}, reminders queued {self.reminders}, "
            f"registrations anonymised {self.anonymised}, mails sent {self.sent}, "
            f"certificates offered {self.certificates}"
        )

    @property
    def did_something(self) -> bool:
        return any((self.expired, self.reminders, self.anonymised, self.sent, self.certificates))


def run_pass(session: Session, now: datetime) -> PassReport:
    """Expire unconfirmed registrations, queue due reminders and certificate
    offers, apply the
    retention rule, send due mail. Each step takes the write lock before it
    reads what it changes; a step that forgot would fail at once."""
    config = current_app.config
    with checked_writes():
        expired = lifecycle.expire_pending(session, now, config["PENDING_HOURS"])
        reminders = lifecycle.queue_reminders(session, now, config["REMINDER_DAYS"])
        certificates = certificate_offers.offer_due(session, now)
        anonymised = retention.purge_personal_data(session, now, config["RETENTION_DAYS"])
        sent = mailer.send_due(session, now)
    return PassReport(
        expired=expired,
        reminders=reminders,
        anonymised=anonymised,
        sent=sent,
        certificates=certificates,
    )
