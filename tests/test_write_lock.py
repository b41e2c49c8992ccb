"""SQLite's write lock, taken before reading. A transaction that began
DEFERRED and has read cannot become the writer once another process has
written since: SQLite answers "database is locked" at once, without waiting.
Here another connection writes right after the first read of each
transaction (a process elsewhere, deterministically in one process), and
every write of the application must still succeed; a place that forgot to
take the lock must fail every time; and pages that only read must not wait
for a writer."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from extensions import db
from models import (
    AuditEntry,
    City,
    NewsPost,
    OutboxMessage,
    OutboxStatus,
    Relation,
    SupportApplication,
    User,
)
from models.engine import LateWriteError, StatementKind, statement_kind
from services import audit, locking
from tests.conftest import PASSWORD, registration_form, run_worker, submit

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

_DONE = "test_another_writer_done"


class AnotherWriter:
    """Writes from a second connection after the first read of every
    transaction of the app's engine, if it gets the write lock at once."""

    def __init__(self, app: Flask, database_url: str) -> None:
        self.engine = db.engine
        path = make_url(database_url).database
        self.other = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.wrote = self.locked_out = 0

    def _after_statement(self, conn, _cursor, statement, _params, context, _many) -> None:
        if conn.info.get(_DONE) or statement_kind(statement, context) is not StatementKind.READ:
            return
        conn.info[_DONE] = True
        try:
            self.other.execute(f"PRAGMA user_version = {self.wrote + 1}")
            self.wrote += 1
        except sqlite3.OperationalError:  # the app holds the write lock: the other one waits
            self.locked_out += 1

    @staticmethod
    def _forget(conn) -> None:
        conn.info.pop(_DONE, None)

    @contextmanager
    def active(self) -> Iterator[AnotherWriter]:
        event.listen(self.engine, "after_cursor_execute", self._after_statement)
        event.listen(self.engine, "begin", self._forget)
        try:
            yield self
        finally:
            event.remove(self.engine, "after_cursor_execute", self._after_statement)
            event.remove(self.engine, "begin", self._forget)


@pytest.fixture
def another_writer(app, database_url) -> Iterator[AnotherWriter]:
    writer = AnotherWriter(app, database_url)
    yield writer
    writer.other.close()


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_sign_in_records_itself_although_another_process_wrote_meanwhile(
    client, make_user, another_writer
):
    user = make_user("organiser")
    with another_writer.active():
        response = submit(client, "/admin/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert count(User, User.last_login_at.is_not(None)) == 1
    assert another_writer.locked_out > 0  # the sign-in held the write lock from its first read


def test_an_export_records_its_audit_row_although_another_process_wrote_meanwhile(
    staff_client, make_event, make_registration, another_writer
):
    admin = staff_client("admin")
    event = make_event()
    make_registration(event)
    with another_writer.active():
        response = admin.get(f"/admin/events/{event.id}/participants.csv")
    assert response.status_code == 200
    assert count(AuditEntry, AuditEntry.action == "participants.export") == 1


def test_a_news_save_succeeds_although_another_process_wrote_meanwhile(
    staff_client, another_writer
):
    editor = staff_client("editor")
    form = {
        "slug": "sommerfest",
        "title_de": "Sommerfest",
        "teaser_de": "Kurz",
        "status": "published",
    }
    with another_writer.active():
        response = submit(editor, "/admin/news/new", form)
    assert response.status_code == 303
    assert count(NewsPost) == 1


def test_a_support_application_succeeds_although_another_process_wrote_meanwhile(
    client, another_writer
):
    city = City(slug="szczecin", country="PL", relation=Relation.PARTNER, since=1957)
    city.set_text("de", name="Stettin")
    db.session.add(city)
    db.session.commit()
    starts = date.today() + timedelta(days=200)
    form = {
        "organisation": "Ruderclub",
        "contact_name": "Eva Muster",
        "email": "eva@example.org",
        "partner": "city:szczecin",
        "project_title": "Regatta",
        "description": "Ein Austausch.",
        "starts_on": starts.isoformat(),
        "ends_on": starts.isoformat(),
        "amount_requested": "1500",
        "privacy_consent": "y",
    }
    with another_writer.active():
        response = submit(client, "/de/support/apply", form)
    assert response.status_code == 303
    assert count(SupportApplication) == 1


def test_the_mail_worker_records_a_sent_message_although_another_process_wrote_meanwhile(
    app, client, make_event, smtp, another_writer
):
    make_event()
    registered = submit(client, "/de/events/forumtheater/register", registration_form())
    assert registered.status_code == 303
    with another_writer.active():
        report = run_worker(app)
    assert report.sent == 1 and len(smtp.inbox.messages) == 1
    assert count(OutboxMessage, OutboxMessage.status == OutboxStatus.SENT) == 1


# --- a place that forgot the lock fails every time --------------------------------


def test_a_get_that_writes_after_reading_without_the_write_lock_is_refused(app, caplog):
    def writes_in_a_get() -> str:
        db.session.scalar(select(func.count()).select_from(User))
        audit.record(db.session, None, "test.write")
        db.session.commit()
        return "written"

    def writes_after_begin_writing() -> str:
        locking.begin_writing(db.session)
        writes_in_a_get()
        return "written"

    app.add_url_rule("/test/late-write", view_func=writes_in_a_get)
    app.add_url_rule("/test/locked-write", view_func=writes_after_begin_writing)
    client = app.test_client()
    assert client.get("/test/late-write").status_code == 500
    [logged] = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert isinstance(logged, LateWriteError) and "begin_writing" in str(logged)
    assert client.get("/test/locked-write").get_data(as_text=True) == "written"
    assert count(AuditEntry) == 1


def test_the_worker_refuses_a_write_after_a_read_without_the_write_lock(app):
    with locking.checked_writes(), pytest.raises(LateWriteError):
        db.session.rollback()
        db.session.scalar(select(func.count()).select_from(User))
        audit.record(db.session, None, "test.write")
        db.session.flush()
    db.session.rollback()
    assert count(AuditEntry) == 0


# --- readers stay concurrent ---------------------------------------------------


def test_pages_that_only_read_do_not_wait_for_a_writer(app, client, make_event, database_url):
    make_event()
    writer = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.perf_counter()
        pages = [client.get(url) for url in ("/de/", "/de/events/", "/de/events/forumtheater/")]
        seconds = time.perf_counter() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert seconds < 2  # the busy timeout is 15 s: nobody waited for the lock
