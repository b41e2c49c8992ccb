"""Staff pages under /admin/: every view states the roles that may use it."""

from blueprints.admin import audit_log, dashboard, events, exports, outbox, participants, staff
from blueprints.admin.blueprint import bp

__all__ = ["audit_log", "bp", "dashboard", "events", "exports", "outbox", "participants", "staff"]
