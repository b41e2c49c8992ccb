"""Registering for an event."""

from blueprints.registration.views import bp

__all__ = ["bp"]
