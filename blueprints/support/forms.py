"""The public support application form (field names are part of the SPEC)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectChoice, SelectField
from wtforms.validators import DataRequired, ValidationError

from blueprints.forms import AppForm
from blueprints.local_input import DayField, EuroAmountField
from blueprints.validators import DateRequired, HoneypotField, email_field, phone_field, text_field
from extensions import db
from i18n import current_language
from models.base import utcnow
from services import applications
from services.applications import ApplicationData, PartnerOption
from services.localtime import local_date

PARTNER_GROUP_LABELS = {
    "partner": _l("Partner cities"),
    "friendship": _l("Befriended cities"),
    "network": _l("International networks"),
}
CHOOSE_PARTNER = _l("Please choose the partner city or network of your project.")


def _text(label: Any, max_length: int, *, required: bool = True, area: bool = False) -> Field:
    return text_field(label, max_length, required=required, area=area)


def partner_choices(options: list[PartnerOption]) -> list[SelectChoice]:
    """The directory as grouped choices, after a "please choose" option;
    nothing at all when the directory is empty."""
    if not options:
        return []
    return [SelectChoice("", _l("Please choose"))] + [
        SelectChoice(option.key, option.name, optgroup=str(PARTNER_GROUP_LABELS[option.group]))
        for option in options
    ]


class SupportApplicationCreateForm(AppForm):
    # Names for the error summary, where a label is a whole sentence.
    summary_labels = {"privacy_consent": _l("Privacy notice")}

    organisation = _text(_l("Club or organisation"), 200)
    contact_name = _text(_l("Contact person"), 200)
    email = email_field(_l("Email address"))
    phone = phone_field(_l("Phone (optional)"))
    partner = SelectField(
        _l("Partner city or network"),
        choices=[],
        invalid_choice_message=CHOOSE_PARTNER,
    )
    project_title = _text(_l("Project title"), 200)
    description = _text(_l("What is the project about?"), 5000, area=True)
    starts_on = DayField(
        _l("Project start"),
        validators=[DateRequired(_l("Please enter the day the project starts."))],
    )
    ends_on = DayField(
        _l("Project end"), validators=[DateRequired(_l("Please enter the day the project ends."))]
    )
    amount_requested = EuroAmountField(
        _l("Amount requested in euros"),
        validators=[DateRequired(_l("Please enter the amount you are asking for."))],
    )
    privacy_consent = BooleanField(
        _l(
            "I have read the privacy notice and agree that the details of this application are "
            "stored to process it."
        ),
        validators=[
            DataRequired(
                _l(
                    "Please agree to the privacy notice, otherwise we cannot process your "
                    "application."
                )
            )
        ],
    )
    website = HoneypotField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partner.choices = partner_choices(
            applications.partner_options(db.session, current_language())
        )

    @property
    def has_partners(self) -> bool:
        return bool(self.partner.choices)

    def validate_partner(self, field: SelectField) -> None:
        """The "please choose" option is a valid choice, but no answer."""
        if not field.data and not field.errors:
            raise ValidationError(CHOOSE_PARTNER)

    def validate_starts_on(self, field: DayField) -> None:
        if field.data and (message := applications.start_error(field.data, local_date(utcnow()))):
            raise ValidationError(message)

    def validate_ends_on(self, field: DayField) -> None:
        if (
            field.data
            and self.starts_on.data
            and (message := applications.end_error(self.starts_on.data, field.data))
        ):
            raise ValidationError(message)

    def validate_amount_requested(self, field: EuroAmountField) -> None:
        if field.data is not None and (message := applications.amount_error(field.data)):
            raise ValidationError(message)

    def application(self, language: str) -> ApplicationData:
        return ApplicationData(
            organisation=self.organisation.data,
            contact_name=self.contact_name.data,
            email=self.email.data,
            phone=self.phone.data or None,
            partner_key=self.partner.data,
            project_title=self.project_title.data,
            description=self.description.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            amount_requested=self.amount_requested.data,
            language=language,
            privacy_consent_text=str(self.privacy_consent.label.text),
        )
