"""Two-factor sign-in on a phone (Debian's Chromium, 390 px, German): a
staff member switches it on with the QR page's key, signs out, and signs in
again with the password and then a code from the app."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser_support import axe_violations, describe, require_tools
from tests.conftest import PASSWORD
from tests.test_browser import browser, phone, shots, site  # noqa: F401

require_tools()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

WIDTH = 390
PAGE_WIDTH = "document.documentElement.scrollWidth"


def fits_the_phone(page: Page) -> None:
    assert page.evaluate(PAGE_WIDTH) <= WIDTH


def test_enrol_sign_out_and_sign_in_with_password_and_code(
    site,  # noqa: F811
    phone,  # noqa: F811
    shots,  # noqa: F811
    make_user,
):
    user = make_user("organiser", email="mia@stadt.example")
    page = phone(bypass_csp=True)
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.get_by_role("link", name="Zwei-Faktor-Anmeldung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung")
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    fits_the_phone(page)
    violations = axe_violations(page)
    assert violations == [], describe({"enrol": violations})
    shots(page, "enrol")

    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    expect(page.get_by_role("heading", name="Ihre Wiederherstellungscodes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    fits_the_phone(page)
    shots(page, "recovery-codes")

    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung für Mitarbeitende")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung")
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)  # no session yet
    fits_the_phone(page)
    shots(page, "code-step")

    # The code used to switch it on works only once: the app's next one does.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    shots(page, "signed-in")
