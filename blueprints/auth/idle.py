"""Staff sessions end after STAFF_IDLE_MINUTES without a request (SPEC
"Staff accounts"): a screen left signed in at a shared desk in the town hall
does not show minors' data to the next person for long.

The time of the last request is kept in the signed session cookie; it is
written again at most once a minute, so pages do not set a new cookie on
every request. A cookie kept from earlier carries an earlier time, so
replaying one cannot stretch a session."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import logout_user
from werkzeug import Response

from i18n import STAFF_PREFIX
from models.base import utcnow

SEEN = "seen"
REWRITE_AFTER_SECONDS = 60


def mark_seen(store) -> None:
    store[SEEN] = int(utcnow().timestamp())


def end_idle_session() -> Response | None:
    """Run before every request: a staff session idle for too long ends, and
    the sign-in page says why."""
    if not request.path.startswith(STAFF_PREFIX) or "_user_id" not in session:
        return None
    now = int(utcnow().timestamp())
    seen = session.get(SEEN)
    limit = current_app.config["STAFF_IDLE_MINUTES"] * 60
    if isinstance(seen, int) and now - seen >= limit:
        logout_user()
        session.clear()
        flash(
            gettext(
                "You were signed out because there was no activity for %(minutes)d minutes. "
                "Please sign in again.",
                minutes=current_app.config["STAFF_IDLE_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.login"), 303)
    if not isinstance(seen, int) or now - seen >= REWRITE_AFTER_SECONDS:
        session[SEEN] = now
    return None
