"""Searching the participants list by name folds case, accents and German
spelling (services/folding.py), the same on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from services.folding import fold

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("gross", "Größ"),
        ("juergen", "Jürgen"),
        ("Muller", "Müller"),
        ("mueller", "Müller"),
        ("MÜLLER", "Mueller"),
        ("strasse", "Straße"),
        ("STRASSE", "STRAẞE"),
        ("zoe", "Zoë"),
        ("francois", "François"),
        ("lodz", "Łódź"),
        ("soren", "Søren"),
        ("aesa", "Æsa"),
    ],
)
def test_folding_makes_what_is_typed_meet_what_is_written(typed, written):
    assert fold(typed) == fold(written)


def test_folding_keeps_different_names_apart():
    assert fold("Müller") != fold("Miller")
    assert fold("Groß") != fold("Gros")


@pytest.fixture
def admin(staff_client, time_machine):
    time_machine.move_to(NOW, tick=False)
    client = staff_client("admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def found(client, event, query: str) -> list[str]:
    html = client.get(f"/admin/events/{event.id}/participants", query_string={"q": query})
    return re.findall(r'<th scope="row">([^<]+)</th>', html.get_data(as_text=True))


def test_search_folds_case_and_umlauts_on_the_participants_page(
    admin, make_event, make_registration
):
    event = make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))
    make_registration(event, first_name="Jürgen", last_name="Größ")
    make_registration(event, first_name="Lena", last_name="Müller")
    make_registration(event, first_name="Paul", last_name="Mueller")
    make_registration(event, first_name="Mia", last_name="Miller")

    assert found(admin, event, "gross") == ["Größ, Jürgen"]
    assert found(admin, event, "juergen") == ["Größ, Jürgen"]
    assert found(admin, event, "JÜRGEN groß") == ["Größ, Jürgen"]
    assert found(admin, event, "Muller") == ["Müller, Lena", "Mueller, Paul"]
    assert found(admin, event, "mueller") == ["Müller, Lena", "Mueller, Paul"]
    assert found(admin, event, "müller lena") == ["Müller, Lena"]
    assert found(admin, event, "miller") == ["Miller, Mia"]


def test_the_list_sorts_umlauts_with_their_letter(admin, make_event, make_registration):
    event = make_event(starts_at=datetime(2026, 7, 10, 15, 0, tzinfo=UTC))
    for last_name in ("Pohl", "Özdemir", "Ohm", "Zander", "Ahrens", "Ährens"):
        make_registration(event, first_name="Mia", last_name=last_name)
    assert found(admin, event, "") == [
        "Ahrens, Mia",
        "Ährens, Mia",
        "Ohm, Mia",
        "Özdemir, Mia",
        "Pohl, Mia",
        "Zander, Mia",
    ]
