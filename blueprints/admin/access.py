"""Who may open which staff page, checked per view and per record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from extensions import db, login
from models import Event, Role

View = TypeVar("View", bound=Callable[..., Any])


def require_staff() -> Any:
    """Run before every staff page: anonymous visitors go to the login; with
    STAFF_REQUIRE_2FA, staff without a second factor go to set one up (their
    own account pages, sign-out and the language switch stay open)."""
    if not current_user.is_authenticated:
        return login.unauthorized()
    if current_app.config["STAFF_REQUIRE_2FA"] and not current_user.has_two_factor:
        flash(gettext("Please set up two-factor sign-in first; it is required here."), "info")
        return redirect(url_for("auth.two_factor_setup"), 303)
    return None


def roles(*allowed: Role) -> Callable[[View], View]:
    """Only these roles (and admins) may use the view; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login.unauthorized()
            if not current_user.may(*allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed) | {Role.ADMIN}  # read by the access tests
        return wrapped  # type: ignore[return-value]

    return decorator


def may_manage(event: Event) -> bool:
    return current_user.role is Role.ADMIN or any(
        user.id == current_user.id for user in event.organisers
    )


def managed_event_or_404(event_id: int) -> Event:
    """The event, if this user manages it: admins all, organisers their own."""
    event = db.one_or_abort(select(Event).where(Event.id == event_id))
    if not may_manage(event):
        abort(403)
    return event
