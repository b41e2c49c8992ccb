"""The README's first command: `make run` migrates, seeds and serves /de/,
and the mails of its worker link to the port it serves on."""

from __future__ import annotations

import os
import re
import signal
import subprocess

import httpx
import pytest

from tests.conftest import registration_form
from tests.live.servers import ROOT, free_port, wait_until_up
from tests.mail import text_of

pytestmark = pytest.mark.live


def test_make_run_serves_the_workshop_and_mails_links_to_its_own_port(tmp_path, smtp):
    port = free_port()
    log = tmp_path / "make-run.log"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite'}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    env.pop("BASE_URL", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    site = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{site}/healthz", process, log, timeout=120)
        page = httpx.get(f"{site}/de/").text
        assert "Workshop Forumtheater" in page
        assert "/de/events/forumtheater/" in page
        with httpx.Client(base_url=site) as browser:
            form = browser.get("/de/events/forumtheater/register").text
            assert "Jetzt anmelden" in browser.get("/de/events/forumtheater/").text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            form = registration_form(csrf_token=token)
            sent = browser.post("/de/events/forumtheater/register", data=form)
            assert sent.status_code == 303, sent.text
        # The worker beside the server sends within its 10-second interval.
        (message,) = smtp.inbox.wait_for(1, timeout=30)
        link = re.search(r"https?://\S+/registrations/confirm/[\w-]+", text_of(message)).group(0)
        assert link.startswith(f"{site}/de/registrations/confirm/")
        assert httpx.get(link).status_code == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
