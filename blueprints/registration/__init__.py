"""Registering for an event, and the pages behind the emailed links."""

from blueprints.registration import self_service, views
from blueprints.registration.blueprint import bp

__all__ = ["bp", "self_service", "views"]
