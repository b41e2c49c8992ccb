"""The partner-city directory: partner and befriended cities, networks."""

from __future__ import annotations

import enum

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from models.base import Model, Translatable, enum_column


class Relation(enum.StrEnum):
    PARTNER = "partner"  # a binding partnership treaty
    FRIENDSHIP = "friendship"  # a non-binding friendship or project agreement


class CityText(Model):
    __tablename__ = "city_text"

    city_id: Mapped[int] = mapped_column(
        ForeignKey("city.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)


class City(Translatable, Model):
    __tablename__ = "city"
    text_class = CityText

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    relation: Mapped[Relation] = mapped_column(enum_column(Relation), index=True)
    since: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(300))

    texts: Mapped[dict[str, CityText]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<City {self.slug}>"


class NetworkText(Model):
    __tablename__ = "network_text"

    network_id: Mapped[int] = mapped_column(
        ForeignKey("network.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class NetworkMember(Model):
    """A member city of a network; it need not be a partner (then city_id is empty)."""

    __tablename__ = "network_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("network.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    city: Mapped[City | None] = relationship(lazy="joined")


class Network(Translatable, Model):
    __tablename__ = "network"
    text_class = NetworkText

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    founded: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(300))

    texts: Mapped[dict[str, NetworkText]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )
    members: Mapped[list[NetworkMember]] = relationship(
        order_by=NetworkMember.position, cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Network {self.slug}>"
