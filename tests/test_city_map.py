"""The map of the directory (services/city_map.py): an accessible SVG with a
labelled point per city, far cities on an overview, cities without a point
listed but not drawn, and the home city's point from the data; Natural
Earth's land and borders, every city a link, and labels that do not cover
each other."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import CityText, Relation
from services.city_map import map_svg
from services.directory import city_profile, home_city
from services.land import SOURCE, clip, countries, path_data
from tests.test_directory import SVG, listed_slugs, make_city, page, rostock  # noqa: F401 (make_city, rostock: fixtures)


def test_the_map_is_an_accessible_figure_with_a_labelled_point_per_city(client, make_city):
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
    assert 'role="group"' in svg  # a labelled figure whose links stay reachable
    assert (
        'aria-labelledby="directory-map-title"' in svg and '<title id="directory-map-title">' in svg
    )
    assert (
        'aria-describedby="directory-map-desc"' in svg and '<desc id="directory-map-desc">' in svg
    )
    assert "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # no external resources
    points = re.findall(r'<([ga]) class="map-point map-(\w+)"[^>]*>(.*?)</\1>', svg, re.S)
    points = [(kind, body) for _, kind, body in points]
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
        r'<a class="map-point map-(?:partner|friendship)" href="[^"]+">'
        r"<title>[^<]*</title>(?:<line[^>]*/>)?<circle[^>]*/><text[^>]*>([^<]+)</text>",
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


def test_the_shapes_are_natural_earth_countries_with_their_licence_beside_them():
    shapes = dict(countries())
    assert len(shapes) > 170
    assert {"Germany", "Poland", "Latvia", "Guatemala", "China"} <= set(shapes)
    licence = (SOURCE.parent / "LICENSE-world-atlas").read_text(encoding="utf-8")
    assert "Permission to use, copy, modify" in licence
    # Germany's outline lies where Germany is: roughly 5.9–15.0 °E, 47.3–55.1 °N.
    (outer, *_) = shapes["Germany"]
    lons, lats = [lon for lon, _ in outer], [lat for _, lat in outer]
    assert 5.5 < min(lons) < 6.5 and 14.5 < max(lons) < 15.5
    assert 47 < min(lats) < 48 and 54.5 < max(lats) < 55.5


def test_only_countries_within_the_frame_are_drawn_as_closed_paths():
    def project(lat: float, lon: float) -> tuple[float, float]:
        return (lon - 5) * 20, (56 - lat) * 20

    paths = path_data(project, (47.0, 56.0, 5.0, 16.0))  # Germany and its neighbours
    assert 5 < len(paths) < 40  # not the whole world
    for d in paths:
        assert re.fullmatch(r"(M-?[\d.]+ -?[\d.]+l[-\d. ]+z)+", d)


def absolute_points(d: str) -> list[tuple[float, float]]:
    """The points of SVG path data written as "Mx yl dx dy … z" per ring."""
    points = []
    for ring in re.findall(r"M([^l]+)l([^z]*)z", d):
        x, y = map(float, ring[0].split())
        points.append((x, y))
        steps = [float(n) for n in ring[1].split()]
        for dx, dy in zip(steps[::2], steps[1::2]):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_land_beyond_the_panel_is_cut_off_at_its_edge():
    """Russia reaches far east of a map of Germany: only its part in view is
    written out, with the cut running along the rectangle."""

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (lon - 5) * 20, (56 - lat) * 20

    frame = (47.0, 56.0, 5.0, 16.0)
    rectangle = (-4.0, -4.0, 224.0, 184.0)
    whole, cut = path_data(project, frame), path_data(project, frame, rectangle)
    assert 5 < len(cut) <= len(whole) and sum(map(len, cut)) < sum(map(len, whole)) / 2
    for d in cut:
        for x, y in absolute_points(d):
            assert -4.1 <= x <= 224.1 and -4.1 <= y <= 184.1
    assert any(x > 300 for d in whole for x, _ in absolute_points(d))


def test_a_polygon_is_cut_to_the_rectangle_with_points_where_it_crosses():
    square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)]
    cut = clip(square, (0.0, 0.0, 20.0, 20.0))
    assert sorted(cut) == [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0)]
    assert clip(square, (30.0, 30.0, 40.0, 40.0)) == []


def test_every_city_on_the_map_is_a_link_to_its_page_and_home_is_marked(client, make_city):
    make_city("szczecin", "Stettin", name_en="Szczecin", latitude=53.43, longitude=14.55)
    make_city(
        "panajachel",
        "Panajachel",
        country="GT",
        relation=Relation.FRIENDSHIP,
        latitude=14.74,
        longitude=-91.16,
    )
    svg = SVG.search(page(client, "/en/partners/")).group(0)
    links = dict(re.findall(r'<a class="map-point[^"]*" href="([^"]+)"[^>]*><title>([^<]+)<', svg))
    # Panajachel is far away: linked on the overview; Szczecin on both maps.
    assert set(links) == {"/en/partners/szczecin/", "/en/partners/panajachel/"}
    assert links["/en/partners/szczecin/"] == "Szczecin"
    assert '<g class="map-point map-home">' in svg and ">Rostock</text>" in svg
    assert svg.count('class="map-land"') == 2  # land on the detail map and the overview
    assert "<path d=" in svg
    for link in links:  # each link leads to a page
        assert client.get(link).status_code == 200


def test_labels_on_one_map_do_not_cover_each_other(client, rostock):
    svg = SVG.search(page(client, "/de/partners/")).group(0)
    boxes = []
    for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</text>', svg):
        width, height = 0.62 * 13 * len(text), 13.0
        boxes.append((float(x), float(y) - height * 0.8, width, height, text))
    overlaps = [
        (a[4], b[4])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 1
        and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > 1
    ]
    assert overlaps == []
