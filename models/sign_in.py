"""Failed staff sign-ins, counted in the database so that every worker and
every machine sees the same numbers (as django-axes does)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, UTCDateTime


class SignInFailure(Model):
    """One failed sign-in for a submitted address, whether or not an account
    has it. The row is written before the password is checked, so that
    attempts at the same moment count each other; it is deleted again when the
    password was right."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The submitted address, normalised: the same for every spelling of it.
    email: Mapped[str] = mapped_column(String(254))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # This failure brought the address to its limit: the lock is audited once.
    reached_limit: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<SignInFailure {self.email} from {self.client}>"
