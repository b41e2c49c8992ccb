"""The audit log (admins only): who did what and when, newest first."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import select

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.staff_forms import AuditFilterForm
from blueprints.pagination import paginate, requested_page
from extensions import db
from models import AuditEntry, Event


@bp.get("/audit")
@roles()
def audit() -> tuple[str, int]:
    form = AuditFilterForm(formdata=request.args)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    filters: dict[str, Any] = {}
    if form.validate():
        if form.action.data:
            query = query.where(AuditEntry.action.startswith(form.action.data, autoescape=True))
            filters["action"] = form.action.data
        if form.event.data:
            query = query.where(AuditEntry.event_id == form.event.data)
            filters["event"] = form.event.data
    page = paginate(db.session, query, requested_page())
    event_ids = {entry.event_id for entry in page.items if entry.event_id}
    events = {
        event.id: event
        for event in db.session.scalars(select(Event).where(Event.id.in_(event_ids)))
    }
    status = 422 if form.errors else 200
    return render_template(
        "admin/audit.html", form=form, page=page, events=events, filters=filters
    ), status
