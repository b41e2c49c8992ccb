"""Requests per second and p95 latency of one URL under a fixed load, with
wrk (Debian's `wrk` package): one new connection per request is what wrk
makes against gunicorn's sync workers, as browsers without keep-alive do."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 16
THREADS = 2
DURATION = 5.0
WARM_UP = 1.0
INSTALL = "apt-get install -y wrk"
# wrk prints the percentiles 50/75/90/99 only; the p95 comes from its Lua hook.
P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p95 latency: %d us\\n", latency:percentile(95)))
end
"""


class WrkMissing(Exception):
    """wrk is not installed: the throughput figures cannot be measured."""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    requests: int
    failures: int  # connection errors, timeouts and responses other than 2xx/3xx
    p95_seconds: float


def check_wrk() -> None:
    if not shutil.which("wrk"):
        raise WrkMissing(f"wrk is not installed; on Debian: {INSTALL}")


def measure(
    url: str,
    seconds: float = DURATION,
    connections: int = CONNECTIONS,
    headers: dict[str, str] | None = None,
) -> Load:
    """`connections` clients request `url` back to back for `seconds`."""
    check_wrk()
    with tempfile.TemporaryDirectory(prefix="partnerstadt-wrk-") as folder:
        script = Path(folder) / "p95.lua"
        script.write_text(P95_SCRIPT)
        command = [
            "wrk",
            f"-t{min(THREADS, connections)}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return _parse(output)


def warm_up(url: str, headers: dict[str, str] | None = None) -> None:
    """Every worker renders the page once (templates compiled, pools filled)."""
    measure(url, WARM_UP, CONNECTIONS, headers)


_REQUESTS = re.compile(r"(\d+) requests in")
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_P95 = re.compile(r"p95 latency: (\d+) us")


def _parse(output: str) -> Load:
    failures = sum(int(n) for n in _NON_2XX.findall(output))
    if errors := _SOCKET_ERRORS.search(output):
        failures += sum(int(n) for n in errors.groups())
    return Load(
        float(_RATE.search(output).group(1)),
        int(_REQUESTS.search(output).group(1)),
        failures,
        int(_P95.search(output).group(1)) / 1e6,
    )
