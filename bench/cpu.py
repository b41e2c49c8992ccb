"""CPU seconds a server's processes have used (Linux /proc): the cost of a
request measured in what the server itself spent, which other work on the
machine hardly changes, unlike requests per second."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and its children (gunicorn's master and its workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return pids


def cpu_seconds(pid: int) -> float:
    """User and system time of `pid` and its children, living ones only."""
    total = 0
    for process in process_tree(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that has just been replaced
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS
