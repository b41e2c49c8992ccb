"""The partner map: Natural Earth's land and borders, and every city a link."""

from __future__ import annotations

import re

from models import Relation
from services.land import SOURCE, countries, path_data
from tests.test_directory import make_city, rostock  # noqa: F401 (fixtures)

SVG = re.compile(r"<svg[^>]*class=\"city-map\".*?</svg>", re.S)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


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
