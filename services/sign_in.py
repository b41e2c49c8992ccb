"""Staff sign-in with limits on failures that every worker shares.

Failures are counted in the database per submitted address (whether or not
an account has it, so the answer never tells): at most PER_ACCOUNT in WINDOW
from all clients together, and PER_CLIENT from one client. Past either
limit the password is not even checked. Once the address's limit is
reached, the real person is refused too (otherwise an attacker could go on
guessing); a password reset ends that with clear_failures().

With two-factor sign-in on, the right password only leads to the code
step (Outcome.SECOND_FACTOR); a wrong code counts as a failure like a
wrong password, and only the right code clears the client's failures.

Each attempt is written before its password is checked, under a lock on the
address, so attempts that arrive together count each other and none slips
past a limit; the lock is not held while argon2 works.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from models import SignInFailure, User
from services import accounts, audit, locking, two_factor

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 10
PER_CLIENT = 5
# The kind of lock (services.locking.lock_name) on one address's attempts.
_LOCK_CLASS = 0x5167


class Outcome(enum.StrEnum):
    SIGNED_IN = "signed_in"
    FAILED = "failed"
    REFUSED = "refused"  # too many failures: the password was not checked
    SECOND_FACTOR = "second_factor"  # the password was right; a code must follow


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    user: User | None = None


def sign_in(session: Session, email: str, password: str, client: str, now: datetime) -> SignIn:
    """Check `password` for `email` from `client`, within the limits; commits.

    Each transaction that writes starts with a write, after the reads (and
    argon2's work) of the one before have ended.
    """
    email = accounts.normalise_email(email)[:254]
    client = (client or "unknown")[:64]
    reached_limit = _count_attempt(session, email, client, now)
    if reached_limit is None:
        return SignIn(Outcome.REFUSED)
    user = accounts.check_password(session, email, password)
    session.rollback()
    if user is not None and user.has_two_factor:
        # The attempt stays counted until the code is right too.
        accounts.record_sign_in(user, password, None)
        session.commit()
        return SignIn(Outcome.SECOND_FACTOR, user)
    if user is not None:
        _forget_failures(session, email, client)
        accounts.record_sign_in(user, password, now)
        session.commit()
        return SignIn(Outcome.SIGNED_IN, user)
    _failed(session, email, reached_limit)
    return SignIn(Outcome.FAILED)


def second_factor(
    session: Session, user_id: int, session_version: int, code: str, client: str, now: datetime
) -> SignIn:
    """The code step after the right password: `code` from the app or a
    recovery code, within the same limits as passwords; commits. The
    account must still be enabled and its sessions not ended since the
    password step (session_version)."""
    user = session.get(User, user_id)
    if user is None or not user.is_enabled or user.session_version != session_version:
        session.rollback()
        return SignIn(Outcome.FAILED)
    email, client = user.email, (client or "unknown")[:64]
    reached_limit = _count_attempt(session, email, client, now)
    if reached_limit is None:
        return SignIn(Outcome.REFUSED)
    user = locking.lock_one(session, User, user_id)
    kind = two_factor.check_code(session, user, code, now) if user.has_two_factor else None
    if kind is None:
        session.rollback()
        _failed(session, email, reached_limit)
        return SignIn(Outcome.FAILED)
    _forget_failures(session, email, client)
    user.last_login_at = now
    if kind == "recovery":
        left = two_factor.recovery_codes_left(session, user)
        audit.record(
            session, user, "account.recovery_code_used", target=f"user:{user.id}", left=left
        )
    session.commit()
    return SignIn(Outcome.SIGNED_IN, user)


def _forget_failures(session: Session, email: str, client: str) -> None:
    """A person who got it right keeps no failures from this client."""
    mine = SignInFailure.email == email, SignInFailure.client == client
    session.execute(delete(SignInFailure).where(*mine))


def _failed(session: Session, email: str, reached_limit: bool) -> None:
    """The attempt stays counted; the first one to reach the limit is audited."""
    if reached_limit:
        minutes = int(WINDOW.total_seconds() // 60)
        audit.record(
            session,
            None,
            "account.locked",
            target=email[:120],
            failures=PER_ACCOUNT,
            minutes=minutes,
        )
        session.commit()


def clear_failures(session: Session, email: str) -> int:
    """Forget the address's failed sign-ins (after a password reset), in the
    caller's transaction; returns how many there were."""
    result = session.execute(
        delete(SignInFailure).where(SignInFailure.email == accounts.normalise_email(email)[:254])
    )
    return result.rowcount


def _count_attempt(session: Session, email: str, client: str, now: datetime) -> bool | None:
    """Write the attempt as a failure and commit it; None (and nothing
    written) when it would pass a limit, else whether it reaches the
    address's limit for the first time in the window.

    The request's reads are ended first, and the transaction's first
    statement writes: on SQLite that takes the write lock, on PostgreSQL an
    advisory lock on the address comes first. Rows older than WINDOW go, of
    every address.
    """
    session.rollback()
    locking.lock_name(session, _LOCK_CLASS, email)
    since = now - WINDOW
    _prune(session, since)
    attempt = SignInFailure(email=email, client=client, at=now)
    session.add(attempt)
    session.flush()
    recent = (
        select(func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.email == email, SignInFailure.at >= since)
    )
    for_account = session.scalar(recent) or 0
    from_client = session.scalar(recent.where(SignInFailure.client == client)) or 0
    if for_account > PER_ACCOUNT or from_client > PER_CLIENT:
        session.rollback()
        return None
    already_locked = session.scalar(
        select(
            exists().where(
                SignInFailure.email == email,
                SignInFailure.at >= since,
                SignInFailure.reached_limit.is_(True),
            )
        )
    )
    attempt.reached_limit = for_account == PER_ACCOUNT and not already_locked
    reached = attempt.reached_limit
    session.commit()
    return reached


def _prune(session: Session, since: datetime) -> None:
    """Delete every address's failures from before `since`, skipping rows that
    another attempt is deleting right now (no waiting, no deadlock)."""
    old = locking.skip_locked(select(SignInFailure.id).where(SignInFailure.at < since))
    session.execute(delete(SignInFailure).where(SignInFailure.id.in_(old)))
