"""One date style per language: British English ("Friday 10 July 2026",
"3 July 2026, 23:59"), German as written in Germany ("Freitag, 10. Juli
2026", "18:00 Uhr"), on pages, in emails and on staff pages alike."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services import dates
from tests.conftest import registration_form, run_worker, submit

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 7, 10, 16, 0, tzinfo=UTC)  # Friday, 18:00 in Rostock
CLOSES = datetime(2026, 7, 3, 21, 59, tzinfo=UTC)  # 23:59 in Rostock
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "July 10, 2026", "Jul 10, 2026", "Friday, July 10", "6:00 PM": the American way.
SHORT_MONTHS = "|".join(month[:3] for month in MONTHS.split("|"))
US_STYLE = re.compile(rf"\b(?:{MONTHS}|{SHORT_MONTHS})\.? \d{{1,2}}\b|\d [AP]M\b")


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(starts_at=START, registration_closes_at=CLOSES)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def english_texts(app, client, smtp, staff_client, event) -> dict[str, str]:
    """The same event in English on the list, its page, the form, the
    confirmation email (both parts) and the staff list."""
    submit(client, "/en/events/forumtheater/register", registration_form(email="kim@example.org"))
    run_worker(app)
    [mail] = smtp.inbox.to("kim@example.org")
    admin = staff_client("admin", language="en")
    return {
        "list": text(client.get("/en/events/")),
        "event page": text(client.get("/en/events/forumtheater/")),
        "form": text(client.get("/en/events/forumtheater/register")),
        "email": mail.get_body(("plain",)).get_content(),
        "email (HTML)": html.unescape(mail.get_body(("html",)).get_content()),
        "staff events": text(admin.get("/admin/events/")),
        "staff participants": text(admin.get(f"/admin/events/{event.id}/participants")),
    }


def test_english_shows_dates_the_british_way_everywhere(app, client, smtp, staff_client, workshop):
    shown = english_texts(app, client, smtp, staff_client, workshop)
    for where in ("list", "event page", "form", "email", "email (HTML)"):
        assert "Friday 10 July 2026, 18:00–21:00" in shown[where], where
    assert "3 July 2026, 23:59" in shown["event page"]
    assert "10 July 2026, 18:00" in shown["staff events"]
    assert "10 July 2026, 18:00" in shown["staff participants"]
    american = {where: US_STYLE.findall(page) for where, page in shown.items()}
    assert not any(american.values()), american


def test_german_keeps_its_own_style(client, workshop):
    page = text(client.get("/de/events/forumtheater/"))
    assert "Freitag, 10. Juli 2026, 18:00–21:00 Uhr" in page
    assert "3. Juli 2026, 23:59 Uhr" in page


def test_staff_pages_show_only_the_day_of_an_event_whose_time_is_not_known(
    staff_client, make_event, time_machine
):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    event = make_event(starts_at=datetime(2026, 7, 9, 22, 0, tzinfo=UTC), has_start_time=False)
    admin = staff_client("admin", language="en")
    for url in ("/admin/events/", f"/admin/events/{event.id}/participants"):
        page = text(admin.get(url))
        assert "10 July 2026" in page and "00:00" not in page, url


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de",
            [
                "Freitag, 25. Dezember 2026",
                "25. Dezember 2026",
                "25.12.2026",
                "25. Dezember 2026, 18:00 Uhr",
                "25.12.2026, 18:00",
                "18:00",
            ],
        ),
        (
            "en",
            [
                "Friday 25 December 2026",
                "25 December 2026",
                "25 Dec 2026",
                "25 December 2026, 18:00",
                "25 Dec 2026, 18:00",
                "18:00",
            ],
        ),
    ],
)
def test_each_named_format_reads_the_same_in_every_place(app, lang, expected):
    christmas = datetime(2026, 12, 25, 17, 0, tzinfo=UTC)  # 18:00 in Rostock (winter)
    assert [
        dates.day_text(christmas, "weekday", lang),
        dates.day_text(christmas.date(), "long", lang),
        dates.day_text(christmas, "short", lang),
        dates.moment_text(christmas, "long", lang),
        dates.moment_text(christmas, "short", lang),
        dates.time_text(christmas, lang),
    ] == expected


def test_a_language_without_named_formats_gets_its_locales_own(app):
    assert dates.day_text(date(2026, 12, 25), "long", "fr") == "25 décembre 2026"


BABEL_FORMATTERS = re.compile(r"\b(format_date|format_datetime|format_time|format_skeleton)\b")
NAMED_FILTER = re.compile(r"\|\s*local_(date|datetime)\s*\(\s*['\"]([^'\"]+)['\"]")


def test_every_date_is_formatted_through_the_named_formats():
    """Code formats dates only through services/dates.py, and templates ask
    for a format by its name, never by a pattern of their own."""
    folders = ("blueprints", "services", "models")
    sources = [*ROOT.glob("*.py"), *(p for d in folders for p in (ROOT / d).rglob("*.py"))]
    own = [
        str(path.relative_to(ROOT))
        for path in sources
        if path.name != "dates.py" and BABEL_FORMATTERS.search(path.read_text())
    ]
    assert not own, f"format dates with services.dates instead: {own}"
    names = {"date": dates.DATE_NAMES, "datetime": dates.DATETIME_NAMES}
    unnamed = [
        (str(path.relative_to(ROOT)), kind, name)
        for path in (ROOT / "templates").rglob("*.*")
        for kind, name in NAMED_FILTER.findall(path.read_text())
        if name not in names[kind]
    ]
    assert not unnamed
