"""Registrations of participants for events."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import Model, UTCDateTime, enum_column, utcnow
from models.event import Event
from models.user import User
from services.checkin_codes import new_code
from services.mailboxes import mailbox_key


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def holds_seat(self) -> bool:
        return self in SEAT_HOLDING

    @property
    def is_active(self) -> bool:
        """Still counts: holds a seat or waits for one; it can be ended."""
        return self in ACTIVE


SEAT_HOLDING = frozenset({RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED})
ACTIVE = SEAT_HOLDING | {RegistrationStatus.WAITLISTED}
# How a registration ends (services.lifecycle.end); it never counts again.
ENDED = frozenset({RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED})
# From what counts most to what counts least, a seat first: the order of the
# exported rows, and whose registration is written to when one address has
# several.
BY_RELEVANCE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EXPIRED,
)


class RegistrationGroup(Model):
    """The participants one contact registered in one submission: a parent
    and children, a teacher and a class. Every participant is a registration
    of its own (a seat, a check-in code, answers); the group holds them
    together for the seats (all or none), the mails (to the contact, once)
    and the guardian's consent (one for all its minors)."""

    __tablename__ = "registration_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # The person who filled the form; their address is every member's `email`.
    contact_first_name: Mapped[str | None] = mapped_column(String(100))
    contact_last_name: Mapped[str | None] = mapped_column(String(100))
    # False: a parent or teacher who registers others without a seat.
    contact_takes_part: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[Registration]] = relationship(
        back_populates="group", order_by="Registration.id"
    )

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name or ''} {self.contact_last_name or ''}".strip()


class Registration(Model):
    __tablename__ = "registration"
    __table_args__ = (
        Index("ix_registration_event_status", "event_id", "status"),
        Index("ix_registration_event_email_key", "event_id", "email_key"),
        # A code opens the door of one event only; another event may draw it too.
        # A unique index rather than a constraint: SQLite adds it in place.
        Index("uq_registration_event_checkin_code", "event_id", "checkin_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    language: Mapped[str] = mapped_column(String(8))

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    # The mailbox behind `email` (services.mailboxes), kept by `_fold_email`:
    # duplicates are found by it.
    email_key: Mapped[str | None] = mapped_column(String(254))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)

    # Consents are kept with their time and the words agreed to.
    privacy_consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    privacy_consent_text: Mapped[str] = mapped_column(Text)
    photo_consent: Mapped[bool] = mapped_column(default=False)
    needs_guardian_consent: Mapped[bool] = mapped_column(default=False)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the registration last started to hold a seat unconfirmed; it
    # expires PENDING_HOURS later.
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guardian_consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guardian_consent_text: Mapped[str | None] = mapped_column(Text)
    guardian_declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the mail after the event offered the certificate of attendance.
    certificate_offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who let them in, so a second organiser at another door can be told.
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Shown (as text and QR code) once the registration is confirmed; drawn
    # for every registration, so one moved up from the waitlist has one too.
    checkin_code: Mapped[str | None] = mapped_column(String(9), default=new_code)
    # The age on the event's first day, kept by the retention rule when the
    # date of birth goes, so the statistics by age stay true.
    age_at_event: Mapped[int | None] = mapped_column(Integer)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The submission this participant came with, if it registered several.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_group.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[Event] = relationship()
    group: Mapped[RegistrationGroup | None] = relationship(back_populates="members")
    checked_in_by: Mapped[User | None] = relationship()

    @validates("email")
    def _fold_email(self, key: str, address: str) -> str:
        self.email_key = mailbox_key(address) if address else address
        return address

    @property
    def has_all_confirmations(self) -> bool:
        """The email is confirmed and, where needed, the guardian consented."""
        return self.email_confirmed_at is not None and (
            not self.needs_guardian_consent or self.guardian_consented_at is not None
        )

    @property
    def is_waiting_for_guardian(self) -> bool:
        """The participant has confirmed the email; only the guardian's
        consent is missing before the seat is confirmed."""
        return (
            self.status is RegistrationStatus.PENDING
            and self.email_confirmed_at is not None
            and self.needs_guardian_consent
            and self.guardian_consented_at is None
        )

    @property
    def members(self) -> list[Registration]:
        """Everyone of this registration's submission, itself included."""
        return list(self.group.members) if self.group is not None else [self]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"
