"""/admin/login and /admin/logout."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_limiter.util import get_remote_address
from werkzeug import Response

from blueprints.auth.forms import LoginForm
from blueprints.safety import is_local_path
from extensions import db, limiter
from models.base import utcnow
from services import accounts

bp = Blueprint("auth", __name__)


def account_and_client() -> str:
    """Failed sign-ins count per account *and* client: an attacker elsewhere
    cannot lock the real person out."""
    email = accounts.normalise_email(request.form.get("email", ""))[:254]
    return f"login:{email}:{get_remote_address()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"], key_func=account_and_client, deduct_when=lambda r: r.status_code == 401)
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is not None:
            db.session.commit()
            target = request.args.get("next")
            session.clear()  # a fresh session: nothing from before the sign-in survives
            login_user(user)
            return redirect(target if is_local_path(target) else url_for("admin.dashboard"), 303)
        form.form_errors.append(gettext("Email address or password is wrong, or the account is disabled."))
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    accounts.end_sessions(current_user)  # the old cookie stops working everywhere
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), 303)
