"""Public pages: news."""

from blueprints.news.views import bp

__all__ = ["bp"]
