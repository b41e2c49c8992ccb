"""Listings cut into pages, the same way on public and staff pages: the
number comes from `?page=`, anything odd or out of range shows the nearest
real page (the first, or the last), and templates draw the links with the
`pagination` macro (macros/pagination.html)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

# Staff listings (the public ones have their own settings).
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; `number` counts from 1."""

    items: list[T]
    number: int
    last: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last


def requested_page() -> int:
    """The page asked for; a missing or unreadable `?page=` is the first."""
    return request.args.get("page", 1, type=int)


def page_of(
    total: int, fetch: Callable[[int, int], list[T]], number: int, per_page: int
) -> Page[T]:
    """Page `number` of `total` items, clamped to the first and last page;
    `fetch(limit, offset)` loads its items."""
    last = max(1, math.ceil(total / per_page))
    number = min(max(number, 1), last)
    return Page(fetch(per_page, (number - 1) * per_page), number, last, total)


def paginate(
    session: Session, query: Select[tuple[T]], number: int, per_page: int = PER_PAGE
) -> Page[T]:
    """The asked-for page of `query`."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return page_of(
        total,
        lambda limit, offset: list(session.scalars(query.limit(limit).offset(offset))),
        number,
        per_page,
    )
