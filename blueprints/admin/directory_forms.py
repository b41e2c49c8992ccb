"""The staff forms of the partner-city directory: cities and networks."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import PlainText, SlugField, strip, text_field
from extensions import db
from i18n import current_language
from models import City, Network, Relation
from services.directory import all_countries, is_country, slug_taken

MAX_MEMBERS = 300


_text = text_field


def _year(label: str):
    return IntegerField(label, validators=[Optional()])


class WebAddress:
    """Only http and https addresses: `javascript:` and the like are refused."""

    def __call__(self, form: AppForm, field: StringField) -> None:
        parts = urlsplit(field.data or "")
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise ValidationError(
                _l("Please enter a web address that starts with https:// or http://.")
            )


def _website():
    return StringField(
        _l("Website (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message=_l("At most %(max)d characters, please.")),
            WebAddress(),
        ],
    )


class CoordinateField(FloatField):
    """A decimal degree; a German decimal comma is fine too."""

    def process_formdata(self, valuelist: list[str]) -> None:
        typed = " ".join(valuelist).strip().replace(",", ".")
        if not typed:
            self.data = None
            return
        try:
            self.data = float(typed)
        except ValueError:
            self.data = None
            raise ValueError(_l("Please enter a number in decimal degrees, e.g. 53.43.")) from None


class DirectoryForm(AppForm):
    """What city and network forms share: slug, names and descriptions per
    language, the year check, and copying onto the record."""

    model: type[City] | type[Network]
    settings: tuple[str, ...]

    slug = SlugField(example="szczecin")
    name = PerLanguage(_l("Name"), _text, 120, required=True)
    description = PerLanguage(_l("Description"), _text, 20_000, area=True)
    website = _website()
    source = _text(_l("Source (optional)"), 300)

    def __init__(self, *args: Any, record_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_id = record_id

    def validate_slug(self, field: StringField) -> None:
        if field.data and slug_taken(db.session, self.model, field.data, self.record_id):
            raise ValidationError(_l("This web address is already used."))

    def check_year(self, field: IntegerField, earliest: int) -> None:
        latest = date.today().year
        if field.data is not None and not earliest <= field.data <= latest:
            raise ValidationError(
                _l("Please enter a year from %(min)s to %(max)s.", min=earliest, max=latest)
            )

    @staticmethod
    def _text_of(record: City | Network, lang: str) -> tuple[str | None, str | None]:
        row = record.texts.get(lang)
        return (row.name, row.description) if row is not None else (None, None)

    @classmethod
    def data_of(cls, record: City | Network) -> dict[str, Any]:
        """The form's fields filled from `record`, for editing it."""
        data = {
            name: getattr(record, name) for name in ("slug", "website", "source", *cls.settings)
        }
        if isinstance(data.get("relation"), Relation):
            data["relation"] = data["relation"].value
        for lang in configured_languages():
            data[f"name_{lang}"], data[f"description_{lang}"] = cls._text_of(record, lang)
        return data

    def populate(self, record: City | Network) -> list[str]:
        """Copy the form onto `record`; the names of what changed."""
        changed = []
        for name in ("slug", "website", "source", *self.settings):
            value = getattr(self, name).data
            if name == "relation":
                value = Relation(value)
            elif isinstance(value, str):
                value = value or None
            if getattr(record, name) != value:
                setattr(record, name, value)
                changed.append(name)
        for lang in configured_languages():
            before = self._text_of(record, lang)
            name, description = (
                getattr(self, f"name_{lang}").data,
                getattr(self, f"description_{lang}").data,
            )
            record.set_text(lang, name=name, description=description)
            if self._text_of(record, lang) != before:
                changed.append(f"texts.{lang}")
        return changed


class CityEditForm(DirectoryForm):
    model = City
    settings = ("country", "relation", "since", "latitude", "longitude")

    country = SelectField(
        _l("Country"),
        validate_choice=False,
        validators=[DataRequired(_l("Please choose a country."))],
    )
    relation = SelectField(
        _l("Connection"),
        choices=[
            SelectChoice(Relation.PARTNER.value, _l("Partner city (partnership treaty)")),
            SelectChoice(
                Relation.FRIENDSHIP.value, _l("Befriended city (friendship or project agreement)")
            ),
        ],
    )
    since = _year(_l("Since (year, optional)"))
    latitude = CoordinateField(
        _l("Latitude (optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=-90, max=90, message=_l("Please enter a number from %(min)s to %(max)s.")
            ),
        ],
    )
    longitude = CoordinateField(
        _l("Longitude (optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=-180, max=180, message=_l("Please enter a number from %(min)s to %(max)s.")
            ),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", _l("Please choose"))] + [
            SelectChoice(code, f"{name} ({code})")
            for code, name in all_countries(current_language())
        ]

    def validate_country(self, field: SelectField) -> None:
        if field.data and not is_country(field.data):
            raise ValidationError(_l("Please choose a country from the list."))

    def validate_since(self, field: IntegerField) -> None:
        self.check_year(field, 1900)

    def validate_longitude(self, field: CoordinateField) -> None:
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError(_l("Please enter both latitude and longitude, or neither."))


class NetworkEditForm(DirectoryForm):
    model = Network
    settings = ("founded",)

    name = PerLanguage(_l("Name"), _text, 200, required=True)
    founded = _year(_l("Founded (year, optional)"))
    members = TextAreaField(
        _l("Member cities (one per line)"),
        validators=[
            Optional(),
            Length(max=20_000, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=True),
        ],
    )

    def validate_founded(self, field: IntegerField) -> None:
        self.check_year(field, 1800)

    def validate_members(self, field: TextAreaField) -> None:
        names = self.member_names()
        if len(names) > MAX_MEMBERS:
            raise ValidationError(_l("At most %(max)d member cities, please.", max=MAX_MEMBERS))
        if any(len(name) > 120 for name in names):
            raise ValidationError(_l("Each name may have at most %(max)d characters.", max=120))

    def member_names(self) -> list[str]:
        """One name per line, blank lines and repeats (in any case) left out."""
        names: dict[str, str] = {}
        for line in (self.members.data or "").splitlines():
            if line.strip():
                names.setdefault(line.strip().casefold(), line.strip())
        return list(names.values())

    @classmethod
    def data_of(cls, record: Network) -> dict[str, Any]:
        return super().data_of(record) | {
            "members": "\n".join(member.name for member in record.members)
        }
