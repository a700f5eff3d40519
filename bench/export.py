"""`export`: the visit log to CSV, XLSX and the PDF report, through the product's run_export.

One station with `--rows` visits (built in a child process, so this process's memory is the
exports'); the same three exports first for the newest `--small-rows` visits (default 20,000),
then for all of them. Peak resident memory is read after each size: if memory does not grow
with the row count, `rss_growth_mb_100k_vs_20k` stays near zero. Every export is complete:
temporary file, SHA-256, atomic rename and the audit record, as for a supervisor.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Progress, environment_info, fmt, format_rows, goal_line, peak_rss_mb, temporary_home
from bench.dataset import bulk_insert_visits

GOAL_XLSX_S = 10.0
DEFAULT_ROWS = 100_000
DEFAULT_SMALL_ROWS = 20_000
FORMATS = ("csv", "xlsx", "pdf")
KEYS = (
    "rows",
    "csv_s",
    "xlsx_s",
    "pdf_s",
    "peak_rss_mb",
    "rss_mb_small",
    "rss_mb_full",
    "rss_growth_mb_100k_vs_20k",
    "xlsx_rows_per_s",
    "build_s",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="visits in the log (default 100,000)")
    parser.add_argument(
        "--small-rows",
        type=int,
        default=DEFAULT_SMALL_ROWS,
        help="visits in the first, smaller export (default 20,000) to compare memory with",
    )
    parser.add_argument("--keep", metavar="DIR", default=None, help="station home to build in and keep")


def _build_child(home: str, rows: int) -> None:
    from bench.common import isolate_environment
    from guardstation.station.context import DB_FILENAME, open_station

    isolate_environment()
    station = open_station(Path(home), site_name="Kantor Bupati Probolinggo", capacity=120, gate_name="Pintu Depan")
    now = station.checkpoint.now()
    station.close()
    bulk_insert_visits(Path(home) / DB_FILENAME, rows, end=now, fts="rebuild")


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError, AttributeError):
        return float("nan")


def _boundary(db_path: Path, newest: int) -> tuple[datetime, datetime, datetime, int]:
    """(start of the newest `newest` visits, start of all, end of all, total): the two periods to export."""
    con = sqlite3.connect(db_path)
    try:
        total = con.execute("SELECT count(*) FROM visit").fetchone()[0]
        first = con.execute("SELECT min(time_in) FROM visit").fetchone()[0]
        last = con.execute("SELECT max(time_in) FROM visit").fetchone()[0]
        offset = max(0, min(newest, total) - 1)
        small = con.execute("SELECT time_in FROM visit ORDER BY time_in DESC LIMIT 1 OFFSET ?", (offset,)).fetchone()[0]
    finally:
        con.close()
    if not first:
        return (
            datetime.fromisoformat("2000-01-01T00:00:00+00:00"),
            datetime.fromisoformat("2000-01-01T00:00:00+00:00"),
            datetime.fromisoformat("2000-01-02T00:00:00+00:00"),
            0,
        )
    parse = datetime.fromisoformat
    return parse(small), parse(first), parse(last) + timedelta(seconds=1), total


def _exports(station, period, out_dir: Path, label: str, progress: Progress) -> dict[str, Any]:
    from guardstation.reports import ExportRequest, run_export

    figures: dict[str, Any] = {}
    for fmt_name in FORMATS:
        target = out_dir / f"log-{label}.{fmt_name}"
        calls = []
        started = time.perf_counter()
        result = run_export(
            station.db,
            ExportRequest("shift", fmt_name, target, period, actor="bench"),
            now=station.checkpoint.now(),
            progress=lambda done, _total, record=calls.append: record(done),
        )
        seconds = time.perf_counter() - started
        progress.say(f"{label}: {fmt_name} {result.rows:,} rows in {seconds:.2f} s ({result.size / 1e6:.1f} MB)")
        figures[fmt_name] = {
            "s": seconds,
            "rows": result.rows,
            "bytes": result.size,
            "sha256": result.sha256,
            "progress_calls": len(calls),
        }
        target.unlink()
    return figures


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not getattr(args, "quiet", False))
    rows, small_rows = int(args.rows), int(args.small_rows)
    if rows < 1 or small_rows < 1:
        raise SystemExit("--rows and --small-rows must be >= 1")
    small_rows = min(small_rows, rows)
    with temporary_home(args.keep) as home:
        from guardstation.reports import Period
        from guardstation.station.context import DB_FILENAME, open_station

        db_path = home / DB_FILENAME
        started = time.perf_counter()
        if not db_path.exists() or _boundary(db_path, 1)[3] != rows:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            progress.say(f"building {rows:,} visits in {db_path}")
            child = multiprocessing.get_context("spawn").Process(target=_build_child, args=(str(home), rows))
            child.start()
            child.join()
            if child.exitcode != 0:
                raise RuntimeError(f"building the benchmark log failed (exit code {child.exitcode})")
        build_s = time.perf_counter() - started
        small_start, first, end, _total = _boundary(db_path, small_rows)
        out_dir = home / "exports"
        out_dir.mkdir(exist_ok=True)
        station = open_station(home)
        try:
            small = _exports(station, Period(small_start, end), out_dir, f"{small_rows // 1000}k", progress)
            rss_small = peak_rss_mb()
            full = _exports(station, Period(first, end), out_dir, f"{rows // 1000}k", progress)
            rss_full = peak_rss_mb()
        finally:
            station.close()
    xlsx_s = full["xlsx"]["s"]
    result: dict[str, Any] = {
        "benchmark": "export",
        "rows": full["xlsx"]["rows"],
        "small_rows": small["xlsx"]["rows"],
        "csv_s": full["csv"]["s"],
        "xlsx_s": xlsx_s,
        "pdf_s": full["pdf"]["s"],
        "csv_s_small": small["csv"]["s"],
        "xlsx_s_small": small["xlsx"]["s"],
        "pdf_s_small": small["pdf"]["s"],
        "xlsx_rows_per_s": full["xlsx"]["rows"] / xlsx_s if xlsx_s > 0 else 0.0,
        "bytes": {f: full[f]["bytes"] for f in FORMATS},
        "progress_calls": {f: full[f]["progress_calls"] for f in FORMATS},
        "peak_rss_mb": peak_rss_mb(),
        "rss_mb_small": rss_small,
        "rss_mb_full": rss_full,
        "rss_growth_mb_100k_vs_20k": rss_full - rss_small,
        "current_rss_mb": _current_rss_mb(),
        "build_s": build_s,
        "goals": {"xlsx_s": GOAL_XLSX_S},
        "goals_met": {"xlsx_s": xlsx_s <= GOAL_XLSX_S},
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    result.update(environment_info())
    return result


def format_table(r: dict[str, Any]) -> str:
    rows = [
        ("rows", f"{r['rows']:,}", f"(and {r['small_rows']:,} for the memory comparison)"),
        ("csv_s", fmt(r["csv_s"]), f"{r['bytes']['csv'] / 1e6:.1f} MB"),
        ("xlsx_s", fmt(r["xlsx_s"]), f"{r['bytes']['xlsx'] / 1e6:.1f} MB; " + goal_line(r["xlsx_s"], GOAL_XLSX_S)),
        ("pdf_s", fmt(r["pdf_s"]), f"{r['bytes']['pdf'] / 1e6:.1f} MB (totals, chart, first 2,000 visits)"),
        ("xlsx_rows_per_s", f"{r['xlsx_rows_per_s']:,.0f}", ""),
        ("rss_mb_small", fmt(r["rss_mb_small"], 1), f"peak after the {r['small_rows']:,}-row exports"),
        ("rss_mb_full", fmt(r["rss_mb_full"], 1), f"peak after the {r['rows']:,}-row exports"),
        ("rss_growth_mb_100k_vs_20k", fmt(r["rss_growth_mb_100k_vs_20k"], 1), "flat memory: close to 0"),
        ("peak_rss_mb", fmt(r["peak_rss_mb"], 1), "peak resident memory of this process"),
        ("build_s", fmt(r["build_s"], 1), "building the log (child process)"),
    ]
    return format_rows(f"GuardStation export benchmark ({r['python']}, {r['platform']})", rows)
