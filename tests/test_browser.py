"""The site in a real browser (Debian's Chromium, phone-sized, German): a
teenager registers, confirms by the button behind the emailed link and
cancels, with a guardian's consent from the guardian's own phone; the form
works by keyboard alone; an organiser downloads the lists; and axe-core finds
no WCAG 2.1 A/AA violations on the pages people use most."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.browser_support import (
    CHROMIUM,
    LAUNCH_ARGS,
    PHONE,
    Screenshots,
    axe_violations,
    describe,
    focused,
    require_tools,
    tab,
)
from tests.conftest import PASSWORD, run_worker
from tests.live.servers import Gunicorn
from tests.mail import link_in

require_tools()

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Workshop Forumtheater"
REGISTER = "/de/events/forumtheater/register"


# Fixtures ---------------------------------------------------------------------


@pytest.fixture
def browser(app) -> Iterator[Browser]:
    """Chromium, started after the app and stopped before it: while Playwright's
    sync API is in use this thread counts as running an asyncio loop, and the
    app context's async teardown (Flask-SQLAlchemy-Lite, through asgiref)
    refuses to run in such a thread."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page on a fresh phone (its own cookies); `bypass_csp=True` lets
    axe-core into pages that allow only the site's own scripts."""
    contexts = []

    def open_page(bypass_csp: bool = False) -> Page:
        context = browser.new_context(**PHONE, bypass_csp=bypass_csp)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(request.node.name)


@pytest.fixture
def site(app, database_url: str, smtp, tmp_path: Path) -> Iterator[Gunicorn]:
    """gunicorn with two workers on the test's database, mailing to `smtp`
    (the in-process worker, `run_worker(app)`, does the sending)."""
    env = {
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "RATELIMIT_ENABLED": "0",
        "SECRET_KEY": "browser-test-secret-key-long-enough-for-two-workers",
    }
    with Gunicorn(tmp_path, env, workers=2) as server:
        yield server


@pytest.fixture
def workshop(make_event):
    return make_event()


def send_mail(app) -> None:
    """One pass of the mail worker, in a thread of its own (see `browser`)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_worker, app).result()


def registration(email: str) -> Registration | None:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(Registration).where(Registration.email == email))


def born(event, age: int):
    """A birthday that makes someone `age` on the event's first day (and today)."""
    return event.starts_at.date() - timedelta(days=365 * age + 100)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


# 1. Register, confirm, guardian consent, cancel -------------------------------


def test_fifteen_year_old_registers_gets_consent_and_cancels(
    app, site, phone, shots, smtp, workshop
):
    page = phone()
    page.goto(f"{site.url}/de/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    shots(page, "home")
    page.get_by_role("link", name="Veranstaltungen", exact=True).click()
    expect(heading(page)).to_have_text("Veranstaltungen")
    shots(page, "events")
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    shots(page, "event")
    page.get_by_role("link", name="Jetzt anmelden").click()
    expect(heading(page)).to_have_text(f"Anmelden: {TITLE}")

    page.get_by_label("Vorname", exact=True).fill("Tim")
    page.get_by_label("Nachname", exact=True).fill("Muster")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("tim@example.org")
    page.get_by_label("Geburtsdatum", exact=True).fill(
        born(workshop, 15).strftime("%d.%m.%Y")
    )  # as hinted
    page.get_by_label("Name eines Elternteils oder einer erziehungsberechtigten Person").fill(
        "Eva Muster"
    )
    page.get_by_label("E-Mail-Adresse des Elternteils oder der erziehungsberechtigten Person").fill(
        "eva@example.org"
    )
    page.locator("input[name=privacy_consent]").check()
    shots(page, "form-filled")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    shots(page, "check-your-inbox")
    assert registration("tim@example.org").status is RegistrationStatus.PENDING

    send_mail(app)
    [confirm] = smtp.inbox.to("tim@example.org")
    page.goto(site.url + link_in(confirm, "confirm"))
    expect(heading(page)).to_have_text("Anmeldung bestätigen")
    shots(page, "confirm-page")
    assert (
        registration("tim@example.org").email_confirmed_at is None
    )  # opening the link is not enough
    page.get_by_role("button", name="Meine E-Mail-Adresse bestätigen").click()
    expect(heading(page)).to_have_text("Meine Anmeldung")
    expect(page.get_by_text("Ihre E-Mail-Adresse ist bestätigt.")).to_be_visible()
    shots(page, "email-confirmed")
    assert (
        registration("tim@example.org").status is RegistrationStatus.PENDING
    )  # the guardian is next

    send_mail(app)
    [request] = smtp.inbox.to("eva@example.org")
    guardian = phone(bypass_csp=True)  # the parent's own phone (axe-core checks the page)
    guardian.goto(site.url + link_in(request, "consent"))
    expect(guardian.get_by_text("Tim Muster").first).to_be_visible()
    shots(guardian, "consent-page")
    violations = axe_violations(guardian)
    assert not violations, describe({"consent-page": violations})
    guardian.locator("input[name=agree]").check()
    guardian.locator("input[name=photo_consent]").check()  # the guardian decides the photos
    shots(guardian, "guardian-ticked")
    guardian.get_by_role("button", name="Einverständnis geben").click()
    expect(heading(guardian)).to_have_text("Vielen Dank für Ihr Einverständnis")
    expect(guardian.get_by_text("Die Anmeldung ist jetzt bestätigt.")).to_be_visible()
    shots(guardian, "consent-given")
    consented = registration("tim@example.org")
    assert consented.status is RegistrationStatus.CONFIRMED and consented.photo_consent is True

    send_mail(app)
    confirmed = smtp.inbox.to("tim@example.org")[-1]
    assert confirmed["Subject"] == f"Ihre Anmeldung ist bestätigt: {TITLE}"
    assert (
        smtp.inbox.to("eva@example.org")[-1]["Subject"]
        == f"Die Anmeldung von Tim Muster ist bestätigt: {TITLE}"
    )
    page.goto(site.url + link_in(confirmed, "manage"))
    expect(page.get_by_role("status")).to_have_text(
        "Ihre Anmeldung ist bestätigt. Wir freuen uns auf Sie!"
    )
    shots(page, "my-registration")
    page.get_by_role("link", name="Meine Anmeldung stornieren").click()
    expect(
        page.get_by_role("heading", name="Möchten Sie Ihre Anmeldung wirklich stornieren?")
    ).to_be_visible()
    shots(page, "cancel-asks-again")
    assert registration("tim@example.org").status is RegistrationStatus.CONFIRMED  # not yet
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    expect(page.get_by_text("Diese Anmeldung ist storniert.")).to_be_visible()
    shots(page, "cancelled")
    assert registration("tim@example.org").status is RegistrationStatus.CANCELLED


# 2. Keyboard only -------------------------------------------------------------

TAB_ORDER = [
    "first_name",
    "last_name",
    "email",
    "date_of_birth",
    "phone",
    "guardian_name",
    "guardian_email",
    "notes",
    "link:Datenschutzhinweise lesen (öffnet in einem neuen Tab)",
    "privacy_consent",
    "photo_consent",
    "button:Anmelden",
]


def test_registration_form_works_with_the_keyboard_alone(site, phone, shots, workshop):
    page = phone()
    page.goto(site.url + REGISTER)
    assert page.get_attribute("input[name=website]", "tabindex") == "-1"  # the honeypot

    page.keyboard.press("Tab")
    assert focused(page) == "link:Zum Inhalt springen"
    shots(page, "skip-link")
    page.keyboard.press("Enter")

    typed = {
        "first_name": "Jonas",
        "last_name": "Keller",
        "email": "jonas@example.org",
        "phone": "0381 123456",
        "notes": "Ich esse vegetarisch.",
    }
    birthday = born(workshop, 17)
    order = []
    while len(order) < len(TAB_ORDER) + 3 and order[-1:] != ["button:Anmelden"]:
        name = tab(page)
        order.append(name)
        if name in typed:
            page.keyboard.type(typed[name])
        elif name == "date_of_birth":
            page.keyboard.type(birthday.strftime("%d.%m.%Y"))  # as the German hint asks
        elif name == "privacy_consent":
            page.keyboard.press("Space")
    assert order == TAB_ORDER
    assert page.input_value("input[name=date_of_birth]") == birthday.strftime("%d.%m.%Y")
    assert page.is_checked("input[name=privacy_consent]")
    assert not page.is_checked("input[name=photo_consent]")
    shots(page, "filled-by-keyboard")

    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    shots(page, "check-your-inbox")
    stored = registration("jonas@example.org")
    assert stored is not None and stored.status is RegistrationStatus.PENDING
    assert (stored.first_name, stored.last_name, stored.date_of_birth) == (
        "Jonas",
        "Keller",
        birthday,
    )
    assert (stored.phone, stored.notes, stored.photo_consent) == (
        "0381 123456",
        "Ich esse vegetarisch.",
        False,
    )
    assert stored.privacy_consent_at is not None


# 3. Organiser exports ---------------------------------------------------------


def sign_in(page: Page, site: Gunicorn, email: str) -> None:
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_organiser_downloads_the_participants_as_csv_and_xlsx(
    site, phone, shots, workshop, make_user, make_registration
):
    organiser = make_user("organiser")
    workshop.organisers.append(organiser)
    db.session.commit()
    make_registration(workshop, first_name="Mia", last_name="Beispiel")

    page = phone()
    sign_in(page, site, organiser.email)
    shots(page, "signed-in")
    page.get_by_role("link", name="Veranstaltungen und Teilnehmende").click()
    page.get_by_role("link", name="Teilnehmende", exact=True).click()
    expect(heading(page)).to_have_text(f"Teilnehmende: {TITLE}")
    expect(page.get_by_role("rowheader", name="Beispiel, Mia")).to_be_visible()
    shots(page, "participants")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Als CSV exportieren").click()
    assert csv_download.value.suggested_filename == "forumtheater-participants.csv"
    csv = Path(csv_download.value.path()).read_bytes()
    assert csv.startswith("\ufeffStatus;Vorname;Nachname;E-Mail-Adresse;".encode())
    assert ";Mia;Beispiel;" in csv.decode("utf-8-sig")

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Als Excel-Datei (XLSX) exportieren").click()
    assert xlsx_download.value.suggested_filename == "forumtheater-participants.xlsx"
    assert Path(xlsx_download.value.path()).read_bytes()[:4] == b"PK\x03\x04"
    shots(page, "after-downloads")


# 4. Accessibility -------------------------------------------------------------


def test_pages_have_no_wcag_21_aa_violations(app, site, phone, shots, smtp, workshop, make_user):
    from services.demo_directory import seed_directory

    seed_directory(db.session, "rostock")
    organiser = make_user("organiser")
    workshop.organisers.append(organiser)
    db.session.commit()
    page = phone(bypass_csp=True)
    found: dict[str, list] = {}

    def check(step: str) -> None:
        shots(page, step)
        found[step] = axe_violations(page)

    def visit(path: str, step: str) -> None:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200, (
            f"{path}: {response and response.status}"
        )
        check(step)

    visit("/de/", "home")
    visit("/de/events/", "event-list")
    visit("/de/events/forumtheater/", "event")
    visit(REGISTER, "registration-form")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("registration-form-with-errors")

    page.get_by_label("Vorname", exact=True).fill("Lena")
    page.get_by_label("Nachname", exact=True).fill("Schröder")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("lena@example.org")
    page.get_by_label("Geburtsdatum", exact=True).fill(born(workshop, 17).isoformat())
    page.locator("input[name=privacy_consent]").check()
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    check("check-your-inbox")
    send_mail(app)
    visit(link_in(smtp.inbox.to("lena@example.org")[0], "confirm"), "confirm-page")
    page.get_by_role("button", name="Meine E-Mail-Adresse bestätigen").click()
    expect(heading(page)).to_have_text("Meine Anmeldung")
    check("email-confirmed")
    page.get_by_role("link", name="Meine Angaben ändern").click()
    page.get_by_label("Vorname", exact=True).fill("")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("change-details-with-errors")

    visit("/de/partners/", "partners")
    expect(page.locator(".map svg")).to_be_visible()
    check("partners-map")

    visit("/admin/login", "login")
    sign_in(page, site, organiser.email)
    visit(f"/admin/events/{workshop.id}/participants", "participants")

    failures = {step: violations for step, violations in found.items() if violations}
    if failures:
        print(describe(failures))
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + describe(failures)
