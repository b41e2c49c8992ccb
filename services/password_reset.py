"""Resetting a forgotten staff password by email (SPEC "Staff accounts").

Asking gives every address the same answer after the same work: the mail is
rendered whether or not an account has the address, and only queued for an
enabled account. The link holds a random token stored as a hash, for one
purpose, working once and for one hour. Using it sets the password, ends
every session of the account and clears its sign-in lock, so a person
locked out by someone guessing can still get in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import AccountToken, AccountTokenPurpose, User
from services import accounts, audit, sign_in
from services.links import external_url
from services.locking import lock_rows
from services.notifications import render_message

VALID_FOR = timedelta(hours=1)
# Links mailed to one account per VALID_FOR: enough for a lost mail, too few to flood an inbox.
MAX_LINKS = 3
MAX_TOKEN_LENGTH = 100
PURPOSE = AccountTokenPurpose.PASSWORD_RESET


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def request_reset(session: Session, email: str, language: str, now: datetime) -> None:
    """Mail a reset link to the enabled account with `email`, if there is
    one; commits. Unknown and disabled addresses get nothing, and the caller
    shows the same page for all."""
    user = accounts.find_by_email(session, email)
    raw = secrets.token_urlsafe(32)
    with force_locale(language):
        message = render_message(
            "password_reset",
            to=user.email if user else accounts.normalise_email(email),
            language=language,
            subject=gettext("Reset your password"),
            reset_url=external_url("auth.password_reset", token=raw),
            minutes=int(VALID_FOR.total_seconds() // 60),
        )
    if user is None or not user.is_enabled or _recent_links(session, user, now) >= MAX_LINKS:
        session.rollback()
        return
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=PURPOSE,
            token_hash=_hash(raw),
            created_at=now,
            expires_at=now + VALID_FOR,
        )
    )
    session.add(message)
    audit.record(session, user, "account.password_reset_request", target=f"user:{user.id}")
    session.commit()


def _recent_links(session: Session, user: User, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AccountToken)
            .where(
                AccountToken.user_id == user.id,
                AccountToken.purpose == PURPOSE,
                AccountToken.created_at > now - VALID_FOR,
            )
        )
        or 0
    )


def _live(raw: str, now: datetime):
    return select(AccountToken).where(
        AccountToken.token_hash == _hash(raw),
        AccountToken.purpose == PURPOSE,
        AccountToken.used_at.is_(None),
        AccountToken.expires_at > now,
    )


def find_reset(session: Session, raw: str, now: datetime) -> AccountToken | None:
    """The live reset token for `raw`, of an enabled account: wrong, used,
    expired and disabled all give None, answered alike."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = session.scalar(_live(raw, now))
    if token is None or not token.user.is_enabled:
        return None
    return token


def reset_password(session: Session, raw: str, password: str, now: datetime) -> User | None:
    """Set `password` with the link `raw`; commits. None when the link does
    not work (any more); WeakPassword when the rule refuses the password.
    The token row is locked, so two submissions cannot both use it."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    tokens = lock_rows(session, _live(raw, now))
    if not tokens or not tokens[0].user.is_enabled:
        session.rollback()
        return None
    token = tokens[0]
    user = token.user
    try:
        accounts.set_password(user, password)
    except accounts.WeakPassword:
        session.rollback()
        raise
    # This link and every other one still open for the account stop working.
    session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    cleared = sign_in.clear_failures(session, user.email)
    audit.record(
        session, user, "account.password_reset", target=f"user:{user.id}", failures=cleared
    )
    session.commit()
    return user
