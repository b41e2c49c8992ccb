"""Public pages: the support application form for clubs and organisations,
and the page that says what happens next."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from werkzeug import Response

from blueprints.support.forms import SupportApplicationCreateForm
from extensions import db, limiter
from i18n import current_language
from models.base import utcnow
from services import applications
from services.localtime import local_date

bp = Blueprint("support", __name__)


@bp.route("/support/apply", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SUPPORT"], methods=["POST"])
def apply() -> Response | tuple[str, int]:
    form = SupportApplicationCreateForm()
    status = 200
    if form.is_submitted() and form.website.is_filled:
        return redirect(url_for(".thanks"), 303)  # a bot: looks like success
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                applications.submit(db.session, form.application(current_language()), utcnow())
            except applications.ApplicationRefused as refusal:
                form.add_errors(refusal.errors)
                status = refusal.status
            else:
                return redirect(url_for(".thanks"), 303)
        db.session.rollback()
    return render_template(
        "support/apply.html",
        form=form,
        earliest_start=applications.earliest_start(local_date(utcnow())),
    ), status


@bp.get("/support/apply/thanks")
def thanks() -> str:
    return render_template("support/thanks.html")
