"""The rule for staff passwords (SPEC "Staff accounts"): at least 12
characters, and not one that attackers try first. Checked offline against
the 20,000 common passwords that Django ships (services/data/README.md
names the source), also with a number or symbols around a common word
("sommer2024!!"), and refusing a few characters repeated ("aaaaaaaaaaaa").

One rule for every way a password is set: `flask create-user`, the staff
form, changing one's own and the reset link all call check()."""

from __future__ import annotations

import enum
import gzip
import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 1024
# Fewer different characters than this is a pattern, not a password.
MIN_DISTINCT = 5
LIST = Path(__file__).parent / "data" / "common-passwords.txt.gz"
_AROUND_A_WORD = re.compile(r"\A[\W\d_]*(.+?)[\W\d_]*\Z")


class Weakness(enum.StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    REPETITIVE = "repetitive"


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def weakness(password: str) -> Weakness | None:
    """Why `password` may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Weakness.TOO_LONG
    folded = password.lower().strip()
    if len(set(folded)) < MIN_DISTINCT:
        return Weakness.REPETITIVE
    common = common_passwords()
    word = _AROUND_A_WORD.match(folded)
    if folded in common or (word and len(word.group(1)) >= 4 and word.group(1) in common):
        return Weakness.COMMON
    return None


def explain(problem: Weakness) -> str:
    """The reason in English, for the command line (forms say it in the
    reader's language: blueprints.validators.StrongPassword)."""
    return {
        Weakness.TOO_SHORT: f"The password needs at least {MIN_LENGTH} characters.",
        Weakness.TOO_LONG: f"The password may have at most {MAX_LENGTH} characters.",
        Weakness.COMMON: "This password is among the most common ones, which attackers try first.",
        Weakness.REPETITIVE: "This password repeats a few characters and is easy to guess.",
    }[problem]
