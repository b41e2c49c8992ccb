"""Days and amounts as people type them on a German or an English page.

Both ways of writing are understood on every page (a German living in the
city may fill in the English form); the hints and messages name the way of
the page's language. A phone's number pad may have no dot or dash, so a day
can also be typed as eight digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from i18n import current_language


@dataclass(frozen=True)
class DayFormat:
    """How a day is written on the pages of one language."""

    name: object  # as hints name it: "TT.MM.JJJJ" (a lazy string)
    pattern: str  # for strftime


DAY_FORMATS = {
    "de": DayFormat(_l("DD.MM.YYYY"), "%d.%m.%Y"),
    "en": DayFormat(_l("YYYY-MM-DD"), "%Y-%m-%d"),
}
ISO_DAY = DAY_FORMATS["en"]  # for languages without a way of their own
EXAMPLE_DAY = date(2010, 5, 31)
EARLIEST_YEAR = 1900

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DOTTED = re.compile(r"([0-9]{1,2})\. ?([0-9]{1,2})\. ?([0-9]{4})")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")


def day_format() -> DayFormat:
    return DAY_FORMATS.get(current_language(), ISO_DAY)


def show_day(day: date) -> str:
    """`day` written the way the page's language types it."""
    return day.strftime(day_format().pattern)


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_day(typed: str) -> date | None:
    """The day in `typed` (YYYY-MM-DD, DD.MM.YYYY, D.M.YYYY, DDMMYYYY or
    YYYYMMDD), or None when it is no real day."""
    typed = typed.strip()
    if match := _ISO.fullmatch(typed):
        return _day(*match.groups())
    if match := _DOTTED.fullmatch(typed):
        day, month, year = match.groups()
        return _day(year, month, day)
    if _EIGHT_DIGITS.fullmatch(typed):
        readings = [
            day
            for day in (
                _day(typed[4:], typed[2:4], typed[:2]),
                _day(typed[:4], typed[4:6], typed[6:]),
            )
            if day is not None
        ]
        # 15062011 and 20110615 cannot both be plausible: a year from 1900 on
        # puts 19 or 20 where the other reading has its month.
        plausible = [day for day in readings if day.year >= EARLIEST_YEAR] or readings
        return plausible[0] if len(plausible) == 1 else None
    return None


class DayField(Field):
    """A calendar day typed as text, with a number pad on phones (a date
    picker makes a birthday fifteen years back a chore). Shown again as
    typed; a blank entry is no day at all (for `DateRequired` to ask)."""

    widget = TextInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "spellcheck": "false"})
        super().__init__(*args, **kwargs)

    @property
    def format_name(self) -> str:
        """The way of writing a day on this page, for the hint: "TT.MM.JJJJ"."""
        return str(day_format().name)

    @property
    def example(self) -> str:
        return show_day(EXAMPLE_DAY)

    def show(self, day: date) -> str:
        return show_day(day)

    def process_formdata(self, valuelist: list[str]) -> None:
        typed = " ".join(valuelist).strip()
        if not typed:
            self.data = None
            return
        self.data = parse_day(typed)
        if self.data is None:
            raise ValueError(
                gettext(
                    "Please enter a real date as %(format)s, e.g. %(example)s.",
                    format=self.format_name,
                    example=self.example,
                )
            )

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return show_day(self.data) if self.data else ""


# --- amounts -----------------------------------------------------------------

# The two ways of writing 1500 euros: 1.500,00 € and €1,500.00.
NUMBER_CONVENTIONS = ("de", "en")
SIGN_AFTER, SIGN_BEFORE = "de", "en"  # where each puts the euro sign
EXAMPLE_AMOUNT = Decimal("1500.00")
_AMOUNT = re.compile(
    r"(?P<before>€|EUR\b)?\s*(?P<number>[+-]?[0-9][0-9., ]*?)\s*(?P<after>€|EUR|Euros?)?",
    re.IGNORECASE,
)
# Thousands grouped by spaces, as in "1 500,00" (DIN 5008 and much of Europe).
_SPACE_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?")


class AmountError(ValueError):
    """The typed amount is not one, or could be two."""


def show_amount(amount: Decimal, language: str | None = None) -> str:
    return format_decimal(amount, format="#,##0.00", locale=language or current_language())


def _typed_decimals(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _not_an_amount(language: str) -> AmountError:
    return AmountError(
        gettext(
            "Please enter an amount in euros using digits, e.g. %(example)s.",
            example=show_amount(EXAMPLE_AMOUNT, language),
        )
    )


def parse_euros(typed: str, language: str) -> Decimal:
    """The amount in `typed`, read with Babel both ways of writing numbers.

    Where the readings differ, the page's way wins when it gives whole cents
    ("1.500" on a German page is 1500); a euro sign after the number ("1.500 €")
    or before it ("€1,500") tells the way instead. Otherwise ("1,500" on a
    German page: 1.50 or 1500 euros?) the amount is refused, not guessed.
    """
    match = _AMOUNT.fullmatch(unicodedata.normalize("NFKC", typed).strip())
    if match is None:
        raise _not_an_amount(language)
    text = match["number"]
    if " " in text:
        if not _SPACE_GROUPED.fullmatch(text):
            raise _not_an_amount(language)
        text = text.replace(" ", "")
    readings: dict[str, Decimal] = {}
    for convention in dict.fromkeys((language, *NUMBER_CONVENTIONS)):
        try:
            readings[convention] = parse_decimal(text, locale=convention, strict=True)
        except (
            NumberFormatError,
            ArithmeticError,
        ):  # ArithmeticError: more digits than Decimal holds
            continue
    values = set(readings.values())
    if not values:
        raise _not_an_amount(language)
    if len(values) == 1:
        return readings.popitem()[1]
    way = language
    if match["after"] == "€":
        way = SIGN_AFTER
    elif match["before"] == "€":
        way = SIGN_BEFORE
    chosen = readings.get(way)
    if chosen is not None and _typed_decimals(chosen) <= 2:
        return chosen
    small, large = sorted(values)
    raise AmountError(
        gettext(
            "“%(typed)s” could mean %(small)s or %(large)s euros. "
            "Please write it without a thousands separator, e.g. %(example)s.",
            typed=typed.strip(),
            small=format_decimal(small, locale=language),
            large=format_decimal(large, locale=language),
            example=format_decimal(EXAMPLE_AMOUNT, format="0.00", locale=language),
        )
    )


class EuroAmountField(Field):
    """An amount in euros, typed the German or the English way; it is shown
    again exactly as typed when the form comes back with an error."""

    widget = TextInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)

    @property
    def examples(self) -> tuple[str, str]:
        """1500 euros with a thousands separator and without, as the page writes them."""
        language = current_language()
        return show_amount(EXAMPLE_AMOUNT, language), format_decimal(
            EXAMPLE_AMOUNT, "0", locale=language
        )

    def process_formdata(self, valuelist: list[str]) -> None:
        typed = " ".join(valuelist).strip()
        if not typed:
            self.data = None
            return
        self.data = parse_euros(typed, current_language())

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else show_amount(self.data)
