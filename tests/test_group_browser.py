"""A parent registers two children on a phone (Debian's Chromium, German):
she does not take part herself, gives the children's details in the rows of
the form, gets one mail for both, confirms by its button, consents as their
guardian, and her personal page lists both children. The form fits the
phone's screen and axe-core finds no WCAG 2.1 A/AA violations on it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.browser_support import PHONE, axe_violations, describe, require_tools
from tests.mail import link_in, text_of
from tests.test_browser import born, browser, heading, phone, send_mail, shots, site  # noqa: F401

require_tools()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Workshop Forumtheater"


@pytest.fixture
def family_event(make_event):
    return make_event(max_group_size=3, min_age=8, max_age=18, capacity=10)


def children(event_id: int) -> dict[str, Registration]:
    db.session.rollback()  # see what the server committed
    return {
        r.first_name: r
        for r in db.session.scalars(select(Registration).where(Registration.event_id == event_id))
    }


def test_a_parent_registers_two_children_on_a_phone(app, site, phone, shots, smtp, family_event):
    page = phone(bypass_csp=True)
    page.goto(f"{site.url}/de/events/forumtheater/")
    expect(page.get_by_text("Bis zu 3 Personen können sich gemeinsam anmelden.")).to_be_visible()
    page.get_by_role("link", name="Jetzt anmelden").click()
    expect(heading(page)).to_have_text(f"Anmelden: {TITLE}")
    violations = axe_violations(page)
    assert not violations, describe({"group-form": violations})

    page.get_by_label("Vorname", exact=True).first.fill("Anna")
    page.get_by_label("Nachname", exact=True).first.fill("Schröder")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("anna@example.org")
    page.get_by_label("Ich nehme selbst teil").uncheck()  # she only registers her children
    for index, (name, age) in enumerate([("Emil", 12), ("Ida", 10)]):
        person = page.get_by_role("group", name=f"Person {index + 2}")
        person.get_by_label("Vorname").fill(name)
        person.get_by_label("Nachname").fill("Schröder")
        person.get_by_label("Geburtsdatum").fill(born(family_event, age).strftime("%d.%m.%Y"))
    page.get_by_label("Name eines Elternteils oder einer erziehungsberechtigten Person").fill(
        "Anna Schröder"
    )
    page.get_by_label("E-Mail-Adresse des Elternteils oder der erziehungsberechtigten Person").fill(
        "anna.schroeder@example.net"
    )
    page.locator("input[name=privacy_consent]").check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the form is {width}px wide"
    shots(page, "group-form-filled")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    shots(page, "check-your-inbox")
    registered = children(family_event.id)
    assert sorted(registered) == ["Emil", "Ida"]
    assert {r.status for r in registered.values()} == {RegistrationStatus.PENDING}

    send_mail(app)
    [mail] = smtp.inbox.to("anna@example.org")
    assert "Emil Schröder" in text_of(mail) and "Ida Schröder" in text_of(mail)
    page.goto(site.url + link_in(mail, "confirm"))
    page.get_by_role("button", name="Meine E-Mail-Adresse bestätigen").click()
    expect(heading(page)).to_have_text("Meine Anmeldung")

    send_mail(app)
    [request] = smtp.inbox.to("anna.schroeder@example.net")
    guardian = phone()
    guardian.goto(site.url + link_in(request, "consent"))
    expect(guardian.get_by_text("Emil Schröder")).to_be_visible()
    expect(guardian.get_by_text("Ida Schröder")).to_be_visible()
    shots(guardian, "consent-for-both")
    guardian.locator("input[name=agree]").check()
    guardian.get_by_role("button", name="Einverständnis geben").click()
    expect(heading(guardian)).to_have_text("Vielen Dank für Ihr Einverständnis")
    assert {r.status for r in children(family_event.id).values()} == {RegistrationStatus.CONFIRMED}

    send_mail(app)
    confirmed = smtp.inbox.to("anna@example.org")[-1]
    page.goto(site.url + link_in(confirmed, "manage"))
    expect(page.get_by_role("heading", name="Teilnehmende")).to_be_visible()
    members = page.locator(".group-members")
    expect(members.get_by_text("Emil Schröder")).to_be_visible()
    expect(members.get_by_text("Ida Schröder")).to_be_visible()
    expect(members.get_by_text("Einlass-Code:")).to_have_count(2)
    shots(page, "personal-page-of-the-group")
