"""The partner-city directory: partner and befriended cities with a map, one
city, the international networks and their members."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from blueprints.loaders import MAX_SLUG_LENGTH, SLUG
from blueprints.page_cache import cached_page
from extensions import db
from i18n import current_language
from models import City, Network
from services.city_map import map_svg
from services.directory import (
    countries_in_use,
    country_name,
    figures,
    headline,
    home_city,
    list_cities,
    list_networks,
    networks_of,
    parse_country,
    parse_relation,
)

bp = Blueprint("partners", __name__)


def _by_slug(model: type[City] | type[Network], slug: str) -> City | Network:
    """The city or network, or 404 (a slug no record could have, without asking)."""
    if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
        abort(404)
    return db.one_or_abort(select(model).where(model.slug == slug))


@bp.app_template_filter("country")
def country_filter(code: str) -> str:
    """A country's name in the page's language: {{ city.country|country }}."""
    return country_name(code, current_language())


@bp.get("/partners/")
@cached_page
def directory() -> str:
    """All cities, or those of one relation or country; invalid filters are ignored."""
    lang = current_language()
    relation = parse_relation(request.args.get("relation"))
    country = parse_country(request.args.get("country"))
    cities = list_cities(db.session, relation=relation, country=country, lang=lang)
    return render_template(
        "partners/directory.html",
        cities=cities,
        headline=headline(figures(db.session), lang),
        city_map=map_svg(home_city(), cities, lang),
        relation=relation,
        country=country,
        countries=countries_in_use(db.session, lang),
    )


@bp.get("/partners/<slug>/")
def city(slug: str) -> str:
    partner = _by_slug(City, slug)
    lang = current_language()
    return render_template(
        "partners/city.html",
        city=partner,
        networks=networks_of(db.session, partner),
        city_map=map_svg(home_city(), [partner], lang, element_id="city-map", height=320),
    )


@bp.get("/networks/")
def networks() -> str:
    return render_template(
        "partners/networks.html", networks=list_networks(db.session, current_language())
    )


@bp.get("/networks/<slug>/")
def network(slug: str) -> str:
    return render_template("partners/network.html", network=_by_slug(Network, slug))
