"""What runs on every request: only hooks that have something to do
(bench/README.md, "Every request cheaper")."""

from __future__ import annotations

import inspect

import pytest
from flask import Flask

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
