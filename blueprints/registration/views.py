"""The registration form and the "check your inbox" page."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug import Response

from blueprints.loaders import public_event_or_404
from blueprints.registration.blueprint import bp
from blueprints.registration.forms import RegistrationCreateForm
from blueprints.registration.group_fields import rows as group_rows
from blueprints.registration.group_fields import with_group
from blueprints.registration.question_fields import with_questions
from extensions import db, limiter
from i18n import current_language
from models.base import utcnow
from services import ages, events, questions, registration, seats
from services.locking import reads_first


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTRATION"], methods=["POST"])
@reads_first  # registration.register takes the event's lock for the seat count
def register(slug: str) -> Response | tuple[str, int]:
    event = public_event_or_404(slug)
    asked = questions.questions_of(db.session, event.id)
    form_class = with_group(RegistrationCreateForm, event.max_group_size)
    form = with_questions(form_class, asked, current_language())(event=event)
    status = 200
    if form.is_submitted() and form.website.is_filled:
        return redirect(url_for(".done", slug=slug), 303)  # a bot: looks like success
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                registration.register(db.session, event.id, form.applicant(current_language()))
            except registration.RegistrationRefused as refusal:
                if refusal.status == 404:
                    abort(404)
                form.add_errors(refusal.errors)
                status = refusal.status
            except OperationalError:
                # The seat lock was not granted in time: many people at once.
                form.form_errors.append(
                    gettext("Many people are registering right now. Please send the form again.")
                )
                status = 503
            else:
                return redirect(url_for(".done", slug=slug), 303)
        db.session.rollback()
    held = seats.held_seats(db.session, event.id)
    return render_template(
        "registration/form.html",
        event=event,
        form=form,
        availability=events.availability(event, held, utcnow()),
        age_range=ages.age_range_text(event),
        group_rows=group_rows(form),
    ), status


@bp.get("/events/<slug>/register/done")
def done(slug: str) -> str:
    """The same page for everyone, whatever happened: the email tells the truth."""
    return render_template("registration/done.html", event=public_event_or_404(slug))
