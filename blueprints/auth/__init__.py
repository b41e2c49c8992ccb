"""Staff sign-in and sign-out."""

from blueprints.auth.views import bp

__all__ = ["bp"]
