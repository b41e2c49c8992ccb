"""Real servers on loopback for tests: gunicorn with several workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not come up:\n{log.read_text()}")


class Gunicorn:
    """`gunicorn wsgi:app` with `workers` processes, stopped on exit; the app
    is the one in `root` (by default this checkout)."""

    def __init__(
        self,
        log_dir: Path,
        env: dict[str, str],
        workers: int = 3,
        config: str | None = None,
        app: str = "wsgi:app",
        ready_path: str = "/healthz",
        root: Path = ROOT,
    ) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"gunicorn-{self.port}.log"
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        if config:
            args += ["--config", config]
        self.args = [*args, app]
        self.ready_path = ready_path
        self.env = os.environ | {"RATELIMIT_ENABLED": "0"} | env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"{self.url}{self.ready_path}", self.process, self.log)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class MailWorker:
    """`flask send-mail` in a process of its own, as a deployment runs it."""

    def __init__(self, log_dir: Path, env: dict[str, str], interval: float = 0.2) -> None:
        self.log = log_dir / f"send-mail-{id(self)}.log"
        self.args = [sys.executable, "-m", "flask", "send-mail", "--interval", str(interval)]
        self.env = os.environ | {"FLASK_APP": "app.py"} | env
        self.process: subprocess.Popen | None = None

    def start(self) -> MailWorker:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """kill -9: the worker gets no chance to finish what it was doing."""
        assert self.process is not None and self.process.poll() is None, self.log.read_text()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
