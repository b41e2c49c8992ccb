"""Staff pages: news (being written)."""

from blueprints.admin.blueprint import bp  # noqa: F401
