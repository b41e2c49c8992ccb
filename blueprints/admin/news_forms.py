"""The announcement form: German and English side by side, an optional image."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import Optional

from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import LocalDateTimeField, SlugField, text_field
from models import NewsStatus
from services.localtime import from_local
from services.news import TEXT_FIELDS, NewsData

_text = text_field


class NewsEditForm(AppForm):
    slug = SlugField(example="forumtheater-2026")
    title = PerLanguage(_l("Title"), _text, 200, required=True)
    teaser = PerLanguage(_l("Teaser"), _text, 500, required=True, area=True)
    body = PerLanguage(_l("Text"), _text, 20_000, area=True)
    image = FileField(
        _l("Image (optional)"),
        validators=[
            FileAllowed(
                ["jpg", "jpeg", "png", "webp"], _l("Please choose a JPEG, PNG or WebP image.")
            )
        ],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    image_alt = PerLanguage(_l("Image description"), _text, 300)
    remove_image = BooleanField(_l("Remove the image"))
    published_at = LocalDateTimeField(_l("Publication date (optional)"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(NewsStatus.DRAFT.value, _l("Draft (not public)")),
            SelectChoice(NewsStatus.PUBLISHED.value, _l("Published")),
        ],
    )
    pinned = BooleanField(_l("Pin to the top of the news list"))

    # Set by the view when the post already has an image.
    has_image = False

    def validate(self, extra_validators: Any = None) -> bool:
        """An image needs a German description (the English one falls back)."""
        valid = super().validate(extra_validators)
        keeps_image = self.has_image and not self.remove_image.data
        if (self.image.data or keeps_image) and not self.image_alt_de.data:
            self.image_alt_de.errors = [
                _l("Please describe the image for people who cannot see it.")
            ]
            return False
        return valid

    def news_data(self) -> NewsData:
        return NewsData(
            slug=self.slug.data,
            texts={
                lang: {name: getattr(self, f"{name}_{lang}").data for name in TEXT_FIELDS}
                for lang in configured_languages()
            },
            status=NewsStatus(self.status.data),
            published_at=from_local(self.published_at.data) if self.published_at.data else None,
            is_pinned=bool(self.pinned.data),
            image=self.image.data or None,
            remove_image=bool(self.remove_image.data),
        )
