"""The category form: a slug and a name in each language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from blueprints.forms import AppForm
from blueprints.loaders import MAX_SLUG_LENGTH, SLUG
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import strip, text_field
from extensions import db
from models import Category
from services import categories


class CategoryEditForm(AppForm):
    slug = StringField(
        _l("Web address (slug)"),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Please fill in this field.")),
            Length(max=MAX_SLUG_LENGTH, message=_l("At most %(max)d characters, please.")),
            Regexp(
                SLUG.pattern + r"\Z",
                message=_l("Use lowercase letters, digits and single hyphens only, e.g. jugend."),
            ),
        ],
    )
    # A name in every configured language; the German one is required.
    name = PerLanguage(_l("Name"), text_field, 80, required=True)

    def __init__(self, *args, record_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record_id = record_id

    def validate_slug(self, field: StringField) -> None:
        if categories.slug_taken(db.session, field.data, self.record_id):
            raise ValidationError(_l("This web address is already used by another category."))

    def names(self) -> dict[str, str | None]:
        return {lang: self[f"name_{lang}"].data for lang in configured_languages()}

    @staticmethod
    def data_of(category: Category) -> dict[str, object]:
        data: dict[str, object] = {"slug": category.slug}
        for lang in configured_languages():
            row = category.texts.get(lang)
            data[f"name_{lang}"] = row.name if row else None
        return data
