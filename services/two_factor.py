"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238, as
every authenticator app makes them) and ten single-use recovery codes.

A code is accepted within one 30-second step either side of now (phones'
clocks drift), and only once: the step of the last accepted code is kept,
and no code of that step or an earlier one works again. The account's row
is locked while a code is checked, so two requests with one code cannot
both pass."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import RecoveryCode, User
from services import audit
from services.locking import lock_one

STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 10  # about 49 random bits


class TwoFactorError(ValueError):
    """Two-factor sign-in cannot be switched as asked."""


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _digits(code: str) -> str:
    return "".join(code.split())


def _recovery_form(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_recovery_form(code).encode()).hexdigest()


def pending_secret(session: Session, user: User) -> str:
    """The secret to enrol with: made (and committed) the first time the page
    is shown, so reloading it keeps the QR code already scanned."""
    if user.totp_secret is not None:
        return user.totp_secret
    locked = lock_one(session, User, user.id)
    if locked.totp_secret is None:
        locked.totp_secret = pyotp.random_base32()
    session.commit()
    return locked.totp_secret


def provisioning_uri(user: User, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_svg(uri: str, title: str) -> str:
    """The QR code as inline SVG, drawn here: the secret never leaves the site."""
    qr = segno.make(uri, error="m")
    return qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title)


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step whose code `code` is, if it is near now and newer than
    `last_step`; else None."""
    code = _digits(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    for step in range(_step(now) - DRIFT_STEPS, _step(now) + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_code(session: Session, user: User, code: str, now: datetime) -> str | None:
    """Accept `code` for the locked `user`, in the caller's transaction: "app"
    for an authenticator code, "recovery" for a recovery code (used up now),
    None when it is wrong or used."""
    if user.totp_secret is None:
        return None
    step = matching_step(user.totp_secret, code, now, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "app"
    recovery = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return None
    recovery.used_at = now
    return "recovery"


def _new_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw), created_at=now))
    return codes


def switch_on(session: Session, user: User, code: str, now: datetime) -> list[str] | None:
    """Switch the second factor on when `code` is right; commits and returns
    the ten recovery codes, to show once. None when the code is wrong."""
    locked = lock_one(session, User, user.id)
    if locked.has_two_factor:
        session.rollback()
        raise TwoFactorError("Two-factor sign-in is already on.")
    step = matching_step(locked.totp_secret or "", code, now, None) if locked.totp_secret else None
    if step is None:
        session.rollback()
        return None
    locked.two_factor_enabled_at = now
    locked.totp_last_step = step
    codes = _new_recovery_codes(session, locked, now)
    audit.record(session, locked, "account.two_factor_on", target=f"user:{locked.id}")
    session.commit()
    return codes


def switch_off(session: Session, user: User, code: str, now: datetime) -> bool:
    """Switch one's own second factor off, proven with a current code or a
    recovery code; commits. False when the code is wrong."""
    locked = lock_one(session, User, user.id)
    if not locked.has_two_factor or check_code(session, locked, code, now) is None:
        session.rollback()
        return False
    locked.totp_secret = None
    locked.two_factor_enabled_at = None
    locked.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == locked.id))
    audit.record(session, locked, "account.two_factor_off", target=f"user:{locked.id}")
    session.commit()
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )
