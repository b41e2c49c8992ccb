"""Public pages: home, events, calendar files, health checks."""

from blueprints.public.views import bp, root

__all__ = ["bp", "root"]
