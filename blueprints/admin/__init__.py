"""Staff pages under /admin/: every view states the roles that may use it."""

from blueprints.admin import (
    applications,
    audit_log,
    categories,
    dashboard,
    directory,
    door,
    events,
    exports,
    news,
    outbox,
    participants,
    questions,
    staff,
    statistics,
    uploads,
)
from blueprints.admin.blueprint import bp

__all__ = [
    "applications",
    "audit_log",
    "bp",
    "categories",
    "dashboard",
    "directory",
    "door",
    "events",
    "exports",
    "news",
    "outbox",
    "participants",
    "questions",
    "staff",
    "statistics",
    "uploads",
]
