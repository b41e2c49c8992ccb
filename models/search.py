"""What the site search looks through: one row per public record and
language, its shown texts folded into plain words (services/search_index.py
keeps the rows up to date)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model


class SearchDocument(Model):
    """The words of an event, announcement or city in one language.

    On PostgreSQL the table also has a generated `tsv` column (the words
    under the language's text-search configuration, GIN-indexed); on SQLite
    an FTS5 table `search_fts` mirrors `words`. Both are made by the
    migration, not declared here, since each exists on one database only."""

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("kind", "record_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "event", "news" or "city"
    record_id: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(8))
    # Folded (services/folding.py) words separated by single spaces.
    words: Mapped[str] = mapped_column(Text)
