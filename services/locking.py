"""Taking locks: one way for the whole application, on SQLite and PostgreSQL.

- In a web request that may change something (every method but GET, HEAD
  and OPTIONS), each SQLite transaction takes the write lock at BEGIN, so
  views and services need do nothing for their writes to wait their turn.
- A form whose service takes the lock itself (`@reads_first`: the
  registration form) reads and checks what was sent as a GET does, and waits
  for the write lock only where it counts seats.
- Pages that only show things read side by side. A GET that writes (an
  export's audit row), the mail worker and the commands call
  `begin_writing` before they read what they will change. In a GET and in
  the worker, a write without it is refused (models.engine.LateWriteError),
  so a forgotten place fails in the tests every time.
- `lock_rows` and `lock_one` lock rows for the rest of the transaction, for
  rules that count before they change (seats, a workflow step, claiming a
  message): SELECT … FOR UPDATE with a lock timeout on PostgreSQL; on SQLite
  the write lock already excludes every other writer.
- `lock_name` locks what has no row yet (every sign-in attempt for one
  address), and `skip_locked` makes a statement pass over rows that another
  transaction holds (a clean-up that must never wait).

PostgreSQL needs nothing else: its row locks make concurrent writers wait.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import Select, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from models.engine import SQLITE_BEGIN, UNCHECKED, BeginMode, Policy

LOCK_TIMEOUT = "3s"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READING = Policy(BeginMode.DEFERRED, refuses_late_writes=True)
WRITING = Policy(BeginMode.IMMEDIATE)

S = TypeVar("S", bound=Select[Any])
_checked: ContextVar[bool] = ContextVar("partnerstadt_checked_writes", default=False)
M = TypeVar("M")
V = TypeVar("V", bound=Callable[..., Any])


def current_policy() -> Policy:
    """How a SQLite transaction begins here (models.engine asks at each BEGIN)."""
    if has_request_context():
        if request.method in SAFE_METHODS or _view_reads_first():
            return READING
        return WRITING
    return READING if _checked.get() else UNCHECKED


def reads_first(view: V) -> V:
    """Mark a view that changes data only through services that call
    `begin_writing` or `lock_rows` first: its transactions begin as a GET's
    do, as readers that refuse a write without the lock. Without it, every
    transaction of a POST takes SQLite's write lock at BEGIN, so the whole
    request (loading the event, checking every field) would wait for each
    other writer and make them wait in turn."""
    view.reads_first = True  # type: ignore[attr-defined]
    return view


def _view_reads_first() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "reads_first", False)


@contextmanager
def checked_writes() -> Iterator[None]:
    """Transactions begun inside refuse a write after a read unless
    `begin_writing` took the lock first, as in a GET request. The mail
    worker runs its passes in here."""
    reset = _checked.set(True)
    try:
        yield
    finally:
        _checked.reset(reset)


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
        session.connection(execution_options={SQLITE_BEGIN: BeginMode.IMMEDIATE.value})
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


def lock_one(session: Session, model: type[M], id: int, *options: ExecutableOption) -> M | None:
    """Begin writing and lock one row by its primary key (None if missing);
    `options` say which of its relationships to load with it."""
    [key] = inspect(model).primary_key
    rows = lock_rows(session, select(model).where(key == id).options(*options))
    return rows[0] if rows else None


def lock_name(session: Session, kind: int, name: str) -> None:
    """Lock `name` within `kind` (a constant of the caller's) for the rest of
    the transaction, for a rule about rows that may not exist yet. On
    PostgreSQL a transaction-level advisory lock, waited for at most
    LOCK_TIMEOUT after `begin_writing`; on SQLite the write lock a writing
    transaction holds already excludes every other writer."""
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(name.encode()).digest()
        key = int.from_bytes(digest[:4], "big", signed=True)
        session.execute(
            text("SELECT pg_advisory_xact_lock(:kind, :key)"), {"kind": kind, "key": key}
        )


def skip_locked(statement: S) -> S:
    """`statement` selecting only rows no other transaction holds, locking
    them (PostgreSQL); for work that any transaction may do and none should
    wait for. SQLite has no row locks and ignores it."""
    return statement.with_for_update(skip_locked=True)
