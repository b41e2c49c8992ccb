"""Error pages in the visitor's language; an unexpected error is logged and
answered with a friendly 500 page, never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from extensions import db


def render_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("errors/error.html", code=code, error=error), code


def render_csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/error.html", code=400, error=error, is_csrf=True), 400


def render_unknown_host(error: SecurityError) -> tuple[str, int]:
    """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so
    this page has no links and nothing that is built from the address."""
    return render_template("errors/unknown_host.html"), 400


def render_unexpected(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unexpected error", exc_info=error)
    db.session.rollback()
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(SecurityError, render_unknown_host)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
