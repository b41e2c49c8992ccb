"""/admin/account/two-factor: switch one's own two-factor sign-in on (secret
as text and QR code, then a correct code) or off, and the rule
STAFF_REQUIRE_2FA sends staff here before any other staff page
(blueprints.admin.access.require_staff)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.auth.forms import TwoFactorCodeForm
from blueprints.auth.views import bp
from extensions import db, limiter
from models import Role
from models.base import utcnow
from services import two_factor


def _page(form: TwoFactorCodeForm, status: int = 200, **context: object):
    user = current_user
    context.setdefault("required", current_app.config["STAFF_REQUIRE_2FA"])
    if user.has_two_factor:
        left = two_factor.recovery_codes_left(db.session, user)
        return render_template("auth/two_factor.html", form=form, left=left, **context), status
    secret = two_factor.pending_secret(db.session, user)
    issuer = gettext("%(city)s staff", city=current_app.config["CITY_NAME"])
    uri = two_factor.provisioning_uri(user, issuer)
    qr = Markup(two_factor.qr_code_svg(uri, gettext("QR code for your authenticator app")))
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "auth/two_factor.html", form=form, secret=grouped, qr=qr, **context
    ), status


@bp.get("/account/two-factor")
@roles(*Role)  # every staff member, for their own account
def two_factor_setup() -> tuple[str, int]:
    return _page(TwoFactorCodeForm())


@bp.post("/account/two-factor")
@roles(*Role)
@limiter.limit(lambda: current_app.config["RATELIMIT_PASSWORD_CHANGE"])
def two_factor_switch() -> Response | tuple[str, int]:
    """On when off (the code proves the app has the secret), off when on
    (unless required here); a wrong code changes nothing."""
    form = TwoFactorCodeForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    now = utcnow()
    if not current_user.has_two_factor:
        try:
            codes = two_factor.switch_on(db.session, current_user, form.code.data, now)
        except two_factor.TwoFactorError:
            return redirect(url_for("auth.two_factor_setup"), 303)
        if codes is None:
            form.code.errors.append(gettext("This code is not right. Please try the next one."))
            return _page(form, 422)
        flash(gettext("Two-factor sign-in is on."), "success")
        return _page(TwoFactorCodeForm(formdata=None), 200, recovery_codes=codes)
    if current_app.config["STAFF_REQUIRE_2FA"]:
        flash(gettext("Two-factor sign-in is required here and cannot be switched off."), "error")
        return redirect(url_for("auth.two_factor_setup"), 303)
    if not two_factor.switch_off(db.session, current_user, form.code.data, now):
        form.code.errors.append(gettext("This code is wrong or has been used already."))
        return _page(form, 422)
    flash(gettext("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.two_factor_setup"), 303)
