"""/admin/account/…: a staff member's own password (two-factor sign-in is in
blueprints/auth/two_factor_setup.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_user
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.auth.forms import PasswordChangeForm
from blueprints.auth.views import bp
from extensions import db, limiter
from models import Role
from services import own_account
from services.accounts import WeakPassword
from services.passwords import MIN_LENGTH


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*Role)  # every staff member, for their own account
@limiter.limit(lambda: current_app.config["RATELIMIT_PASSWORD_CHANGE"], methods=["POST"])
def password_change() -> Response | tuple[str, int]:
    """Every other session of the account ends: a person who changes the
    password because someone saw it also throws that someone out."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            own_account.change_password(
                db.session, current_user, form.current_password.data, form.new_password.data
            )
        except own_account.WrongPassword:
            form.current_password.errors.append(gettext("The current password is wrong."))
            status = 422
        except WeakPassword:  # the form checks the same rule; kept for safety
            form.new_password.errors.append(gettext("Please choose another password."))
            status = 422
        else:
            login_user(current_user)  # this session carries the new session version
            flash(
                gettext("Your password has been changed. Your other sessions have ended."),
                "success",
            )
            return redirect(url_for("admin.dashboard"), 303)
    elif form.is_submitted():
        status = 422
    page = render_template("auth/password_change.html", form=form, min_password=MIN_LENGTH)
    return page, status
