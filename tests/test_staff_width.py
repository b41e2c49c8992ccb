"""The staff pages use the width of the screen they are shown on: on a
1366 px laptop the participants list and the audit log show every column
without scrolling; on a 390 px phone the page itself never scrolls sideways
(a wide table scrolls inside its own box)."""

from __future__ import annotations

import re

import pytest

from extensions import db
from models import RegistrationStatus
from services import audit
from services.demo_directory import seed_directory
from tests.browser_support import Screenshots, require_tools
from tests.test_browser import born, browser, sign_in, site  # noqa: F401

require_tools()

from playwright.sync_api import Browser  # noqa: E402

pytestmark = pytest.mark.browser

SCREENS = {"laptop": (1366, 900), "phone": (390, 844)}
# The page's width, and for each table box its width and the width of its table.
MEASURE = """() => [document.documentElement.scrollWidth,
  [...document.querySelectorAll('.table-scroll')].map(box => [box.clientWidth, box.scrollWidth])]"""


@pytest.fixture
def staff_pages(app, make_event, make_user, make_registration) -> tuple[str, list[str]]:
    """An admin, an event with participants (minors with guardians too), audit
    entries, the directory; the admin's email and the staff pages to open."""
    admin = make_user("admin", email="verwaltung.international@stadt.example")
    event = make_event()
    for number, (first, last) in enumerate(
        [
            ("Sophie-Charlotte", "von Bismarck-Schönhausen"),
            ("Tim", "Muster-Lüdenscheidt"),
            ("Aylin", "Yıldırım"),
            ("Jonas", "Keller"),
        ]
    ):
        make_registration(
            event,
            first_name=first,
            last_name=last,
            date_of_birth=born(event, 14 + number),
            guardian_name="Eva Muster-Lüdenscheidt",
            guardian_email=f"eltern.{number}@example.org",
            status=RegistrationStatus.CONFIRMED if number % 2 else RegistrationStatus.WAITLISTED,
        )
    for fmt in ("csv", "xlsx"):
        audit.record(
            db.session, admin, "participants.export", event_id=event.id, row_count=4, format=fmt
        )
    seed_directory(db.session, "rostock")
    db.session.commit()
    return admin.email, [
        "/admin/",
        "/admin/events/",
        "/admin/events/new",
        f"/admin/events/{event.id}/edit",
        f"/admin/events/{event.id}/participants",
        "/admin/audit",
        "/admin/outbox",
        "/admin/staff/",
        "/admin/news/",
        "/admin/news/new",
        "/admin/cities/",
        "/admin/cities/new",
        "/admin/networks/",
        "/admin/applications/",
    ]


@pytest.mark.parametrize("screen", SCREENS)
def test_staff_pages_use_the_screens_width(
    staff_pages,
    site,
    browser: Browser,
    request,
    screen,  # noqa: F811
):
    email, paths = staff_pages
    width, height = SCREENS[screen]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=screen == "phone", locale="de-DE"
    )
    shots = Screenshots(request.node.name)
    page = context.new_page()
    sign_in(page, site, email)
    too_wide, hidden_columns = {}, {}
    for path in paths:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200, path
        page_width, boxes = page.evaluate(MEASURE)
        if page_width > width:
            too_wide[path] = page_width
        if screen == "laptop" and any(inner > box for box, inner in boxes):
            hidden_columns[path] = boxes
        shots(page, re.sub(r"\W+", "_", path).strip("_"))
    context.close()
    assert (too_wide, hidden_columns) == ({}, {}), (
        f"wider than the {width} px screen: {too_wide}; tables hiding columns: {hidden_columns}"
    )


LAST_COLUMN_SHOWN = """() => [...document.querySelectorAll('.table-scroll')].map(box => {
  const last = box.querySelector('thead th:last-child');
  return [last.textContent.trim(),
          last.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1];
})"""


def test_the_last_columns_of_participants_and_audit_log_are_shown_on_a_laptop(
    staff_pages,
    site,
    browser: Browser,  # noqa: F811
):
    email, paths = staff_pages
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="de-DE")
    page = context.new_page()
    sign_in(page, site, email)
    shown = {}
    for path in (next(p for p in paths if p.endswith("/participants")), "/admin/audit"):
        page.goto(site.url + path)
        shown[path] = page.evaluate(LAST_COLUMN_SHOWN)
    context.close()
    assert list(shown.values()) == [[["Aktionen", True]], [["Details", True]]], shown
