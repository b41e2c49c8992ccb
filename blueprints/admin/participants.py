"""An event's participants: list, filter, check-in, waitlist, removal,
messages to everyone. The rules live in services/participants.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from werkzeug import Response

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from blueprints.admin.notices import flash_promoted
from blueprints.admin.participant_forms import ParticipantMessageForm, ParticipantUpdateForm
from extensions import db
from i18n import current_language
from models import Event, Registration, RegistrationStatus, Role
from models.base import utcnow
from models.registration import ACTIVE
from services import participants as service
from services import questions
from services.labels import ATTENDANCE, REGISTRATION_STATUSES

# Registration ids in URLs stay within the database's integer column.
MAX_ID = 2**31 - 1
ONE = f"/events/<int:event_id>/participants/<int(max={MAX_ID}):registration_id>"

Result = TypeVar("Result")


def _filters() -> dict[str, str]:
    """The list's filters from the query string, checked and bounded; they
    are kept across every button's POST and redirect."""
    kept: dict[str, str] = {}
    status = request.args.get("status", "")
    if status in {s.value for s in service.STATUSES}:
        kept["status"] = status
    if query := service.bounded_search(request.args.get("q", "")):
        kept["q"] = query
    attendance = request.args.get("attendance", "")
    if attendance in service.ATTENDANCE:
        kept["attendance"] = attendance
    return kept


def _back(event_id: int, registration_id: int | None = None) -> Response:
    anchor = f"registration-{registration_id}" if registration_id else None
    return redirect(url_for(".participants", event_id=event_id, _anchor=anchor, **_filters()), 303)


def _to_remove(event: Event) -> Registration | None:
    """The registration named by ?remove=<id>, asked about before removing;
    an id of another event is not found."""
    raw = request.args.get("remove")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID):
        abort(404)
    registration = service.registration_of(db.session, event.id, int(raw))
    if registration is None:
        abort(404)
    return registration if registration.status in ACTIVE else None


def _page(event: Event, message_form: ParticipantMessageForm, status: int = 200) -> Response:
    filters = _filters()
    shown = RegistrationStatus(filters["status"]) if "status" in filters else None
    rows = service.listing(
        db.session, event, shown, filters.get("q", ""), filters.get("attendance")
    )
    body = render_template(
        "admin/participants.html",
        event=event,
        overview=service.overview(db.session, event, utcnow()),
        rows=rows,
        attendance_labels=ATTENDANCE,
        has_ended=event.has_ended,
        asks=bool(questions.questions_of(db.session, event.id)),
        answers=questions.answer_lines(
            db.session, event.id, (row.registration.id for row in rows), current_language()
        ),
        shown=shown,
        filters=filters,
        labels=REGISTRATION_STATUSES,
        to_remove=_to_remove(event),
        message_form=message_form,
    )
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


@bp.get("/events/<int:event_id>/participants")
@roles(Role.ORGANISER)
def participants(event_id: int) -> Response:
    event = managed_event_or_404(event_id)
    form = ParticipantMessageForm(
        data={"statuses": [RegistrationStatus.PENDING.value, RegistrationStatus.CONFIRMED.value]}
    )
    return _page(event, form)


def _change(event: Event, registration_id: int, change: Callable[..., Result]) -> Result | None:
    """Run one person's change: 404 for a registration of another event, a
    flashed reason when a rule says no (then None)."""
    if not ParticipantUpdateForm().validate_on_submit():
        abort(400)
    try:
        return change(db.session, event.id, registration_id, current_user, utcnow())
    except service.ParticipantNotFound:
        abort(404)
    except service.ParticipantRefused as refusal:
        flash(refusal.message, "warning")
    return None


@bp.post(f"{ONE}/check-in")
@roles(Role.ORGANISER)
def participant_check_in(event_id: int, registration_id: int) -> Response:
    event = managed_event_or_404(event_id)
    if registration := _change(event, registration_id, service.check_in):
        flash(gettext("%(name)s is checked in.", name=registration.full_name), "success")
    return _back(event.id, registration_id)


@bp.post(f"{ONE}/check-in/undo")
@roles(Role.ORGANISER)
def participant_check_in_undo(event_id: int, registration_id: int) -> Response:
    event = managed_event_or_404(event_id)
    if registration := _change(event, registration_id, service.undo_check_in):
        flash(
            gettext("The check-in of %(name)s is undone.", name=registration.full_name), "success"
        )
    return _back(event.id, registration_id)


@bp.post(f"{ONE}/promote")
@roles(Role.ORGANISER)
def participant_promote(event_id: int, registration_id: int) -> Response:
    event = managed_event_or_404(event_id)
    if registration := _change(event, registration_id, service.promote):
        flash(
            gettext("%(name)s has got a place and is told by email.", name=registration.full_name),
            "success",
        )
    return _back(event.id, registration_id)


@bp.post(f"{ONE}/remove")
@roles(Role.ORGANISER)
def participant_remove(event_id: int, registration_id: int) -> Response:
    event = managed_event_or_404(event_id)
    if outcome := _change(event, registration_id, service.remove):
        removed, promoted = outcome
        flash(
            gettext("%(name)s has been removed and is told by email.", name=removed.full_name),
            "success",
        )
        flash_promoted(promoted)
    return _back(event.id, registration_id)


@bp.post("/events/<int:event_id>/participants/message")
@roles(Role.ORGANISER)
def participants_message(event_id: int) -> Response:
    event = managed_event_or_404(event_id)
    form = ParticipantMessageForm()
    if form.validate_on_submit():
        try:
            sent = service.send_message(db.session, event.id, form.message(), current_user)
        except service.ParticipantRefused as refusal:
            form.statuses.errors.append(refusal.message)
        else:
            flash(
                ngettext(
                    "The message is on its way to %(num)d person.",
                    "The message is on its way to %(num)d people.",
                    sent,
                ),
                "success",
            )
            return _back(event.id)
    return _page(event, form, 422)
