"""All benchmarks, one table per database: `make bench` or

    python -m bench.run [--database sqlite|postgresql] [--seconds 5] [--connections 16]
                        [--pages-only]

For SQLite (a temporary file) and PostgreSQL (BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/bench; created when missing, EMPTIED
by every run): gunicorn with 2 workers serves the demo content, and a bare
Flask "hello" app with the same settings beside it; `/healthz` and the
public pages (cached, and rendered: with a cookie the cache never answers) are
measured alternating with hello, as fractions of hello and of /healthz
(bench/pages.py); then registrations (one after another while the mail
worker hangs on a stalling mail server, then a burst for 10 seats, against
a cached page's p95 under as many connections); the exports of 10,000
registrations; and the SQL statements per public page with 10 and 1,000
events. Needs wrk (`apt-get install -y wrk`). See bench/README.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from bench import export_bench, pages, throughput
from bench.databases import Databases, Unreachable, add_event, bench_app, seed_site
from bench.registrations import (
    CAPACITY,
    REGISTRATIONS,
    SEQUENTIAL,
    STALL_SECONDS,
    THREADS,
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
HELLO = "bench.hello:app"
EXTRA_EVENTS = 40  # besides the demo's two: the event list shows a full page
STALLED_P95_TARGET = 1.0
BURST_TARGET = 10  # the POST's p95 at most this many times a cached GET's
EXPORT_ROWS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--seconds", type=float, default=throughput.DURATION)
    parser.add_argument("--connections", type=int, default=throughput.CONNECTIONS)
    parser.add_argument(
        "--pages-only", action="store_true", help="only the pages against hello and /healthz"
    )
    args = parser.parse_args()
    try:
        throughput.check_wrk()
    except throughput.WrkMissing as missing:
        sys.exit(f"make bench: {missing}")
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
        with (
            Gunicorn(databases.folder, env, workers=WORKERS) as server,
            Gunicorn(databases.folder, {}, workers=WORKERS, app=HELLO, ready_path="/") as hello,
        ):
            rows = pages.page_rows(
                *pages.measure_alternating(
                    (hello.url, hello.process.pid),
                    (server.url, server.process.pid),
                    args.seconds,
                    args.connections,
                )
            )
            if args.pages_only:
                return rows
            cached_get = throughput.measure(server.url + pages.EVENT_PAGE, args.seconds, THREADS)
            smtp.inbox.delay = STALL_SECONDS
            with MailWorker(databases.folder, url, smtp):
                one_after_another(
                    server.url, "ruhig", count=1, prefix="first"
                )  # the mail it hangs on
                is_stalled = wait_until_sending(url)
                calm = one_after_another(server.url, "ruhig")
                delivered = len(smtp.inbox.messages)
            rows.append(stalled_mail_row(calm, is_stalled, delivered))
            timed = burst(server.url, "ansturm")
            rows.append(burst_row(timed, held_seats(url, burst_event), cached_get))
    finally:
        smtp.stop()
    rows += export_rows(databases.fresh())
    rows += statement_rows(databases.fresh())
    return rows


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


def burst_row(timed: Timed, held: int, cached_get: throughput.Load) -> Row:
    """The burst's POSTs against a cached event page's p95 under as many
    connections as the burst has threads."""
    p95 = percentile(timed.seconds, 0.95)
    times = p95 / cached_get.p95_seconds
    return Row(
        f"registration burst ({REGISTRATIONS} at once from {THREADS} threads, {CAPACITY} seats)",
        f"{held} seats held, {timed.errors} errors, p50 {seconds(percentile(timed.seconds, 0.5))}, "
        f"p95 {seconds(p95)} = {times:.1f} x the p95 of the cached event page with "
        f"{THREADS} connections ({seconds(cached_get.p95_seconds)})",
        f"{CAPACITY} held, 0 errors, p95 ≤ {BURST_TARGET} x",
        held == CAPACITY and not timed.errors and times <= BURST_TARGET,
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
