"""SPEC rule 11: support applications from clubs. The three-month rule (on
the city's calendar day) and the form. The staff workflow with an email at
each step: test_support_workflow.py; the staff list, its export, and who may
see it: test_support_staff.py."""

from __future__ import annotations

import html
import itertools
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from extensions import db
from models import (
    ApplicationStatus,
    City,
    Network,
    OutboxMessage,
    Relation,
    SupportApplication,
)
from services import applications
from tests.conftest import submit

APPLY = "/en/support/apply"
APPLY_DE = "/de/support/apply"
S = ApplicationStatus
_numbers = itertools.count(1)


def application_form(**overrides: str) -> dict[str, str]:
    return {
        "organisation": "Rostocker Ruderclub e.V.",
        "contact_name": "Eva Muster",
        "email": "eva@example.org",
        "phone": "0381 123456",
        "partner": "city:szczecin",
        "project_title": "Regatta auf der Oder",
        "description": (
            "Zwölf Jugendliche rudern mit dem Partnerverein.\n\nZwei Trainer fahren mit."
        ),
        "starts_on": "2026-09-15",
        "ends_on": "2026-09-20",
        "amount_requested": "1500",
        "privacy_consent": "y",
    } | overrides


def stored() -> list[SupportApplication]:
    db.session.rollback()
    return list(db.session.scalars(select(SupportApplication).order_by(SupportApplication.id)))


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def named(item: City | Network, german: str, english: str | None = None) -> City | Network:
    item.set_text("de", name=german)
    item.set_text("en", name=english)  # an empty English name falls back to the German one
    return item


@pytest.fixture
def directory(app) -> None:
    """A partner city, a befriended city and a network, named in German and (mostly) English."""
    db.session.add_all(
        [
            named(
                City(slug="szczecin", country="PL", relation=Relation.PARTNER, since=1957),
                "Stettin",
                "Szczecin",
            ),
            named(
                City(slug="panajachel", country="GT", relation=Relation.FRIENDSHIP), "Panajachel"
            ),
            named(Network(slug="ubc"), "Union der Ostseestädte", "Union of the Baltic Cities"),
        ]
    )
    db.session.commit()


@pytest.fixture
def june(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def make_application(app):
    """Store an application as if submitted; keyword arguments override."""

    def make(**overrides) -> SupportApplication:
        number, now = next(_numbers), datetime.now(UTC)
        fields = {
            "language": "de",
            "organisation": f"Verein {number}",
            "contact_name": "Eva Muster",
            "email": f"verein{number}@example.org",
            "partner_key": "city:szczecin",
            "partner_name": "Stettin",
            "project_title": f"Projekt {number}",
            "description": "Ein Austausch.",
            "starts_on": date(2027, 1, 10),
            "ends_on": date(2027, 1, 12),
            "amount_requested": Decimal("800.00"),
            "privacy_consent_at": now,
            "privacy_consent_text": "Ich stimme zu.",
            "created_at": now,
        } | overrides
        application = SupportApplication(**fields)
        db.session.add(application)
        db.session.commit()
        return application

    return make


# --- the three-month rule ------------------------------------------------------

MONTH_ENDS = [  # submitted, earliest start
    (date(2026, 6, 15), date(2026, 9, 15)),
    (date(2026, 11, 30), date(2027, 2, 28)),
    (date(2027, 11, 30), date(2028, 2, 29)),  # 2028 is a leap year
    (date(2026, 5, 31), date(2026, 8, 31)),
    (date(2026, 3, 31), date(2026, 6, 30)),
    (date(2026, 12, 31), date(2027, 3, 31)),
]


@pytest.mark.parametrize(("submitted", "earliest"), MONTH_ENDS)
def test_earliest_start_is_three_calendar_months_later_clamped_to_the_month_end(
    submitted, earliest
):
    assert applications.earliest_start(submitted) == earliest


@pytest.mark.parametrize(("submitted", "earliest"), MONTH_ENDS)
def test_the_form_refuses_one_day_too_early_and_accepts_the_earliest_day(
    client, directory, time_machine, submitted, earliest
):
    time_machine.move_to(datetime.combine(submitted, time(10, 0), UTC), tick=False)
    too_early = (earliest - timedelta(days=1)).isoformat()
    response = submit(
        client, APPLY, application_form(starts_on=too_early, ends_on=earliest.isoformat())
    )
    assert response.status_code == 422 and format_date(
        earliest, "d MMMM y", locale="en"
    ) in response.get_data(as_text=True)
    assert stored() == []
    accepted = submit(
        client,
        APPLY,
        application_form(starts_on=earliest.isoformat(), ends_on=earliest.isoformat()),
    )
    assert (accepted.status_code, accepted.location) == (303, "/en/support/apply/thanks")
    assert [a.starts_on for a in stored()] == [earliest]


def test_the_form_names_the_earliest_start_in_german_too(client, directory, june):
    assert "15. September 2026" in client.get(APPLY_DE).get_data(as_text=True)
    response = submit(client, APPLY_DE, application_form(starts_on="2026-09-14"))
    assert response.status_code == 422 and "15. September 2026" in response.get_data(as_text=True)


def test_the_submission_day_is_the_day_in_the_city_not_in_utc(client, directory, time_machine):
    # 23:30 UTC on 30 November is already 1 December, 00:30, in Berlin.
    time_machine.move_to(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tick=False)
    assert "1 March 2027" in client.get(APPLY).get_data(as_text=True)
    refused = submit(client, APPLY, application_form(starts_on="2027-02-28", ends_on="2027-03-05"))
    assert refused.status_code == 422 and "1 March 2027" in refused.get_data(as_text=True)
    assert (
        submit(
            client, APPLY, application_form(starts_on="2027-03-01", ends_on="2027-03-05")
        ).status_code
        == 303
    )


def test_the_service_itself_applies_the_rule(app, directory):
    data = applications.ApplicationData(
        organisation="Verein",
        contact_name="Eva",
        email="eva@example.org",
        partner_key="network:ubc",
        project_title="Konferenz",
        description="Treffen",
        starts_on=date(2026, 9, 14),
        ends_on=date(2026, 9, 15),
        amount_requested=Decimal("10"),
        language="de",
        privacy_consent_text="ok",
    )
    with pytest.raises(applications.ApplicationRefused) as refusal:
        applications.submit(db.session, data, datetime(2026, 6, 15, 10, 0, tzinfo=UTC))
    assert set(refusal.value.errors) == {"starts_on"} and count(OutboxMessage) == 0


# --- the form -----------------------------------------------------------------


def test_a_valid_application_is_stored_with_its_consent_and_confirmed_by_email(
    client, directory, june
):
    response = submit(client, APPLY_DE, application_form(amount_requested="1234,50"))
    assert (response.status_code, response.location) == (303, "/de/support/apply/thanks")
    [a] = stored()
    assert (
        a.status,
        a.language,
        a.amount_requested,
        a.partner_key,
        a.partner_name,
        a.privacy_consent_at,
    ) == (
        S.SUBMITTED,
        "de",
        Decimal("1234.50"),
        "city:szczecin",
        "Stettin",
        datetime(2026, 6, 15, 10, 0, tzinfo=UTC),
    )
    assert a.privacy_consent_text in html.unescape(
        client.get(APPLY_DE).get_data(as_text=True)
    )  # the words shown
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.kind, message.recipient, message.language) == (
        "application_received",
        "eva@example.org",
        "de",
    )
    assert client.get(response.location).status_code == 200


def test_the_partner_choice_offers_the_directory_in_the_page_language(client, directory, june):
    english, german = (client.get(url).get_data(as_text=True) for url in (APPLY, APPLY_DE))
    for option in (
        '"city:szczecin">Szczecin<',
        '"network:ubc">Union of the Baltic Cities<',
        '"city:panajachel">Panajachel<',
    ):
        assert (
            f"<option value={option}" in english
        )  # Panajachel has no English name: the German one stands
    for option in ('"city:szczecin">Stettin<', '"network:ubc">Union der Ostseestädte<'):
        assert f"<option value={option}" in german


def test_with_an_empty_directory_the_page_says_a_partner_is_needed(client, june):
    page = client.get(APPLY).get_data(as_text=True)
    assert "Applications need a partner city or network" in page
    assert "<option" not in page
    assert submit(client, APPLY, application_form()).status_code == 422
    assert stored() == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"starts_on": "2026-10-10", "ends_on": "2026-10-09"},
            "The project cannot end before it starts.",
        ),
        (
            {"partner": "city:atlantis"},
            "Please choose the partner city or network of your project.",
        ),
        ({"amount_requested": "-100"}, "The amount cannot be negative."),
        ({"amount_requested": "12.3456"}, "at most two decimal places"),
        ({"amount_requested": "12,3456"}, "at most two decimal places"),
        ({"amount_requested": "12.345"}, "“12.345” could mean 12.345 or 12,345 euros."),
        ({"amount_requested": "viel Geld"}, "Please enter an amount in euros using digits"),
        ({"amount_requested": ""}, "Please enter the amount you are asking for"),
    ],
)
def test_refused_input_is_named_kept_and_not_stored(client, directory, june, overrides, message):
    form = application_form(organisation="Kanu & Co", **overrides)
    response = submit(client, APPLY, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert 'value="Kanu &amp; Co"' in page
    typed = re.escape(form["amount_requested"])
    assert re.search(rf'<input [^>]*name="amount_requested"[^>]*value="{typed}"', page)  # as typed
    assert stored() == []


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1234,50", "1234.50"), ("1234.50", "1234.50"), ("0", "0.00"), ("99", "99.00")],
)
def test_amounts_with_a_decimal_point_or_comma_are_accepted(client, directory, june, typed, amount):
    assert submit(client, APPLY, application_form(amount_requested=typed)).status_code == 303
    assert [a.amount_requested for a in stored()] == [Decimal(amount)]


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, directory, june):
    response = submit(client, APPLY, application_form(website="http://spam.example"))
    assert (response.status_code, response.location, stored()) == (
        303,
        "/en/support/apply/thanks",
        [],
    )


def test_missing_fields_and_consent_are_named_in_the_visitors_language(client, directory, june):
    response = submit(client, APPLY_DE, application_form(organisation="", privacy_consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and stored() == []
    assert "Bitte füllen Sie dieses Feld aus." in page and 'id="privacy_consent-error"' in page
