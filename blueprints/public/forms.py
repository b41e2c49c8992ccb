"""The event list's filter form: a GET form, so that filters stay in the
address (to share, bookmark, and for the page cache to key on)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SearchField, SelectField, StringField

from blueprints.forms import AppForm


class EventFilterForm(AppForm):
    """Rendering only: services/event_filters.parse reads and checks the
    values, for the page, the feed and the API alike."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search words"))
    age = IntegerField(_l("Age"), render_kw={"inputmode": "numeric", "min": 0, "max": 120})
    month = StringField(_l("Month"), render_kw={"type": "month", "placeholder": "2027-01"})
    category = SelectField(_l("Category"), choices=[], validate_choice=False)

    def offer_categories(self, choices: list[tuple[str, str]]) -> None:
        self.category.choices = [("", _l("All categories")), *choices]

    def show_errors(self, errors: dict[str, str]) -> None:
        """The messages of services/event_filters.parse, at their fields."""
        for name, message in errors.items():
            self[name].errors = [message]
