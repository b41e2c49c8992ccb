"""SPEC "Deployment and defaults": an installed site's German pages are German,
and a configured language without a catalogue refuses to start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from babel.support import Translations

import catalogues
from app import create_app
from extensions import db
from tests.databases import base_config
from tests.live.servers import ROOT, free_port, wait_until_up

PO = ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A translations folder as a fresh clone has it: .po files, no .mo."""
    folder = tmp_path / "translations" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copyfile(PO, folder / "messages.po")
    return tmp_path / "translations"


def german(root: Path) -> Translations:
    return Translations.load(str(root), ["de"])


def test_catalogues_are_compiled_at_start_up_when_only_the_po_files_are_there(checkout, tmp_path):
    found = catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("de", "en"))
    assert found == checkout
    assert (checkout / "de" / "LC_MESSAGES" / "messages.mo").exists()
    assert german(found).gettext("Upcoming events") == "Kommende Veranstaltungen"


def test_a_catalogue_older_than_its_po_file_is_compiled_again(checkout, tmp_path):
    catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("de", "en"))
    po = checkout / "de" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text().replace('"Kommende Veranstaltungen"', '"Demnächst"'))
    mo = checkout / "de" / "LC_MESSAGES" / "messages.mo"
    os.utime(mo, (po.stat().st_mtime - 60, po.stat().st_mtime - 60))
    catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("de", "en"))
    assert german(checkout).gettext("Upcoming events") == "Demnächst"


def test_a_fresh_catalogue_is_not_written_again(checkout, tmp_path):
    catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("de", "en"))
    mo = checkout / "de" / "LC_MESSAGES" / "messages.mo"
    before = mo.stat().st_ino, mo.stat().st_mtime_ns
    catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("de", "en"))
    assert (mo.stat().st_ino, mo.stat().st_mtime_ns) == before


def test_a_checkout_that_cannot_be_written_is_compiled_into_the_instance_folder(
    checkout, tmp_path, monkeypatch
):
    real_mkstemp = catalogues.tempfile.mkstemp

    def read_only_checkout(*args, dir, **kwargs):
        if Path(dir).is_relative_to(checkout):
            raise PermissionError(13, "Permission denied", dir)
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(catalogues.tempfile, "mkstemp", read_only_checkout)
    instance = tmp_path / "instance" / "translations"
    found = catalogues.compiled_catalogues(checkout, instance, ("de", "en"))
    assert found == instance
    assert not (checkout / "de" / "LC_MESSAGES" / "messages.mo").exists()
    assert german(instance).gettext("Upcoming events") == "Kommende Veranstaltungen"


def test_the_app_reads_the_catalogues_it_compiled(database_url):
    app = create_app(base_config(database_url))
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    assert german(folder).gettext("Upcoming events") == "Kommende Veranstaltungen"
    assert "Kommende Veranstaltungen" in app.test_client().get("/de/").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_a_configured_language_without_a_catalogue_refuses_to_start(database_url):
    with pytest.raises(catalogues.MissingCatalogue, match="fr"):
        create_app(base_config(database_url) | {"LANGUAGES": ("de", "en", "fr")})


def test_english_needs_no_catalogue(checkout, tmp_path):
    shutil.rmtree(checkout / "de")
    assert catalogues.compiled_catalogues(checkout, tmp_path / "instance", ("en",)) == checkout


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> None:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"


@pytest.mark.live
def test_pip_install_of_a_clean_clone_serves_german_pages(tmp_path):
    """The README's production steps: clone, venv, `pip install .`, migrate,
    serve — no make, so no .mo file was built beforehand."""
    clone, venv = tmp_path / "partnerstadt", tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    run(["git", "clone", "--quiet", str(ROOT), str(clone)], tmp_path, env)
    assert not list(clone.glob("translations/*/LC_MESSAGES/*.mo"))
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    run([str(venv / "bin" / "pip"), "install", "--quiet", "."], clone, env)
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite'}", "RATELIMIT_ENABLED": "0"}
    run([str(venv / "bin" / "flask"), "db", "upgrade"], clone, env)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(venv / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server, log)
        page = httpx.get(f"http://127.0.0.1:{port}/de/").text
        assert '<html lang="de">' in page
        assert "Kommende Veranstaltungen" in page, page
        assert "Upcoming events" not in page
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
