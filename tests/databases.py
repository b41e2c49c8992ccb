"""Test databases: a migrated SQLite template copied per test, and the
PostgreSQL of TEST_DATABASE_URL migrated once and emptied per test."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from extensions import alembic, db
from models import Model

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


@dataclass
class Database:
    kind: str
    url: str
    template: Path | None = None

    def fresh(self, tmp_path: Path) -> str:
        """A URL to an empty, migrated database for one test."""
        if self.template is not None:
            path = tmp_path / "test.sqlite"
            shutil.copyfile(self.template, path)
            return f"sqlite:///{path}"
        empty_tables(self.url)
        return self.url


def base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://partnerstadt.test",
        "SERVER_NAME": None,
    }


def migrate(url: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        alembic.upgrade()
        db.engine.dispose()


def empty_tables(url: str) -> None:
    engine = sa.create_engine(_sqlalchemy_url(url))
    names = ", ".join(f'"{table.name}"' for table in Model.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    engine.dispose()


def _sqlalchemy_url(url: str) -> str:
    from config import database_url

    return database_url(url)


def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    template = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    url = f"sqlite:///{template}"
    migrate(url)
    return Database("sqlite", url, template)


def postgres_database() -> Database:
    if not TEST_DATABASE_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
    engine = sa.create_engine(_sqlalchemy_url(TEST_DATABASE_URL))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    except sa.exc.OperationalError as error:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    finally:
        engine.dispose()
    migrate(TEST_DATABASE_URL)
    return Database("postgresql", TEST_DATABASE_URL)
