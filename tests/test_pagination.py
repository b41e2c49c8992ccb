"""Pages of a listing (blueprints/pagination.py), one rule for public and
staff lists: an odd or out-of-range page number shows the nearest real page."""

from __future__ import annotations

import pytest

from blueprints.pagination import page_of

ITEMS = list(range(1, 46))  # 45 items, 20 a page: pages 1-3


def fetch(limit: int, offset: int) -> list[int]:
    return ITEMS[offset : offset + limit]


@pytest.mark.parametrize(
    ("asked", "number", "first_item"),
    [(1, 1, 1), (2, 2, 21), (3, 3, 41), (0, 1, 1), (-5, 1, 1), (4, 3, 41), (10**30, 3, 41)],
)
def test_a_page_number_is_clamped_to_the_first_and_last_page(asked, number, first_item):
    page = page_of(len(ITEMS), fetch, asked, 20)
    assert (page.number, page.last, page.total, page.items[0]) == (number, 3, 45, first_item)
    assert page.has_previous is (number > 1)
    assert page.has_next is (number < 3)


def test_an_empty_listing_has_one_empty_page():
    page = page_of(0, lambda limit, offset: [], 7, 20)
    assert (page.number, page.last, page.items, page.has_next) == (1, 1, [], False)
