"""The API blueprint, mounted at /api/v1; its errors are problems."""

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from blueprints.api.problems import InvalidQuery, from_http_error, from_invalid_query

bp = Blueprint("api", __name__)
bp.register_error_handler(HTTPException, from_http_error)
bp.register_error_handler(InvalidQuery, from_invalid_query)
