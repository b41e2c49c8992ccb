"""Staff pages under /admin/: every view states the roles that may use it."""

from blueprints.admin import (
    applications,
    audit_log,
    dashboard,
    directory,
    door,
    events,
    exports,
    news,
    outbox,
    participants,
    staff,
    statistics,
)
from blueprints.admin.blueprint import bp

__all__ = [
    "applications",
    "audit_log",
    "bp",
    "dashboard",
    "directory",
    "door",
    "events",
    "exports",
    "news",
    "outbox",
    "participants",
    "staff",
    "statistics",
]
