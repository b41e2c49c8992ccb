"""All benchmarks, one table per database: `make bench` or

    python -m bench.run [--database sqlite|postgresql] [--seconds 5] [--connections 4]
                        [--cached-only]

For SQLite (a temporary file) and PostgreSQL (BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/bench; created when missing, EMPTIED
by every run): gunicorn with 2 workers serves the demo content; public pages
are measured against the same server's /healthz, once with the page cache
off for comparison and once as configured; then registrations (one
after another while the mail worker hangs on a stalling mail server, then
a burst for 10 seats); the exports of 10,000 registrations; and the SQL
statements per public page with 10 and 1,000 events. See bench/README.md.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from bench import export_bench, throughput
from bench.databases import Databases, Unreachable, add_event, bench_app, seed_site
from bench.registrations import (
    CAPACITY,
    REGISTRATIONS,
    SEQUENTIAL,
    STALL_SECONDS,
    MailWorker,
    Timed,
    burst,
    held_seats,
    one_after_another,
    wait_until_sending,
)
from bench.report import Row, machine, percentile, seconds, table
from bench.statements import FEW, MANY, SLUG, statements_per_page
from extensions import db
from models import Event
from tests.live.servers import Gunicorn
from tests.mail import SMTPServer

WORKERS = 2
UNCACHED = "bench/uncached.py"  # gunicorn settings: the page cache off
EXTRA_EVENTS = 40  # besides the demo's two: the event list shows a full page
PAGES = {
    "home": "/de/",
    "event list": "/de/events/",
    "event page": "/de/events/forumtheater/",
    "partners page": "/de/partners/",
    "news list": "/de/news/",
}
PAGE_TARGET = 0.5
STALLED_P95_TARGET = 1.0
EXPORT_ROWS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--seconds", type=float, default=throughput.DURATION)
    parser.add_argument("--connections", type=int, default=throughput.CONNECTIONS)
    parser.add_argument(
        "--cached-only", action="store_true", help="skip the comparison without the page cache"
    )
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one migration per phase
    print(f"Before: {machine()}", flush=True)
    for kind in args.database or ["sqlite", "postgresql"]:
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
        title = (
            f"{name}: gunicorn with {WORKERS} workers; {args.connections} connections "
            f"x {args.seconds:g} s per URL"
        )
        with tempfile.TemporaryDirectory(prefix="partnerstadt-bench-") as folder:
            try:
                databases = Databases(kind, Path(folder))
            except Unreachable as reason:
                rows = [Row(name, f"skipped: PostgreSQL unreachable ({reason})")]
            else:
                rows = run_database(databases, args)
        print(f"\n{table(title, rows)}\n", flush=True)
    print(f"After: {machine()}")


def run_database(databases: Databases, args: argparse.Namespace) -> list[Row]:
    url = databases.fresh()
    seed_site(url, EXTRA_EVENTS)
    burst_event = add_event(
        url, "ansturm", capacity=CAPACITY, has_waitlist=True, guardian_consent_below_age=0
    )
    add_event(url, "ruhig", capacity=None, has_waitlist=False, guardian_consent_below_age=0)
    smtp = SMTPServer()
    smtp.start()
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-secret-key-that-is-long-enough",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    try:
        uncached = (
            {}
            if args.cached_only
            else uncached_ratios(databases.folder, env, args.seconds, args.connections)
        )
        with Gunicorn(databases.folder, env, workers=WORKERS) as server:
            rows = page_rows(server.url, args.seconds, args.connections, uncached)
            smtp.inbox.delay = STALL_SECONDS
            with MailWorker(databases.folder, url, smtp):
                one_after_another(
                    server.url, "ruhig", count=1, prefix="first"
                )  # the mail it hangs on
                is_stalled = wait_until_sending(url)
                calm = one_after_another(server.url, "ruhig")
                delivered = len(smtp.inbox.messages)
            rows.append(stalled_mail_row(calm, is_stalled, delivered))
            rows.append(burst_row(burst(server.url, "ansturm"), held_seats(url, burst_event)))
    finally:
        smtp.stop()
    rows += export_rows(databases.fresh())
    rows += statement_rows(databases.fresh())
    return rows


def page_rows(
    base_url: str, duration: float, connections: int, uncached: dict[str, tuple[float, float]]
) -> list[Row]:
    """/healthz before and after the pages; each page against their mean."""
    health, loads = page_loads(base_url, duration, connections)
    rows = [
        Row(
            "/healthz (before, after the pages)",
            f"{health[0].requests_per_second:.0f} and "
            f"{health[1].requests_per_second:.0f} req/s{_failures(*health)}",
        )
    ]
    mean = sum(load.requests_per_second for load in health) / 2
    for name, load in loads.items():
        ratio = load.requests_per_second / mean
        without = ""
        if name in uncached:
            rate, fraction = uncached[name]
            without = f"; uncached {rate:.0f} req/s = {fraction:.0%}"
        rows.append(
            Row(
                f"{name} {PAGES[name]}",
                f"{load.requests_per_second:.0f} req/s = {ratio:.0%} of /healthz"
                f"{_failures(load)}{without}",
                f"≥ {PAGE_TARGET:.0%} of /healthz",
                ratio >= PAGE_TARGET and not load.failures,
            )
        )
    return rows


def page_loads(
    base_url: str, duration: float, connections: int
) -> tuple[list[throughput.Load], dict[str, throughput.Load]]:
    """The server's /healthz before and after its pages, and each page."""
    for path in ["/healthz", *PAGES.values()]:
        throughput.warm_up(base_url + path)
    before = throughput.measure(f"{base_url}/healthz", duration, connections)
    loads = {
        name: throughput.measure(base_url + path, duration, connections)
        for name, path in PAGES.items()
    }
    after = throughput.measure(f"{base_url}/healthz", duration, connections)
    return [before, after], loads


def uncached_ratios(
    folder: Path, env: dict[str, str], duration: float, connections: int
) -> dict[str, tuple[float, float]]:
    """Requests/s and fraction of /healthz of each page on a server whose
    page cache is off, for comparison."""
    with Gunicorn(folder, env, workers=WORKERS, config=UNCACHED) as server:
        health, loads = page_loads(server.url, duration, connections)
    mean = sum(load.requests_per_second for load in health) / 2
    return {
        name: (load.requests_per_second, load.requests_per_second / mean)
        for name, load in loads.items()
    }


def _failures(*loads: throughput.Load) -> str:
    failures = sum(load.failures for load in loads)
    return f" ({failures} failed)" if failures else ""


def stalled_mail_row(timed: Timed, is_stalled: bool, delivered: int) -> Row:
    p95 = percentile(timed.seconds, 0.95)
    worker = (
        f"the mail worker hung in delivery throughout ({delivered} mails delivered by the end)"
        if is_stalled
        else "NOT MEASURED: the mail worker never started sending"
    )
    return Row(
        f"registration, SMTP stalling {STALL_SECONDS:g} s ({SEQUENTIAL} one after another)",
        f"p50 {seconds(percentile(timed.seconds, 0.5))}, p95 {seconds(p95)}, "
        f"{timed.errors} errors; {worker}",
        f"p95 ≤ {STALLED_P95_TARGET:g} s",
        is_stalled and p95 <= STALLED_P95_TARGET and not timed.errors,
    )


def burst_row(timed: Timed, held: int) -> Row:
    return Row(
        f"registration burst ({REGISTRATIONS} at once, {CAPACITY} seats)",
        f"{held} seats held, {timed.errors} errors, p50 {seconds(percentile(timed.seconds, 0.5))}, "
        f"p95 {seconds(percentile(timed.seconds, 0.95))}",
        f"{CAPACITY} held, 0 errors",
        held == CAPACITY and not timed.errors,
    )


def export_rows(url: str) -> list[Row]:
    """bench/export_bench.py's measurement, on this database."""
    app = bench_app(url)
    with app.test_request_context("/admin/", headers={"Accept-Language": "de"}):
        event = db.session.get(Event, export_bench.create_event(EXPORT_ROWS))
        results = {
            "CSV": export_bench.measure(export_bench.consume_csv, event),
            "XLSX": export_bench.measure(export_bench.consume_xlsx, event),
        }
        db.session.rollback()
        db.engine.dispose()
    rows = []
    for format, (wall, cpu, peak, size) in results.items():
        target = export_bench.TARGET_SECONDS[format.lower()]
        rows.append(
            Row(
                f"export {format}, {EXPORT_ROWS:,} registrations",
                f"{wall:.2f} s (CPU {cpu:.2f} s), peak {peak:.1f} MiB, "
                f"{size / 2**20:.1f} MiB written",
                f"≤ {target:g} s",
                wall <= target,
            )
        )
    return rows


def statement_rows(url: str) -> list[Row]:
    return [
        Row(
            f"SQL statements {page.format(slug=SLUG)}",
            f"{few} with {FEW:,} events, {many} with {MANY:,}",
            "equal",
            few == many,
        )
        for page, (few, many) in statements_per_page(url).items()
    ]


if __name__ == "__main__":
    main()
