"""Staff accounts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    EDITOR = "editor"


class User(Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Raised at logout and on password or role changes: older cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP): the base32 secret is kept from the moment the
    # enrolment page is first shown; the second factor is on from
    # two_factor_enabled_at, after the person typed a correct code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The time step of the last accepted code: a code is accepted only once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    # Flask-Login: the id carries the session version, so raising the
    # version makes every older session cookie useless.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None and self.totp_secret is not None

    def may(self, *roles: Role) -> bool:
        """Admins may do everything; others what their role is listed for."""
        return self.role is Role.ADMIN or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
