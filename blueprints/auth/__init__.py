"""Staff sign-in and sign-out, and the staff area's language switch."""

from blueprints.auth import account, language, reset, two_factor, two_factor_setup
from blueprints.auth.views import bp

__all__ = ["account", "bp", "language", "reset", "two_factor", "two_factor_setup"]
