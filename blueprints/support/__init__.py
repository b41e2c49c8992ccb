"""Public pages: support."""

from blueprints.support.views import bp

__all__ = ["bp"]
