"""The audit log (admins only): who did what and when, newest first."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import render_template, request
from flask_babel import lazy_gettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from blueprints.admin.access import roles
from blueprints.admin.blueprint import MENU, bp
from blueprints.admin.staff_forms import AuditFilterForm
from extensions import db
from models import AuditEntry, Event

MENU.append(("admin.audit", lazy_gettext("Audit log"), "admin"))

PER_PAGE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; `number` counts from 1."""

    items: list[T]
    number: int
    last: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last


def requested_page() -> int:
    return request.args.get("page", 1, type=int)


def paginate(
    session: Session, query: Select[tuple[T]], number: int, per_page: int = PER_PAGE
) -> Page[T]:
    """The asked-for page of `query`, clamped to the first and last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last = max(1, math.ceil(total / per_page))
    number = min(max(number, 1), last)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, last=last, total=total)


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
