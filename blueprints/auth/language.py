"""The staff area's language: the browser's, until the staff member picks one
with the switch in the header; the choice is kept in a cookie sent only to
/admin, so the public pages keep their /de/ and /en/ addresses."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from werkzeug import Response

from blueprints.auth.forms import StaffLanguageForm
from blueprints.auth.views import bp
from blueprints.safety import is_local_path
from i18n import STAFF_LANGUAGE_COOKIE, STAFF_PREFIX

ONE_YEAR = 365 * 24 * 3600


def _back_to(target: str | None) -> str:
    """`target` if it is a staff page of this site, else the staff start page."""
    if is_local_path(target) and (target == STAFF_PREFIX or target.startswith(f"{STAFF_PREFIX}/")):
        return target
    return url_for("admin.dashboard")


@bp.app_template_global()
def staff_page_to_return_to() -> str:
    """This page, for the language switch to come back to; a page shown after a
    POST (a form with errors) is left for the staff start page."""
    if request.method == "GET" or (request.url_rule and "GET" in request.url_rule.methods):
        return request.full_path.rstrip("?")
    return url_for("admin.dashboard")


@bp.post("/language")
def language() -> Response:
    """Switch the staff pages to another language (signed in or not: the
    sign-in page has the switch too). CSRFProtect has checked the token."""
    form = StaffLanguageForm()
    if not form.validate_on_submit() or form.lang.data not in current_app.config["LANGUAGES"]:
        abort(400)
    response = redirect(_back_to(form.next.data), 303)
    response.set_cookie(
        STAFF_LANGUAGE_COOKIE,
        form.lang.data,
        max_age=ONE_YEAR,
        path=STAFF_PREFIX,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
