"""gunicorn settings for the simultaneous-write tests (`gunicorn -c tests/live/write_race.py`).

Every transaction pauses 30 ms before its first write, as slower code between
reading and writing would, so that simultaneous requests really overlap. With
WRITE_LOCK=off the SQLite write lock is never taken first: every transaction
begins DEFERRED and nothing refuses a late write, as before the lock existed.
That is the control that shows the failure.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from sqlalchemy import event

import models.engine as engine_settings
from extensions import db

PAUSE = 0.03
_PAUSED = "write_race_paused"
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _pause_before_first_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if not _WRITE.match(statement):
        return
    if not conn.info.get(_PAUSED):
        conn.info[_PAUSED] = True
        time.sleep(PAUSE)


def _forget_pause(conn: Any) -> None:
    conn.info.pop(_PAUSED, None)


def _deferred_always(_connection: Any, _default: engine_settings.Policy) -> engine_settings.Policy:
    return engine_settings.UNCHECKED


def leave_out_the_write_lock() -> None:
    """Every SQLite transaction begins DEFERRED and may write after reading."""
    engine_settings.transaction_policy = _deferred_always


def post_worker_init(worker: Any) -> None:
    with worker.wsgi.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _pause_before_first_write)
    for name in ("commit", "rollback"):
        event.listen(engine, name, _forget_pause)
    if os.environ.get("WRITE_LOCK") == "off":
        leave_out_the_write_lock()
