"""Announcements by staff, with texts per language."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, Text, and_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from models.base import Model, Translatable, UTCDateTime, enum_column, utcnow


class NewsStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class NewsText(Model):
    __tablename__ = "news_text"

    news_id: Mapped[int] = mapped_column(
        ForeignKey("news_post.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(200))
    teaser: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)  # Markdown, sanitised when rendered
    image_alt: Mapped[str | None] = mapped_column(String(300))


class NewsPost(Translatable, Model):
    __tablename__ = "news_post"
    text_class = NewsText

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[NewsStatus] = mapped_column(enum_column(NewsStatus), default=NewsStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    # A file name under the instance folder's uploads/, chosen by the app.
    image_filename: Mapped[str | None] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    texts: Mapped[dict[str, NewsText]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )

    @hybrid_method
    def is_visible(self, now: datetime) -> bool:
        """Whether the public sees the post at `now`: published, and its time
        has come. The one definition, for the staff pages and in the public
        queries (`select(NewsPost).where(NewsPost.is_visible(now))`)."""
        return (
            self.status is NewsStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    @is_visible.inplace.expression
    @classmethod
    def _is_visible_expression(cls, now: datetime) -> ColumnElement[bool]:
        return and_(
            cls.status == NewsStatus.PUBLISHED,
            cls.published_at.is_not(None),
            cls.published_at <= now,
        )

    def __repr__(self) -> str:
        return f"<NewsPost {self.slug}>"
