"""The map of the directory (services/city_map.py): an accessible SVG with a
labelled point per city, far cities on an overview, cities without a point
listed but not drawn, and the home city's point from the data."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import CityText, Relation
from services.city_map import map_svg
from services.directory import city_profile, home_city
from tests.test_directory import SVG, listed_slugs, make_city, page, rostock  # noqa: F401 (make_city, rostock: fixtures)


def test_the_map_is_an_accessible_image_with_a_labelled_point_per_city(client, make_city):
    make_city("szczecin", "Stettin", name_en="Szczecin", latitude=53.43, longitude=14.55)
    make_city(
        "karlskrona",
        "Karlskrona",
        country="SE",
        relation=Relation.FRIENDSHIP,
        latitude=56.16,
        longitude=15.59,
    )
    html = page(client, "/en/partners/")
    svg = SVG.search(html).group(0)
    assert 'role="img"' in svg
    assert (
        'aria-labelledby="directory-map-title"' in svg and '<title id="directory-map-title">' in svg
    )
    assert (
        'aria-describedby="directory-map-desc"' in svg and '<desc id="directory-map-desc">' in svg
    )
    assert "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # no external resources
    points = re.findall(r'<g class="map-point map-(\w+)">(.*?)</g>', svg, re.S)
    labels = {re.search(r">([^<]+)</text>", body).group(1): kind for kind, body in points}
    assert labels == {"Rostock": "home", "Szczecin": "partner", "Karlskrona": "friendship"}
    for kind, body in points:
        if kind != "home":
            assert re.search(r'<circle cx="[\d.]+" cy="[\d.]+"', body)
    partner = next(body for kind, body in points if kind == "partner")
    friendship = next(body for kind, body in points if kind == "friendship")
    assert (
        'fill="#ffffff"' in friendship and 'fill="#ffffff"' not in partner
    )  # ring vs filled, not only colour
    assert listed_slugs(html) == ["szczecin", "karlskrona"]  # and as text below the map


def test_every_seeded_city_is_labelled_once_on_the_map_and_listed(client, rostock):
    html = page(client, "/en/partners/")
    svg = SVG.search(html).group(0)
    labels = re.findall(
        r'<g class="map-point map-(?:partner|friendship)">\s*'
        r"<circle[^>]*/><text[^>]*>([^<]+)</text>",
        svg,
    )
    names = set(db.session.scalars(select(CityText.name).where(CityText.lang == "en")))
    assert sorted(labels) == sorted(names)
    assert len(labels) == 19 and len(listed_slugs(html)) == 19
    assert "Around Rostock" in svg  # far cities get an overview below the detail map


def test_a_city_without_coordinates_is_listed_but_not_drawn(client, make_city):
    make_city("nowhere", "Irgendwo", latitude=None, longitude=None)
    html = page(client, "/en/partners/")
    assert listed_slugs(html) == ["nowhere"]
    assert "Irgendwo" not in SVG.search(html).group(0)


def test_the_home_city_is_a_setting_with_its_point_from_the_data(app, make_city):
    rostock, osnabrueck = city_profile("rostock"), city_profile("osnabrueck")
    assert (rostock.name, rostock.timezone, rostock.latitude, rostock.longitude) == (
        "Rostock",
        "Europe/Berlin",
        54.09,
        12.14,
    )
    assert rostock.logo_text == "Hanse- und Universitätsstadt Rostock"
    assert (osnabrueck.name, osnabrueck.timezone, osnabrueck.latitude) == (
        "Osnabrück",
        "Europe/Berlin",
        52.27,
    )
    with pytest.raises(KeyError):
        city_profile("berlin")
    app.config.update(CITY_KEY="osnabrueck", CITY_NAME="Osnabrück")
    city = make_city("haarlem", "Haarlem", country="NL", latitude=52.38, longitude=4.64)
    with app.test_request_context("/de/"):
        svg = str(map_svg(home_city(), [city], "de"))
    assert re.search(r'<g class="map-point map-home">.*?Osnabrück</text>', svg, re.S)
