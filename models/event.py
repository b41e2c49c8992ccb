"""Events and their texts in each language."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, false
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from models.base import Model, Translatable, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from models.category import Category
    from models.partner import City, Network
    from models.user import User


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


# Organisers see and manage the events they are assigned to; admins see all.
event_organiser = Table(
    "event_organiser",
    Model.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class EventText(Model):
    __tablename__ = "event_text"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    # Where it takes place, as people of this language call it ("Rostock Town Hall").
    venue: Mapped[str | None] = mapped_column(String(200))
    # What it costs ("5 € incl. lunch"); empty means free, and the page says so.
    price: Mapped[str | None] = mapped_column(String(200))
    # What the event's image shows, for people who cannot see it.
    image_alt: Mapped[str | None] = mapped_column(String(300))


class Event(Translatable, Model):
    __tablename__ = "event"
    text_class = EventText

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Some sources give only the day of an event; then no time is shown.
    has_start_time: Mapped[bool] = mapped_column(default=True)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    has_waitlist: Mapped[bool] = mapped_column("waitlist", default=False)
    guardian_consent_below_age: Mapped[int] = mapped_column(default=16)
    # How many people one submission may register (a parent with children, a
    # teacher with a class); 1 is the form for one person.
    max_group_size: Mapped[int] = mapped_column(default=1, server_default="1")
    # Whether a free seat may go to a smaller registration further down the
    # waitlist while a larger group ahead of it still does not fit.
    fill_with_smaller: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT)
    # The essentials a visitor asks before coming: the street address (the
    # page links it to OpenStreetMap, a link only), a public contact, and the
    # partner city or network the event belongs to.
    venue_address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"))
    # An optional image, re-encoded and stored like the announcements' images.
    image_filename: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisers: Mapped[list["User"]] = relationship(secondary=event_organiser, lazy="selectin")
    city: Mapped["City | None"] = relationship(lazy="selectin")
    network: Mapped["Network | None"] = relationship(lazy="selectin")
    categories: Mapped[list["Category"]] = relationship(
        secondary="event_category", order_by="Category.slug", lazy="selectin"
    )
    texts: Mapped[dict[str, EventText]] = relationship(
        collection_class=attribute_keyed_dict("lang"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def is_public(self) -> bool:
        return self.status is not EventStatus.DRAFT

    @hybrid_method
    def has_ended_at(self, moment: datetime) -> bool:
        """Whether the event is over at `moment`, from the minute it ends.
        The one definition of "ended", on an event and in a query
        (`select(Event).where(~Event.has_ended_at(now))`)."""
        return self.ends_at <= moment

    @hybrid_property
    def has_ended(self) -> bool:
        """Whether the event is over now (Indico's `has_ended`)."""
        return self.has_ended_at(utcnow())

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
