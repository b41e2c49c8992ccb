"""Staff pages: audit_log (being written)."""

from blueprints.admin.blueprint import bp  # noqa: F401
