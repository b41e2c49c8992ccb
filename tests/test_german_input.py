"""Days and amounts typed the German way (and the English way) on phones:
`15.06.2011` is a birthday, `1.500,00 €` an amount; hints name the format of
the page's language; an amount that could be read two ways is refused."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, SupportApplication
from tests.conftest import registration_form, submit
from tests.form_page import EN_URL, URL, FormPage, assert_refused, stored
from tests.test_support_applications import (  # noqa: F401 (directory, june: fixtures)
    APPLY,
    APPLY_DE,
    application_form,
    directory,
    june,
)


@pytest.fixture
def event(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))


def stored_birthday() -> date:
    db.session.rollback()
    return db.session.scalars(select(Registration.date_of_birth)).one()


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


# --- the birthday ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["15.06.2009", "15.6.2009", "15. 06. 2009", "2009-06-15", "15062009", "20090615"],
    ids=[
        "TT.MM.JJJJ",
        "T.M.JJJJ",
        "with-spaces",
        "YYYY-MM-DD",
        "digits-only-german",
        "digits-only-iso",
    ],
)
@pytest.mark.parametrize("url", [URL, EN_URL], ids=["de", "en"])
def test_date_of_birth_accepts_the_german_and_the_iso_way(client, event, url, typed):
    assert submit(client, url, registration_form(date_of_birth=typed)).status_code == 303
    assert stored_birthday() == date(2009, 6, 15)


def test_single_digit_day_and_month_are_read_as_day_and_month(client, event):
    assert submit(client, URL, registration_form(date_of_birth="1.6.2009")).status_code == 303
    assert stored_birthday() == date(2009, 6, 1)


@pytest.mark.parametrize(
    ("url", "hint", "wrong"),
    [
        (URL, "Im Format TT.MM.JJJJ, z. B. 31.05.2010.", "JJJJ-MM-TT"),
        (EN_URL, "As YYYY-MM-DD, e.g. 2010-05-31.", "DD.MM"),
    ],
    ids=["de", "en"],
)
def test_the_date_hint_names_the_format_of_the_pages_language(client, event, url, hint, wrong):
    page = client.get(url).get_data(as_text=True)
    assert f'<p class="hint" id="date_of_birth-hint">{hint}</p>' in page
    assert wrong not in page
    assert 'aria-describedby="date_of_birth-hint"' in input_tag(page, "date_of_birth")


def test_date_of_birth_is_a_text_field_with_a_number_pad(client, event):
    """A phone without a date picker, or a date picker fifteen years back:
    a text field with the number pad and the hint serves both."""
    field = input_tag(client.get(URL).get_data(as_text=True), "date_of_birth")
    assert (
        'type="text"' in field and 'inputmode="numeric"' in field and 'autocomplete="bday"' in field
    )


def test_an_impossible_german_date_is_refused_in_german_and_kept(client, event):
    response = submit(client, URL, registration_form(date_of_birth="30.02.2010"))
    assert_refused(
        response,
        "date_of_birth",
        "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ ein, z. B. 31.05.2010.",
        kept={"date_of_birth": "30.02.2010"},
    )


def test_the_english_page_explains_the_iso_format(client, event):
    response = submit(client, EN_URL, registration_form(date_of_birth="30.02.2010"))
    page = FormPage(response.get_data(as_text=True))
    assert (
        page.errors["date_of_birth"].strip()
        == "Please enter a real date as YYYY-MM-DD, e.g. 2010-05-31."
    )
    assert stored() == 0


# --- the support application: days and amounts -------------------------------


AMBIGUOUS_DE = (
    "„1,500“ kann 1,5 oder 1.500 Euro bedeuten. "
    "Bitte schreiben Sie den Betrag ohne Tausendertrennzeichen, z. B. 1500,00."
)
AMBIGUOUS_EN = (
    "“1.500” could mean 1.5 or 1,500 euros. "
    "Please write it without a thousands separator, e.g. 1500.00."
)


def stored_application() -> SupportApplication:
    db.session.rollback()
    return db.session.scalars(select(SupportApplication)).one()


@pytest.mark.usefixtures("directory", "june")
@pytest.mark.parametrize(
    "typed", ["1.500,00", "1500,00", "1500.00", "1.500 €", "1.500", "1 500,00", "1500 EUR"]
)
def test_a_german_amount_is_accepted_on_the_german_page(client, typed):
    assert submit(client, APPLY_DE, application_form(amount_requested=typed)).status_code == 303
    assert stored_application().amount_requested == Decimal("1500.00")


@pytest.mark.usefixtures("directory", "june")
@pytest.mark.parametrize(
    "typed", ["1.500,00", "1500,00", "1500.00", "1.500 €", "1,500", "€1,500.00"]
)
def test_the_english_page_takes_both_ways_of_writing_an_amount(client, typed):
    assert submit(client, APPLY, application_form(amount_requested=typed)).status_code == 303
    assert stored_application().amount_requested == Decimal("1500.00")


@pytest.mark.usefixtures("directory", "june")
@pytest.mark.parametrize(
    ("url", "typed", "message"),
    [
        (APPLY_DE, "1,500", AMBIGUOUS_DE),
        (APPLY, "1.500", AMBIGUOUS_EN),
    ],
    ids=["comma-on-the-german-page", "dot-on-the-english-page"],
)
def test_an_amount_that_reads_two_ways_is_refused_clearly(client, url, typed, message):
    response = submit(client, url, application_form(amount_requested=typed))
    assert response.status_code == 422
    page = FormPage(response.get_data(as_text=True))
    assert page.errors["amount_requested"].strip() == message
    assert page.values["amount_requested"] == typed
    db.session.rollback()
    assert db.session.scalars(select(SupportApplication)).all() == []


@pytest.mark.usefixtures("directory", "june")
def test_project_days_accept_the_german_way(client):
    form = application_form(starts_on="15.9.2026", ends_on="20.09.2026")
    assert submit(client, APPLY_DE, form).status_code == 303
    application = stored_application()
    assert (application.starts_on, application.ends_on) == (date(2026, 9, 15), date(2026, 9, 20))


@pytest.mark.usefixtures("directory", "june")
@pytest.mark.parametrize(
    ("url", "start", "end", "amount"),
    [
        (
            APPLY_DE,
            "Im Format TT.MM.JJJJ; frühestens 15.09.2026.",
            "Im Format TT.MM.JJJJ.",
            "In Euro, z. B. 1.500,00 oder 1500.",
        ),
        (
            APPLY,
            "As YYYY-MM-DD; 2026-09-15 or later.",
            "As YYYY-MM-DD.",
            "In euros, e.g. 1,500.00 or 1500.",
        ),
    ],
    ids=["de", "en"],
)
def test_support_hints_name_the_formats_of_the_pages_language(client, url, start, end, amount):
    page = client.get(url).get_data(as_text=True)
    assert f'<p class="hint" id="starts_on-hint">{start}</p>' in page
    assert f'<p class="hint" id="ends_on-hint">{end}</p>' in page
    assert f'<p class="hint" id="amount_requested-hint">{amount}</p>' in page
    assert 'inputmode="decimal"' in input_tag(page, "amount_requested")


@pytest.mark.usefixtures("directory", "june")
@pytest.mark.parametrize("typed", ["1" * 28 + ".000", "1" * 28 + ",000"])
def test_an_amount_with_more_digits_than_a_decimal_holds_is_refused_not_a_server_error(
    client, typed
):
    response = submit(client, APPLY_DE, application_form(amount_requested=typed))
    assert response.status_code == 422
    assert FormPage(response.get_data(as_text=True)).errors["amount_requested"]
    db.session.rollback()
    assert db.session.scalars(select(SupportApplication)).all() == []
