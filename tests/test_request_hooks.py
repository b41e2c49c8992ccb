"""What runs on every request: only hooks that have something to do, and
templates that reuse what they looked up before without changing what
they show (bench/README.md, "Every request cheaper")."""

from __future__ import annotations

import inspect

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale

from app import create_app
from extensions import limiter
from tests.databases import base_config


@pytest.fixture
def limited_app(tmp_path) -> Flask:
    """The app as deployed: rate limits on."""
    return create_app(
        base_config(f"sqlite:///{tmp_path / 'hooks.sqlite'}") | {"RATELIMIT_ENABLED": True}
    )


def test_no_async_teardown_starts_a_thread_per_request(limited_app):
    assert not any(
        inspect.iscoroutinefunction(teardown) for teardown in limited_app.teardown_appcontext_funcs
    )


def test_the_limiter_does_not_check_requests_its_views_do_not_limit(limited_app):
    """The limits sit on the views, which check them themselves
    (test_hardening.py and test_sign_in_limits.py show that they hold)."""
    hooks = limited_app.before_request_funcs.get(None, [])
    assert not any(getattr(hook, "__self__", None) is limiter for hook in hooks)


def test_links_in_templates_are_built_per_language(limited_app):
    template = "{{ url_for('public.home') }} {{ url_for('public.event_list', page=2) }}"
    for lang in ("de", "en", "de"):
        with limited_app.test_request_context(f"/{lang}/"):
            limited_app.preprocess_request()
            assert render_template_string(template) == f"/{lang}/ /{lang}/events/?page=2"


def test_links_with_options_are_built_each_time(limited_app):
    with limited_app.test_request_context("/de/", base_url="http://127.0.0.1:5000"):
        limited_app.preprocess_request()
        assert (
            render_template_string("{{ url_for('public.home', _external=True) }}")
            == "http://127.0.0.1:5000/de/"
        )


def test_texts_in_templates_follow_force_locale(limited_app):
    with limited_app.test_request_context("/de/"):
        limited_app.preprocess_request()
        assert render_template_string("{{ _('Home') }}") == "Startseite"
        with force_locale("en"):
            assert render_template_string("{{ _('Home') }}") == "Home"
        assert render_template_string("{{ _('Home') }}") == "Startseite"
