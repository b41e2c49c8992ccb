"""/admin/login/two-factor: the code step of signing in. The password step
alone gives no session, only this short-lived way here."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from werkzeug import Response

from blueprints.auth.forms import TwoFactorCodeForm
from blueprints.auth.views import PENDING, bp, start_session, too_many_failures
from extensions import db, limiter
from models.base import utcnow
from services.sign_in import Outcome, second_factor

# Minutes from the right password to the code: enough to find the phone.
PENDING_MINUTES = 5


def _pending() -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    age = int(utcnow().timestamp()) - int(pending.get("since", 0))
    return pending if 0 <= age < PENDING_MINUTES * 60 else None


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SIGN_IN"], methods=["POST"])
def login_two_factor() -> Response | tuple[str, int]:
    pending = _pending()
    if pending is None:
        session.pop(PENDING, None)
        flash(gettext("Please sign in with your password first."), "info")
        return redirect(url_for("auth.login"), 303)
    form = TwoFactorCodeForm()
    status = 200
    if form.validate_on_submit():
        result = second_factor(
            db.session,
            pending["user"],
            pending["version"],
            form.code.data,
            get_remote_address(),
            utcnow(),
        )
        if result.outcome is Outcome.SIGNED_IN:
            return start_session(result.user, pending.get("next"))
        if result.outcome is Outcome.REFUSED:
            form.form_errors.append(too_many_failures())
            status = 429
        else:
            form.code.errors.append(gettext("This code is wrong or has been used already."))
            status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login_two_factor.html", form=form), status
