"""Categories that events are filed under ("Youth", "Exchange"), named in
each language and chosen by admins."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from models.base import Model, Translatable

# An event has any number of categories; a category any number of events.
event_category = Table(
    "event_category",
    Model.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)


class CategoryText(Model):
    __tablename__ = "category_text"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))


class Category(Translatable, Model):
    __tablename__ = "category"
    text_class = CategoryText

    id: Mapped[int] = mapped_column(primary_key=True)
    # The filter's value in addresses: /de/events/?category=jugend
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    texts: Mapped[dict[str, CategoryText]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"
