"""Every service refuses in one shape (services/refusals.py), which every
form shows the same way (AppForm.add_errors)."""

from __future__ import annotations

import pytest

from services.applications import ApplicationRefused, TransitionRefused
from services.cancellation import CancellationRefused
from services.event_admin import EventRefused
from services.news import NewsRefused
from services.participants import ParticipantRefused
from services.refusals import Refused
from services.registration import RegistrationRefused

REFUSALS = [
    ApplicationRefused,
    CancellationRefused,
    EventRefused,
    NewsRefused,
    ParticipantRefused,
    RegistrationRefused,
    TransitionRefused,
]


@pytest.mark.parametrize("kind", REFUSALS)
def test_every_refusal_has_field_errors_a_message_and_a_status(kind):
    by_field = kind({"slug": "Taken.", "": "And more."}, status=409)
    assert isinstance(by_field, Refused)
    assert by_field.errors == {"slug": "Taken.", "": "And more."}
    assert by_field.status == 409
    assert by_field.message == str(by_field) == "Taken. And more."
    one = kind("Already checked in.")
    assert one.errors == {"": "Already checked in."}
    assert one.message == "Already checked in." and one.status == 422


def test_a_form_shows_a_refusal_by_its_field_and_the_rest_above_it(app):
    from wtforms import StringField

    from blueprints.forms import AppForm

    class SlugForm(AppForm):
        slug = StringField()
        title = StringField()

    with app.test_request_context("/admin/"):
        form = SlugForm(formdata=None, meta={"csrf": False})
        form.title.errors = ["Too long."]
        form.add_errors({"slug": "Taken.", "title": "Also bad.", "": "Try again.", "x": "Odd."})
    assert form.slug.errors == ["Taken."]
    assert form.title.errors == ["Too long."]  # its own message says what is wrong
    assert form.form_errors == ["Try again.", "Odd."]
