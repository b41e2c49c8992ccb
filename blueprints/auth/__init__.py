"""Staff sign-in and sign-out, and the staff area's language switch."""

from blueprints.auth import language
from blueprints.auth.views import bp

__all__ = ["bp", "language"]
