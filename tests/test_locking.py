"""services.locking: the one way to lock rows for the rest of a transaction,
on both databases (SQLite: the write lock; PostgreSQL: FOR UPDATE with a
lock timeout), used for seats, support applications and the outbox."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from config import database_url as sqlalchemy_url
from extensions import db
from models import ApplicationStatus, Event, Role, SupportApplication, User
from services import applications, locking
from tests.conftest import csrf_token, registration_form
from tests.statements import recorded_statements


def other_writer_gets_in(url: str, table: str, row_id: int) -> bool:
    """Whether another process could lock or write the row at once."""
    if url.startswith("sqlite"):
        other = sqlite3.connect(make_url(url).database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()
    engine = sa.create_engine(sqlalchemy_url(url))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"SELECT id FROM {table} WHERE id = {row_id} FOR UPDATE NOWAIT"
            )
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_a_row_locked_with_lock_one_is_held_until_the_transaction_ends(
    app, make_event, database_url
):
    event = make_event()
    # Changed behind the ORM's back: lock_one must read the row afresh.
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(capacity=12))
    db.session.commit()
    locked = locking.lock_one(db.session, Event, event.id)
    assert locked is not None and locked.capacity == 12
    assert not other_writer_gets_in(database_url, "event", event.id)
    db.session.commit()
    assert other_writer_gets_in(database_url, "event", event.id)
    assert locking.lock_one(db.session, Event, event.id + 1000) is None
    db.session.rollback()


def test_lock_rows_can_leave_out_rows_others_hold(app, make_event, database_url):
    first, _ = make_event(slug="eins"), make_event(slug="zwei")
    query = sa.select(Event).order_by(Event.id)
    rows = locking.lock_rows(db.session, query, skip_locked=True)
    assert [row.slug for row in rows] == ["eins", "zwei"]
    db.session.rollback()
    if not database_url.startswith("postgresql"):
        return  # SQLite has one writer at a time: there is nothing to skip
    engine = sa.create_engine(sqlalchemy_url(database_url))
    with engine.begin() as other:
        other.exec_driver_sql(f"SELECT id FROM event WHERE id = {first.id} FOR UPDATE")
        rows = locking.lock_rows(db.session, query, skip_locked=True)
        assert [row.slug for row in rows] == ["zwei"]
        db.session.rollback()
    engine.dispose()


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_status_change_waits_at_most_the_lock_timeout_for_its_application(app, database_url):
    application = SupportApplication(
        status=ApplicationStatus.SUBMITTED,
        language="de",
        organisation="Verein",
        contact_name="Eva",
        email="eva@example.org",
        partner_key="city:szczecin",
        partner_name="Stettin",
        project_title="Projekt",
        description="Ein Austausch.",
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 1, 12),
        amount_requested=Decimal("800.00"),
        privacy_consent_at=datetime.now(UTC),
        privacy_consent_text="ja",
        created_at=datetime.now(UTC),
    )
    admin = User(email="admin@stadt.example", password_hash="x", role=Role.ADMIN)
    db.session.add_all([application, admin])
    db.session.commit()
    engine = sa.create_engine(sqlalchemy_url(database_url))
    holder = engine.connect()
    holder.begin()
    holder.exec_driver_sql(
        f"SELECT id FROM support_application WHERE id = {application.id} FOR UPDATE"
    )
    release = threading.Timer(8, holder.rollback)  # without a timeout the change waits this long
    release.start()
    try:
        started = time.monotonic()
        refused = pytest.raises(sa.exc.OperationalError, match="lock timeout")
        with app.test_request_context("/admin/"), refused:
            applications.change_status(
                db.session,
                application.id,
                ApplicationStatus.IN_REVIEW,
                None,
                admin,
                datetime.now(UTC),
            )
        assert time.monotonic() - started < 6
    finally:
        release.cancel()
        holder.rollback()
        holder.close()
        engine.dispose()


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_locked_name_is_held_until_the_transaction_ends(app, database_url):
    engine = sa.create_engine(sqlalchemy_url(database_url))

    def other_gets(name: str) -> bool:
        with Session(engine) as other:
            other.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))
            try:
                locking.lock_name(other, 7, name)
                return True
            except sa.exc.OperationalError:
                return False

    locking.begin_writing(db.session)
    locking.lock_name(db.session, 7, "anna@example.org")
    assert not other_gets("anna@example.org")
    assert other_gets("tom@example.org")
    db.session.rollback()
    assert other_gets("anna@example.org")
    engine.dispose()


def test_rows_are_locked_only_in_services_locking():
    """One way to lock: every FOR UPDATE and advisory lock is written there."""
    root = Path(__file__).resolve().parent.parent
    sources = [root / "commands.py", root / "app.py"] + [
        path
        for folder in ("blueprints", "services", "models")
        for path in (root / folder).rglob("*.py")
    ]
    lockers = {
        path.relative_to(root).as_posix()
        for path in sources
        if re.search(r"with_for_update|pg_advisory", path.read_text())
    }
    assert lockers == {"services/locking.py"}


def locks_taken(send) -> list[str]:
    """The statements that take a lock while `send()` runs: SQLite's
    BEGIN IMMEDIATE (its write lock), PostgreSQL's SELECT … FOR UPDATE."""
    with recorded_statements() as sent:
        send()
    return [s for s in sent if s.startswith("BEGIN IMMEDIATE") or "FOR UPDATE" in s]


def test_the_registration_form_takes_a_lock_only_to_count_seats(app, client, make_event):
    """Loading the event and checking every field read side by side with
    other writers; only the service's seat count locks (on SQLite a POST's
    transactions otherwise begin IMMEDIATE), so a burst of submissions
    queues for the moment of the count, not for the whole request."""
    event = make_event(guardian_consent_below_age=0)
    url = f"/de/events/{event.slug}/register"
    token = csrf_token(client, url)
    wrong = registration_form(email="not an address", csrf_token=token)
    assert locks_taken(lambda: client.post(url, data=wrong)) == []
    right = registration_form(csrf_token=token)
    assert len(locks_taken(lambda: client.post(url, data=right))) == 1
