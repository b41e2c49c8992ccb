"""Staff accounts (admins only): list, add, change role, disable, enable,
and switch off the second factor of someone who lost their phone."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.staff_forms import (
    StaffCreateForm,
    StaffRoleChangeForm,
    StaffToggleForm,
    StaffTwoFactorResetForm,
)
from extensions import db
from models import User
from services import accounts, staff_admin


def account_or_404(user_id: int) -> User:
    return db.one_or_abort(select(User).where(User.id == user_id))


def _account_page(user: User) -> Response:
    return redirect(url_for(".staff_account", user_id=user.id), 303)


@bp.route("/staff/", methods=["GET", "POST"])
@roles()
def staff() -> Response | tuple[str, int]:
    form = StaffCreateForm()
    if form.validate_on_submit():
        try:
            user = staff_admin.add_account(
                db.session, current_user, form.email.data, form.password.data, form.chosen_role
            )
        except accounts.AccountError as refusal:
            # The form checks the same rules; this keeps any rule of create_user from being skipped.
            form.form_errors.append(
                gettext("The account could not be created: %(reason)s", reason=str(refusal))
            )
        else:
            flash(
                gettext("The account for %(email)s has been created.", email=user.email), "success"
            )
            return redirect(url_for(".staff"), 303)
    users = list(db.session.scalars(select(User).order_by(User.email)))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/staff.html", users=users, form=form, min_password=accounts.MIN_PASSWORD_LENGTH
    ), status


@bp.get("/staff/<int:user_id>")
@roles()
def staff_account(user_id: int) -> str:
    user = account_or_404(user_id)
    return _account_template(user, StaffRoleChangeForm(data={"role": user.role.value}))


def _account_template(user: User, role_form: StaffRoleChangeForm) -> str:
    return render_template(
        "admin/staff.html",
        account=user,
        role_form=role_form,
        toggle_form=StaffToggleForm(),
        two_factor_form=StaffTwoFactorResetForm(),
    )


@bp.post("/staff/<int:user_id>/role")
@roles()
def staff_role(user_id: int) -> Response | tuple[str, int]:
    user = account_or_404(user_id)
    form = StaffRoleChangeForm()
    if not form.validate_on_submit():
        return _account_template(user, form), 422
    try:
        previous = staff_admin.change_role(db.session, current_user, user, form.chosen_role)
    except accounts.OwnAccountError:
        flash(
            gettext("You cannot take away your own admin role. Ask another admin to do it."),
            "error",
        )
        return _account_page(user)
    if previous is user.role:
        flash(gettext("%(email)s already has this role.", email=user.email), "info")
        return _account_page(user)
    flash(
        gettext("%(email)s has a new role; they need to sign in again.", email=user.email),
        "success",
    )
    return _account_page(user)


def _set_enabled(user_id: int, enabled: bool) -> Response:
    """Disable or enable; the CSRF token was checked by CSRFProtect before the view."""
    user = account_or_404(user_id)
    try:
        staff_admin.set_enabled(db.session, current_user, user, enabled)
    except accounts.OwnAccountError:
        flash(gettext("You cannot disable your own account. Ask another admin to do it."), "error")
        return _account_page(user)
    if enabled:
        flash(gettext("The account of %(email)s is enabled.", email=user.email), "success")
    else:
        flash(
            gettext(
                "The account of %(email)s is disabled; it is signed out everywhere.",
                email=user.email,
            ),
            "success",
        )
    return _account_page(user)


@bp.post("/staff/<int:user_id>/disable")
@roles()
def staff_disable(user_id: int) -> Response:
    return _set_enabled(user_id, False)


@bp.post("/staff/<int:user_id>/enable")
@roles()
def staff_enable(user_id: int) -> Response:
    return _set_enabled(user_id, True)


@bp.post("/staff/<int:user_id>/two-factor/reset")
@roles()
def staff_two_factor_reset(user_id: int) -> Response:
    """For a lost phone: the person signs in with the password alone and sets
    up the second factor again (at once, when STAFF_REQUIRE_2FA is on)."""
    user = account_or_404(user_id)
    if user.id == current_user.id:
        flash(gettext("Ask another admin to reset your own two-factor sign-in."), "error")
        return _account_page(user)
    staff_admin.reset_two_factor(db.session, current_user, user)
    flash(
        gettext(
            "Two-factor sign-in of %(email)s is switched off; they are signed out everywhere "
            "and set it up again after signing in with their password.",
            email=user.email,
        ),
        "success",
    )
    return _account_page(user)
