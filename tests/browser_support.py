"""Helpers for the tests in headless Chromium: the tools they need, a phone,
numbered screenshots, axe-core, and moving by keyboard."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.live.servers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-gpu",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "de-DE",
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Only what a report needs leaves the page: rule, impact, help and the failing nodes.
AXE_RUN = """axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(results =>
  results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))"""


def require_tools() -> None:
    """Skip the calling module when Chromium or axe-core is missing, or fail
    it when REQUIRE_BROWSER=1 (as in CI)."""
    missing = [str(path) for path in (CHROMIUM, AXE) if not path.exists()]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} (apt-get install chromium; npm ci)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {message}", pytrace=False)
    pytest.skip(message, allow_module_level=True)


class Screenshots:
    """test-artifacts/<test>/01-<step>.png, 02-…: one per important step."""

    def __init__(self, test_name: str) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.\[\]-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path


def axe_violations(page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now. The
    context must bypass the site's CSP (script-src 'self') to inject axe."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN % WCAG_TAGS)


def describe(violations_by_page: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for where, violations in violations_by_page.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']} <{v['helpUrl']}>")
            lines += [f"    {node['target']}: {node['summary']}" for node in v["nodes"]]
    return "\n".join(lines)


def focused(page) -> str:
    """What has the keyboard focus: a field's name, else `link:<text>` or
    `button:<text>`."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        if (e.name) return e.name;
        const text = (e.innerText || e.textContent || '').trim().replace(/\\s+/g, ' ');
        return `${e.tagName === 'A' ? 'link' : e.tagName.toLowerCase()}:${text}`; }"""
    )


def tab(page, limit: int = 6) -> str:
    """Press Tab until the focus leaves the current element (a date field
    takes several presses: day, month, year, picker) and say where it is."""
    before = page.evaluate_handle("document.activeElement")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate("previous => document.activeElement !== previous", before):
            continue
        before.dispose()
        return focused(page)
    raise AssertionError(f"focus stayed on {focused(page)} after {limit} presses of Tab")
