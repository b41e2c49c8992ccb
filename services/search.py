"""The site search: events, announcements and cities whose words match.

One rule on both databases: every word typed, folded like the texts
(services/folding.py), is the start of a word of the record's text in the
page's language ("gross" finds "Großes", "theat" finds "Theater"). The
database's own full-text index finds the candidates — PostgreSQL's
tsvector under the German or English configuration, SQLite's FTS5 — and the
same word-start comparison decides, so both give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, literal, literal_column, select, text
from sqlalchemy.orm import Session

from models import City, Event, NewsPost, SearchDocument
from services import events as event_lists
from services import news
from services.search_index import words

MAX_TERMS = 8  # more words than that narrow nothing a person would notice
MAX_TERM_LENGTH = 40
RESULTS_PER_KIND = 20
# PostgreSQL's text-search configuration for each language; others use "simple".
CONFIGURATIONS = {"de": "german", "en": "english"}


def terms(query: str | None) -> list[str]:
    """The folded words of what was typed, each once, in order."""
    found: list[str] = []
    for term in words(query or "").split():
        term = term[:MAX_TERM_LENGTH]
        if term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def _starts_a_word(term: str) -> ColumnElement[bool]:
    # Terms hold letters and digits only, so neither % nor _ needs escaping.
    return (literal(" ") + SearchDocument.words).like(f"% {term}%")


def _postgres_candidates(found: list[str], lang: str) -> ColumnElement[bool]:
    config = CONFIGURATIONS.get(lang, "simple")
    tsv = literal_column("search_document.tsv")
    conditions = []
    for term in found:
        prefix = f"{term}:*"
        query = func.to_tsquery(config, prefix).op("||")(func.to_tsquery("simple", prefix))
        conditions.append(tsv.op("@@")(query))
    return and_(*conditions)


def _sqlite_candidates(found: list[str]) -> ColumnElement[bool]:
    expression = " ".join(f'"{term}"*' for term in found)
    fts = literal_column("search_fts")
    return SearchDocument.id.in_(
        select(literal_column("rowid"))
        .select_from(text("search_fts"))
        .where(fts.op("MATCH")(expression))
    )


def matching_ids(session: Session, kind: str, found: list[str], lang: str) -> Select:
    """The ids of the records of `kind` whose words in `lang` match every term."""
    dialect = session.get_bind().dialect.name
    conditions = [SearchDocument.kind == kind, SearchDocument.lang == lang]
    if dialect == "postgresql":
        conditions.append(_postgres_candidates(found, lang))
    elif dialect == "sqlite":
        conditions.append(_sqlite_candidates(found))
    conditions += [_starts_a_word(term) for term in found]
    return select(SearchDocument.record_id).where(*conditions)


@dataclass
class Results:
    query: str
    events: list[Event] = field(default_factory=list)
    news: list[NewsPost] = field(default_factory=list)
    cities: list[City] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.events) + len(self.news) + len(self.cities)


def search(session: Session, query: str, lang: str, now: datetime) -> Results:
    """What the search page lists: public events (upcoming first, then the
    most recent past), visible announcements (newest first), cities by name."""
    found = terms(query)
    results = Results(query=query)
    if not found:
        return results
    event_ids = matching_ids(session, "event", found, lang)
    results.events = list(
        session.scalars(
            select(Event)
            .where(Event.status.in_(event_lists.PUBLIC), Event.id.in_(event_ids))
            .order_by(Event.has_ended_at(now), Event.starts_at, Event.id)
            .limit(RESULTS_PER_KIND)
        )
    )
    results.news = list(
        session.scalars(
            select(NewsPost)
            .where(
                *news._is_visible(now),
                NewsPost.id.in_(matching_ids(session, "news", found, lang)),
            )
            .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
            .limit(RESULTS_PER_KIND)
        )
    )
    cities = session.scalars(
        select(City).where(City.id.in_(matching_ids(session, "city", found, lang)))
    )
    results.cities = sorted(cities, key=lambda city: words(city.text("name", lang)))[
        :RESULTS_PER_KIND
    ]
    return results
