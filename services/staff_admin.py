"""What admins do to staff accounts, each one transaction with its audit
entry: the views call one function and never commit."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models import RecoveryCode, Role, User
from services import accounts, audit


def add_account(session: Session, actor: User, email: str, password: str, role: Role) -> User:
    """Create the account (AccountError when it cannot be) and commit."""
    try:
        user = accounts.create_user(session, email, password, role)
    except accounts.AccountError:
        session.rollback()
        raise
    audit.record(
        session,
        actor,
        "staff.create",
        target=f"user:{user.id}",
        email=user.email,
        role=user.role.value,
    )
    session.commit()
    return user


def change_role(session: Session, actor: User, user: User, role: Role) -> Role:
    """Give `user` another role (OwnAccountError for one's own admin role);
    returns the old role, equal to `role` when nothing changed."""
    previous = accounts.change_role(actor, user, role)
    if previous is not user.role:
        audit.record(
            session,
            actor,
            "staff.role_change",
            target=f"user:{user.id}",
            email=user.email,
            **{"from": previous.value, "to": user.role.value},
        )
        session.commit()
    return previous


def set_enabled(session: Session, actor: User, user: User, enabled: bool) -> bool:
    """Enable or disable `user` (OwnAccountError for disabling oneself);
    returns whether anything changed."""
    changed = accounts.set_enabled(actor, user, enabled)
    if changed:
        action = "staff.enable" if enabled else "staff.disable"
        audit.record(session, actor, action, target=f"user:{user.id}", email=user.email)
        session.commit()
    return changed


def reset_two_factor(session: Session, actor: User, user: User) -> bool:
    """Switch off `user`'s second factor when their phone is lost: the secret
    and recovery codes go, every session ends, and the person enrols again
    after signing in with the password. Returns whether it was on."""
    accounts.require_admin(actor)
    was_on = user.has_two_factor
    user.totp_secret = None
    user.two_factor_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    accounts.end_sessions(user)
    audit.record(
        session, actor, "staff.two_factor_reset", target=f"user:{user.id}", email=user.email
    )
    session.commit()
    return was_on
