"""/admin/password-reset: a staff member who forgot the password (or is
locked out) asks for a link by email and sets a new password with it."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug import Response

from blueprints.auth.forms import PasswordResetForm, PasswordResetRequestForm
from blueprints.auth.views import bp
from extensions import db, limiter
from models.base import utcnow
from services import password_reset as resets
from services.accounts import WeakPassword
from services.dates import current_language
from services.passwords import MIN_LENGTH


def _private(body: str, status: int = 200) -> Response:
    """The pages behind a reset link are never stored by browsers or proxies."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_PASSWORD_RESET"], methods=["POST"])
def password_reset_request() -> Response | tuple[str, int]:
    """The same answer for every address: nobody learns here who has an account."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        resets.request_reset(db.session, form.email.data, current_language(), utcnow())
        return render_template("auth/password_reset_sent.html"), 200
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password_reset_request.html", form=form), status


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def password_reset(token: str) -> Response:
    """A wrong, used or expired link gets one friendly page."""
    now = utcnow()
    if resets.find_reset(db.session, token, now) is None:
        return _private(render_template("auth/password_reset_invalid.html"), 404)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            user = resets.reset_password(db.session, token, form.new_password.data, now)
        except WeakPassword:  # the form checks the same rule; kept for safety
            form.new_password.errors.append(gettext("Please choose another password."))
        else:
            if user is None:
                return _private(render_template("auth/password_reset_invalid.html"), 404)
            flash(gettext("Your password has been reset. Please sign in with it."), "success")
            return redirect(url_for("auth.login"), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template("auth/password_reset.html", form=form, min_password=MIN_LENGTH)
    return _private(page, status)
