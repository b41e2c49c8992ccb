"""Every public page, in German and in English, fits a 390 px phone screen:
nothing makes the visitor scroll sideways (Debian's Chromium, the demo
content, and the pages behind the emailed links)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import City, Event, Network, NewsPost
from models.base import utcnow
from services.demo import seed_events
from services.demo_directory import seed_directory
from services.demo_news import seed_news
from services.localtime import local_date
from tests.browser_support import PHONE, Screenshots, require_tools
from tests.mail import link_in
from tests.test_browser import born, browser, phone, send_mail, shots, site  # noqa: F401

require_tools()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

WIDTH = PHONE["viewport"]["width"]
# The page's width, and the first elements that reach past the screen's edge.
MEASURE = """(width) => [document.documentElement.scrollWidth,
  [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 4)
    .map(e => e.tagName.toLowerCase()
      + (e.className ? '.' + String(e.className).split(' ')[0] : ''))]"""


@pytest.fixture
def demo(app) -> dict[str, list[str]]:
    """The demo content of `flask seed-demo`: the directory, both workshops, the news."""
    now = utcnow()
    seed_directory(db.session, "rostock")
    events = seed_events(db.session, local_date(now), "MV")
    seed_news(db.session, now)
    db.session.commit()
    return {
        "cities": sorted(db.session.scalars(select(City.slug))),
        "networks": sorted(db.session.scalars(select(Network.slug))),
        "events": events,
        "news": sorted(db.session.scalars(select(NewsPost.slug))),
    }


class Widths:
    """Opens pages on one phone and notes those wider than its screen."""

    def __init__(self, page: Page, base: str, shots: Screenshots) -> None:
        self.page, self.base, self.shots = page, base, shots
        self.too_wide: dict[str, tuple[int, list[str]]] = {}
        self.seen = 0

    def check(self, step: str) -> None:
        self.seen += 1
        width, wide = self.page.evaluate(MEASURE, WIDTH)
        if width > WIDTH:
            self.too_wide[f"{step} ({self.page.url})"] = (width, wide)
            self.shots(self.page, re.sub(r"[^\w-]+", "_", step).strip("_")[:60])

    def visit(self, path: str, step: str | None = None, status: int = 200) -> None:
        response = self.page.goto(path if path.startswith("http") else self.base + path)
        answered = response.status if response else None
        assert answered == status, f"{path}: {answered}"
        self.check(step or path)

    def submit(self, step: str) -> None:
        """Press the main form's button and check the answer."""
        self.page.locator("main form[method=post] button[type=submit]").last.click()
        self.page.wait_for_load_state()
        self.check(step)

    def report(self) -> str:
        return "\n".join(
            f"{where}: {width} px ({', '.join(wide)})"
            for where, (width, wide) in self.too_wide.items()
        )


def registration_pages(app, smtp, widths: Widths, lang: str, event, email: str) -> None:
    """The form, its errors, the done page, and the pages behind the emailed
    links: confirmation, the guardian's consent, the personal page."""
    page = widths.page
    register = f"/{lang}/events/forumtheater/register"
    widths.visit(register)
    widths.submit(f"{register} with errors")
    expect(page.get_by_role("alert")).to_be_visible()
    page.fill("input[name=first_name]", "Maximilian-Alexander")
    page.fill("input[name=last_name]", "Schönfeld-Wiesenbrück")
    page.fill("input[name=email]", email)
    page.fill("input[name=date_of_birth]", born(event, 15).isoformat())
    page.fill("input[name=guardian_name]", "Eva Schönfeld-Wiesenbrück")
    guardian = email.replace("@", "-eltern@")
    page.fill("input[name=guardian_email]", guardian)
    page.check("input[name=privacy_consent]")
    widths.submit(f"{register} done")

    send_mail(app)
    mail = smtp.inbox.to(email)[-1]
    widths.visit(link_in(mail, "confirm"), f"/{lang}/ confirm link")
    if page.locator("main form[method=post] button[type=submit]").count():
        widths.submit(f"/{lang}/ confirm link, confirmed")
    manage = link_in(mail, "manage")
    widths.visit(manage, f"/{lang}/ personal page")
    widths.visit(f"{manage}?cancel=1", f"/{lang}/ personal page, cancel step")

    send_mail(app)
    [request] = smtp.inbox.to(guardian)
    widths.visit(link_in(request, "consent"), f"/{lang}/ consent link")
    page.check("input[name=agree]")
    widths.submit(f"/{lang}/ consent given")
    widths.visit(f"/{lang}/registrations/confirm/{'x' * 43}", f"/{lang}/ invalid link", status=404)


def support_pages(widths: Widths, lang: str) -> None:
    page = widths.page
    apply = f"/{lang}/support/apply"
    widths.visit(apply)
    widths.submit(f"{apply} with errors")
    expect(page.get_by_role("alert")).to_be_visible()
    starts = date.today() + timedelta(days=130)
    for name, value in {
        "organisation": "Internationaler Jugendaustausch Warnemünde-Lichtenhagen e.V.",
        "contact_name": "Eva Muster",
        "email": "verein@example.org",
        "project_title": "Segeln auf der Ostsee",
        "description": "Zwölf Jugendliche segeln mit dem Partnerverein.",
        "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=5)).isoformat(),
        "amount_requested": "1500",
    }.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=partner]", index=1)
    page.check("input[name=privacy_consent]")
    widths.submit(f"{apply} thanks")


def test_every_public_page_fits_a_phone_screen_in_both_languages(
    app,
    demo,
    site,
    phone,
    shots,
    smtp,  # noqa: F811
):
    widths = Widths(phone(), site.url, shots)
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater"))
    for lang in ("de", "en"):
        for path in [
            "/",
            "/events/",
            "/events/?archive=1",
            "/news/",
            "/partners/",
            "/partners/?relation=friendship",
            "/networks/",
            "/privacy",
            "/imprint",
            "/accessibility",
        ]:
            widths.visit(f"/{lang}{path}")
        for slug in demo["events"]:
            widths.visit(f"/{lang}/events/{slug}/")
        for slug in demo["news"]:
            widths.visit(f"/{lang}/news/{slug}/")
        for slug in demo["cities"]:
            widths.visit(f"/{lang}/partners/{slug}/")
        for slug in demo["networks"]:
            widths.visit(f"/{lang}/networks/{slug}/")
        widths.visit(f"/{lang}/no-such-page", status=404)
        widths.visit(f"/{lang}/events/no-such-event/", status=404)
        registration_pages(app, smtp, widths, lang, event, f"maximilian.{lang}@example.org")
        support_pages(widths, lang)
    widths.visit("/de/leichte-sprache")
    widths.visit("/en/leichte-sprache", status=404)
    assert len(demo["cities"]) >= 19 and len(demo["networks"]) >= 4 and demo["news"]
    assert widths.seen > 100
    assert not widths.too_wide, f"wider than {WIDTH} px:\n{widths.report()}"
