"""Locking rows for the rest of a transaction: one way for the whole
application, on SQLite and PostgreSQL.

`lock_rows` and `lock_one` are for rules that count before they change
(seats, a workflow step, claiming a message): SELECT … FOR UPDATE with a lock
timeout on PostgreSQL; on SQLite the transaction takes the write lock at
BEGIN (BEGIN IMMEDIATE), which excludes every other writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, inspect, select, text
from sqlalchemy.orm import Session

from models.engine import SQLITE_BEGIN

LOCK_TIMEOUT = "3s"
M = TypeVar("M")


def begin_writing(session: Session) -> None:
    """End the session's transaction and begin one that will write.

    What the session did before is rolled back. SQLite takes the write lock
    now (BEGIN IMMEDIATE, waiting for the busy timeout), so what is read next
    is still true when it is written; PostgreSQL waits at most LOCK_TIMEOUT
    for any row lock in this transaction.
    """
    session.rollback()
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
    elif dialect == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))


def lock_rows(
    session: Session, statement: Select[Any], *, skip_locked: bool = False
) -> Sequence[Any]:
    """Begin writing and return the objects `statement` selects, locked until
    the transaction ends and read afresh. With `skip_locked`, rows another
    transaction holds are left out instead of waited for (PostgreSQL)."""
    begin_writing(session)
    locked = statement.with_for_update(skip_locked=skip_locked)
    return session.scalars(locked.execution_options(populate_existing=True)).all()


def lock_one(session: Session, model: type[M], id: int) -> M | None:
    """Begin writing and lock one row by its primary key (None if missing)."""
    [key] = inspect(model).primary_key
    rows = lock_rows(session, select(model).where(key == id))
    return rows[0] if rows else None
