"""The README's first command: `make run` migrates, seeds and serves /de/."""

from __future__ import annotations

import os
import signal
import subprocess

import httpx
import pytest

from tests.live.servers import ROOT, free_port, wait_until_up

pytestmark = pytest.mark.live


def test_make_run_serves_the_upcoming_workshop_on_de(tmp_path):
    port = free_port()
    log = tmp_path / "make-run.log"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite'}"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log, timeout=120)
        page = httpx.get(f"http://127.0.0.1:{port}/de/").text
        assert "Workshop Forumtheater" in page
        assert "/de/events/forumtheater/" in page
        event = httpx.get(f"http://127.0.0.1:{port}/de/events/forumtheater/").text
        assert "Jetzt anmelden" in event
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
