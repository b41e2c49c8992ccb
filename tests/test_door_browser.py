"""The door on a phone, in headless Chromium: an organiser types a code
(the camera path needs a real camera: see the README's manual check), sees
the answer large and clear, and undoes it; axe-core finds no WCAG 2.1 AA
violation on the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from extensions import db
from models import Registration
from tests.browser_support import axe_violations, describe, require_tools
from tests.test_browser import browser, phone, shots, sign_in, site  # noqa: F401

require_tools()


def test_an_organiser_checks_a_code_in_on_a_phone(
    site, phone, shots, make_event, make_registration, make_user
):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    event = make_event(starts_at=start)
    organiser = make_user("organiser")
    event.organisers.append(organiser)
    db.session.commit()
    mia = make_registration(event)
    page = phone(bypass_csp=True)
    sign_in(page, site, organiser.email)
    page.goto(f"{site.url}/admin/events/{event.id}/check-in")
    expect(page.get_by_role("button", name="Mit der Kamera scannen")).to_be_visible()
    shots(page, "door")
    page.get_by_label("Einlass-Code oder Name").fill(mia.checkin_code.lower().replace("-", ""))
    page.get_by_role("button", name="Suchen und einchecken").click()
    expect(page.get_by_role("heading", name="✓ Einlass bestätigt")).to_be_visible()
    expect(page.get_by_text("Mia Beispiel", exact=True)).to_be_visible()
    shots(page, "checked-in")
    violations = axe_violations(page)
    assert not violations, describe({"check-in": violations})
    db.session.rollback()
    assert db.session.get(Registration, mia.id).checked_in_at is not None

    page.get_by_label("Einlass-Code oder Name").fill(mia.checkin_code)
    page.get_by_role("button", name="Suchen und einchecken").click()
    expect(page.get_by_role("heading", name="! Schon eingecheckt")).to_be_visible()
    page.get_by_role("button", name="Einlass zurücknehmen").click()
    expect(page.get_by_text("wurde zurückgenommen")).to_be_visible()
    shots(page, "undone")
    db.session.rollback()
    assert db.session.get(Registration, mia.id).checked_in_at is None
