"""The public registration form (field names are part of the SPEC)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from blueprints.forms import AppForm
from blueprints.local_input import DayField
from blueprints.registration import group_fields, question_fields
from blueprints.validators import (
    DateRequired,
    HoneypotField,
    PlainText,
    email_field,
    phone_field,
    strip,
)
from models import Event, Registration
from models.base import utcnow
from services.ages import first_day
from services.dates import day_text
from services.lifecycle import Details, minors_of
from services.localtime import local_date
from services.registration import Applicant, rule_errors

EARLIEST_BIRTH_YEAR = 1900


def _name_validators(required: bool, max_length: int) -> list:
    return [
        DataRequired(_l("Please fill in this field.")) if required else Optional(),
        Length(max=max_length, message=_l("At most %(max)d characters, please.")),
        PlainText(),
    ]


# The fields a person may also correct later on their personal page: made
# by functions, so each form gets its own in the order of its page.
def _first_name() -> StringField:
    return StringField(_l("First name"), filters=[strip], validators=_name_validators(True, 100))


def _last_name() -> StringField:
    return StringField(_l("Last name"), filters=[strip], validators=_name_validators(True, 100))


def _phone() -> StringField:
    return phone_field(_l("Phone (optional)"))


def _notes() -> TextAreaField:
    return TextAreaField(
        _l("Anything we should know? (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=1000, message=_l("At most %(max)d characters, please.")),
            PlainText(multiline=True),
        ],
    )


SUMMARY_LABELS = {"phone": _l("Phone"), "notes": _l("Notes")}


class RegistrationCreateForm(AppForm):
    """The form of one event: `validate` applies the event's age and guardian
    rules as well, so that a submission gets all its errors at once."""

    # Names for the error summary, where a label is a whole sentence.
    summary_labels = SUMMARY_LABELS | {
        "guardian_name": _l("Name of the parent or guardian"),
        "guardian_email": _l("Email of the parent or guardian"),
        "privacy_consent": _l("Privacy notice"),
        "photo_consent": _l("Photos"),
    }

    first_name = _first_name()
    last_name = _last_name()
    email = email_field(_l("Email address"))
    date_of_birth = DayField(
        _l("Date of birth"), validators=[DateRequired(_l("Please enter your date of birth."))]
    )
    guardian_name = StringField(
        _l("Name of a parent or guardian"), filters=[strip], validators=_name_validators(False, 200)
    )
    guardian_email = email_field(_l("Email address of the parent or guardian"), required=False)
    phone = _phone()
    notes = _notes()
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree that my details are stored for this event."),
        validators=[
            DataRequired(
                _l("Please agree to the privacy notice, otherwise we cannot register you.")
            )
        ],
    )
    photo_consent = BooleanField(_l("Photos of me taken at the event may be published (optional)."))
    website = HoneypotField()
    # The event's own questions; `question_fields.with_questions` adds their fields.
    questions: tuple = ()
    # Rows of further participants; `group_fields.with_group` adds their fields.
    group_rows: int = 0

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        born: dict[str, object] = {}
        if group_fields.takes_part(self):
            born["date_of_birth"] = self._valid("date_of_birth")
        else:
            # Only the contact: no seat, so no age to check.
            self.date_of_birth.errors = []
        born |= group_fields.born_by_field(self)
        self.add_errors(group_fields.row_errors(self, request.form.keys()))
        self.add_errors(
            rule_errors(
                self.event,
                local_date(utcnow()),
                born=born,
                email=self._valid("email"),
                guardian_name=self._valid("guardian_name"),
                guardian_email=self._valid("guardian_email"),
            )
        )
        return not self.errors

    def _valid(self, name: str):
        """A field's value if it passed its own checks, else None."""
        field = self._fields[name]
        return None if field.errors else field.data

    def validate_date_of_birth(self, field: DayField) -> None:
        born = field.data
        if born is None:
            return
        if born > local_date(utcnow()):
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if born.year < EARLIEST_BIRTH_YEAR:
            raise ValidationError(_l("Please check the year of birth."))

    def applicant(self, language: str) -> Applicant:
        return Applicant(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=self.email.data,
            date_of_birth=self.date_of_birth.data if group_fields.takes_part(self) else None,
            language=language,
            privacy_consent_text=str(self.privacy_consent.label.text),
            guardian_name=self.guardian_name.data or None,
            guardian_email=self.guardian_email.data or None,
            phone=self.phone.data or None,
            notes=self.notes.data or None,
            photo_consent=bool(self.photo_consent.data),
            answers=question_fields.given(self),
            others=group_fields.others(self),
            contact_takes_part=group_fields.takes_part(self),
        )


class RegistrationChangeForm(AppForm):
    """What a person may correct on their personal page, checked as on the
    registration form."""

    summary_labels = SUMMARY_LABELS

    first_name = _first_name()
    last_name = _last_name()
    phone = _phone()
    notes = _notes()
    # The event's own questions; `question_fields.with_questions` adds their fields.
    questions: tuple = ()

    def details(self) -> Details:
        return Details(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            phone=self.phone.data or None,
            notes=self.notes.data or None,
            answers=question_fields.given(self),
        )


class EmailConfirmForm(AppForm):
    """The button behind the link in the first email: a POST with its CSRF token."""


class GuardianConsentForm(AppForm):
    """Consent (with the photo decision) or, with the button `action=decline`,
    no consent at all: then the box need not be ticked."""

    summary_labels = {"agree": _l("Consent")}

    agree = BooleanField(
        _l(
            "I am the parent or guardian and agree that the participant named above takes part in "
            "this event."
        ),
        validators=[DataRequired(_l("Please tick the box to give your consent."))],
    )
    photo_consent = BooleanField(
        _l("Photos of the participant taken at the event may be published (optional).")
    )
    action = StringField()  # the value of the button pressed: "consent" or "decline"

    @property
    def declines(self) -> bool:
        return self.action.data == "decline"

    def statement(self, registration: Registration) -> str:
        """The words agreed to, with whom and what they concern, to keep with the consent."""
        event = registration.event
        photos = (
            self.photo_consent.label.text
            if self.photo_consent.data
            else gettext("Photos of the participant may not be published.")
        )
        title = event.text("title", registration.language)
        day = day_text(first_day(event), "short")
        # One consent covers every minor of a group: all their names are kept.
        who = ", ".join(minor.full_name for minor in minors_of(registration))
        return f"{self.agree.label.text} {photos} — {who}, {title}, {day}"


class RegistrationCancelForm(AppForm):
    """A POST with its CSRF token; the confirmation step is the page itself."""
