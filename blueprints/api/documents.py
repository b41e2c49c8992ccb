"""Records as API documents (blueprints/api/schemas.py): texts in every
language, absolute links under BASE_URL, no personal data."""

from __future__ import annotations

from flask import current_app

from blueprints.api import schemas
from models import City, Event, Network, NewsPost
from models.base import DEFAULT_LANGUAGE, Translatable
from services.events import Availability
from services.links import external_url


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def texts(record: Translatable, field: str) -> dict[str, str]:
    """The field in each language as that language's page shows it."""
    return {lang: record.text(field, lang) for lang in _languages()}


def _links(endpoint: str, slug: str) -> schemas.Links:
    return schemas.Links(
        html={lang: external_url(endpoint, lang=lang, slug=slug) for lang in _languages()}
    )


def event(record: Event, availability: Availability) -> schemas.Event:
    return schemas.Event(
        slug=record.slug,
        status="cancelled" if record.is_cancelled else "published",
        title=texts(record, "title"),
        summary=texts(record, "summary"),
        description=texts(record, "description"),
        venue=texts(record, "venue"),
        address=record.venue_address,
        price=texts(record, "price"),
        is_free=not record.text("price", DEFAULT_LANGUAGE),
        contact=schemas.Contact(name=record.contact_name, email=record.contact_email),
        image=schemas.Image(
            url=external_url("media.image", filename=record.image_filename),
            alt=texts(record, "image_alt"),
        )
        if record.image_filename
        else None,
        partner_city=record.city.slug if record.city else None,
        network=record.network.slug if record.network else None,
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        has_start_time=record.has_start_time,
        min_age=record.min_age,
        max_age=record.max_age,
        categories=[
            schemas.Category(slug=category.slug, name=texts(category, "name"))
            for category in record.categories
        ],
        registration=schemas.Registration(
            opens_at=record.registration_opens_at,
            closes_at=record.registration_closes_at,
            is_open=availability.takes_registrations,
            capacity=availability.capacity,
            seats_left=availability.seats_left,
            has_waitlist=availability.has_waitlist,
        ),
        links=_links("public.event_detail", record.slug),
        ical=external_url("public.event_ics", lang=_languages()[0], slug=record.slug),
    )


def city(record: City) -> schemas.City:
    return schemas.City(
        slug=record.slug,
        name=texts(record, "name"),
        description=texts(record, "description"),
        country=record.country,
        relation=record.relation.value,
        since=record.since,
        website=record.website,
        latitude=record.latitude,
        longitude=record.longitude,
        links=_links("partners.city", record.slug),
    )


def network(record: Network) -> schemas.Network:
    return schemas.Network(
        slug=record.slug,
        name=texts(record, "name"),
        description=texts(record, "description"),
        founded=record.founded,
        website=record.website,
        members=[
            schemas.NetworkMember(name=member.name, city=member.city.slug if member.city else None)
            for member in record.members
        ],
        links=_links("partners.network", record.slug),
    )


def news_post(record: NewsPost) -> schemas.NewsPost:
    assert record.published_at is not None  # only visible posts are listed
    return schemas.NewsPost(
        slug=record.slug,
        title=texts(record, "title"),
        teaser=texts(record, "teaser"),
        body=texts(record, "body"),
        published_at=record.published_at,
        is_pinned=record.is_pinned,
        links=_links("news.news_detail", record.slug),
    )
