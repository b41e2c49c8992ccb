"""/admin/login and /admin/logout."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from blueprints.auth import idle
from blueprints.auth.forms import LoginForm
from blueprints.safety import is_local_path
from extensions import db, limiter
from models import User
from models.base import utcnow
from services import own_account
from services.sign_in import Outcome, sign_in

bp = Blueprint("auth", __name__)
# The session key of a sign-in whose password was right and whose code is due.
PENDING = "two_factor_pending"
bp.before_app_request(idle.end_idle_session)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SIGN_IN"], methods=["POST"])
def login() -> Response | tuple[str, int]:
    """Failed sign-ins are limited in the database (services/sign_in.py), so
    every worker counts them; Flask-Limiter limits all attempts per client."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email, password = form.email.data, form.password.data
        result = sign_in(db.session, email, password, get_remote_address(), utcnow())
        target = request.args.get("next")
        if result.outcome is Outcome.SIGNED_IN:
            return start_session(result.user, target)
        if result.outcome is Outcome.SECOND_FACTOR:
            session.clear()  # no session yet: only the way to the code step
            session[PENDING] = {
                "user": result.user.id,
                "version": result.user.session_version,
                "since": int(utcnow().timestamp()),
                "next": target if is_local_path(target) else None,
            }
            return redirect(url_for("auth.login_two_factor"), 303)
        if result.outcome is Outcome.REFUSED:
            form.form_errors.append(too_many_failures())
            status = 429
        else:
            form.form_errors.append(
                gettext("Email address or password is wrong, or the account is disabled.")
            )
            status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


def too_many_failures() -> str:
    return gettext("Too many failed sign-ins with this address. Please try again in 15 minutes.")


def start_session(user: User, target: str | None) -> Response:
    """Sign `user` in with a fresh session: nothing from before survives."""
    session.clear()
    login_user(user)
    idle.mark_seen(session)
    return redirect(target if is_local_path(target) else url_for("admin.dashboard"), 303)


@bp.post("/logout")
@login_required
def logout() -> Response:
    own_account.sign_out(db.session, current_user)  # the old cookie stops working everywhere
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), 303)
