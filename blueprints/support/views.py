"""Public pages: support (being written)."""

from flask import Blueprint

bp = Blueprint("support", __name__)
