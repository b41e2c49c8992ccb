"""The filters of the event list, its calendar feed and the API: age,
month, category and words. Read from a query string, they either hold
or say in the visitor's language what is wrong; never a server error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models import Category, Event
from services import search
from services.localtime import from_local

MAX_AGE = 120
MAX_QUERY_LENGTH = 200
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_AGE = re.compile(r"\d{1,3}\Z")


@dataclass(frozen=True)
class EventFilters:
    """What the visitor asked for; None (or "") where they asked nothing."""

    age: int | None = None
    month: date | None = None  # the first day of the month
    category: str | None = None
    q: str = ""

    @property
    def is_active(self) -> bool:
        return any((self.age is not None, self.month, self.category, self.q))

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        args = {}
        if self.age is not None:
            args["age"] = str(self.age)
        if self.month:
            args["month"] = self.month.strftime("%Y-%m")
        if self.category:
            args["category"] = self.category
        if self.q:
            args["q"] = self.q
        return args


def parse_month(value: str) -> date | None:
    """The first day of a "YYYY-MM" month; None when it is not one."""
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse(session: Session, args: Mapping[str, str]) -> tuple[EventFilters, dict[str, str]]:
    """The filters in `args` and, by argument name, why a value was refused
    (a refused value filters nothing)."""
    errors: dict[str, str] = {}
    age = month = category = None
    if raw := (args.get("age") or "").strip():
        if _AGE.match(raw) and int(raw) <= MAX_AGE:
            age = int(raw)
        else:
            errors["age"] = gettext(
                "Please give the age as a whole number from 0 to %(max)d.", max=MAX_AGE
            )
    if raw := (args.get("month") or "").strip():
        if (month := parse_month(raw)) is None:
            errors["month"] = gettext("Please give the month as year and month, e.g. 2027-01.")
    if raw := (args.get("category") or "").strip():
        if category_exists(session, raw):
            category = raw
        else:
            errors["category"] = gettext("There is no such category.")
    q = " ".join((args.get("q") or "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = gettext(
            "Please search with at most %(max)d characters.", max=MAX_QUERY_LENGTH
        )
        q = ""
    return EventFilters(age=age, month=month, category=category, q=q), errors


def category_exists(session: Session, slug: str) -> bool:
    return session.scalar(select(Category.id).where(Category.slug == slug)) is not None


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def conditions(session: Session, filters: EventFilters, lang: str) -> list[ColumnElement[bool]]:
    """SQL conditions on Event for `filters`: the age within the event's
    range, the event taking place (partly) in the month in the city's time,
    filed under the category, its words in `lang` matching."""
    where: list[ColumnElement[bool]] = []
    if filters.age is not None:
        where.append((Event.min_age.is_(None)) | (Event.min_age <= filters.age))
        where.append((Event.max_age.is_(None)) | (Event.max_age >= filters.age))
    if filters.month:
        start = from_local(datetime.combine(filters.month, datetime.min.time()))
        end = from_local(datetime.combine(_next_month(filters.month), datetime.min.time()))
        where += [Event.starts_at < end, Event.ends_at >= start]
    if filters.category:
        where.append(Event.categories.any(Category.slug == filters.category))
    if found := search.terms(filters.q):
        where.append(Event.id.in_(search.matching_ids(session, "event", found, lang)))
    return where
