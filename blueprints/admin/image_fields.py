"""An optional image with its description in every language: the same fields
and rule for every staff form that carries one (announcements, events)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField

from blueprints.per_language import PerLanguage
from blueprints.validators import text_field
from models.base import DEFAULT_LANGUAGE


class ImageFields:
    """Mix into an AppForm before it: `image`, `image_alt_<lang>`,
    `remove_image`. The view sets `has_image` when the record has one."""

    image = FileField(
        _l("Image (optional)"),
        validators=[
            FileAllowed(
                ["jpg", "jpeg", "png", "webp"], _l("Please choose a JPEG, PNG or WebP image.")
            )
        ],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    image_alt = PerLanguage(_l("Image description"), text_field, 300)
    remove_image = BooleanField(_l("Remove the image"))

    has_image = False

    def validate(self, extra_validators: Any = None) -> bool:
        """An image needs a German description (the others fall back to it)."""
        valid = super().validate(extra_validators)  # type: ignore[misc]
        keeps_image = self.has_image and not self.remove_image.data
        description = self[f"image_alt_{DEFAULT_LANGUAGE}"]  # type: ignore[index]
        if (self.image.data or keeps_image) and not description.data:
            description.errors = [_l("Please describe the image for people who cannot see it.")]
            return False
        return valid

    def chosen_image(self) -> tuple[FileStorage | None, bool]:
        """The uploaded file (None: keep what there is) and whether to remove it."""
        return self.image.data or None, bool(self.remove_image.data)
