"""The benchmark's databases: SQLite files in a temporary folder and the
PostgreSQL of BENCH_DATABASE_URL (created when missing, emptied before each
phase), migrated and seeded with the demo content."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from app import create_app
from config import database_url
from extensions import db
from models import Event, EventStatus
from models.base import utcnow
from services.demo import seed_events
from services.demo_directory import seed_directory
from services.demo_news import seed_news
from services.directory import city_profile
from services.localtime import local_date
from tests.databases import base_config, migrate

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/bench"
# Databases on the same server to connect to when the benchmark's is missing.
MAINTENANCE_DATABASES = ("postgres", "test")


class Unreachable(Exception):
    """PostgreSQL cannot be used: the reason, for the table."""


class Databases:
    """Hands out empty, migrated databases of one kind, one per phase."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self._numbers = itertools.count(1)
        self.postgres_url = postgres_url() if kind == "postgresql" else ""

    def fresh(self) -> str:
        if self.kind == "sqlite":
            url = f"sqlite:///{self.folder / f'bench-{next(self._numbers)}.sqlite'}"
        else:
            url = self.postgres_url
            engine = sa.create_engine(database_url(url))
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            engine.dispose()
        migrate(url)
        return url


def postgres_url() -> str:
    """BENCH_DATABASE_URL, created with CREATE DATABASE if the server lacks it."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    try:
        _connect(url)
    except sa.exc.OperationalError as error:
        if "does not exist" not in str(error):
            raise Unreachable(_first_line(error)) from None
        _create_database(url)
    return url


def _connect(url: str) -> None:
    engine = sa.create_engine(database_url(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()


def _create_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    errors = []
    for other in MAINTENANCE_DATABASES:
        engine = sa.create_engine(
            database_url(urlunsplit(parts._replace(path=f"/{other}"))),
            isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 3},
        )
        try:
            with engine.connect() as connection:
                quoted = connection.dialect.identifier_preparer.quote(name)
                connection.exec_driver_sql(f"CREATE DATABASE {quoted}")
            return
        except sa.exc.OperationalError as error:
            errors.append(_first_line(error))
        finally:
            engine.dispose()
    raise Unreachable(f"cannot create database {name!r}: {'; '.join(errors)}")


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


def bench_app(url: str, **config: object) -> Flask:
    return create_app(base_config(url) | {"TESTING": False} | config)


@contextmanager
def database_session(url: str) -> Iterator[Session]:
    """The app's session on `url`; connections closed afterwards."""
    app = bench_app(url)
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.close()
            db.engine.dispose()


def seed_site(url: str, extra_events: int) -> None:
    """The demo content (directory, news, the two workshops) and `extra_events`
    upcoming events, so that the event list shows full pages."""
    with database_session(url) as session:
        now = utcnow()
        seed_directory(session, "rostock")
        seed_events(session, local_date(now), city_profile("rostock").state)
        seed_news(session, now)
        session.add_all(
            bench_event(f"termin-{number}", days=10 + number) for number in range(extra_events)
        )
        session.commit()


def bench_event(slug: str, days: float, **overrides: object) -> Event:
    """A published upcoming event with German and English texts."""
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    event = Event(
        **{
            "slug": slug,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "min_age": 14,
            "max_age": 18,
            "capacity": 20,
            "has_waitlist": True,
            "status": EventStatus.PUBLISHED,
        }
        | overrides
    )
    event.set_text(
        "de",
        title=f"Termin {slug}",
        summary="Ein Abend im Rathaus.",
        description="Lang.",
        venue="Rostocker Rathaus",
    )
    event.set_text("en", title=f"Event {slug}", summary="An evening at the town hall.")
    return event


def add_event(url: str, slug: str, **overrides: object) -> int:
    """One more event (for the registration runs); its id."""
    with database_session(url) as session:
        event = bench_event(slug, days=30, **overrides)
        session.add(event)
        session.commit()
        return event.id
