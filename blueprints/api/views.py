"""The read-only JSON API for the city's portal and others: events,
partner cities, networks and news, paginated, with ETags."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from flask import Response, abort, current_app, json, request, url_for
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from blueprints.api import documents, schemas
from blueprints.api.blueprint import bp
from blueprints.api.openapi import describe, document
from blueprints.api.problems import InvalidQuery
from extensions import db
from models import Event, NewsPost, Relation
from models.base import utcnow
from services import directory, event_filters, events, news
from services.event_filters import EventFilters

Query = TypeVar("Query", bound=BaseModel)
MAX_AGE_SECONDS = 60


def _query(model: type[Query]) -> Query:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise InvalidQuery.from_validation(error) from None


def _json(body: BaseModel) -> Response:
    """The document with a strong ETag of its bytes; 304 when it is unchanged."""
    data = json.dumps(body.model_dump(mode="json", by_alias=True)).encode()
    response = Response(data, mimetype="application/json")
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


def _page_link(query: schemas.PageQuery, page: int, total: int) -> str | None:
    if page < 1 or (page - 1) * query.per_page >= total:
        return None
    args = {**request.args.to_dict(), "page": page, "per_page": query.per_page}
    return url_for(request.endpoint or "", _external=True, **args)


def _pagination(query: schemas.PageQuery, total: int) -> schemas.Page:
    return schemas.Page(
        page=query.page,
        per_page=query.per_page,
        total=total,
        next=_page_link(query, query.page + 1, total),
        previous=_page_link(query, query.page - 1, total) if query.page > 1 else None,
    )


T = TypeVar("T")


def _slice(items: Sequence[T], query: schemas.PageQuery) -> list[T]:
    start = (query.page - 1) * query.per_page
    return list(items[start : start + query.per_page])


@bp.get("/events")
@describe(schemas.EventList, query=schemas.EventQuery, summary="Public events")
def event_list() -> Response:
    """Upcoming events soonest first (or past ones latest first), with the
    filters of the event list."""
    query = _query(schemas.EventQuery)
    now = utcnow()
    if query.category and not event_filters.category_exists(db.session, query.category):
        return _json(schemas.EventList(items=[], pagination=_pagination(query, 0)))
    filters = EventFilters(
        age=query.age,
        month=event_filters.parse_month(query.month) if query.month else None,
        category=query.category,
        q=query.q or "",
    )
    where = event_filters.conditions(db.session, filters, query.lang)
    total = events.count(db.session, now, archive=query.archive, where=where)
    listing = events.past if query.archive else events.upcoming
    offset = (query.page - 1) * query.per_page
    shown = listing(db.session, now, limit=query.per_page, offset=offset, where=where)
    availability = events.availabilities(db.session, shown, now)
    items = [documents.event(event, availability[event.id]) for event in shown]
    return _json(schemas.EventList(items=items, pagination=_pagination(query, total)))


@bp.get("/events/<slug>")
@describe(schemas.Event, summary="One public event", not_found=True)
def event_detail(slug: str) -> Response:
    event = db.session.scalar(
        select(Event).where(Event.slug == slug, Event.status.in_(events.PUBLIC))
    )
    if event is None:
        abort(404, "There is no public event at this address.")
    availability = events.availabilities(db.session, [event], utcnow())[event.id]
    return _json(documents.event(event, availability))


@bp.get("/partners")
@describe(schemas.CityList, query=schemas.PartnerQuery, summary="Partner and befriended cities")
def partner_list() -> Response:
    query = _query(schemas.PartnerQuery)
    cities = directory.list_cities(
        db.session,
        relation=Relation(query.relation) if query.relation else None,
        country=query.country,
        lang=current_app.config["LANGUAGES"][0],
    )
    items = [documents.city(city) for city in _slice(cities, query)]
    return _json(schemas.CityList(items=items, pagination=_pagination(query, len(cities))))


@bp.get("/networks")
@describe(schemas.NetworkList, query=schemas.PageQuery, summary="City networks")
def network_list() -> Response:
    query = _query(schemas.PageQuery)
    networks = directory.list_networks(db.session, current_app.config["LANGUAGES"][0])
    items = [documents.network(network) for network in _slice(networks, query)]
    return _json(schemas.NetworkList(items=items, pagination=_pagination(query, len(networks))))


@bp.get("/news")
@describe(schemas.NewsList, query=schemas.PageQuery, summary="Published announcements")
def news_list() -> Response:
    """Newest first, pinned ones on top, as on the news page."""
    query = _query(schemas.PageQuery)
    now = utcnow()
    total = news.count_visible(db.session, now)
    offset = (query.page - 1) * query.per_page
    posts: list[NewsPost] = news.visible_posts(db.session, now, limit=query.per_page, offset=offset)
    items = [documents.news_post(post) for post in posts]
    return _json(schemas.NewsList(items=items, pagination=_pagination(query, total)))


@bp.get("/openapi.json")
def openapi() -> Response:
    """The description of this API (OpenAPI 3.1), made from its schemas."""
    response = Response(json.dumps(document()), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/<path:rest>")
def unknown(rest: str) -> Response:
    abort(404, "There is nothing at this address of the API.")
