"""Event categories on the staff side, for admins: list, add, rename."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.category_forms import CategoryEditForm
from blueprints.per_language import configured_languages
from extensions import db
from i18n import current_language
from models import Category
from services import categories


def _page(form: CategoryEditForm, record: Category | None) -> tuple[str, int]:
    page = render_template(
        "admin/categories.html",
        form=form,
        record=record,
        categories=categories.all_categories(db.session, current_language()),
        languages=configured_languages(),
    )
    return page, 422 if form.errors else 200


@bp.route("/categories", methods=["GET", "POST"])
@roles()
def categories_page() -> Response | tuple[str, int]:
    """The list of categories with the form for a new one below it."""
    form = CategoryEditForm()
    if form.validate_on_submit():
        categories.save_category(db.session, Category(), form.slug.data, form.names(), current_user)
        flash(gettext("The category has been saved."), "success")
        return redirect(url_for(".categories_page"), 303)
    return _page(form, None)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles()
def category_edit(category_id: int) -> Response | tuple[str, int]:
    category = db.one_or_abort(select(Category).where(Category.id == category_id))
    form = CategoryEditForm(data=CategoryEditForm.data_of(category), record_id=category.id)
    if form.validate_on_submit():
        categories.save_category(db.session, category, form.slug.data, form.names(), current_user)
        flash(gettext("The category has been saved."), "success")
        return redirect(url_for(".categories_page"), 303)
    return _page(form, category)
