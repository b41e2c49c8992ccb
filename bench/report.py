"""The benchmark's table: one row per figure, with its target and verdict."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

COLUMNS = (("measure", 36), ("result", 56), ("target", 18), ("", 4))


@dataclass(frozen=True)
class Row:
    """A figure; `passed` is None for a figure without a target."""

    measure: str
    result: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: ""}[self.passed]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p50: fraction 0.5) of `values`."""
    ordered = sorted(values)
    rank = max(int(round(fraction * len(ordered) + 0.5)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def machine() -> str:
    """Cores and load: throughput figures mean little without them."""
    one, five, fifteen = os.getloadavg()
    wrk = "wrk" if shutil.which("wrk") else "Python client (wrk not installed)"
    load = f"load average {one:.2f} / {five:.2f} / {fifteen:.2f}"
    return f"{os.cpu_count()} cores, {load}; load generator: {wrk}"


def table(title: str, rows: Sequence[Row]) -> str:
    """A plain-text table that reads in a terminal and pastes into Markdown."""
    width = sum(size for _, size in COLUMNS) + 3 * (len(COLUMNS) - 1)
    lines = [title, "=" * len(title), _line([name for name, _ in COLUMNS]), "-" * width]
    for row in rows:
        cells = [
            textwrap.wrap(text, size) or [""]
            for text, (_, size) in zip((row.measure, row.result, row.target, row.verdict), COLUMNS)
        ]
        for index in range(max(len(cell) for cell in cells)):
            lines.append(_line([cell[index] if index < len(cell) else "" for cell in cells]))
    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    return " | ".join(f"{cell:<{size}}" for cell, (_, size) in zip(cells, COLUMNS)).rstrip()
