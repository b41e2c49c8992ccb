"""The event form (field names are part of the SPEC) and the cancel step."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from blueprints.admin.image_fields import ImageFields
from blueprints.admin.participant_forms import paragraphs
from blueprints.forms import AppForm
from blueprints.per_language import PerLanguage, configured_languages
from blueprints.validators import (
    LocalDateTimeField,
    PlainText,
    SlugField,
    email_field,
    text_field,
)
from extensions import db
from i18n import current_language
from models import Event, EventStatus
from services import categories
from services.cancellation import CancellationNote
from services.event_admin import TEXT_FIELDS, EventData, place_choices, text_field_name
from services.localtime import from_local

_text = text_field


def _when(label: str, required: bool):
    return LocalDateTimeField(
        label,
        validators=[InputRequired(_l("Please enter a date and time.")) if required else Optional()],
    )


# A school class with its teachers; the form shows a row for each person.
MAX_GROUP_SIZE = 40


def _count(label: str, required: bool = False):
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Please enter a number.")) if required else Optional(),
            NumberRange(
                min=0, max=100_000, message=_l("Please enter a number from %(min)s to %(max)s.")
            ),
        ],
    )


def _optional_id(value: object) -> int | None:
    """A select's value as a record id; "" (none chosen) or junk is None."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _place(label: str) -> SelectField:
    return SelectField(label, coerce=_optional_id, validate_choice=True)


class EventEditForm(ImageFields, AppForm):
    slug = SlugField(example="forumtheater-2026")
    title = PerLanguage(_l("Title"), _text, 200, required=True)
    summary = PerLanguage(_l("Summary"), _text, 500, area=True)
    description = PerLanguage(_l("Description"), _text, 20_000, area=True)
    venue = PerLanguage(_l("Venue"), _text, 200, required=True, field_name=text_field_name)
    venue_address = _text(_l("Address (optional)"), 300)
    price = PerLanguage(_l("Price"), _text, 200)
    contact_name = _text(_l("Contact person (optional)"), 200)
    contact_email = email_field(_l("Contact email (optional, shown publicly)"), required=False)
    city_id = _place(_l("Partner city (optional)"))
    network_id = _place(_l("Network (optional)"))
    starts_at = _when(_l("Starts"), required=True)
    ends_at = _when(_l("Ends"), required=True)
    time_to_be_announced = BooleanField(_l("Only the day is known yet (time to be announced)"))
    registration_opens_at = _when(_l("Registration opens (optional)"), required=False)
    registration_closes_at = _when(
        _l("Registration closes (optional; otherwise at the start)"), required=False
    )
    min_age = _count(_l("Minimum age (optional)"))
    max_age = _count(_l("Maximum age (optional)"))
    capacity = _count(_l("Places (empty: no limit)"))
    waitlist = BooleanField(_l("Waitlist when full"))
    guardian_consent_below_age = _count(_l("Guardian consent needed below age"), required=True)
    max_group_size = IntegerField(
        _l("People per registration (empty: 1)"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_GROUP_SIZE,
                message=_l("Please enter a number from %(min)s to %(max)s."),
            ),
        ],
    )
    fill_with_smaller = BooleanField(_l("Fill free seats with smaller registrations"))
    categories = SelectMultipleField(
        _l("Categories (optional)"),
        choices=[],
        validate_choice=True,
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(EventStatus.DRAFT.value, _l("Draft (not public)")),
            SelectChoice(EventStatus.PUBLISHED.value, _l("Published")),
            SelectChoice(EventStatus.CANCELLED.value, _l("Cancelled")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories.choices = categories.choices(db.session, current_language())
        cities, networks = place_choices(db.session, current_language())
        none = SelectChoice("", _l("— none —"))
        self.city_id.choices = [none, *(SelectChoice(str(i), name) for i, name in cities)]
        self.network_id.choices = [none, *(SelectChoice(str(i), name) for i, name in networks)]

    def offer_statuses(self, event: Event | None) -> None:
        """Offer `cancelled` only to an event that is cancelled (or to a form
        that asked for it and is shown again with the reason it was refused):
        cancelling has its own step."""
        if (event is None or not event.is_cancelled) and self.status.data != EventStatus.CANCELLED:
            self.status.choices = [
                choice for choice in self.status.choices if choice.value != EventStatus.CANCELLED
            ]

    def validate_ends_at(self, field: LocalDateTimeField) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_registration_closes_at(self, field: LocalDateTimeField) -> None:
        if field.data and self.starts_at.data and field.data > self.starts_at.data:
            raise ValidationError(_l("Registration must close before the event starts."))
        if (
            field.data
            and self.registration_opens_at.data
            and field.data <= self.registration_opens_at.data
        ):
            raise ValidationError(_l("Registration must close after it opens."))

    def validate_max_age(self, field: IntegerField) -> None:
        if (
            field.data is not None
            and self.min_age.data is not None
            and field.data < self.min_age.data
        ):
            raise ValidationError(_l("The maximum age must not be below the minimum age."))

    def event_data(self) -> EventData:
        def utc(value: datetime | None) -> datetime | None:
            return from_local(value) if value else None

        return EventData(
            slug=self.slug.data,
            texts={
                lang: {
                    name: getattr(self, text_field_name(name, lang)).data for name in TEXT_FIELDS
                }
                for lang in configured_languages()
            },
            starts_at=utc(self.starts_at.data),
            ends_at=utc(self.ends_at.data),
            has_start_time=not self.time_to_be_announced.data,
            registration_opens_at=utc(self.registration_opens_at.data),
            registration_closes_at=utc(self.registration_closes_at.data),
            min_age=self.min_age.data,
            max_age=self.max_age.data,
            capacity=self.capacity.data,
            has_waitlist=bool(self.waitlist.data),
            guardian_consent_below_age=self.guardian_consent_below_age.data,
            max_group_size=self.max_group_size.data or 1,
            fill_with_smaller=bool(self.fill_with_smaller.data),
            status=EventStatus(self.status.data),
            venue_address=self.venue_address.data or None,
            contact_name=self.contact_name.data or None,
            contact_email=self.contact_email.data or None,
            city_id=self.city_id.data,
            network_id=self.network_id.data,
            categories=tuple(self.categories.data or ()),
            image=self.chosen_image()[0],
            remove_image=self.chosen_image()[1],
        )


MAX_NOTE_LENGTH = 5000


def _note(label: object, required: bool = False) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[paragraphs],
        validators=[
            InputRequired(_l("Please fill in this field.")) if required else Optional(),
            Length(max=MAX_NOTE_LENGTH, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=True),
        ],
    )


class EventCancelForm(AppForm):
    """The cancel step: an optional message for the people who are told."""

    message = PerLanguage(None, _note)

    def validate(self, extra_validators: dict | None = None) -> bool:
        """A message in another language needs the German one, which everyone
        else gets (a field's own check would be skipped when it is empty)."""
        valid = super().validate(extra_validators)
        (_, german), *others = self.in_languages("message")
        if not german.data and any(field.data for _, field in others):
            german.errors.append(
                _l("Please write the message in German too; the other languages are optional.")
            )
            return False
        return valid

    def note(self) -> CancellationNote:
        return CancellationNote(
            {lang: field.data for lang, field in self.in_languages("message") if field.data}
        )
