"""Error pages in the visitor's language; an unexpected error is logged and
answered with a friendly 500 page, never a traceback. Should the error page
itself fail, a minimal page still answers, with the security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from blueprints.api.problems import from_http_error, is_api_request
from blueprints.headers import add_security_headers
from extensions import db

# No template, no translation catalogue, no URL building: nothing that failed
# while rendering the real error page can fail here again.
MINIMAL_PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler {code}</title></head>
<body>
<h1>Fehler {code}</h1>
<p>Bitte versuchen Sie es später noch einmal.</p>
<p lang="en">Error {code}. Please try again later.</p>
<p><a href="/">Startseite</a> · <a href="/en/" lang="en">Home page</a></p>
</body>
</html>
"""


def minimal_page(code: int) -> Response:
    response = Response(MINIMAL_PAGE.format(code=int(code)), status=code, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return add_security_headers(response)


def _page(code: int, **context: Any) -> tuple[str, int] | Response:
    try:
        return render_template("errors/error.html", code=code, **context), code
    except Exception:  # the error page must answer even when rendering fails
        current_app.logger.exception("the error page for %s failed", code)
        return minimal_page(code)


def render_error(error: HTTPException) -> tuple[str, int] | Response:
    """A page, or for the API's addresses a problem document (RFC 9457)."""
    if is_api_request():
        return from_http_error(error)
    return _page(error.code or 500, error=error)


def render_csrf_error(error: CSRFError) -> tuple[str, int] | Response:
    return _page(400, error=error, is_csrf=True)


def render_unknown_host(error: SecurityError) -> tuple[str, int] | Response:
    """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so
    this page has no links and nothing that is built from the address."""
    try:
        return render_template("errors/unknown_host.html"), 400
    except Exception:  # the error page must answer even when rendering fails
        current_app.logger.exception("the unknown-host page failed")
        return minimal_page(400)


def render_unexpected(error: Exception) -> tuple[str, int] | Response:
    current_app.logger.exception("unexpected error", exc_info=error)
    try:
        db.session.rollback()
    except Exception:  # a database that is gone must not cost the visitor the page
        current_app.logger.exception("rollback after an unexpected error failed")
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(SecurityError, render_unknown_host)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
