"""The pages behind the emailed links: confirm, guardian consent, view and
cancel. A wrong, used or expired link always gets the same friendly page."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup
from werkzeug import Response

from blueprints.registration import question_fields
from blueprints.registration.blueprint import bp
from blueprints.registration.forms import (
    EmailConfirmForm,
    GuardianConsentForm,
    RegistrationCancelForm,
    RegistrationChangeForm,
)
from extensions import db
from i18n import current_language
from models import Registration, RegistrationStatus
from models.base import utcnow
from services import certificates, lifecycle, questions, waitlist
from services.checkin_codes import qr_svg
from services.registration import RegistrationRefused


def private(body: str, status: int = 200) -> Response:
    """Pages with personal data are never stored by browsers or proxies."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def invalid_link() -> Response:
    return private(render_template("registration/invalid_link.html"), 404)


@bp.route("/registrations/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Response:
    """A GET only shows what is confirmed: mail scanners follow every link."""
    now = utcnow()
    registration = lifecycle.confirmation_request(db.session, token, now)
    if registration is None:
        return invalid_link()
    form = EmailConfirmForm()
    if form.validate_on_submit():
        manage_token = lifecycle.confirm_email(db.session, token, now)
        if manage_token is None:
            return invalid_link()
        flash(gettext("Your email address is confirmed."), "success")
        return redirect(url_for(".manage", token=manage_token), 303)
    return private(
        render_template(
            "registration/confirm.html", registration=registration, form=form, token=token
        )
    )


@bp.route("/registrations/consent/<token>", methods=["GET", "POST"])
def consent(token: str) -> Response:
    now = utcnow()
    registration = lifecycle.consent_request(db.session, token, now)
    if registration is None:
        return invalid_link()
    form = GuardianConsentForm()
    if form.is_submitted() and form.declines:
        if lifecycle.decline_consent(db.session, token, now) is None:
            return invalid_link()
        return redirect(url_for(".consent_declined"), 303)
    if form.validate_on_submit():
        consented = lifecycle.give_consent(
            db.session, token, form.statement(registration), bool(form.photo_consent.data), now
        )
        if consented is None:
            return invalid_link()
        return redirect(url_for(".consent_given", state=consented.status.value), 303)
    status = 422 if form.is_submitted() else 200
    return private(
        render_template(
            "registration/consent.html",
            registration=registration,
            form=form,
            minors=lifecycle.minors_of(registration),
        ),
        status,
    )


@bp.get("/registrations/consent/thanks")
def consent_given() -> Response:
    """What the consent led to (`state`: the registration's status), without
    personal data in the address."""
    state = request.args.get("state")
    return private(render_template("registration/consent_given.html", state=state))


@bp.get("/registrations/consent/declined")
def consent_declined() -> Response:
    return private(render_template("registration/consent_declined.html"))


@bp.route("/registrations/<token>/", methods=["GET", "POST"])
def manage(token: str) -> Response:
    now = utcnow()
    registration = lifecycle.registration_for_manage(db.session, token, now)
    if registration is None:
        return invalid_link()
    form = RegistrationCancelForm()
    members = registration.members
    can_cancel = any(lifecycle.is_cancellable(member, now) for member in members)
    if form.validate_on_submit() and can_cancel:
        # A group's page cancels one participant (`participant`) or all of it.
        participant = request.form.get("participant", "")
        if participant and not participant.isdigit():
            abort(400)
        lifecycle.cancel(db.session, token, now, int(participant) if participant else None)
        return redirect(url_for(".manage", token=token), 303)
    asks_to_cancel = can_cancel and request.args.get("cancel") == "1"
    return private(
        render_template(
            "registration/manage.html",
            registration=registration,
            form=form,
            can_cancel=can_cancel,
            can_change=lifecycle.is_changeable(registration, now),
            asks_to_cancel=asks_to_cancel,
            checkin_qr=_checkin_qr(registration),
            has_certificate=certificates.is_available(registration, now),
            group=registration.group,
            members=[
                (member, _checkin_qr(member), lifecycle.is_cancellable(member, now))
                for member in members
            ],
            token=token,
            waitlist_place=waitlist.waitlist_place(db.session, registration),
            asks=bool(questions.questions_of(db.session, registration.event_id)),
            answers=questions.answer_lines(
                db.session, registration.event_id, [registration.id], current_language()
            ).get(registration.id, []),
        )
    )


def _checkin_qr(registration: Registration) -> Markup | None:
    """The check-in code as an inline SVG QR code, once the place is certain."""
    code = registration.checkin_code
    if registration.status is not RegistrationStatus.CONFIRMED or not code:
        return None
    # segno writes the SVG from the code (A–Z, 2–9 and a dash) and this title.
    return Markup(qr_svg(code, gettext("QR code of your check-in code %(code)s", code=code)))


def _change_form(registration: Registration) -> RegistrationChangeForm:
    """The change form with the event's questions, showing the stored answers."""
    asked = questions.questions_of(db.session, registration.event_id)
    stored = questions.answers_of(db.session, [registration.id]).get(registration.id, {})
    form_class = question_fields.with_questions(RegistrationChangeForm, asked, current_language())
    return form_class(
        obj=registration, data=question_fields.form_data(asked, questions.given_of(stored))
    )


@bp.get("/registrations/<token>/certificate.pdf")
def certificate(token: str) -> Response:
    """The certificate of attendance, in the page's language; 404 unless the
    person was checked in and the event is over."""
    now = utcnow()
    registration = lifecycle.registration_for_manage(db.session, token, now)
    if registration is None or not certificates.is_available(registration, now):
        abort(404)
    body = certificates.pdf(registration, current_language(), now)
    response = make_response(body)
    response.content_type = "application/pdf"
    filename = gettext("certificate-of-attendance") + ".pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/registrations/<token>/edit", methods=["GET", "POST"])
def change(token: str) -> Response:
    """Correct one's name, phone, notes and answers until registration closes."""
    now = utcnow()
    registration = lifecycle.registration_for_manage(db.session, token, now)
    if registration is None:
        return invalid_link()
    can_change = lifecycle.is_changeable(registration, now)
    form = _change_form(registration)
    status = 200
    if form.is_submitted():
        status = 409 if not can_change else 422
        if can_change and form.validate():
            try:
                changed = lifecycle.change_details(db.session, token, form.details(), now)
            except RegistrationRefused as refusal:
                form.form_errors.extend(refusal.errors.values())
                status, can_change = refusal.status, False
            else:
                if changed is None:
                    return invalid_link()
                flash(gettext("Your changes are saved."), "success")
                return redirect(url_for(".manage", token=token), 303)
        db.session.rollback()
    page = render_template(
        "registration/change.html",
        registration=registration,
        form=form,
        can_change=can_change,
        token=token,
    )
    return private(page, status)
