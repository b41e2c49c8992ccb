"""The read-only JSON API under /api/v1 (OpenAPI 3.1 at /api/v1/openapi.json)."""

from blueprints.api import views
from blueprints.api.blueprint import bp

__all__ = ["bp", "views"]
