"""Database connection settings that the rules of the product rely on.

SQLite lets many readers work at once but one writer at a time, and a
transaction that began DEFERRED and has read cannot always become the writer:
when another process has written since, or is writing, SQLite answers
"database is locked" at once, without waiting. So every transaction that
will write takes the write lock at BEGIN (BEGIN IMMEDIATE) and waits its turn.
Which transactions do is a `Policy`, chosen when each one begins; a policy can
also refuse a write in a DEFERRED transaction that has already read, so a
place that forgot to take the lock fails every time in the tests instead of
now and then in production.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event

# Execution option that makes a SQLite transaction take the write lock at BEGIN.
SQLITE_BEGIN = "sqlite_begin"
_STATE = "partnerstadt_transaction"  # Connection.info key: the open transaction's _Transaction


class BeginMode(enum.StrEnum):
    DEFERRED = "DEFERRED"  # takes no lock until the first statement; a reader
    IMMEDIATE = "IMMEDIATE"  # takes the write lock at once, waiting its turn


@dataclass(frozen=True)
class Policy:
    """How a SQLite transaction begins, and whether it refuses a write after
    it has read without the write lock."""

    begin: BeginMode = BeginMode.DEFERRED
    refuses_late_writes: bool = False


UNCHECKED = Policy()


class LateWriteError(RuntimeError):
    """A DEFERRED SQLite transaction that has read tried to write: under
    concurrency that fails with "database is locked"."""


class StatementKind(enum.Enum):
    READ = "read"
    WRITE = "write"
    OTHER = "other"  # transaction control and settings


_FIRST_WORD = re.compile(r"[\s(]*(\w+)")
_READS = frozenset({"SELECT", "WITH", "VALUES", "EXPLAIN"})
_OTHERS = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA"})


def statement_kind(statement: str, context: Any = None) -> StatementKind:
    """Whether SQL reads, writes (anything that needs the write lock) or neither."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return StatementKind.WRITE
    match = _FIRST_WORD.match(statement)
    word = match.group(1).upper() if match else ""
    if word in _READS:
        return StatementKind.READ
    if word in _OTHERS or not word:
        return StatementKind.OTHER
    return StatementKind.WRITE


@dataclass
class _Transaction:
    policy: Policy
    has_read: bool = False
    holds_write_lock: bool = False

    def check(self, kind: StatementKind, statement: str) -> None:
        if self.holds_write_lock or kind is StatementKind.OTHER:
            return
        if kind is StatementKind.READ:
            self.has_read = True
            return
        if self.has_read and self.policy.refuses_late_writes:
            raise LateWriteError(
                "This SQLite transaction began DEFERRED, has read, and now writes; under "
                "concurrency that fails with 'database is locked'. Take the write lock "
                f"before reading: services.locking.begin_writing(session). SQL: {statement[:200]}"
            )
        self.holds_write_lock = True


def transaction_policy(connection: Connection, default: Policy) -> Policy:
    """The policy of the transaction about to begin: BEGIN IMMEDIATE when the
    connection asks for it (services.locking.begin_writing), else `default`."""
    requested = connection.get_execution_options().get(SQLITE_BEGIN)
    if requested is None:
        return default
    return Policy(BeginMode(requested), default.refuses_late_writes)


def configure_engine(engine: Engine, policy: Callable[[], Policy] = lambda: UNCHECKED) -> None:
    """Tune a new engine: SQLite gets WAL, a busy timeout, foreign keys and
    explicit BEGINs; `policy` says how each transaction begins."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        chosen = transaction_policy(connection, policy())
        state = _Transaction(chosen, holds_write_lock=chosen.begin is BeginMode.IMMEDIATE)
        connection.info[_STATE] = state
        connection.exec_driver_sql(f"BEGIN {chosen.begin}")

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(
        connection: Connection,
        _cursor: Any,
        statement: str,
        _params: Any,
        context: Any,
        _many: bool,
    ) -> None:
        if (state := connection.info.get(_STATE)) is not None:
            state.check(statement_kind(statement, context), statement)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Connection) -> None:
        connection.info.pop(_STATE, None)
