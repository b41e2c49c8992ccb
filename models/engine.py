"""Database connection settings that the rules of the product rely on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

# Execution option that makes a SQLite transaction take the write lock at BEGIN.
SQLITE_BEGIN = "sqlite_begin"


def configure_engine(engine: Engine) -> None:
    """Tune a new engine: SQLite gets WAL, a busy timeout, foreign keys and
    explicit BEGINs, so that a transaction can ask for the write lock first."""
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
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        if mode not in {"DEFERRED", "IMMEDIATE"}:
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        connection.exec_driver_sql(f"BEGIN {mode}")
