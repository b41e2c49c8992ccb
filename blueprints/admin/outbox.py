"""Staff pages: outbox (being written)."""

from blueprints.admin.blueprint import bp  # noqa: F401
