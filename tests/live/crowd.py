"""Many people at once against a live server: each loads their form, then
all send at the same moment."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# One person's step: (client, round, person) -> status code.
Step = Callable[[httpx.Client, int, int], int]


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def all_at_once(clients: list[httpx.Client], prepare: Step, send: Step, rounds: int) -> Counter:
    """`rounds` times: every client prepares, then all send together; the
    status codes of the sends."""
    start = threading.Barrier(len(clients))
    codes: Counter = Counter()
    for round in range(rounds):

        def person(n: int) -> int:
            prepare(clients[n], round, n)
            start.wait()
            return send(clients[n], round, n)

        with ThreadPoolExecutor(len(clients)) as pool:
            codes.update(pool.map(person, range(len(clients))))
    return codes


CONTROL_ROUNDS = 3


def race_shows_in_a_round(one_round: Callable[[int], tuple[bool, str]]) -> None:
    """For a control run: a race is a matter of timing, and even a real one
    may by chance end at exactly the capacity. Up to CONTROL_ROUNDS rounds,
    each on a fresh event; `one_round(number)` says whether it showed the
    race and what it saw. Fails when none did."""
    seen = []
    for number in range(CONTROL_ROUNDS):
        shown, what = one_round(number)
        print(f"without the lock, round {number + 1}: {what}")
        if shown:
            return
        seen.append(what)
    pytest.fail(f"no race seen in {CONTROL_ROUNDS} rounds: {seen}")
