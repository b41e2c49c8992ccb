"""Issuing and redeeming the tokens in emailed links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Registration, RegistrationToken, TokenPurpose

MAX_TOKEN_LENGTH = 100


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(
    session: Session, registration: Registration, purpose: TokenPurpose, expires_at: datetime
) -> str:
    """A new random token for `registration`; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    session.add(
        RegistrationToken(
            registration_id=registration.id,
            purpose=purpose,
            token_hash=_hash(raw),
            expires_at=expires_at,
        )
    )
    return raw


def issue_manage(session: Session, registration: Registration) -> str:
    """A link to the personal page; it works until RETENTION_DAYS after the
    event, when the data behind it is anonymised."""
    expires = registration.event.ends_at + timedelta(days=current_app.config["RETENTION_DAYS"])
    return issue(session, registration, TokenPurpose.MANAGE, expires)


def find(
    session: Session, raw: str, purpose: TokenPurpose, now: datetime
) -> RegistrationToken | None:
    """The live token for `raw` and `purpose`: wrong, used and expired tokens
    all give None, so callers answer them alike."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = session.scalar(
        select(RegistrationToken).where(
            RegistrationToken.token_hash == _hash(raw),
            RegistrationToken.purpose == purpose,
        )
    )
    if token is None or token.expires_at <= now:
        return None
    if purpose.is_single_use and token.used_at is not None:
        return None
    return token


def use(token: RegistrationToken, now: datetime) -> None:
    token.used_at = now
