"""Requests per second of one URL under a fixed load: wrk when installed
(`apt-get install wrk`), else several Python processes with keep-alive-less
HTTP/1.1 requests, as wrk makes them against gunicorn's sync workers."""

from __future__ import annotations

import http.client
import multiprocessing
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

CONNECTIONS = 4
DURATION = 5.0
WARM_UP = 1.0


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    requests: int
    failures: int  # connection errors, timeouts and responses other than 200


def measure(url: str, seconds: float = DURATION, connections: int = CONNECTIONS) -> Load:
    """`connections` clients request `url` back to back for `seconds`."""
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections)
    return _python(url, seconds, connections)


def warm_up(url: str) -> None:
    """Every worker renders the page once (templates compiled, pools filled)."""
    measure(url, WARM_UP, CONNECTIONS)


_REQUESTS = re.compile(r"(\d+) requests in")
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def _wrk(url: str, seconds: float, connections: int) -> Load:
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    failures = sum(int(n) for n in _NON_2XX.findall(output))
    if errors := _SOCKET_ERRORS.search(output):
        failures += sum(int(n) for n in errors.groups())
    return Load(
        float(_RATE.search(output).group(1)), int(_REQUESTS.search(output).group(1)), failures
    )


def _python(url: str, seconds: float, connections: int) -> Load:
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        counts = pool.starmap(_client, [(url, seconds)] * connections)
    requests = sum(ok + failed for ok, failed in counts)
    return Load(requests / seconds, requests, sum(failed for _, failed in counts))


def _client(url: str, seconds: float) -> tuple[int, int]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    ok = failed = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                failed += 1
        except OSError:
            failed += 1
        finally:
            connection.close()
    return ok, failed
