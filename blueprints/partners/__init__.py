"""Public pages: partners."""

from blueprints.partners.views import bp

__all__ = ["bp"]
