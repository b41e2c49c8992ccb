"""SPEC "Staff accounts": passwords of at least 12 characters, not among the
common ones (Django's list of 20,000, shipped with the app and read
offline), the same rule for every way a password is set."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import User
from services.passwords import Weakness, common_passwords, weakness


def test_the_shipped_list_has_the_twenty_thousand_common_passwords():
    assert len(common_passwords()) > 19_000
    assert {"123456", "qwerty", "password1234"} <= common_passwords()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("elf zeichen", Weakness.TOO_SHORT),
        ("aaaaaaaaaaaa", Weakness.REPETITIVE),
        ("abababababab", Weakness.REPETITIVE),
        ("qwerty123456", Weakness.COMMON),
        ("Password1234", Weakness.COMMON),  # the list is compared without regard to case
        ("sunshine2024!!", Weakness.COMMON),  # a common word with a number and symbols
        ("  password1234  ", Weakness.COMMON),
        ("x" * 1025 + "abcde", Weakness.TOO_LONG),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, why):
    assert weakness(password) is why


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "lindenblatt wasserturm nebel", "K4t!x9#qLm2v"]
)
def test_good_passwords_pass(password):
    assert weakness(password) is None


def test_create_user_refuses_a_common_password_and_says_why(app, runner):
    result = runner.invoke(
        args=["create-user", "mia@stadt.example", "--role", "editor", "--password-stdin"],
        input="qwerty123456\n",
    )
    assert result.exit_code != 0
    assert "most common" in result.output
    assert db.session.scalar(select(User).where(User.email == "mia@stadt.example")) is None
