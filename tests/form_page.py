"""Reading a re-shown registration form in tests: its values, ticked boxes
and the message at each field."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from extensions import db
from models import Registration

URL = "/de/events/forumtheater/register"
EN_URL = "/en/events/forumtheater/register"

PLAIN_TEXT_DE = "Bitte verwenden Sie nur Buchstaben, Ziffern und Satzzeichen."
REAL_DATE_DE = "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ ein, z. B. 31.05.2010."
NOT_FOUND_DE = "Seite nicht gefunden"


class FormPage(HTMLParser):
    """What a re-shown form says: field values, checked boxes and the error
    message next to each field."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.checked: set[str] = set()
        self.errors: dict[str, str] = {}
        self.invalid: set[str] = set()
        self._textarea: str | None = None
        self._error_of: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "input" and "name" in a:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.checked.add(a["name"])
            else:
                self.values[a["name"]] = a.get("value", "")
            if a.get("aria-invalid") == "true":
                self.invalid.add(a["name"])
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
            if a.get("aria-invalid") == "true":
                self.invalid.add(a["name"])
        elif tag == "p" and a.get("class") == "error" and a.get("id", "").endswith("-error"):
            self._error_of = a["id"].removesuffix("-error")
            self.errors[self._error_of] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # WTForms starts a textarea with a line break that browsers drop.
            value = self.values[self._textarea]
            self.values[self._textarea] = value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "p":
            self._error_of = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data
        elif self._error_of:
            self.errors[self._error_of] += data


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


def assert_refused(
    response, field: str, message: str | tuple[str, ...], kept: dict[str, str], status: int = 422
) -> FormPage:
    """The form is back, `field` carries `message` (or all its parts), the
    typed values are kept and nothing was stored."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = FormPage(response.get_data(as_text=True))
    for part in (message,) if isinstance(message, str) else message:
        assert part in page.errors.get(field, ""), page.errors
    assert field in page.invalid
    for name, value in kept.items():
        assert page.values.get(name) == value, name
    assert stored() == 0
    return page


def today() -> date:
    """Today in the city (Europe/Berlin, the test configuration)."""
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


def born_aged(years: int) -> str:
    """A date of birth of someone `years` old today (and still on the event day)."""
    return (today() - timedelta(days=round(365.25 * years) + 60)).isoformat()
