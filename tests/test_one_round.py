"""Every error of a submission shows in one round: the fields' own checks and
the event's rules (age, guardian) together, with an error summary that
reads well and links to each field."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import registration_form, submit
from tests.form_page import EN_URL, URL, FormPage, assert_refused, born_aged, stored

PRIVACY_DE = "Bitte stimmen Sie den Datenschutzhinweisen zu, sonst können wir Sie nicht anmelden."
GUARDIAN_NAME_DE = (
    "Teilnehmende unter 16 Jahren brauchen das Einverständnis eines Elternteils oder "
    "einer erziehungsberechtigten Person. Bitte geben Sie deren Namen an."
)


@pytest.fixture
def event(make_event):
    return make_event(slug="forumtheater", min_age=12, max_age=18)


def summary(response) -> list[tuple[str, str]]:
    """The error summary's entries: (link target, text)."""
    html = response.get_data(as_text=True)
    block = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert block, "no error summary"
    return [
        (target, unescape(re.sub(r"\s+", " ", text)).strip())
        for target, text in re.findall(
            r'<li><a href="#([\w-]+)">(.*?)</a></li>', block.group(0), re.DOTALL
        )
    ]


def test_a_minor_without_guardian_and_consent_sees_every_error_at_once(client, event):
    form = registration_form(date_of_birth=born_aged(15), privacy_consent="")
    response = submit(client, URL, form)
    page = assert_refused(response, "privacy_consent", PRIVACY_DE, kept={"first_name": "Lena"})
    assert {"guardian_name", "guardian_email", "privacy_consent"} <= set(page.errors)
    assert GUARDIAN_NAME_DE in page.errors["guardian_name"]
    assert "guardian_email" in page.invalid and "guardian_name" in page.invalid


def test_field_errors_and_the_age_rule_come_together(client, event):
    form = registration_form(date_of_birth=born_aged(10), email="lena@", first_name="")
    page = FormPage(submit(client, URL, form).get_data(as_text=True))
    assert set(page.errors) == {"first_name", "email", "date_of_birth"}
    assert "Altersgruppe dieser Veranstaltung: 12 bis 18 Jahre" in page.errors["date_of_birth"]
    assert stored() == 0


def test_a_field_with_its_own_error_gets_no_second_one(client, event):
    form = registration_form(
        date_of_birth=born_aged(15), guardian_name="Anna", guardian_email="anna@"
    )
    page = FormPage(submit(client, URL, form).get_data(as_text=True))
    assert set(page.errors) == {"guardian_email"}
    assert page.errors["guardian_email"].strip() == (
        "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org."
    )


def test_the_rules_are_checked_again_under_the_lock(app, client, event, monkeypatch):
    """A form that passed its own round is still refused by `register`."""
    from flask_wtf import FlaskForm

    from blueprints.registration.forms import RegistrationCreateForm

    monkeypatch.setattr(RegistrationCreateForm, "validate", FlaskForm.validate)
    response = submit(client, URL, registration_form(date_of_birth=born_aged(15)))
    assert_refused(response, "guardian_name", GUARDIAN_NAME_DE, kept={"first_name": "Lena"})


def test_the_error_summary_uses_short_names_and_links_to_each_field(client, event):
    form = registration_form(date_of_birth=born_aged(15), privacy_consent="", notes="x" * 1001)
    entries = summary(submit(client, URL, form))
    assert [target for target, _ in entries] == [
        "guardian_name",
        "guardian_email",
        "notes",
        "privacy_consent",
    ]
    texts = dict(entries)
    assert texts["guardian_name"].startswith("Name des Elternteils: Teilnehmende unter 16")
    assert texts["notes"] == "Hinweise: Bitte höchstens 1000 Zeichen."
    assert texts["privacy_consent"] == f"Datenschutzhinweise: {PRIVACY_DE}"
    assert not any(".:" in text or "?:" in text or "):" in text for _, text in entries)


def test_the_english_summary_reads_well_too(client, event):
    entries = dict(summary(submit(client, EN_URL, registration_form(privacy_consent=""))))
    assert entries == {
        "privacy_consent": (
            "Privacy notice: Please agree to the privacy notice, otherwise we cannot register you."
        )
    }
