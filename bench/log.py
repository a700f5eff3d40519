"""`log`: the scan log with a million visits: first page, next page, name search, memory.

Everything is read through the GUI's own model (ui.table_models.ScanLogModel), so
the figures include the ORM and the model, not only SQLite. The baseline for the
name search is the same page query with `display_name LIKE '%q%'` instead of the
trigram index, measured in the same run on the same database.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.common import (
    Progress,
    environment_info,
    fmt,
    format_rows,
    goal_line,
    median,
    ms_since,
    peak_rss_mb,
    temporary_home,
)
from bench.dataset import DATASET_VERSION, RARE_QUERY, SEARCH_QUERIES, bulk_insert_visits, count_visits

GOAL_FIRST_PAGE_MS = 200.0
GOAL_SEARCH_MS = 150.0
DEFAULT_ROWS = 1_000_000
NEXT_PAGES = 10
SEARCH_REPEATS = 3

KEYS = (
    "rows",
    "build_s",
    "first_page_ms",
    "search_ms",
    "search_rows_found",
    "next_page_ms",
    "rss_mb",
    "full_scan_like_ms",
    "search_speedup_vs_like",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="visits in the log (default 1,000,000)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        default=None,
        help="station home to build in and keep; reused when its visit count already matches",
    )
    parser.add_argument(
        "--fts",
        choices=("triggers", "rebuild"),
        default="triggers",
        help="fill the name index through the product's insert trigger (default, as on a station) "
        "or rebuild it once after the load (about 2x faster build)",
    )


MARKER = "bench-log.json"


def _remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)


def _build_child(home: str, rows: int, fts: str, quiet: bool) -> None:
    """Runs in a child process, so the measuring process's peak memory is the model's, not the load's."""
    from bench.common import isolate_environment
    from guardstation.station.context import DB_FILENAME, open_station

    isolate_environment()
    progress = Progress(enabled=not quiet)
    home_path = Path(home)
    started = time.perf_counter()
    station = open_station(home_path, site_name="Kantor Bupati Probolinggo", capacity=120, gate_name="Pintu Depan")
    now = station.checkpoint.now()
    station.close()  # the load below uses its own connection; the station's schema and triggers stay

    def report(done: int, total: int, elapsed: float) -> None:
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else math.inf
        progress.tick(
            f"building log: {done:,}/{total:,} visits ({rate:,.0f}/s, ~{eta:.0f} s left)", force=done == total
        )

    count = bulk_insert_visits(home_path / DB_FILENAME, rows, end=now, progress=report, fts=fts)
    if count != rows:
        raise RuntimeError(f"built {count} visits, expected {rows}")
    (home_path / MARKER).write_text(
        json.dumps(
            {
                "rows": rows,
                "dataset_version": DATASET_VERSION,
                "fts": fts,
                "build_s": time.perf_counter() - started,
                "build_rss_mb": peak_rss_mb(),
            }
        ),
        "utf-8",
    )


def _read_marker(home: Path) -> dict[str, Any]:
    try:
        return json.loads((home / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _build(home: Path, rows: int, fts: str, progress: Progress) -> tuple[dict[str, Any], bool]:
    """Make sure `home` holds a station with exactly `rows` benchmark visits. Returns (marker, built?)."""
    from guardstation.station.context import DB_FILENAME

    db_path = home / DB_FILENAME
    marker = _read_marker(home)
    existing = count_visits(db_path)
    if existing == rows and marker.get("rows") == rows and marker.get("dataset_version") == DATASET_VERSION:
        progress.say(f"reusing {db_path} ({rows:,} visits)")
        return marker, False
    if existing >= 0 or marker:
        progress.say(f"{db_path} holds {max(existing, 0):,} visits of another build: rebuilding")
        _remove_database(db_path)
        (home / MARKER).unlink(missing_ok=True)
    progress.say(f"building {rows:,} visits in {db_path} (fts: {fts})")
    child = multiprocessing.get_context("spawn").Process(
        target=_build_child, args=(str(home), rows, fts, not progress.enabled), name="guardstation-bench-build"
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"building the benchmark log failed (exit code {child.exitcode})")
    return _read_marker(home), True


def _like_page(db, query: str, limit: int) -> list:
    """Baseline: the model's page query, with a plain LIKE instead of the trigram index."""
    from sqlalchemy import select

    from guardstation.store.models import Visit

    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        select(Visit)
        .where(Visit.display_name.like(f"%{escaped}%", escape="\\"))
        .order_by(Visit.time_in.desc(), Visit.visit_id.desc())
        .limit(limit)
    )
    with db.read() as session:
        return list(session.scalars(stmt))


def _total_matches(db_path: Path, query: str) -> int:
    con = sqlite3.connect(db_path)
    try:
        phrase = '"' + query.replace('"', '""') + '"'
        return con.execute("SELECT count(*) FROM visit_fts WHERE visit_fts MATCH ?", (phrase,)).fetchone()[0]
    finally:
        con.close()


def _measure_query(db, query: str, page_size: int) -> dict[str, Any]:
    """One name search through the GUI's model, and the same page with LIKE, on the same database."""
    from guardstation.ui.table_models import ScanLogModel

    model = ScanLogModel(db, "id")  # a new model per query, as when the guard types a new name
    timings = []
    for _ in range(SEARCH_REPEATS):
        started = time.perf_counter()
        model.set_query(query)
        timings.append(ms_since(started))
    found_ids = [v.visit_id for v in model.rows]
    next_page = None
    if model.canFetchMore():
        started = time.perf_counter()
        model.fetchMore()
        next_page = ms_since(started)
    like_timings = []
    like_ids: list[str] = []
    for _ in range(SEARCH_REPEATS):
        started = time.perf_counter()
        like_rows = _like_page(db, query, page_size)
        like_timings.append(ms_since(started))
        like_ids = [v.visit_id for v in like_rows]
    return {
        "query": query,
        "search_ms": median(timings),
        "search_ms_first": timings[0],
        "like_ms": median(like_timings),
        "rows_in_first_page": len(found_ids),
        "total_matches": _total_matches(db.path, query),
        "same_rows_as_like": found_ids == like_ids,
        "search_next_page_ms": next_page,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not getattr(args, "quiet", False))
    rows = int(args.rows)
    if rows < 1:
        raise SystemExit("--rows must be >= 1")
    with temporary_home(args.keep) as home:
        marker, built = _build(home, rows, args.fts, progress)

        from guardstation.station.context import open_station
        from guardstation.ui.qt_helpers import application
        from guardstation.ui.table_models import PAGE_SIZE, ScanLogModel

        app = application()  # noqa: F841  (Qt models want an application object)
        progress.say("measuring first page, next pages and name search")
        station = open_station(home)
        try:
            db = station.db
            # Cold: a model that has never loaded anything, on a freshly opened database.
            model = ScanLogModel(db, "id")
            started = time.perf_counter()
            model.refresh()
            first_page_ms = ms_since(started)
            first_page_rows = model.rowCount()
            warm = []
            for _ in range(5):
                started = time.perf_counter()
                model.refresh()
                warm.append(ms_since(started))

            next_pages = []
            for _ in range(NEXT_PAGES):
                if not model.canFetchMore():
                    break
                started = time.perf_counter()
                model.fetchMore()
                next_pages.append(ms_since(started))
            rows_after_scrolling = model.rowCount()

            per_query = []
            for query in SEARCH_QUERIES:
                progress.say(f"searching {query!r}")
                per_query.append(_measure_query(db, query, PAGE_SIZE))
            progress.say(f"searching {RARE_QUERY!r} (rare name)")
            rare = _measure_query(db, RARE_QUERY, PAGE_SIZE)
        finally:
            station.close()

    search_ms = median([q["search_ms"] for q in per_query])
    like_ms = median([q["like_ms"] for q in per_query])
    result: dict[str, Any] = {
        "benchmark": "log",
        "rows": rows,
        "build_s": float(marker.get("build_s", 0.0)),
        "built_this_run": built,
        "build_fts": marker.get("fts", "?"),
        "build_rss_mb": marker.get("build_rss_mb"),
        "page_size": PAGE_SIZE,
        "first_page_ms": first_page_ms,
        "first_page_rows": first_page_rows,
        "refresh_warm_ms_median": median(warm),
        "next_page_ms": median(next_pages) if next_pages else 0.0,
        "next_pages_measured": len(next_pages),
        "rows_after_scrolling": rows_after_scrolling,
        "search_ms": search_ms,
        "search_ms_max": max(q["search_ms"] for q in per_query),
        "search_rows_found": min(q["rows_in_first_page"] for q in per_query),
        "search_queries": per_query,
        "full_scan_like_ms": like_ms,
        "search_speedup_vs_like": like_ms / search_ms if search_ms > 0 else math.inf,
        "search_same_rows_as_like": all(q["same_rows_as_like"] for q in per_query + [rare]),
        "rare_query": rare,
        "rare_search_ms": rare["search_ms"],
        "rare_like_ms": rare["like_ms"],
        "rare_search_speedup_vs_like": rare["like_ms"] / rare["search_ms"] if rare["search_ms"] > 0 else math.inf,
        "rss_mb": peak_rss_mb(),
        "goals": {"first_page_ms": GOAL_FIRST_PAGE_MS, "search_ms": GOAL_SEARCH_MS},
        "goals_met": {"first_page_ms": first_page_ms <= GOAL_FIRST_PAGE_MS, "search_ms": search_ms <= GOAL_SEARCH_MS},
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    result.update(environment_info())
    return result


def format_table(r: dict[str, Any]) -> str:
    built = f"built in {r['build_s']:.1f} s (fts: {r['build_fts']})"
    if not r["built_this_run"]:
        built = "reused (--keep); " + built
    rows = [
        ("rows", f"{r['rows']:,}", built),
        (
            "first_page_ms",
            fmt(r["first_page_ms"]),
            f"cold model, {r['first_page_rows']} rows; " + goal_line(r["first_page_ms"], GOAL_FIRST_PAGE_MS),
        ),
        ("refresh_warm_ms_median", fmt(r["refresh_warm_ms_median"]), ""),
        ("next_page_ms", fmt(r["next_page_ms"]), f"fetchMore, median of {r['next_pages_measured']}"),
        (
            "search_ms",
            fmt(r["search_ms"]),
            f"ScanLogModel.set_query, median of {len(r['search_queries'])} "
            "queries; " + goal_line(r["search_ms"], GOAL_SEARCH_MS),
        ),
        ("search_ms_max", fmt(r["search_ms_max"]), ""),
        ("search_rows_found", str(r["search_rows_found"]), "fewest rows on a search's first page"),
        ("full_scan_like_ms", fmt(r["full_scan_like_ms"]), "same page query with LIKE '%q%'"),
        ("search_speedup_vs_like", fmt(r["search_speedup_vs_like"]), "LIKE / index (LIKE stops at 200 hits)"),
        (
            "rare_search_ms",
            fmt(r["rare_search_ms"]),
            f"{r['rare_query']['query']!r}: {r['rare_query']['total_matches']} matches",
        ),
        ("rare_like_ms", fmt(r["rare_like_ms"]), "LIKE reads the whole time index"),
        ("rare_search_speedup_vs_like", fmt(r["rare_search_speedup_vs_like"]), "LIKE / index"),
        ("rss_mb", fmt(r["rss_mb"], 1), "peak resident memory of this process"),
    ]
    lines = [
        format_rows(f"GuardStation log benchmark ({r['python']}, {r['platform']})", rows),
        "",
        "query       index ms   LIKE ms   page rows   total matches   same rows",
    ]
    for q in r["search_queries"] + [r["rare_query"]]:
        lines.append(
            f"{q['query']:<10} {q['search_ms']:>9.2f} {q['like_ms']:>9.2f} {q['rows_in_first_page']:>11} "
            f"{q['total_matches']:>15,} {str(q['same_rows_as_like']):>11}"
        )
    return "\n".join(lines)
