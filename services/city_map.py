"""The map of the directory: the home city and its partner and befriended
cities as an accessible SVG, with a detail map around home and an overview
for the cities far away. Kept apart from services/directory.py because it is
drawing, not data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import render_template, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup

from models import City
from services.directory import CityProfile
from services.land import path_data as land_paths

MAP_WIDTH, PAD, FONT = 640, 16, 13
LAND_MARGIN = 4  # SVG units of land drawn beyond a panel's edge
NEAR_KM = 2500  # farther cities are shown on an overview below the detail map
Box = tuple[float, float, float, float]  # x, y, width, height


@dataclass
class MapPoint:
    kind: str  # "home", "partner" or "friendship"
    label: str
    x: float
    y: float
    labelled: bool = True
    label_at: tuple[float, float] = (0.0, 0.0)
    url: str = ""  # the city's page; the home city has none
    leader: Box | None = None  # x0, y0, x1, y1 of a line to a label set apart


@dataclass
class MapPanel:
    caption: str
    top: float
    height: float
    lines: list[Box]
    points: list[MapPoint]
    detail: Box | None = None
    land: list[str] = field(default_factory=list)  # SVG path data, a path per country


class _Frame:
    """An equirectangular view of a stretch of the earth, drawn from `top` down."""

    def __init__(
        self, places: list[tuple[float, float]], top: float, height: float, margin: float
    ) -> None:
        lats, lons = [lat for lat, _ in places], [lon for _, lon in places]
        self.south, self.north = max(min(lats) - margin, -85.0), min(max(lats) + margin, 85.0)
        self.west, self.east = max(min(lons) - margin, -180.0), min(max(lons) + margin, 180.0)
        self.squeeze = math.cos(math.radians((self.south + self.north) / 2))
        span_x, span_y = (self.east - self.west) * self.squeeze, self.north - self.south
        self.scale = min((MAP_WIDTH - 2 * PAD) / span_x, (height - 2 * PAD) / span_y)
        spare = ((MAP_WIDTH - 2 * PAD) / self.scale - span_x) / self.squeeze / 2  # fill the width
        self.west, self.east = max(self.west - spare, -180.0), min(self.east + spare, 180.0)
        self.left = (MAP_WIDTH - (self.east - self.west) * self.squeeze * self.scale) / 2
        self.top, self.height = top, span_y * self.scale + 2 * PAD

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.left + (lon - self.west) * self.squeeze * self.scale
        return x, self.top + PAD + (self.north - lat) * self.scale

    def box(self, other: _Frame) -> Box:
        """Where `other` lies on this frame."""
        (x0, y0), (x1, y1) = self.xy(other.north, other.west), self.xy(other.south, other.east)
        return x0, y0, x1 - x0, y1 - y0

    def graticule(self) -> list[Box]:
        """Meridians and parallels every 10° (5° on a detail map), as x0, y0, x1, y1."""
        step = 10 if self.east - self.west > 30 else 5
        (left, bottom), (right, top) = (
            self.xy(self.south, self.west),
            self.xy(self.north, self.east),
        )
        lines = [
            (self.xy(0, lon)[0], top, self.xy(0, lon)[0], bottom)
            for lon in range(-180, 181, step)
            if self.west < lon < self.east
        ]
        return lines + [
            (left, self.xy(lat, 0)[1], right, self.xy(lat, 0)[1])
            for lat in range(-80, 81, step)
            if self.south < lat < self.north
        ]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = map(math.radians, a), map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def _overlap(a: Box, b: Box) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def _around(
    x: float, y: float, w: float, h: float, gap: float, far: float
) -> list[tuple[float, float]]:
    """Top-left corners for a w×h label around a point, `far` beyond the nearest."""
    return [
        (x + gap + far, y - h / 2),
        (x - gap - w - far, y - h / 2),
        (x - w / 2, y - gap - h - far),
        (x - w / 2, y + gap + far),
        (x + 5 + far, y - gap - h + 3 - far),
        (x + 5 + far, y + gap - 3 + far),
        (x - w - 5 - far, y - gap - h + 3 - far),
        (x - w - 5 - far, y + gap - 3 + far),
    ]


def _place_labels(panel: MapPanel, taken: list[Box]) -> None:
    """Put each label beside its point where it covers nothing, or as little
    as can be; a label pushed farther out gets a leader line to its point."""
    radius = {"home": 11.0}
    markers = [
        (
            p.x - radius.get(p.kind, 7.0),
            p.y - radius.get(p.kind, 7.0),
            2 * radius.get(p.kind, 7.0),
            2 * radius.get(p.kind, 7.0),
        )
        for p in panel.points
    ]
    bottom = panel.top + panel.height
    for own, point in zip(markers, panel.points):
        if not point.labelled:
            continue
        w, h, gap = 0.62 * FONT * len(point.label), float(FONT), radius.get(point.kind, 7.0) + 1
        x, y = point.x, point.y
        # Beside, above and below the point first; farther out (with a leader
        # line) only where every nearer place would cover another label.
        candidates = [
            (cx, cy, far)
            for far in (0.0, 10.0, 20.0, 32.0)
            for cx, cy in _around(x, y, w, h, gap, far)
        ]

        def cost(place: tuple[float, float, float]) -> float:
            box = (place[0], place[1], w, h)
            outside = not (
                2 <= box[0] <= MAP_WIDTH - 2 - w and panel.top + 2 <= box[1] <= bottom - 2 - h
            )
            others = taken + [m for m in markers if m is not own]
            covered = sum(_overlap(box, other) for other in others)
            return 1e6 * outside + 1e3 * covered + place[2]

        best = min(candidates, key=cost)
        taken.append((best[0], best[1], w, h))
        point.label_at = (best[0], best[1] + h * 0.8)
        if best[2]:  # displaced: a thin line from the point to the label's nearest side
            point.leader = (
                x,
                y,
                min(max(x, best[0]), best[0] + w),
                min(max(y, best[1]), best[1] + h),
            )


Place = tuple[str, str, str, float, float]  # kind, label, url, latitude, longitude


def _panel(
    caption: str,
    places: list[Place],
    unlabelled: set[int],
    top: float,
    height: float,
    margin: float,
) -> tuple[MapPanel, _Frame]:
    frame = _Frame([(lat, lon) for *_, lat, lon in places], top, height, margin)
    points = [
        MapPoint(kind, label, *frame.xy(lat, lon), labelled=i not in unlabelled, url=url)
        for i, (kind, label, url, lat, lon) in enumerate(places)
    ]
    # The land a little beyond the panel, whose clip path hides the cut edges.
    view = (
        -LAND_MARGIN,
        top - LAND_MARGIN,
        MAP_WIDTH + LAND_MARGIN,
        top + frame.height + LAND_MARGIN,
    )
    land = land_paths(frame.xy, (frame.south, frame.north, frame.west, frame.east), view)
    panel = MapPanel(caption, top, frame.height, frame.graticule(), points, land=land)
    _place_labels(panel, [(4, top + 2, 0.6 * FONT * len(caption) + 8, FONT + 6)] if caption else [])
    return panel, frame


def map_svg(
    home: CityProfile,
    cities: list[City],
    lang: str,
    *,
    element_id: str = "directory-map",
    height: int = 460,
) -> Markup:
    """An accessible SVG map of `home` and `cities`, each a labelled point: the
    home city a star, partner cities filled circles, befriended cities rings.
    Cities far from home are labelled on an overview below a detail map."""
    places: list[Place] = [("home", home.name, "", home.latitude, home.longitude)] + [
        (
            city.relation.value,
            city.text("name", lang),
            url_for("partners.city", lang=lang, slug=city.slug),
            city.latitude,
            city.longitude,
        )
        for city in cities
        if city.latitude is not None and city.longitude is not None
    ]
    here = (home.latitude, home.longitude)
    far = {i for i, place in enumerate(places) if _km(place[3:], here) > NEAR_KM}
    with force_locale(lang):
        if not far or len(far) == len(places) - 1:
            panels = [_panel("", places, set(), 0, height, 2.0 if len(places) > 2 else 4.0)[0]]
        else:
            near = [place for i, place in enumerate(places) if i not in far]
            detail, frame = _panel(
                gettext("Around %(city)s", city=home.name), near, set(), 0, 420, 1.5
            )
            unlabelled = set(range(len(places))) - far  # the near ones are labelled above
            overview, wide = _panel(
                gettext("All cities"), places, unlabelled, detail.height + 8, 300, 5.0
            )
            overview.detail = wide.box(frame)
            panels = [detail, overview]
        svg = render_template(
            "partners/_map.svg",
            id=element_id,
            title=gettext("Map of the partner and befriended cities of %(city)s", city=home.name),
            description=gettext(
                "%(city)s is marked by a star, partner cities by filled circles and befriended "
                "cities"
                " by rings. Every city is also listed as text below the map.",
                city=home.name,
            ),
            panels=panels,
            legend=[
                (kind, text)
                for kind, text in (
                    ("home", home.name),
                    ("partner", gettext("Partner city")),
                    ("friendship", gettext("Befriended city")),
                )
                if kind in {place[0] for place in places}
            ],
            legend_top=panels[-1].top + panels[-1].height + 8,
            width=MAP_WIDTH,
            font=FONT,
        )
    return Markup(svg)
