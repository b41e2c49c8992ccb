"""Announcements on the staff side (editors and admins): list, new, edit."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.news_forms import NewsEditForm
from blueprints.pagination import paginate, requested_page
from extensions import db
from models import NewsPost, NewsStatus, Role
from models.base import utcnow
from services import news


@bp.get("/news/")
@roles(Role.EDITOR)
def news_list() -> str:
    query = select(NewsPost).order_by(NewsPost.updated_at.desc(), NewsPost.id.desc())
    return render_template(
        "admin/news_list.html", page=paginate(db.session, query, requested_page()), now=utcnow()
    )


def _save(form: NewsEditForm, post_id: int | None) -> Response | None:
    """Create or update from a valid form; None when a rule refused it."""
    try:
        if post_id is None:
            post = news.create_post(db.session, form.news_data(), current_user, utcnow())
        else:
            post = news.update_post(db.session, post_id, form.news_data(), current_user, utcnow())
    except news.NewsRefused as refusal:
        form.add_errors(refusal.errors)
        return None
    flash(gettext("The announcement has been saved."), "success")
    return redirect(url_for(".news_edit", post_id=post.id), 303)


def _form_page(form: NewsEditForm, post: NewsPost | None) -> tuple[str, int]:
    return render_template(
        "admin/news_form.html", form=form, post=post, now=utcnow()
    ), 422 if form.errors else 200


@bp.route("/news/new", methods=["GET", "POST"])
@roles(Role.EDITOR)
def news_new() -> Response | tuple[str, int]:
    form = NewsEditForm(data={"status": NewsStatus.DRAFT.value})
    if form.validate_on_submit() and (saved := _save(form, None)):
        return saved
    return _form_page(form, None)


@bp.route("/news/<int:post_id>/edit", methods=["GET", "POST"])
@roles(Role.EDITOR)
def news_edit(post_id: int) -> Response | tuple[str, int]:
    post = db.one_or_abort(select(NewsPost).where(NewsPost.id == post_id))
    form = NewsEditForm(data=news.form_data(post))
    form.has_image = post.image_filename is not None
    if form.validate_on_submit() and (saved := _save(form, post.id)):
        return saved
    return _form_page(form, post)
