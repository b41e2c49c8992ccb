"""The staff start page."""

from __future__ import annotations

from flask import render_template

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from models import Role


@bp.get("/")
@roles(Role.ORGANISER, Role.EDITOR)
def dashboard() -> str:
    return render_template("admin/dashboard.html")
