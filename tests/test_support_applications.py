"""SPEC rule 11: support applications from clubs. The three-month rule (on
the city's calendar day), the form, the staff workflow with an email at each
step, the staff list, its export, and who may see it."""

from __future__ import annotations

import html
import io
import itertools
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from openpyxl import load_workbook
from sqlalchemy import func, select

from extensions import db
from models import (
    ApplicationStatus,
    AuditEntry,
    City,
    Network,
    OutboxMessage,
    Relation,
    SupportApplication,
)
from services import applications
from tests.conftest import csrf_token, run_worker, submit
from tests.mail import text_of

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


# --- the workflow, with real email ---------------------------------------------


def _change(admin, application_id: int, status: str, note: str = ""):
    url = f"/admin/applications/{application_id}/status"
    return submit(
        admin, url, {"status": status, "note": note}, token=csrf_token(admin, "/admin/login")
    )


@pytest.mark.parametrize(
    ("lang", "hello", "day"),
    [
        ("de", "Hallo Eva Muster,", "15. September 2026"),
        ("en", "Hello Eva Muster,", "15 September 2026"),
    ],
)
def test_the_applicant_is_emailed_at_each_step_in_their_language(
    app, client, smtp, directory, june, staff_client, lang, hello, day
):
    note = "Bitte reichen Sie noch einen Kostenplan ein."
    assert (
        submit(
            client, f"/{lang}/support/apply", application_form(amount_requested="1234,50")
        ).status_code
        == 303
    )
    [application] = stored()
    admin = staff_client("admin")
    assert _change(admin, application.id, "in_review", note).status_code == 303
    assert _change(admin, application.id, "approved").status_code == 303
    run_worker(app)
    received, in_review, approved = smtp.inbox.to("eva@example.org")
    amount = format_currency(Decimal("1234.50"), "EUR", locale=lang)
    for message in (received, in_review, approved):
        assert message["From"] == "Fachbereich Internationales <international@localhost>"
        assert (
            "Regatta auf der Oder" in message["Subject"] and message.get_body(("html",)) is not None
        )
        assert all(text in text_of(message) for text in (hello, day, amount))
    assert note in text_of(in_review) and note in in_review.get_body(("html",)).get_content()
    assert note not in text_of(approved)
    if lang == "en":
        assert [m["Subject"] for m in (received, in_review, approved)] == [
            f"{start}: Regatta auf der Oder"
            for start in (
                "We have received your application",
                "Your application is being reviewed",
                "Your application has been approved",
            )
        ]
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["application_received", "application_in_review", "application_approved"]
    [decided] = stored()
    assert (decided.status, decided.staff_note, decided.decided_by_id) == (
        S.APPROVED,
        note,
        admin.user.id,
    )
    changes = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "application.status").order_by(AuditEntry.id)
    )
    target = f"application:{application.id}"
    assert [(e.details["from"], e.details["to"], e.target) for e in changes] == [
        ("submitted", "in_review", target),
        ("in_review", "approved", target),
    ]


def test_an_application_can_be_declined_without_review_and_the_reason_is_sent(
    app, smtp, make_application, staff_client
):
    application = make_application(language="en", email="club@example.org", project_title="Chor")
    assert (
        _change(
            staff_client("admin"), application.id, "declined", "No partner city takes part."
        ).status_code
        == 303
    )
    assert stored()[0].status is S.DECLINED
    run_worker(app)
    [declined] = smtp.inbox.to("club@example.org")
    assert declined[
        "Subject"
    ] == "Decision on your application: Chor" and "No partner city takes part." in text_of(declined)


@pytest.mark.parametrize(
    ("status", "wanted", "message"),
    [
        # Nothing is approved without a review; decisions are final.
        (
            S.SUBMITTED,
            "approved",
            "An application that is submitted cannot become approved; it can become: in review, "
            "declined.",
        ),
        (
            S.IN_REVIEW,
            "submitted",
            "An application that is in review cannot become submitted; it can become: approved, "
            "declined.",
        ),
        (S.IN_REVIEW, "in_review", "This application is already in review."),
        (S.APPROVED, "declined", "This application is approved; that decision is final."),
        (S.DECLINED, "in_review", "This application is declined; that decision is final."),
    ],
)
def test_a_step_the_workflow_does_not_allow_is_refused(
    app, make_application, staff_client, status, wanted, message
):
    application = make_application(status=status)
    admin = staff_client("admin")
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # staff pages follow the browser's language
    response = _change(admin, application.id, wanted)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert stored()[0].status is status
    assert count(OutboxMessage) == count(AuditEntry, AuditEntry.action == "application.status") == 0
    with app.test_request_context("/admin/"), pytest.raises(applications.TransitionRefused):
        applications.change_status(
            db.session,
            application.id,
            ApplicationStatus(wanted),
            None,
            admin.user,
            datetime.now(UTC),
        )


# --- the staff pages -----------------------------------------------------------


def application_routes(app, application_id: int) -> list[tuple[str, str]]:
    """(method, url) of every staff route of support applications, read from the URL map."""
    with app.test_request_context():
        return [
            (
                method,
                app.url_for(
                    rule.endpoint, **({"application_id": application_id} if rule.arguments else {})
                ),
            )
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("admin.application")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]


@pytest.mark.parametrize("role", ["editor", "organiser", "anonymous"])
def test_only_admins_may_open_any_application_page(
    app, client, make_application, staff_client, role
):
    application = make_application()
    visitor = client if role == "anonymous" else staff_client(role)
    token = csrf_token(visitor, "/admin/login")
    routes = application_routes(app, application.id)
    assert {url for _, url in routes} == {
        "/admin/applications/",
        "/admin/applications.xlsx",
        f"/admin/applications/{application.id}",
        f"/admin/applications/{application.id}/status",
    }
    for method, url in routes:
        response = visitor.open(
            url, method=method, data={"csrf_token": token, "status": "declined"}
        )
        if role == "anonymous":
            assert response.location.startswith("/admin/login"), f"{method} {url}"
        else:
            assert response.status_code == 403, f"{role} {method} {url}: {response.status_code}"
    assert stored()[0].status is S.SUBMITTED
    assert count(AuditEntry, AuditEntry.action == "applications.export") == 0


def test_admins_see_the_list_the_application_the_export_and_the_menu_entry(
    app, make_application, staff_client
):
    application = make_application(organisation="Kunstverein")
    admin = staff_client("admin")
    pages = {}
    for url in (
        "/admin/applications/",
        f"/admin/applications/{application.id}",
        "/admin/applications.xlsx",
    ):
        response = admin.get(url)
        assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store"), url
        pages[url] = response.get_data(as_text=not url.endswith(".xlsx"))
    listing = pages["/admin/applications/"]
    assert "Kunstverein" in listing and f'href="/admin/applications/{application.id}"' in listing
    assert "Ich stimme zu." in pages[f"/admin/applications/{application.id}"]  # the words agreed to
    assert 'href="/admin/applications/"' in admin.get("/admin/").get_data(as_text=True)
    assert (
        admin.get("/admin/applications/999").status_code
        == _change(admin, 999, "in_review").status_code
        == 404
    )


def test_script_in_an_organisation_name_is_escaped_on_staff_pages(
    app, make_application, staff_client
):
    application = make_application(
        organisation="<script>alert(1)</script>", project_title="<b>Fest</b>"
    )
    admin = staff_client("admin")
    for url in ("/admin/applications/", f"/admin/applications/{application.id}"):
        page = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<b>Fest</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_list_filters_by_status_and_partner_newest_first(app, make_application, staff_client):
    now = datetime.now(UTC)
    make_application(organisation="Org-Oldest", created_at=now - timedelta(days=2))
    make_application(organisation="Org-Newest", created_at=now)
    make_application(
        organisation="Org-Reviewed", status=S.IN_REVIEW, created_at=now - timedelta(days=1)
    )
    make_application(
        organisation="Org-Network", partner_key="network:ubc", partner_name="Union der Ostseestädte"
    )
    admin = staff_client("admin")
    page = admin.get("/admin/applications/?partner=city:szczecin").get_data(as_text=True)
    assert (
        page.index("Org-Newest") < page.index("Org-Reviewed") < page.index("Org-Oldest")
        and "Org-Network" not in page
    )
    submitted = admin.get("/admin/applications/?status=submitted").get_data(as_text=True)
    assert "Org-Oldest" in submitted and "Org-Reviewed" not in submitted
    network = admin.get("/admin/applications/?partner=network:ubc").get_data(as_text=True)
    assert "Org-Network" in network and "Org-Oldest" not in network
    assert admin.get("/admin/applications/?status=bogus").status_code == 422


def test_the_list_is_paginated(app, make_application, staff_client):
    start = datetime.now(UTC)
    for number in range(30):
        make_application(
            organisation=f"Club {number:02d}", created_at=start + timedelta(minutes=number)
        )
    admin = staff_client("admin")
    first = admin.get("/admin/applications/").get_data(as_text=True)
    assert "Club 29" in first and "Club 05" in first and "Club 04" not in first
    second = admin.get("/admin/applications/?page=2").get_data(as_text=True)
    assert "Club 04" in second and "Club 29" not in second


def test_the_export_writes_text_as_strings_never_formulas_and_is_audited(
    app, make_application, staff_client
):
    make_application(
        organisation="=cmd|' /C calc'!A0", contact_name="+49 Trick", status=S.IN_REVIEW
    )
    make_application(organisation="Ordentlicher Verein")
    admin = staff_client("admin")
    response = admin.get("/admin/applications.xlsx?status=in_review")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="support-applications.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 1  # only the application in review
    assert "=cmd|' /C calc'!A0" in rows[0] and "+49 Trick" in rows[0]  # strings, as typed
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "applications.export")
    ).all()
    assert (entry.actor_email, entry.row_count, entry.details["status"]) == (
        admin.user.email,
        1,
        "in_review",
    )
