"""An event's participants: list, filter, check-in, waitlist, removal,
messages to everyone, exports."""

from __future__ import annotations

from flask import render_template

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from models import Role


@bp.get("/events/<int:event_id>/participants")
@roles(Role.ORGANISER)
def participants(event_id: int) -> str:
    event = managed_event_or_404(event_id)
    return render_template("admin/participants.html", event=event)
