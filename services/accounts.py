"""Staff accounts: argon2id passwords, sign-in, roles."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Role, User
from services import passwords

hasher = PasswordHasher()  # argon2id; its defaults exceed the OWASP minimum
# Verified when the email is unknown, so both failures take as long.
_DUMMY_HASH = hasher.hash("not a password of anyone")
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked."""


class WeakPassword(AccountError):
    """The password breaks the rule of services/passwords.py; `weakness` says how."""

    def __init__(self, weakness: passwords.Weakness) -> None:
        super().__init__(passwords.explain(weakness))
        self.weakness = weakness


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def check_password_strength(password: str) -> None:
    """Refuse a password that breaks the rule, saying why (WeakPassword)."""
    if (weakness := passwords.weakness(password)) is not None:
        raise WeakPassword(weakness)


def create_user(session: Session, email: str, password: str, role: Role) -> User:
    email = normalise_email(email)
    if "@" not in email or any(c.isspace() for c in email):
        raise AccountError(f"{email!r} is not an email address.")
    if find_by_email(session, email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    check_password_strength(password)
    user = User(email=email, password_hash=hasher.hash(password), role=role)
    try:
        with session.begin_nested():  # two admins adding the same address at once
            session.add(user)
    except IntegrityError:
        raise AccountError(f"There is already an account for {email}.") from None
    return user


def check_password(session: Session, email: str, password: str) -> User | None:
    """The enabled user with this email and password, else None — the same
    answer, after the same work, for an unknown email and a wrong password.
    Only reads: services/sign_in.py writes what a sign-in changes."""
    user = find_by_email(session, email)
    try:
        hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_enabled:
        return None
    return user


def is_password_of(user: User, password: str) -> bool:
    """Whether `password` is the user's own (for changing it, not signing in)."""
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def record_sign_in(user: User, password: str, now: datetime | None) -> None:
    """What a right password changes: the hash when the argon2 parameters
    have changed since it was made, and the time of the sign-in (None when
    a second factor is still to come)."""
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    if now is not None:
        user.last_login_at = now


def set_password(user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = hasher.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Make every session cookie of `user` useless."""
    user.session_version += 1


def load_session_user(session: Session, session_id: str) -> User | None:
    """Flask-Login's loader: "<id>:<version>" must match an enabled account."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


class OwnAccountError(AccountError):
    """Admins may not disable or demote themselves: that would lock them out."""


def require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise AccountError("Only admins may change staff accounts.")


def change_role(actor: User, user: User, role: Role) -> Role:
    """Give `user` another role and end their sessions; returns the old role
    (equal to `role` when nothing changed)."""
    require_admin(actor)
    if user.id == actor.id and role is not Role.ADMIN:
        raise OwnAccountError("Admins cannot take away their own admin role.")
    previous = user.role
    if role is not previous:
        user.role = role
        end_sessions(user)
    return previous


def set_enabled(actor: User, user: User, enabled: bool) -> bool:
    """Enable or disable `user`; disabling ends their sessions at once.
    Returns whether anything changed."""
    require_admin(actor)
    if user.id == actor.id and not enabled:
        raise OwnAccountError("Admins cannot disable their own account.")
    if user.is_enabled == enabled:
        return False
    user.is_enabled = enabled
    if not enabled:
        end_sessions(user)
    return True
