"""What one request costs inside the process, without gunicorn and the
network: `python -m bench.profile [--profile PATH] [--cookie] [--top 30]`.

Calls the WSGI app directly, thousands of times, on a temporary SQLite
database with the demo content, and prints the CPU time per request of the
bare Flask "hello" app (bench/hello.py), `/healthz`, the event page cached
and rendered (a cookie the cache never answers), and a registration POST.
CPU time rather than wall clock, so that other work on the machine counts
less. With --profile, cProfile's
listing for one path follows (sorted by --sort, cumulative by default).
The figures in bench/README.md's profiles come from here."""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from werkzeug.test import EnvironBuilder

from bench.databases import add_event, bench_app, seed_site
from bench.hello import app as hello
from bench.pages import EVENT_PAGE, RENDERED
from tests.conftest import CSRF, registration_form
from tests.databases import migrate

WSGI = Callable[[dict, Callable], object]
FIGURES = (
    ('bare Flask "hello"', "hello", "/", False, 4000),
    ("/healthz", "app", "/healthz", False, 4000),
    ("event page, cached", "app", EVENT_PAGE, False, 4000),
    ("event page, rendered", "app", EVENT_PAGE, True, 400),
)


def requester(app: WSGI, path: str, cookie: bool) -> Callable[[], str]:
    """One GET of `path`, read to the end, as a server would."""
    environ = EnvironBuilder(
        path=path, headers=RENDERED if cookie else None, base_url="http://127.0.0.1:5000"
    ).get_environ()
    status: list[str] = []

    def start_response(code: str, headers: list, exc_info: object = None) -> None:
        status.append(code)

    def once() -> str:
        status.clear()
        body = app(dict(environ, **{"wsgi.input": io.BytesIO()}), start_response)
        for _ in body:
            pass
        getattr(body, "close", lambda: None)()
        return status[0]

    return once


def registration_posts(url: str, count: int) -> list[Callable[[], int]]:
    """`count` people who have each loaded the form of an event with 10 seats
    and a waitlist (as in the burst of bench/registrations.py); each callable
    sends one person's form, once."""
    add_event(url, "ansturm", capacity=10, has_waitlist=True, guardian_consent_below_age=0)
    app = bench_app(url, RATELIMIT_ENABLED=False)  # one address sends them all
    path = "/de/events/ansturm/register"
    posts = []
    for number in range(count):
        client = app.test_client()
        token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
        form = registration_form(email=f"ansturm-{number}@example.org", csrf_token=token)
        posts.append(lambda client=client, form=form: client.post(path, data=form).status_code)
    return posts


def per_post(posts: list[Callable[[], int]]) -> float:
    """CPU seconds per registration POST (each must answer 303)."""
    started = time.process_time()
    for post in posts:
        if (status := post()) != 303:
            raise SystemExit(f"registration POST: {status}")
    return (time.process_time() - started) / len(posts)


def per_request(once: Callable[[], str], count: int) -> float:
    """CPU seconds per request: the best of five rounds, after a warm-up."""
    for _ in range(20):
        once()
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(count // 5):
            once()
        rounds.append((time.process_time() - started) / (count // 5))
    return min(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", metavar="PATH", help="cProfile this path afterwards")
    parser.add_argument(
        "--cookie", action="store_true", help="send a cookie the page cache never answers"
    )
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--profile-registration", action="store_true", help="cProfile the registration POSTs"
    )
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="partnerstadt-profile-") as folder:
        url = f"sqlite:///{Path(folder) / 'profile.sqlite'}"
        migrate(url)
        seed_site(url, 40)
        apps = {"hello": hello, "app": bench_app(url, RATELIMIT_ENABLED=True)}
        base = None
        for name, which, path, cookie, count in FIGURES:
            once = requester(apps[which], path, cookie)
            if (status := once()) != "200 OK":
                raise SystemExit(f"{path}: {status}")
            seconds = per_request(once, count)
            base = base or seconds
            print(f"{name:28} {seconds * 1e6:7.0f} µs = {seconds / base:5.1f} x hello")
        posts = registration_posts(url, 60)
        per_post(posts[:5])  # warm-up: the first seats
        if args.profile_registration:
            profile = cProfile.Profile()
            seconds = profile.runcall(per_post, posts[5:])
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
        else:
            seconds = per_post(posts[5:])
        print(f"{'registration POST':28} {seconds * 1e6:7.0f} µs = {seconds / base:5.1f} x hello")
        if args.profile:
            once = requester(apps["app"], args.profile, args.cookie)
            profile = cProfile.Profile()
            profile.runcall(lambda: [once() for _ in range(args.requests)])
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
