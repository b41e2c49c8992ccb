"""The partner-city directory: the home city, listings, headline figures
computed from the data, and saving cities and networks from the staff forms.
The map is drawn by services/city_map.py."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models import City, Network, NetworkMember, Relation, User
from models.base import DEFAULT_LANGUAGE
from services import audit

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
