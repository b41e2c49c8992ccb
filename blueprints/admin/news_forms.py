"""The announcement form: German and English side by side, an optional image."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import Optional

from blueprints.admin.image_fields import ImageFields
from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import LocalDateTimeField, SlugField, text_field
from models import NewsStatus
from services.localtime import from_local
from services.news import TEXT_FIELDS, NewsData

_text = text_field


class NewsEditForm(ImageFields, AppForm):
    slug = SlugField(example="forumtheater-2026")
    title = PerLanguage(_l("Title"), _text, 200, required=True)
    teaser = PerLanguage(_l("Teaser"), _text, 500, required=True, area=True)
    body = PerLanguage(_l("Text"), _text, 20_000, area=True)
    published_at = LocalDateTimeField(_l("Publication date (optional)"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(NewsStatus.DRAFT.value, _l("Draft (not public)")),
            SelectChoice(NewsStatus.PUBLISHED.value, _l("Published")),
        ],
    )
    pinned = BooleanField(_l("Pin to the top of the news list"))

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
            image=self.chosen_image()[0],
            remove_image=self.chosen_image()[1],
        )
