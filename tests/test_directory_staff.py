"""The staff forms of the directory: editors create and edit cities and
networks (audited), invalid input is refused with a message, a slug is used
once, and organisers may not open these pages."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, City, Network, Relation
from tests.conftest import csrf_token, submit
from tests.test_directory import (
    ENGLISH,
    make_city,  # noqa: F401 (a fixture)
    page,
)


def city_form(**overrides) -> dict:
    return {
        "slug": "szczecin",
        "name_de": "Stettin",
        "name_en": "Szczecin",
        "description_de": "Partnerstadt seit 1957.",
        "country": "PL",
        "relation": "partner",
        "since": "1957",
        "website": "https://www.szczecin.eu/",
        "latitude": "53,43",
        "longitude": "14.55",
        "source": "rathaus.rostock.de",
    } | overrides


def stored_city(slug: str = "szczecin") -> City | None:
    db.session.rollback()
    return db.session.scalar(select(City).where(City.slug == slug))


def test_an_editor_creates_and_edits_a_city_and_both_are_audited(staff_client, client):
    editor = staff_client("editor")
    assert 'href="/admin/cities/"' in editor.get("/admin/").get_data(as_text=True)
    assert submit(editor, "/admin/cities/new", city_form()).status_code == 303
    city = stored_city()
    assert (city.country, city.relation, city.since, city.latitude, city.longitude) == (
        "PL",
        Relation.PARTNER,
        1957,
        53.43,
        14.55,
    )
    assert (city.text("name", "de"), city.text("name", "en"), city.website) == (
        "Stettin",
        "Szczecin",
        "https://www.szczecin.eu/",
    )
    edit = f"/admin/cities/{city.id}/edit"
    assert 'value="Stettin"' in editor.get(edit).get_data(as_text=True)
    assert submit(editor, edit, city_form(since="", relation="friendship")).status_code == 303
    city = stored_city()
    assert (city.since, city.relation) == (None, Relation.FRIENDSHIP)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["city.create", "city.update"]
    assert "1 befriended city in 1 country" in page(client, "/en/partners/")


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org/",
        "//evil.example/",
        "https://",
        "www.szczecin.eu",
    ],
)
def test_a_website_must_be_an_http_address(staff_client, website):
    editor = staff_client("editor")
    response = submit(editor, "/admin/cities/new", city_form(website=website), headers=ENGLISH)
    assert response.status_code == 422
    assert "Please enter a web address that starts with https:// or http://." in response.get_data(
        as_text=True
    )
    assert stored_city() is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "Please choose a country from the list."),
        ("country", "EU", "Please choose a country from the list."),
        ("since", "1899", "Please enter a year from 1900 to"),
        ("since", str(date.today().year + 1), "Please enter a year from 1900 to"),
        ("latitude", "91", "Please enter a number from -90 to 90."),
        ("longitude", "-180.5", "Please enter a number from -180 to 180."),
        ("latitude", "north", "Please enter a number in decimal degrees"),
        ("slug", "Stettin!", "Use lowercase letters, digits and single hyphens only"),
        ("name_de", "", "Please fill in this field."),
        ("relation", "enemy", "Not a valid choice"),
    ],
)
def test_an_invalid_city_is_refused_with_a_message(staff_client, field, value, message):
    response = submit(
        staff_client("editor"), "/admin/cities/new", city_form(**{field: value}), headers=ENGLISH
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_city() is None


def test_a_city_slug_is_used_only_once(staff_client, make_city):
    make_city("szczecin", "Stettin")
    response = submit(staff_client("editor"), "/admin/cities/new", city_form(), headers=ENGLISH)
    assert response.status_code == 422
    assert "This web address is already used." in response.get_data(as_text=True)


def test_an_editor_keeps_a_network_with_members_linked_by_name(staff_client, make_city, client):
    make_city("riga", "Riga", country="LV")
    editor = staff_client("admin")
    form = {
        "slug": "krisen",
        "name_de": "Städtenetzwerk Krisenmanagement",
        "founded": "2003",
        "members": "Riga\n\nVilnius\nriga\n",
        "website": "https://example.org/",
    }
    assert submit(editor, "/admin/networks/new", form).status_code == 303
    db.session.rollback()
    network = db.session.scalar(select(Network).where(Network.slug == "krisen"))
    assert [(m.name, m.city is not None) for m in network.members] == [
        ("Riga", True),
        ("Vilnius", False),
    ]
    assert (
        submit(
            editor, f"/admin/networks/{network.id}/edit", form | {"members": "Vilnius"}
        ).status_code
        == 303
    )
    db.session.rollback()
    assert [m.name for m in db.session.get(Network, network.id).members] == ["Vilnius"]
    assert list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))) == [
        "network.create",
        "network.update",
    ]
    vilnius = city_form(slug="vilnius", name_de="Vilnius", name_en="", country="LT")
    assert submit(editor, "/admin/cities/new", vilnius).status_code == 303  # links the member
    assert 'href="/de/partners/vilnius/"' in page(client, "/de/networks/krisen/")
    refused = submit(
        editor, "/admin/networks/new", form | {"slug": "neu", "website": "javascript:alert(1)"}
    )
    assert refused.status_code == 422


def test_organisers_may_not_open_the_directory_pages(staff_client, make_city, app):
    city = make_city("szczecin", "Stettin")
    network = Network(slug="netz")
    network.set_text("de", name="Netz")
    db.session.add(network)
    db.session.commit()
    organiser = staff_client("organiser")
    urls = [
        "/admin/cities/",
        "/admin/cities/new",
        f"/admin/cities/{city.id}/edit",
        "/admin/networks/",
        "/admin/networks/new",
        f"/admin/networks/{network.id}/edit",
    ]
    for url in urls:
        assert organiser.get(url).status_code == 403, url
    token = csrf_token(organiser, "/admin/login")
    for url in urls[1:3] + urls[4:]:
        assert organiser.post(url, data={"csrf_token": token} | city_form()).status_code == 403, url
    editor = staff_client("editor")
    for url in urls:
        assert editor.get(url).status_code == 200, url
    anonymous = app.test_client()
    assert anonymous.get("/admin/cities/").location.startswith("/admin/login")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
