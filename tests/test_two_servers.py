"""The page cache on several machines: two app servers, each from a checkout
of its own (its own instance folder, nothing shared but the database), on one
PostgreSQL database. A registration on server A shows on server B's event
page at once, although B keeps its pages far longer than the test takes."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from extensions import db
from tests.conftest import registration_form
from tests.live.servers import ROOT, Gunicorn

pytestmark = pytest.mark.live

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Only what the app needs to run; no instance folder, so nothing is shared.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "instance", "__pycache__", "*.sqlite", ".*_cache"
)


def checkout(tmp_path: Path, name: str) -> Path:
    """A copy of this working tree, as a second machine would have it."""
    root = tmp_path / name
    shutil.copytree(ROOT, root, ignore=NOT_COPIED)
    return root


def retitle_behind_the_apps_back(event_id: int, title: str) -> None:
    """A change no session sees (as with psql): it raises no version, so a
    server that still shows the old title serves its page from its cache."""
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE event_text SET title = :title WHERE event_id = :id AND lang = 'en'"),
            {"title": title, "id": event_id},
        )


def wait_for_a_fresh_minute() -> None:
    """Cached pages end with their minute; keep the test inside one."""
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)


def test_a_registration_on_one_server_shows_on_the_other_at_once(
    database, database_url, make_event, tmp_path
):
    if database.kind != "postgresql":
        pytest.skip("two machines share a PostgreSQL database, not a SQLite file")
    event = make_event(capacity=10, title_en="Forum theatre")
    page = f"/en/events/{event.slug}/"
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "two-servers-one-database-secret-key",
        "PAGE_CACHE_SECONDS": "120",
    }
    a, b = checkout(tmp_path, "a"), checkout(tmp_path, "b")
    with (
        Gunicorn(tmp_path, env, workers=2, root=a) as server_a,
        Gunicorn(tmp_path, env, workers=1, root=b) as server_b,
    ):
        wait_for_a_fresh_minute()
        assert "10 seats left" in httpx.get(server_b.url + page).text
        retitle_behind_the_apps_back(event.id, "Changed behind the back of the app")
        cached = httpx.get(server_b.url + page).text
        assert "Forum theatre" in cached and "10 seats left" in cached  # from B's cache

        with httpx.Client(base_url=server_a.url, timeout=30) as visitor:
            token = CSRF.search(visitor.get(page + "register").text).group(1)
            form = registration_form(csrf_token=token)
            assert visitor.post(page + "register", data=form).status_code == 303

        fresh = httpx.get(server_b.url + page).text
        assert "9 seats left" in fresh
        assert "Changed behind the back of the app" in fresh  # rendered anew, not from the cache
