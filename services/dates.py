"""How dates and times read: one set of named formats per language, so that a
page, an email and a staff list never show two styles side by side.

English is British ("Friday 25 December 2026", "25 December 2026, 18:00"),
German as people write it ("Freitag, 25. Dezember 2026", "18:00 Uhr"); both
use the 24-hour clock. Times are always shown in the city's zone.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel import dates as babel_dates
from flask_babel import get_locale

from models.base import DEFAULT_LANGUAGE
from services.localtime import city_zone, local_date

# Patterns in CLDR syntax, by language, then by name.
DATE_FORMATS: dict[str, dict[str, str]] = {
    "de": {"weekday": "EEEE, d. MMMM y", "long": "d. MMMM y", "short": "dd.MM.y", "month": "LLLL"},
    "en": {"weekday": "EEEE d MMMM y", "long": "d MMMM y", "short": "d MMM y", "month": "LLLL"},
}
DATETIME_FORMATS: dict[str, dict[str, str]] = {
    "de": {"long": "d. MMMM y, HH:mm 'Uhr'", "short": "dd.MM.y, HH:mm"},
    "en": {"long": "d MMMM y, HH:mm", "short": "d MMM y, HH:mm"},
}
# A clock time on its own; German sentences add "Uhr" where it belongs.
TIME_FORMATS: dict[str, str] = {"de": "HH:mm", "en": "HH:mm"}

# A language without an entry above gets Babel's own formats of its locale.
# ("month": the month's name alone, for the statistics by month.)
BABEL_DATE_NAMES = {"weekday": "full", "long": "long", "short": "medium", "month": "LLLL"}
BABEL_DATETIME_NAMES = {"long": "medium", "short": "short"}

DATE_NAMES = frozenset(BABEL_DATE_NAMES) | {"iso"}
DATETIME_NAMES = frozenset(BABEL_DATETIME_NAMES)

# For machines, the same in every language: HTML `datetime` attributes, and
# spreadsheet cells, which are text and must still sort in time order.
SORTABLE_DATETIME = "%Y-%m-%d %H:%M"


def current_language() -> str:
    """The language being rendered (the request's, or force_locale's)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def _date_pattern(name: str, lang: str) -> str:
    if lang in DATE_FORMATS:
        return DATE_FORMATS[lang][name]
    return BABEL_DATE_NAMES[name]


def _datetime_pattern(name: str, lang: str) -> str:
    if lang in DATETIME_FORMATS:
        return DATETIME_FORMATS[lang][name]
    return BABEL_DATETIME_NAMES[name]


def day_text(day: date | datetime | None, name: str = "long", lang: str | None = None) -> str:
    """A calendar day by its format name; a moment is first moved into the
    city's zone, so a late-evening start is not shown on the next day."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local_date(day)
    if name == "iso":
        return day.isoformat()
    lang = lang or current_language()
    return babel_dates.format_date(day, _date_pattern(name, lang), locale=lang)


def moment_text(moment: datetime | None, name: str = "long", lang: str | None = None) -> str:
    """A day with its time, in the city's zone."""
    if moment is None:
        return ""
    lang = lang or current_language()
    pattern = _datetime_pattern(name, lang)
    return babel_dates.format_datetime(moment, pattern, tzinfo=city_zone(), locale=lang)


def time_text(moment: datetime | None, lang: str | None = None) -> str:
    """The clock time alone, in the city's zone."""
    if moment is None:
        return ""
    lang = lang or current_language()
    pattern = TIME_FORMATS.get(lang, "short")
    return babel_dates.format_time(moment, pattern, tzinfo=city_zone(), locale=lang)


def sortable(moment: datetime | None, zone: tzinfo) -> str:
    """YYYY-MM-DD HH:MM in `zone` (looked up once by the caller), for exports."""
    return moment.astimezone(zone).strftime(SORTABLE_DATETIME) if moment is not None else ""
