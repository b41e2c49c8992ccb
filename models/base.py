"""The declarative base, UTC timestamps and translatable texts."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_LANGUAGE = "de"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time stored as naive UTC and read back as aware UTC.

    Naive datetimes are refused: a time without a zone is a bug waiting for
    the next daylight-saving change.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is stored")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """An enum stored as its string values, portable across databases."""
    return Enum(
        enum_class,
        native_enum=False,
        values_callable=lambda members: [m.value for m in members],
        length=20,
        validate_strings=True,
    )


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Translatable:
    """Content with one text row per language; German is required, the others
    fall back to it field by field. A new language is a new row, not a column."""

    texts: dict  # language -> text row, set by each model's relationship

    def text(self, field: str, lang: str) -> str:
        row = self.texts.get(lang)
        value = getattr(row, field, None) if row is not None else None
        if value:
            return value
        fallback = self.texts.get(DEFAULT_LANGUAGE)
        return getattr(fallback, field, None) or ""

    def set_text(self, lang: str, **fields: str | None) -> None:
        """Create or update the text row for `lang`; empty fields stay empty."""
        row = self.texts.get(lang)
        if row is None:
            row = self.text_class(lang=lang)
            self.texts[lang] = row
        for name, value in fields.items():
            setattr(row, name, (value or "").strip() or None)

    text_class: type
