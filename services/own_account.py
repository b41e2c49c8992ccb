"""What staff members do to their own account: sign out, change the
password. Each function is one transaction with its audit entry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import User
from services import accounts, audit


class WrongPassword(accounts.AccountError):
    """The current password typed to change it is not the account's."""


def sign_out(session: Session, user: User) -> None:
    """End every session of `user`: the old cookie stops working everywhere."""
    accounts.end_sessions(user)
    session.commit()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Set `new` after checking `current`; every session of the account ends
    (the caller signs this one in again with the new session version).
    WrongPassword or WeakPassword when refused; nothing changes then."""
    if not accounts.is_password_of(user, current):
        raise WrongPassword("The current password is wrong.")
    accounts.set_password(user, new)
    audit.record(session, user, "account.password_change", target=f"user:{user.id}")
    session.commit()
