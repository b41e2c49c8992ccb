"""Events on the staff side: list, create, edit, duplicate, cancel."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from werkzeug import Response

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from blueprints.admin.event_forms import EventCancelForm, EventEditForm
from blueprints.admin.notices import flash_promoted
from extensions import db
from models import Event, EventStatus, Role
from models.base import utcnow
from services import cancellation, event_admin, event_listing
from services.seats import held_seats_by_event


@bp.get("/events/")
@roles(Role.ORGANISER)
def events() -> str:
    shown = event_listing.shown_list(request.args.get("list"))
    listed = event_listing.staff_events(db.session, current_user, shown, utcnow())
    return render_template(
        "admin/events.html",
        events=listed,
        shown=shown,
        held=held_seats_by_event(db.session, (e.id for e in listed)),
    )


def _save(
    form: EventEditForm, event_id: int | None, copy_of: Event | None = None
) -> Response | None:
    """Create or update from a valid form; None when a rule refused it."""
    promoted = []
    try:
        if event_id is None:
            event = event_admin.create_event(
                db.session, form.event_data(), current_user, copy_of=copy_of
            )
        else:
            saved = event_admin.update_event(
                db.session, event_id, form.event_data(), current_user, utcnow()
            )
            event, promoted = saved.event, saved.promoted
    except event_admin.EventRefused as refusal:
        form.add_errors(refusal.errors)
        return None
    flash(gettext("The event has been saved."), "success")
    flash_promoted(promoted)
    return redirect(url_for(".event_edit", event_id=event.id), 303)


def _form_page(form: EventEditForm, event: Event | None, **context: object) -> tuple[str, int]:
    form.offer_statuses(event)
    page = render_template("admin/event_form.html", form=form, event=event, **context)
    return page, 422 if form.errors else 200


@bp.route("/events/new", methods=["GET", "POST"])
@roles(Role.ORGANISER)
def event_new() -> Response | tuple[str, int]:
    form = EventEditForm(
        data={
            "guardian_consent_below_age": 16,
            "max_group_size": 1,
            "status": EventStatus.DRAFT.value,
        }
    )
    copy_of = _copied_event()
    if form.validate_on_submit() and (saved := _save(form, None, copy_of)):
        return saved
    return _form_page(form, None, duplicate_of=copy_of)


def _copied_event() -> Event | None:
    """The event a new one is the next edition of (the duplicate form's
    `duplicate_of`), if this user manages it: its questions are copied."""
    raw = request.form.get("duplicate_of", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return managed_event_or_404(int(raw))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@roles(Role.ORGANISER)
def event_edit(event_id: int) -> Response | tuple[str, int]:
    event = managed_event_or_404(event_id)
    form = EventEditForm(data=event_admin.form_data(event, with_dates=True))
    form.has_image = event.image_filename is not None
    if form.validate_on_submit() and (saved := _save(form, event.id)):
        return saved
    return _form_page(form, event, cancellable=_cancellable(event))


@bp.get("/events/<int:event_id>/duplicate")
@roles(Role.ORGANISER)
def event_duplicate(event_id: int) -> tuple[str, int]:
    """The next edition: the new-event form with texts and settings, no dates."""
    event = managed_event_or_404(event_id)
    form = EventEditForm(data=event_admin.form_data(event, with_dates=False), formdata=None)
    return _form_page(form, None, duplicate_of=event)


def _cancelled_notice(emailed: int) -> str:
    if not emailed:
        return gettext("The event is cancelled. Nobody was registered, so no email was sent.")
    return ngettext(
        "The event is cancelled. %(num)d person is told by email.",
        "The event is cancelled. %(num)d people are told by email.",
        emailed,
    )


def _cancellable(event: Event) -> bool:
    return cancellation.refusal(event, utcnow()) is None


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@roles(Role.ORGANISER)
def event_cancel(event_id: int) -> Response | tuple[str, int]:
    """Cancelling is a step of its own: it shows how many people will be told
    and takes a message for them, then cancels and emails everyone."""
    event = managed_event_or_404(event_id)
    form = EventCancelForm()
    refusal = cancellation.refusal(event, utcnow())
    if refusal is None and form.validate_on_submit():
        try:
            emailed = cancellation.cancel_event(
                db.session, event.id, form.note(), current_user, utcnow()
            )
        except cancellation.CancellationRefused as refused:
            refusal = refused.message
        else:
            flash(_cancelled_notice(emailed), "success")
            return redirect(url_for(".event_edit", event_id=event.id), 303)
    status = 422 if form.errors else 409 if refusal and request.method == "POST" else 200
    page = render_template(
        "admin/event_cancel.html",
        form=form,
        event=event,
        refusal=refusal,
        audience=cancellation.audience(db.session, event.id),
    )
    return page, status
