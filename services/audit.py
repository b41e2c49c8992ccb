"""Recording what staff did, in the transaction that does it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import AuditEntry, User

SYSTEM = "system"  # the actor of what the worker does by itself


def record(
    session: Session,
    actor: User | None,
    action: str,
    *,
    event_id: int | None = None,
    target: str | None = None,
    row_count: int | None = None,
    **details: Any,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else SYSTEM,
        action=action,
        event_id=event_id,
        target=target,
        row_count=row_count,
        details=details,
    )
    session.add(entry)
    return entry
