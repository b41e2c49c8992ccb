"""Tokens in emailed links: random, stored only as a hash, bound to one
registration and one purpose, expiring."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, enum_column, utcnow
from models.registration import Registration


class TokenPurpose(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    GUARDIAN_CONSENT = "guardian_consent"
    MANAGE = "manage"

    @property
    def is_single_use(self) -> bool:
        return self is not TokenPurpose.MANAGE


class RegistrationToken(Model):
    __tablename__ = "registration_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship()
