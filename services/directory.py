"""The partner-city directory: the home city, listings, headline figures
computed from the data, the map, and saving cities and networks from the
staff forms."""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext, ngettext
from markupsafe import Markup
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models import City, Network, NetworkMember, Relation, User
from models.base import DEFAULT_LANGUAGE
from services import audit
from services.land import path_data as land_paths

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CITY_KEY = "rostock"
# Babel territories that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# Display name, the name the city uses for itself (seed pages 000 and 003)
# and its state (ISO 3166-2:DE, for its public holidays).
HOME_CITIES = {
    "rostock": ("Rostock", "Hanse- und Universitätsstadt Rostock", "MV"),
    "osnabrueck": ("Osnabrück", "Stadt Osnabrück", "NI"),
}


# --- the home city ------------------------------------------------------------


@dataclass(frozen=True)
class CityProfile:
    key: str
    name: str
    timezone: str
    logo_text: str
    latitude: float
    longitude: float
    state: str


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a file in data/."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@lru_cache(maxsize=8)
def city_profile(key: str) -> CityProfile:
    """The home city `key` ("rostock", "osnabrueck"); its point from data/home_cities.csv."""
    if key not in HOME_CITIES:
        raise KeyError(f"unknown city {key!r}; known: {', '.join(HOME_CITIES)}")
    name, logo_text, state = HOME_CITIES[key]
    row = next(row for row in read_csv("home_cities.csv") if row["city"].casefold() == key)
    return CityProfile(
        key, name, "Europe/Berlin", logo_text, float(row["lat"]), float(row["lon"]), state
    )


def home_city() -> CityProfile:
    """The configured home city (CITY_KEY), named as CITY_NAME says."""
    profile = city_profile(current_app.config.get("CITY_KEY", DEFAULT_CITY_KEY))
    name = current_app.config.get("CITY_NAME") or profile.name
    return replace(profile, name=name)


# --- countries and listing ----------------------------------------------------


def sort_key(text: str) -> str:
    """Alphabetical order that puts Ö with O and Ç with C."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code that Babel knows as a country."""
    return (
        len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code.isupper()
        and code not in NOT_COUNTRIES
        and code in Locale("en").territories
    )


def all_countries(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every country, sorted by name in `lang`."""
    names = Locale.parse(lang).territories
    codes = [code for code in names if is_country(code)]
    return sorted(((code, names[code]) for code in codes), key=lambda item: sort_key(item[1]))


def parse_relation(value: str | None) -> Relation | None:
    """A relation from the query string; anything else means no filter."""
    return Relation(value) if value in {r.value for r in Relation} else None


def parse_country(value: str | None) -> str | None:
    """A country code from the query string; anything else means no filter."""
    code = (value or "").strip().upper()
    return code if is_country(code) else None


def list_cities(
    session: Session,
    *,
    relation: Relation | None = None,
    country: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> list[City]:
    """Partner cities first, then befriended ones, each by name in `lang`."""
    query = select(City)
    if relation is not None:
        query = query.where(City.relation == relation)
    if country is not None:
        query = query.where(City.country == country)
    cities = session.scalars(query).all()
    return sorted(
        cities, key=lambda c: (c.relation is not Relation.PARTNER, sort_key(c.text("name", lang)))
    )


def countries_in_use(session: Session, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the countries that have a city in the directory."""
    codes = session.scalars(select(City.country).distinct())
    return sorted(
        ((code, country_name(code, lang)) for code in codes), key=lambda item: sort_key(item[1])
    )


def networks_of(session: Session, city: City) -> list[Network]:
    query = select(Network).join(NetworkMember).where(NetworkMember.city_id == city.id).distinct()
    return list(session.scalars(query))


def list_networks(session: Session, lang: str) -> list[Network]:
    return sorted(session.scalars(select(Network)), key=lambda n: sort_key(n.text("name", lang)))


# --- headline figures ---------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    partner_cities: int = 0
    partner_countries: int = 0
    friendship_cities: int = 0
    friendship_countries: int = 0


def figures(session: Session) -> Figures:
    """Cities and their distinct countries per relation, counted in the database."""
    rows = session.execute(
        select(City.relation, func.count(City.id), func.count(distinct(City.country))).group_by(
            City.relation
        )
    )
    counts = {relation: (cities, countries) for relation, cities, countries in rows}
    partner = counts.get(Relation.PARTNER, (0, 0))
    friendship = counts.get(Relation.FRIENDSHIP, (0, 0))
    return Figures(partner[0], partner[1], friendship[0], friendship[1])


def _in_countries(cities: str, count: int) -> str:
    # Translators: the countries follow "in" (German: "in 1 Land", "in 13 Ländern").
    countries = ngettext("%(num)d country", "%(num)d countries", count)
    return gettext("%(cities)s in %(countries)s", cities=cities, countries=countries)


def headline(figures: Figures, lang: str) -> dict[Relation, str]:
    """ "14 partner cities in 13 countries" and the like, per relation that has cities."""
    texts: dict[Relation, str] = {}
    with force_locale(lang):
        if figures.partner_cities:
            cities = ngettext(
                "%(num)d partner city", "%(num)d partner cities", figures.partner_cities
            )
            texts[Relation.PARTNER] = _in_countries(cities, figures.partner_countries)
        if figures.friendship_cities:
            count = figures.friendship_cities
            cities = ngettext("%(num)d befriended city", "%(num)d befriended cities", count)
            texts[Relation.FRIENDSHIP] = _in_countries(cities, figures.friendship_countries)
    return texts


def teaser(session: Session, lang: str) -> dict[str, object]:
    """The context of templates/partners/_teaser.html."""
    return {"directory_headline": headline(figures(session), lang)}


# --- saving from the staff forms -----------------------------------------------


def slug_taken(
    session: Session, model: type[City] | type[Network], slug: str, record_id: int | None
) -> bool:
    query = select(model.id).where(model.slug == slug, model.id != (record_id or 0))
    return session.scalar(query) is not None


def city_names(session: Session) -> dict[str, int]:
    """Every city's names in every language, casefolded, to its id."""
    cities = session.scalars(select(City))
    return {
        row.name.casefold(): city.id for city in cities for row in city.texts.values() if row.name
    }


def save_city(session: Session, city: City, changed: list[str], actor: User) -> City:
    """Store a city the staff form has filled in (`changed`: what changed), link
    network members of its name, record it in the audit log and commit."""
    action = "city.create" if city.id is None else "city.update"
    session.add(city)
    session.flush()
    names = {row.name.casefold() for row in city.texts.values() if row.name}
    for member in session.scalars(select(NetworkMember).where(NetworkMember.city_id.is_(None))):
        if member.name.casefold() in names:
            member.city_id = city.id
    audit.record(session, actor, action, target=city.slug, changed=changed)
    session.commit()
    return city


def set_members(session: Session, network: Network, names: list[str]) -> None:
    """Replace the member list; a name that is a city's name links to it."""
    cities = city_names(session)
    network.members[:] = [
        NetworkMember(name=name, city_id=cities.get(name.casefold()), position=position)
        for position, name in enumerate(names)
    ]


def save_network(
    session: Session, network: Network, changed: list[str], members: list[str], actor: User
) -> Network:
    """Store a network the staff form has filled in, with its members; audited, committed."""
    action = "network.create" if network.id is None else "network.update"
    if [member.name for member in network.members] != members:
        set_members(session, network, members)
        changed = [*changed, "members"]
    session.add(network)
    session.flush()
    audit.record(session, actor, action, target=network.slug, changed=changed)
    session.commit()
    return network


# --- the map --------------------------------------------------------------------

MAP_WIDTH, PAD, FONT = 640, 16, 13
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
    land = land_paths(frame.xy, (frame.south, frame.north, frame.west, frame.east))
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
