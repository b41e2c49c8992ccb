"""Public pages: news (being written)."""

from flask import Blueprint

bp = Blueprint("news", __name__)
