"""Public pages: partners (being written)."""

from flask import Blueprint

bp = Blueprint("partners", __name__)
