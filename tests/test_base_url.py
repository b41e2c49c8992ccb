"""SPEC "Deployment and defaults": BASE_URL defaults to the address that
`make run` serves (PORT included); emailed, feed and calendar links always
use BASE_URL, whatever address the request came in on."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app import create_app
from extensions import db
from models import OutboxMessage
from tests.conftest import RequestClient, registration_form, submit
from tests.databases import base_config


@pytest.fixture
def app_on_port(database_url, monkeypatch):
    """The app as `PORT=5077 make run` builds it: BASE_URL unset."""
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5077")
    config = base_config(database_url)
    del config["BASE_URL"]
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.engine.dispose()


def test_base_url_defaults_to_the_port_make_run_serves(app_on_port):
    assert app_on_port.config["BASE_URL"] == "http://127.0.0.1:5077"


def test_without_port_base_url_is_make_runs_default_address(database_url, monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    config = base_config(database_url)
    del config["BASE_URL"]
    assert create_app(config).config["BASE_URL"] == "http://127.0.0.1:5000"


def test_mailed_links_use_the_port_make_run_serves(app_on_port, make_event):
    make_event()
    client = app_on_port.test_client()
    response = submit(client, "/de/events/forumtheater/register", registration_form())
    assert response.status_code == 303
    body = db.session.scalar(select(OutboxMessage.body_text))
    assert "http://127.0.0.1:5077/de/registrations/confirm/" in body


def calendar_url(response) -> str:
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    return str(event["url"])


def test_calendar_links_use_base_url_not_the_requests_address(database_url, make_event):
    make_event()
    config = base_config(database_url) | {"BASE_URL": "https://international.stadt.example/portal"}
    app = create_app(config)
    client = app.test_client()
    for base_url in ("http://localhost", "http://localhost/portal"):
        response = client.get("/de/events/forumtheater.ics", base_url=base_url)
        assert response.status_code == 200
        expected = "https://international.stadt.example/portal/de/events/forumtheater/"
        assert calendar_url(response) == expected
    with app.app_context():
        db.engine.dispose()
