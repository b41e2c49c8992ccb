"""The door: check-in by camera, code or name on an organiser's phone. The
rules live in services/door.py."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug import Response

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from blueprints.admin.door_forms import CheckInForm, DoorButtonForm
from extensions import db
from models import Event, Role
from models.base import utcnow
from services import door, participants
from services.labels import REGISTRATION_STATUSES

MAX_ID = 2**31 - 1
PAGE = "/events/<int:event_id>/check-in"
ONE = f"{PAGE}/<int(max={MAX_ID}):registration_id>"
# The camera is allowed on this page only, for this site only.
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"


def _page(
    event: Event, form: CheckInForm, answer: door.Answer | None = None, status: int = 200
) -> Response:
    body = render_template(
        "admin/check_in.html",
        event=event,
        form=form,
        answer=answer,
        outcomes=door.Outcome,
        window=door.window_outcome(event, utcnow()),
        opens_at=door.opens_at(event),
        labels=REGISTRATION_STATUSES,
        checked_in=participants.overview(db.session, event, utcnow()).checked_in,
    )
    response = make_response(body, status)
    response.headers["Permissions-Policy"] = CAMERA_ALLOWED
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


@bp.get(PAGE)
@roles(Role.ORGANISER)
def check_in(event_id: int) -> Response:
    event = managed_event_or_404(event_id)
    return _page(event, CheckInForm(formdata=None))


@bp.post(PAGE)
@roles(Role.ORGANISER)
def check_in_look_up(event_id: int) -> Response:
    """A scanned or typed code checks in at once; a name lists who matches."""
    event = managed_event_or_404(event_id)
    form = CheckInForm()
    if not form.validate_on_submit():
        return _page(event, form, status=422)
    answer = door.look_up(db.session, event, form.code.data, current_user, utcnow())
    return _page(event, CheckInForm(formdata=None), answer)


@bp.post(ONE)
@roles(Role.ORGANISER)
def check_in_admit(event_id: int, registration_id: int) -> Response:
    """The organiser chose this person (found by name), or admits them
    although a confirmation is missing (`despite=1`)."""
    event = managed_event_or_404(event_id)
    if not DoorButtonForm().validate_on_submit():
        abort(400)
    answer = door.admit(
        db.session,
        event,
        registration_id,
        current_user,
        utcnow(),
        despite_missing=request.form.get("despite") == "1",
    )
    return _page(event, CheckInForm(formdata=None), answer)


@bp.post(f"{ONE}/undo")
@roles(Role.ORGANISER)
def check_in_undo(event_id: int, registration_id: int) -> Response:
    event = managed_event_or_404(event_id)
    if not DoorButtonForm().validate_on_submit():
        abort(400)
    try:
        registration = participants.undo_check_in(
            db.session, event.id, registration_id, current_user, utcnow()
        )
    except participants.ParticipantNotFound:
        abort(404)
    except participants.ParticipantRefused as refusal:
        flash(refusal.message, "warning")
    else:
        flash(
            gettext("The check-in of %(name)s is undone.", name=registration.full_name), "success"
        )
    return redirect(url_for(".check_in", event_id=event.id), 303)
