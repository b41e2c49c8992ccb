"""What a staff member proves themselves with besides the password: the
one-hour link of a password reset and the single-use recovery codes of
two-factor sign-in. Both are stored only as hashes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, enum_column, utcnow
from models.user import User


class AccountTokenPurpose(enum.StrEnum):
    """What a staff token may be used for: a token made for one purpose
    never does another."""

    PASSWORD_RESET = "password_reset"


class AccountToken(Model):
    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[AccountTokenPurpose] = mapped_column(enum_column(AccountTokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    """One of the ten codes that sign a person in once when their phone is
    gone. The codes carry 50 random bits each, so a SHA-256 hash suffices
    (a slow hash protects guessable secrets such as passwords)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
