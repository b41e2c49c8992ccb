"""Keeps `search_document` in step with events, announcements and cities.

Whatever writes them (staff forms, commands, the demo data, tests), the
session notes which records changed when it flushes, and just before the
commit rewrites their documents in the same transaction: the search never
shows a text that was not committed, nor misses one that was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from models import City, CityText, Event, EventText, NewsPost, NewsText, SearchDocument
from models.base import Translatable
from services.folding import fold

# The texts searched, by kind of record.
FIELDS: dict[str, tuple[str, ...]] = {
    "event": ("title", "summary", "description", "venue"),
    "news": ("title", "teaser", "body"),
    "city": ("name", "description"),
}
MODELS: dict[str, type[Translatable]] = {"event": Event, "news": NewsPost, "city": City}
# A changed text row stands for its record.
_TEXT_ROWS = {EventText: ("event", "event_id"), NewsText: ("news", "news_id")}
_TEXT_ROWS[CityText] = ("city", "city_id")
_STALE = "search_index_stale"  # Session.info key: {(kind, id)} to rewrite before the commit
_NOT_A_WORD = re.compile(r"[\W_]+")


def words(text: str) -> str:
    """`text` folded, as plain words separated by single spaces."""
    return " ".join(_NOT_A_WORD.split(fold(text))).strip()


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"]) if has_app_context() else ("de", "en")


def documents(kind: str, record: Translatable) -> dict[str, str]:
    """The words of `record` in each language, as that language's page shows it."""
    return {
        lang: words(" ".join(record.text(field, lang) for field in FIELDS[kind]))
        for lang in _languages()
    }


def reindex(session: Session, keys: Iterable[tuple[str, int]]) -> None:
    """Rewrite the documents of these (kind, id); a deleted record loses them."""
    for kind, record_id in keys:
        session.execute(
            delete(SearchDocument).where(
                SearchDocument.kind == kind, SearchDocument.record_id == record_id
            )
        )
        record = session.get(MODELS[kind], record_id)
        if record is None:
            continue
        rows = [
            {"kind": kind, "record_id": record_id, "lang": lang, "words": text}
            for lang, text in documents(kind, record).items()
        ]
        session.execute(insert(SearchDocument), rows)


def rebuild(session: Session) -> int:
    """Every document anew (after an upgrade or an import by SQL); the count."""
    session.execute(delete(SearchDocument))
    keys = [
        (kind, record_id)
        for kind, model in MODELS.items()
        for record_id in session.scalars(select(model.id))  # type: ignore[attr-defined]
    ]
    reindex(session, keys)
    return len(keys)


def _key(instance: object) -> tuple[str, int] | None:
    for kind, model in MODELS.items():
        if isinstance(instance, model):
            return (kind, instance.id) if instance.id is not None else None  # type: ignore[attr-defined]
    for text_class, (kind, column) in _TEXT_ROWS.items():
        if isinstance(instance, text_class):
            record_id = getattr(instance, column)
            return (kind, record_id) if record_id is not None else None
    return None


def _note_flush(session: Session, _flush_context: object) -> None:
    stale = session.info.setdefault(_STALE, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if (key := _key(instance)) is not None:
            stale.add(key)


def _before_commit(session: Session) -> None:
    session.flush()
    while stale := session.info.pop(_STALE, None):
        reindex(session, sorted(stale))
        session.flush()


def _forget(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:
        session.info.pop(_STALE, None)


def init_app(app: Flask) -> None:
    """Listen on the app's sessions."""
    from extensions import db

    with app.app_context():
        sessionmaker = db.sessionmaker
    event.listen(sessionmaker, "after_flush", _note_flush)
    event.listen(sessionmaker, "before_commit", _before_commit)
    event.listen(sessionmaker, "after_transaction_end", _forget)
