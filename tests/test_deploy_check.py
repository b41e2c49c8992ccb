"""SPEC "Deployment and defaults": `flask deploy-check` prints every problem
of the configuration (`config.deploy_problems()`) and exits 1 when there is one."""

from __future__ import annotations

import secrets

import pytest

from app import create_app
from config import LEGAL_PAGE_SETTINGS, deploy_problems
from extensions import db

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(48),
    "BASE_URL": "https://international.stadt.example",
    "MAIL_SERVER": "mail.stadt.example",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "OFFICE_ADDRESS": "Rathaus\n18055 Rostock",
    "OFFICE_EMAIL": "international@stadt.example",
    "OFFICE_PHONE": "0381 381-1234",
    "DPO_EMAIL": "datenschutz@stadt.example",
    "IMPRINT_REPRESENTATIVE": "Die Oberbürgermeisterin",
    "IMPRINT_RESPONSIBLE": "Erika Beispiel, Fachbereich Internationales",
}
LEGAL = sorted({name for names in LEGAL_PAGE_SETTINGS.values() for name in names})


@pytest.fixture
def production_app(database_url):
    """An app with the README's production settings, plus `changes`."""
    apps = []

    def make(**changes):
        app = create_app({"DATABASE_URL": database_url} | PRODUCTION | changes)
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_the_production_configuration_passes_the_deploy_check(production_app):
    app = production_app()
    assert deploy_problems(app.config) == []
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"SECRET_KEY": "dev"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 40}, "SECRET_KEY"),
        ({"DEBUG": True}, "DEBUG"),
        ({"BASE_URL": "http://international.stadt.example"}, "https://"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
        ({"RATELIMIT_ENABLED": False}, "RATELIMIT_ENABLED"),
        ({"MAIL_SERVER": ""}, "MAIL_SERVER"),
    ],
)
def test_the_deploy_check_names_each_weakness(production_app, change, problem):
    app = production_app(**change)
    assert any(problem in line for line in deploy_problems(app.config))


def test_in_memory_rate_limit_storage_is_a_problem_for_several_workers(production_app):
    app = production_app(RATELIMIT_STORAGE_URI="memory://")
    (problem,) = deploy_problems(app.config)
    assert "RATELIMIT_STORAGE_URI" in problem and "redis://" in problem


@pytest.mark.parametrize("name", LEGAL)
def test_an_unset_imprint_or_privacy_detail_is_a_problem(production_app, name):
    app = production_app(**{name: "  "})
    problems = deploy_problems(app.config)
    assert problems and all(name in problem for problem in problems)


def test_the_legal_settings_checked_are_those_of_the_imprint_and_privacy_notice():
    assert set(LEGAL) == {
        "OFFICE_ADDRESS",
        "OFFICE_EMAIL",
        "OFFICE_PHONE",
        "DPO_EMAIL",
        "IMPRINT_REPRESENTATIVE",
        "IMPRINT_RESPONSIBLE",
    }


def test_flask_deploy_check_prints_every_problem_and_exits_1(production_app):
    app = production_app(
        SECRET_KEY="dev", MAIL_SERVER="", RATELIMIT_STORAGE_URI="memory://", DPO_EMAIL=""
    )
    result = app.test_cli_runner().invoke(args=["deploy-check"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert lines == [f"- {problem}" for problem in deploy_problems(app.config)]
    assert len(lines) == 4
    assert "4 problem(s)" in result.stderr


def test_flask_deploy_check_sees_debug_switched_on_by_flask_debug(production_app, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    result = production_app().test_cli_runner().invoke(args=["deploy-check"])
    assert result.exit_code == 1
    assert "- DEBUG is on" in result.stdout


def test_flask_deploy_check_of_a_production_configuration_exits_0(production_app):
    result = production_app().test_cli_runner().invoke(args=["deploy-check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "No problems found in the configuration."
