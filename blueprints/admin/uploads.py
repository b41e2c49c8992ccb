"""The staff forms that carry an image: a larger request body for them only."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from blueprints.admin.blueprint import bp
from models import Role

# These forms carry an image of up to 5 MB; everywhere else the global
# MAX_CONTENT_LENGTH (256 KiB) stands.
UPLOAD_REQUEST_LIMIT = 6 * 1024 * 1024
# Each form page with an image, and the role that may use it.
UPLOAD_ENDPOINTS = {
    "admin.news_new": Role.EDITOR,
    "admin.news_edit": Role.EDITOR,
    "admin.event_new": Role.ORGANISER,
    "admin.event_edit": Role.ORGANISER,
}


@bp.url_value_preprocessor
def allow_image_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Raise the body limit for signed-in staff on the form pages with an image.

    A URL value preprocessor, because it runs before every before_request
    function: CSRFProtect reads (and so limits) the body in one of those.
    """
    role = UPLOAD_ENDPOINTS.get(endpoint or "")
    if role is not None and current_user.is_authenticated and current_user.may(role):
        request.max_content_length = UPLOAD_REQUEST_LIMIT
