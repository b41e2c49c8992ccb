"""The compiled message catalogues (.mo), built from the .po files at start-up.

A site installed with `pip install .` or `-e .` has only the .po files of the
checkout: without this, German pages would be served in English. Several
gunicorn workers may start at once, so each catalogue is written to a
temporary file and moved into place. A checkout that the site's user cannot
write to gets its catalogues compiled into the instance folder instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# The language of the texts in code and templates: it needs no catalogue.
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"


class MissingCatalogue(RuntimeError):
    """A configured language has no catalogue: its pages would be English."""


def _files(root: Path, lang: str) -> tuple[Path, Path]:
    folder = root / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _is_fresh(compiled: Path, source: Path) -> bool:
    try:
        return compiled.stat().st_mtime >= source.stat().st_mtime
    except FileNotFoundError:
        return False


def _compile(source: Path, target: Path) -> None:
    """Compile one .po file; a reader sees the old file or the new, never half."""
    with source.open("rb") as f:
        catalog = read_po(f, locale=source.parent.parent.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{DOMAIN}-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _compile_stale(sources: Path, target_root: Path, languages: Iterable[str]) -> None:
    for lang in languages:
        po, _ = _files(sources, lang)
        _, mo = _files(target_root, lang)
        if po.exists() and not _is_fresh(mo, po):
            _compile(po, mo)


def compiled_catalogues(sources: Path, fallback: Path, languages: Iterable[str]) -> Path:
    """The folder whose catalogues are fresh for every language: `sources`
    itself, or `fallback` when `sources` cannot be written to.

    Raises MissingCatalogue for a language without a .po file in `sources`.
    """
    languages = [lang for lang in languages if lang != SOURCE_LANGUAGE]
    missing = [lang for lang in languages if not _files(sources, lang)[0].exists()]
    if missing:
        raise MissingCatalogue(
            f"no message catalogue for {', '.join(missing)}: "
            f"add {sources}/<lang>/LC_MESSAGES/{DOMAIN}.po or remove the language from LANGUAGES"
        )
    try:
        _compile_stale(sources, sources, languages)
    except OSError:
        _compile_stale(sources, fallback, languages)
        return fallback
    return sources
