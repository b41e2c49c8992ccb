"""Rendered public pages, kept for anonymous visitors for a few seconds.

`@cached_page` on a public GET view serves the page from an in-process
cache to a visitor whose cookies change nothing on it: one without cookies,
or one whose session holds only the CSRF token of a form they opened (no
staff sign-in, no message to show), which is everyone who has registered.
Their pages are the same, so what is rendered for either is kept. An entry
is used only while

- the content version is the one read before the page was rendered: every
  transaction that wrote events, registrations, news or directory records
  (any table but UNSEEN_TABLES) raises it before it commits, in whichever
  process on whichever machine it happened;
- it is younger than PAGE_CACHE_SECONDS (default 5; 0 serves nothing from
  the cache) and still in the minute it was rendered in: states that change
  with the clock alone ("registration closed" after a deadline, which is
  to the minute, an event moving to the archive) show at once.

The content version is the counter of the one `site_version` row
(models/site_version.py), raised in the same transaction as the change, so
the gunicorn workers, the mail worker and `flask` commands of every machine
on one database agree at once: a change cannot commit without its new
version. A request that may use the cache reads it with one primary-key
SELECT on a pooled driver connection of its own, outside the request's
ORM session (which a page served from the cache never opens); see
bench/README.md for the other ways that were weighed.

Only complete 200 responses without Set-Cookie, without `no-store` or
`private`, without a CSRF field and under MAX_BODY bytes are kept, and none
that varies by Accept-Language: the key holds the URL's language, not the
browser's.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request, request_finished, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from sqlalchemy import Engine, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from extensions import db
from models.site_version import SITE, SiteVersion

DEFAULT_SECONDS = 5
MAX_BYTES = 16 * 2**20  # per process: query strings are the visitor's to vary
MAX_BODY = 256 * 2**10
# Tables no public page shows: writing them leaves the cached pages valid.
UNSEEN_TABLES = frozenset(
    {
        "outbox_message",
        "audit_entry",
        "user_account",
        "registration_token",
        "support_application",
        "sign_in_failure",
        "site_version",
        # Staff credentials, and the questions and answers of the registration
        # form: no public page that is cached shows them (forms carry a CSRF
        # field and are never cached).
        "account_token",
        "recovery_code",
        "question",
        "question_text",
        "answer",
        # A group's contact; its participants are registration rows, which count.
        "registration_group",
    }
)
# What a session may hold for its visitor to get the page of a visitor
# without cookies: the CSRF token of a form they opened, and Flask-Login's
# "_fresh" (False for a visitor nobody signed in; a sign-in adds "_user_id").
ANONYMOUS_SESSION_KEYS = frozenset({"csrf_token", "_fresh"})
_CHANGED = "page_cache_content_changed"  # Session.info key: this transaction wrote content
_PENDING = "_page_cache_pending"  # g key: store this response when the request finishes
_READ_VERSION = select(SiteVersion.counter).where(SiteVersion.id == SITE)
# INSERT … ON CONFLICT DO UPDATE: one statement, even when the row is missing.
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class ContentVersion:
    """The counter of the `site_version` row: read before a page is
    rendered, raised by every transaction that changed what pages show."""

    def __init__(self) -> None:
        self._sql: dict[str, str] = {}  # the SELECT, compiled once per dialect

    def current(self, engine: Engine) -> int:
        """The counter now; a missing row counts as 0 (the next change makes it).

        Read on a driver connection from the engine's pool, not through the
        ORM session: a session, its transaction and the explicit SQLite BEGIN
        (models/engine.py) cost more than a cached page's whole response. The
        statement begins no transaction, so it sees the last commit: SQLite's
        connections are in autocommit mode already (models/engine.py), and a
        PostgreSQL connection is switched to it for the one statement, which
        also spares the ROLLBACK the pool would send when it is returned."""
        connection = engine.raw_connection()
        try:
            driver = connection.driver_connection
            switch = engine.dialect.name == "postgresql"
            if switch:
                driver.autocommit = True  # a pooled connection is idle: no round trip
            try:
                cursor = connection.cursor()
                cursor.execute(self._statement(engine))
                row = cursor.fetchone()
                cursor.close()
            finally:
                if switch:
                    driver.autocommit = False
        finally:
            connection.close()
        return (row[0] if row else 0) or 0

    def _statement(self, engine: Engine) -> str:
        name = engine.dialect.name
        if name not in self._sql:
            compiled = _READ_VERSION.compile(
                dialect=engine.dialect, compile_kwargs={"literal_binds": True}
            )
            self._sql[name] = str(compiled)
        return self._sql[name]

    def bump(self, session: Session) -> None:
        """Raise the counter in the session's transaction, as its last statement,
        so the row is locked only for the moment before COMMIT. On the
        connection, not through the ORM: the counter is no content itself."""
        connection = session.connection()
        upsert = _UPSERTS[connection.dialect.name]
        # A row made anew (it was deleted by hand) starts where no earlier
        # counter can have been, so no page kept before can match it.
        statement = upsert(SiteVersion).values(id=SITE, counter=time.time_ns() // 1000)
        counter = SiteVersion.__table__.c.counter
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[SiteVersion.id], set_={"counter": counter + 1}
            )
        )


@dataclass(frozen=True)
class Entry:
    version: int
    rendered_at: float  # time.time() before the page's data was read
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def is_fresh(self, version: int, now: float, seconds: float) -> bool:
        return (
            version == self.version
            and 0 <= now - self.rendered_at < seconds
            and now // 60 == self.rendered_at // 60
        )


class PageCache:
    """Entries by (scheme, host, path, query string, language); the least
    recently used go first when the bodies pass `max_bytes`."""

    def __init__(self, version: ContentVersion, seconds: float, max_bytes: int = MAX_BYTES) -> None:
        self.version = version
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, version: int, now: float) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if not entry.is_fresh(version, now, self.seconds):
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._entries.pop(key).body)

    def keys(self) -> list[tuple]:
        with self._lock:
            return list(self._entries)


def cache_key() -> tuple:
    """What a public page depends on besides the content and the clock."""
    return (request.scheme, request.host, request.path, request.query_string, g.get("lang"))


def sees_the_page_without_cookies() -> bool:
    """Whether this visitor's cookies change nothing on a public page.

    On public paths the app reads two cookies: its session, and Flask-Login's
    remember cookie (never set by this site, but honoured if sent). A
    session that holds nothing but a form's CSRF token renders exactly the
    page a visitor without cookies gets: the public pages show the session
    only through its flashed messages, and staff are signed in by it. Cookies
    the app does not read (another site's on the same domain) change nothing."""
    cookies = request.cookies
    if not cookies:
        return True
    if current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in cookies:
        return False
    # keys() does not mark the session as read: no `Vary: Cookie` for this.
    return session.keys() <= ANONYMOUS_SESSION_KEYS


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's page from the cache to visitors whose cookies change
    nothing on it, and keep what is rendered for them."""

    @functools.wraps(view)
    def serve(*args: Any, **kwargs: Any) -> Any:
        cache: PageCache | None = current_app.extensions.get("page_cache")
        if (
            cache is None
            or not cache.seconds
            or request.method != "GET"
            or not sees_the_page_without_cookies()
        ):
            return view(*args, **kwargs)
        version = cache.version.current(db.engine)
        key, now = cache_key(), time.time()
        if (entry := cache.get(key, version, now)) is not None:
            return Response(entry.body, status=entry.status, headers=entry.headers)
        setattr(g, _PENDING, (cache, key, version, now))
        return view(*args, **kwargs)

    serve.is_cached_page = True
    return serve


def _is_storable(response: Response) -> bool:
    cache_control = response.cache_control
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and response.is_sequence
        and "Set-Cookie" not in response.headers
        and not (cache_control.no_store or cache_control.private)
        and "Accept-Language" not in response.vary
        and (response.content_length or 0) <= MAX_BODY
    )


def _store(sender: Flask, response: Response, **extra: Any) -> None:
    """After the session was saved: a Set-Cookie would show here."""
    pending = g.pop(_PENDING, None)
    if pending is None or not _is_storable(response):
        return
    cache, key, version, rendered_at = pending
    body = response.get_data()
    if len(body) > MAX_BODY or b'name="csrf_token"' in body:
        return
    headers = [
        (name, value) for name, value in response.headers.items() if name.lower() != "set-cookie"
    ]
    cache.put(key, Entry(version, rendered_at, response.status_code, headers, body))


# --- noticing content changes -------------------------------------------------


def _shows(instance: object) -> bool:
    return getattr(instance, "__tablename__", None) not in UNSEEN_TABLES


def _note_flush(session: Session, _flush_context: object) -> None:
    # In after_flush, new/dirty/deleted still list what this flush wrote.
    if any(
        _shows(instance)
        for instance in itertools.chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    """Bulk INSERT/UPDATE/DELETE and textual SQL bypass the flush."""
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in UNSEEN_TABLES:
        return
    state.session.info[_CHANGED] = True


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def _bump_if_changed(session: Session) -> None:
    """Before COMMIT: flush what is still pending, and raise the version when
    this transaction wrote content. A savepoint leaves it to the commit of
    the transaction around it."""
    if session.in_nested_transaction():
        return
    session.flush()
    if session.info.pop(_CHANGED, False):
        ContentVersion().bump(session)


def init_app(app: Flask) -> None:
    """Keep pages for PAGE_CACHE_SECONDS; always raise the content version,
    since other processes may cache even where this one does not."""
    with app.app_context():
        sessionmaker = db.sessionmaker

    event.listen(sessionmaker, "after_flush", _note_flush)
    event.listen(sessionmaker, "do_orm_execute", _note_statement)
    event.listen(sessionmaker, "before_commit", _bump_if_changed)
    event.listen(sessionmaker, "after_transaction_end", _forget)
    app.extensions["page_cache"] = PageCache(
        ContentVersion(), app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS)
    )
    request_finished.connect(_store, app)
