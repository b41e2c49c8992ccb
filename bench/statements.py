"""SQL statements per public page, with few and with many events: a page
that asks the database once per listed event (N+1) shows up here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event as sa_event

from bench.databases import bench_app, bench_event
from extensions import db
from models import Registration, RegistrationStatus
from services.demo_directory import seed_directory
from services.demo_news import seed_news

FEW, MANY = 10, 1_000
PAGES = (
    "/de/",
    "/de/events/",
    "/de/events/?age=15&q=termin",
    "/de/events/{slug}/",
    "/de/events.ics",
    "/de/search?q=termin",
    "/de/partners/",
    "/de/news/",
    "/api/v1/events?per_page=100&age=15",
    "/api/v1/events/{slug}",
)
SLUG = "termin-0"


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The statements sent through `engine` while the block runs."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


def _add_events(numbers: range) -> None:
    """Upcoming events, each with a confirmed, a pending and a waitlisted person."""
    now = datetime.now(UTC)
    statuses = (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
    )
    events = [bench_event(f"termin-{number}", days=1 + number / 10) for number in numbers]
    db.session.add_all(events)
    db.session.flush()
    db.session.add_all(
        Registration(
            event_id=event.id,
            status=status,
            language="de",
            first_name="Mia",
            last_name="Beispiel",
            email=f"mia{event.id}-{index}@example.org",
            privacy_consent_at=now,
            privacy_consent_text="ok",
        )
        for event in events
        for index, status in enumerate(statuses)
    )
    db.session.commit()


def statements_per_page(url: str) -> dict[str, tuple[int, int]]:
    """{page: (statements with FEW events, statements with MANY events)}."""
    app = bench_app(url, PAGE_CACHE_SECONDS=0)  # count what rendering asks, not the cache
    client = app.test_client()
    counts: dict[str, list[int]] = {page: [] for page in PAGES}
    with app.app_context():
        engine = db.engine
        seed_directory(db.session, "rostock")
        seed_news(db.session, datetime.now(UTC))
        db.session.commit()
    for numbers in (range(FEW), range(FEW, MANY)):
        with app.app_context():
            _add_events(numbers)
        for page in PAGES:
            path = page.format(slug=SLUG)
            client.get(path)  # the first request of a process pays for loading translations
            with counting(engine) as statements:
                response = client.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            counts[page].append(len(statements))
    with app.app_context():
        db.engine.dispose()
    return {page: (few, many) for page, (few, many) in counts.items()}
