"""How long and how much memory the participant exports of one event with
10,000 registrations take.

    python -m bench.export_bench [--rows N]

Builds a temporary SQLite database with the migrations, inserts the
registrations in bulk, then consumes `participant_table` → CSV chunks and
→ an XLSX file completely: once timed, once under tracemalloc for the peak
(tracemalloc slows Python down, so the two are measured apart).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from app import create_app
from extensions import db
from models import Event, EventStatus, Registration, RegistrationStatus
from services import exports, spreadsheets
from tests.databases import base_config, migrate

TARGET_SECONDS = {"csv": 1.0, "xlsx": 5.0}
NOTES = 'Vegetarisch; bringt "Gitarre" mit\r\nund Noten'


def create_event(rows: int) -> int:
    """One event with `rows` registrations of every status; its id."""
    starts_at = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
    event = Event(
        slug="benchmark",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        status=EventStatus.PUBLISHED,
    )
    event.set_text("de", title="Benchmark", venue="Rostocker Rathaus")
    db.session.add(event)
    db.session.flush()
    statuses = list(RegistrationStatus)
    registered = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    db.session.execute(
        insert(Registration),
        [
            {
                "event_id": event.id,
                "status": statuses[number % len(statuses)],
                "language": "de",
                "first_name": f"Jürgen {number}",
                "last_name": "Weiß" if number % 7 else '=HYPERLINK("http://x")',
                "email": f"teilnehmer{number}@example.org",
                "date_of_birth": date(2009, 1, 1) + timedelta(days=number % 1500),
                "guardian_name": "Petra Weiß" if number % 3 == 0 else None,
                "guardian_email": f"eltern{number}@example.org" if number % 3 == 0 else None,
                "guardian_consented_at": registered if number % 3 == 0 else None,
                "phone": "+49 381 1234567",
                "notes": NOTES if number % 5 == 0 else None,
                "privacy_consent_at": registered + timedelta(minutes=number),
                "privacy_consent_text": "Ich stimme zu.",
                "photo_consent": number % 2 == 0,
                "created_at": registered + timedelta(minutes=number),
                "confirmed_at": registered + timedelta(minutes=number + 5),
                "checked_in_at": starts_at if number % 4 == 0 else None,
            }
            for number in range(rows)
        ],
    )
    db.session.commit()
    return event.id


def consume_csv(event: Event) -> int:
    chunks = spreadsheets.csv_chunks(exports.participant_table(db.session, event))
    return sum(len(chunk) for chunk in chunks)


def consume_xlsx(event: Event) -> int:
    file = spreadsheets.xlsx_file(exports.participant_table(db.session, event), "Teilnehmende")
    return sum(len(chunk) for chunk in spreadsheets.file_chunks(file))


def measure(run: Callable[[Event], int], event: Event) -> tuple[float, float, float, int]:
    """Wall-clock and CPU seconds of one timed run, peak MiB of a traced
    run, bytes produced. CPU time shows the cost on a machine busy with
    other work, where the wall clock also counts waiting for a processor."""
    db.session.rollback()
    started, cpu_started = time.perf_counter(), time.process_time()
    size = run(event)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.session.rollback()
    tracemalloc.start()
    run(event)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu, peak / 2**20, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.sqlite'}"
        migrate(url)
        app = create_app(base_config(url))
        # A request context: headers are translated and times converted as for staff.
        with app.test_request_context("/admin/", headers={"Accept-Language": "de"}):
            event_id = create_event(rows)
            event = db.session.get(Event, event_id)
            results = {"csv": measure(consume_csv, event), "xlsx": measure(consume_xlsx, event)}
            db.session.rollback()
            db.engine.dispose()
    print(
        f"{'format':<7}{'rows':>8}{'seconds':>10}{'cpu s':>8}{'target':>9}"
        f"{'peak MiB':>10}{'size MiB':>10}"
    )
    for format, (seconds, cpu, peak, size) in results.items():
        target = TARGET_SECONDS[format]
        verdict = "ok" if seconds <= target else "SLOW"
        print(
            f"{format:<7}{rows:>8}{seconds:>10.2f}{cpu:>8.2f}{f'≤{target:g}s':>9}"
            f"{peak:>10.1f}{size / 2**20:>10.1f}  {verdict}"
        )


if __name__ == "__main__":
    main()
