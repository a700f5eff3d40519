"""Helpers shared by the benchmarks: an isolated station home, statistics, progress, output.

Nothing here touches the user's data or keyring: every benchmark runs in a
temporary home (or one given with --keep) with the in-memory keyring.
"""

from __future__ import annotations

import math
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_memory_keyring = None


def isolate_environment() -> None:
    """Before any station is opened: one in-memory keyring for this process, no display needed."""
    global _memory_keyring
    if _memory_keyring is None:
        import keyring

        from guardstation.store.secrets import MemoryKeyring

        _memory_keyring = MemoryKeyring()
        keyring.set_keyring(_memory_keyring)
    os.environ.pop("GUARDSTATION_KEYRING", None)  # "file" would bypass the keyring set here
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@contextmanager
def temporary_home(keep: str | os.PathLike | None = None) -> Iterator[Path]:
    """A station home that is thrown away afterwards, or the --keep folder (created, never deleted)."""
    isolate_environment()
    if keep:
        home = Path(keep).expanduser().resolve()
        home.mkdir(parents=True, exist_ok=True)
        yield home
        return
    tmp = Path(tempfile.mkdtemp(prefix="guardstation-bench-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100), like numpy's default."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def peak_rss_mb() -> float:
    """Peak resident memory of this process (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        return peak / (1024 * 1024)
    return peak / 1024


def environment_info() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count() or 0,
    }


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


class Progress:
    """Progress lines on stderr (stdout is kept for the result)."""

    def __init__(self, enabled: bool = True, min_interval_s: float = 1.0) -> None:
        self.enabled = enabled
        self.min_interval_s = min_interval_s
        self._last = 0.0

    def say(self, message: str) -> None:
        if self.enabled:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    def tick(self, message: str, force: bool = False) -> None:
        """Rate-limited: for loops that report every iteration."""
        now = time.monotonic()
        if force or now - self._last >= self.min_interval_s:
            self._last = now
            self.say(message)


def goal_line(value: float, goal: float, *, at_most: bool = True) -> str:
    ok = value <= goal if at_most else value >= goal
    sign = "<=" if at_most else ">="
    return f"goal {sign} {goal:g}: {'met' if ok else 'MISSED'}"


def format_rows(title: str, rows: Sequence[tuple[str, str, str]]) -> str:
    """A plain three-column table: name, value, note."""
    width_name = max(len(r[0]) for r in rows)
    width_value = max(len(r[1]) for r in rows)
    lines = [title, "-" * len(title)]
    for name, value, note in rows:
        lines.append(f"{name.ljust(width_name)}  {value.rjust(width_value)}  {note}".rstrip())
    return "\n".join(lines)


def fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
