"""Recording the SQL the app sends: for tests that a page's statements do
not grow with the data, and that a request takes the locks it should."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from extensions import db


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """Every statement the app's engine sends inside the block, in order."""
    sent: list[str] = []

    def note(_connection, _cursor, statement: str, *_args) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def statements_of_get(client: FlaskClient, url: str) -> int:
    """How many statements one successful GET of `url` sends."""
    with recorded_statements() as sent:
        assert client.get(url).status_code == 200
    return len(sent)
