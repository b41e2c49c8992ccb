"""The API's documents as pydantic models: the same classes serialise the
responses, check the query strings and generate /api/v1/openapi.json, so
the description cannot drift from what is sent.

Nothing here holds personal data: no participants, no staff accounts, no
organisers; an event's public contact address would be the only email."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field

# A text in every language of the site, each falling back to German.
Texts = dict[str, str]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A month as the event list takes it: 1900-01 to 9999-12.
MONTH_PATTERN = r"^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$"


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- query strings ---------------------------------------------------------------


class PageQuery(Schema):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    per_page: int = Field(20, ge=1, le=100, description="Items per page.")


class EventQuery(PageQuery):
    age: int | None = Field(None, ge=0, le=120, description="Events whose age range includes it.")
    month: str | None = Field(
        None, pattern=MONTH_PATTERN, description="Events (partly) in this month, YYYY-MM."
    )
    category: str | None = Field(
        None, max_length=80, description="A category's slug; an unknown one finds nothing."
    )
    q: str | None = Field(
        None, max_length=200, description="Words that start words of the title or text."
    )
    lang: Literal["de", "en"] = Field("de", description="The language `q` is searched in.")
    archive: bool = Field(False, description="Past events (latest first) instead of upcoming.")


class PartnerQuery(PageQuery):
    relation: Literal["partner", "friendship"] | None = Field(
        None, description="Only partner cities or only befriended cities."
    )
    country: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code."
    )


# --- documents --------------------------------------------------------------------


class Links(Schema):
    """Absolute addresses of the pages, per language."""

    html: dict[str, AnyUrl]


class Category(Schema):
    slug: str = Field(pattern=SLUG_PATTERN)
    name: Texts


class Registration(Schema):
    """Whether and until when people can register; counts, no names."""

    opens_at: datetime | None
    closes_at: datetime | None
    is_open: bool
    capacity: int | None = Field(description="Places; null: no limit.")
    seats_left: int | None
    has_waitlist: bool


class Contact(Schema):
    """The event's public contact: the only email address the API gives out."""

    name: str | None
    email: str | None


class Image(Schema):
    url: AnyUrl
    alt: Texts = Field(description="What the image shows, for people who cannot see it.")


class Event(Schema):
    slug: str = Field(pattern=SLUG_PATTERN)
    status: Literal["published", "cancelled"]
    title: Texts
    summary: Texts
    description: Texts = Field(description="Markdown, as written by the office.")
    venue: Texts
    address: str | None = Field(description="Street, postcode and town of the venue.")
    price: Texts = Field(description="What it costs; empty where `is_free`.")
    is_free: bool
    contact: Contact
    image: Image | None
    partner_city: str | None = Field(description="The slug of the partner city it belongs to.")
    network: str | None = Field(description="The slug of the network it belongs to.")
    starts_at: datetime
    ends_at: datetime
    has_start_time: bool = Field(description="False: only the days are known, not the times.")
    min_age: int | None
    max_age: int | None
    categories: list[Category]
    registration: Registration
    links: Links
    ical: AnyUrl


class City(Schema):
    slug: str = Field(pattern=SLUG_PATTERN)
    name: Texts
    description: Texts
    country: str = Field(pattern=r"^[A-Z]{2}$")
    relation: Literal["partner", "friendship"]
    since: int | None
    website: str | None = Field(description="The city's or network's own site.")
    latitude: float | None
    longitude: float | None
    links: Links


class NetworkMember(Schema):
    name: str
    city: str | None = Field(description="The slug of the member when it is a city listed here.")


class Network(Schema):
    slug: str = Field(pattern=SLUG_PATTERN)
    name: Texts
    description: Texts
    founded: int | None
    website: str | None = Field(description="The city's or network's own site.")
    members: list[NetworkMember]
    links: Links


class NewsPost(Schema):
    slug: str = Field(pattern=SLUG_PATTERN)
    title: Texts
    teaser: Texts
    body: Texts = Field(description="Markdown, as written by the office.")
    published_at: datetime
    is_pinned: bool
    links: Links


class Page(Schema):
    page: int
    per_page: int
    total: int
    next: AnyUrl | None
    previous: AnyUrl | None


class EventList(Schema):
    items: list[Event]
    pagination: Page


class CityList(Schema):
    items: list[City]
    pagination: Page


class NetworkList(Schema):
    items: list[Network]
    pagination: Page


class NewsList(Schema):
    items: list[NewsPost]
    pagination: Page


class InvalidParameter(Schema):
    name: str
    reason: str


class Problem(Schema):
    """An error as RFC 9457 describes it (application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    invalid_params: list[InvalidParameter] | None = Field(
        None, description="What was wrong with which query parameter."
    )
