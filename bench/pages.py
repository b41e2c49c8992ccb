"""Public pages against two yardsticks, in one run: the bare Flask "hello"
app (bench/hello.py, same gunicorn settings) and the app's own `/healthz`.

The measurements alternate: hello, a figure, hello, the next figure, …,
hello. Each figure is divided by the mean of the two hello runs on either
side of it, so a neighbour's test suite that starts or stops during the run
moves both sides of the fraction alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bench import cpu, throughput
from bench.report import Row, seconds

HELLO_PATH = "/"
# A cookie that is never answered from the page cache, so the page is
# rendered for every request, as for a signed-in member of staff.
RENDERED = {"Cookie": "remember_token=bench"}
HEALTHZ_TARGET = 0.70
CACHED_TARGET = 0.60
UNCACHED_EVENT_TARGET = 0.15
EVENT_PAGE = "/de/events/forumtheater/"
PAGES = {
    "home": "/de/",
    "event list": "/de/events/",
    "event page": EVENT_PAGE,
    "partners page": "/de/partners/",
    "news list": "/de/news/",
}


@dataclass(frozen=True)
class Figure:
    name: str
    path: str
    headers: dict[str, str] | None = None
    target: float | None = None  # the least fraction of hello


def form_session(app_url: str) -> dict[str, str]:
    """The Cookie header of a visitor who has opened the registration form:
    a session with its CSRF token, which the page cache answers like no cookie."""
    with httpx.Client(base_url=app_url) as client:
        client.get(f"{EVENT_PAGE}register").raise_for_status()
        return {"Cookie": f"session={client.cookies['session']}"}


def figures(session: dict[str, str]) -> list[Figure]:
    """/healthz first and last; each page cached; the event page for a
    visitor with a form's session; then each page rendered."""
    healthz = Figure("/healthz", "/healthz", target=HEALTHZ_TARGET)
    cached = [Figure(f"{name} {path}", path, target=CACHED_TARGET) for name, path in PAGES.items()]
    with_session = Figure(
        "event page, with a form's session (cached)", EVENT_PAGE, session, CACHED_TARGET
    )
    rendered = [
        Figure(
            f"{name}, rendered (uncached)",
            path,
            RENDERED,
            UNCACHED_EVENT_TARGET if path == EVENT_PAGE else None,
        )
        for name, path in PAGES.items()
    ]
    return [healthz, *cached, with_session, *rendered, healthz]


@dataclass(frozen=True)
class Run:
    """One wrk run and the CPU time the server spent on it."""

    load: throughput.Load
    cpu_seconds: float

    @property
    def cpu_per_request(self) -> float:
        return self.cpu_seconds / max(self.load.requests, 1)


@dataclass(frozen=True)
class Measured:
    figure: Figure
    run: Run
    hello: float  # the mean req/s of the hello runs either side
    hello_cpu: float  # and their mean CPU seconds per request

    @property
    def load(self) -> throughput.Load:
        return self.run.load

    @property
    def of_hello(self) -> float:
        return self.load.requests_per_second / self.hello

    @property
    def cpu_of_hello(self) -> float:
        """Hello's CPU per request over this figure's: as a rate, the
        fraction of hello it would reach on a machine of its own."""
        return self.hello_cpu / self.run.cpu_per_request if self.run.cpu_seconds else 0.0


def _run(
    url: str, pid: int, duration: float, connections: int, headers: dict[str, str] | None = None
) -> Run:
    before = cpu.cpu_seconds(pid)
    load = throughput.measure(url, duration, connections, headers)
    return Run(load, cpu.cpu_seconds(pid) - before)


def measure_alternating(
    hello: tuple[str, int], app: tuple[str, int], duration: float, connections: int
) -> tuple[list[Run], list[Measured]]:
    """The hello runs and every figure, alternating, each figure against
    the hello runs before and after it. `hello` and `app` are each a
    server's URL and the process id of its gunicorn master."""
    (hello_url, hello_pid), (app_url, app_pid) = hello, app
    every = figures(form_session(app_url))
    throughput.warm_up(hello_url + HELLO_PATH)
    for figure in every:
        throughput.warm_up(app_url + figure.path, figure.headers)
    hellos = [_run(hello_url + HELLO_PATH, hello_pid, duration, connections)]
    measured = []
    for figure in every:
        run = _run(app_url + figure.path, app_pid, duration, connections, figure.headers)
        hellos.append(_run(hello_url + HELLO_PATH, hello_pid, duration, connections))
        pair = hellos[-2:]
        measured.append(
            Measured(
                figure,
                run,
                sum(h.load.requests_per_second for h in pair) / 2,
                sum(h.cpu_per_request for h in pair) / 2,
            )
        )
    return hellos, measured


def page_rows(runs: Sequence[Run], measured: Sequence[Measured]) -> list[Row]:
    hellos = [run.load for run in runs]
    hello_cpu = sum(run.cpu_per_request for run in runs) / len(runs)
    rates = [load.requests_per_second for load in hellos]
    health = [m for m in measured if m.figure.path == "/healthz"]
    health_rate = sum(m.load.requests_per_second for m in health) / len(health)
    rows = [
        Row(
            'bare Flask "hello" (bench/hello.py)',
            f"{sum(rates) / len(rates):.0f} req/s (from {min(rates):.0f} to {max(rates):.0f} "
            f"in {len(rates)} runs), {hello_cpu * 1e6:.0f} µs CPU per request"
            f"{_failures(*hellos)}",
        ),
        Row(
            "/healthz (first and last)",
            " and ".join(
                f"{m.load.requests_per_second:.0f} req/s = {m.of_hello:.2f} of hello "
                f"(CPU {m.cpu_of_hello:.2f})"
                for m in health
            )
            + _failures(*(m.load for m in health)),
            f"≥ {HEALTHZ_TARGET:.2f} of hello",
            all(m.of_hello >= HEALTHZ_TARGET and not m.load.failures for m in health),
        ),
    ]
    for m in measured:
        if m.figure.path == "/healthz":
            continue
        rate = m.load.requests_per_second
        rows.append(
            Row(
                m.figure.name,
                f"{rate:.0f} req/s = {m.of_hello:.3f} of hello (CPU {m.cpu_of_hello:.3f}), "
                f"{rate / health_rate:.2f} of /healthz; p95 {seconds(m.load.p95_seconds)}"
                f"{_failures(m.load)}",
                "" if m.figure.target is None else f"≥ {m.figure.target:.2f} of hello",
                None
                if m.figure.target is None
                else m.of_hello >= m.figure.target and not m.load.failures,
            )
        )
    return rows


def _failures(*loads: throughput.Load) -> str:
    failures = sum(load.failures for load in loads)
    return f" ({failures} failed)" if failures else ""
