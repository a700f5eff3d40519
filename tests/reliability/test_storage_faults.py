"""Full and read-only storage: the station says so, refuses the scan (no verdict it could not keep),
keeps what it has, and takes scans again once the disk is usable."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy import event

from guardstation.health.disk_guard import (
    DISK_FULL,
    IO_ERROR,
    READ_ONLY,
    DiskGuard,
    StorageUnavailable,
    storage_problem,
)
from guardstation.station.checkpoint import ManualEntry


class Limits:
    """Connection pragmas applied to every (re)opened connection of the station's engine."""

    def __init__(self, station) -> None:
        self.station = station
        self.max_pages: int | None = None
        self.query_only = False
        event.listen(station.db.engine, "connect", self._apply)

    def _apply(self, con, _record) -> None:
        if self.max_pages is not None:
            con.execute(f"PRAGMA max_page_count={self.max_pages}")
        if self.query_only:
            con.execute("PRAGMA query_only=1")

    def set(self, **kw) -> None:
        for name, value in kw.items():
            setattr(self, name, value)
        self.station.db.engine.dispose()  # every connection from now on gets the new limits

    def page_count(self) -> int:
        with self.station.db.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA page_count").scalar()


def committed_ids(station) -> set[str]:
    con = sqlite3.connect(station.db.path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in con.execute("SELECT visit_id FROM visit")}
    finally:
        con.close()


@pytest.fixture
def worker(qapp, station):
    """The GUI's database worker, called directly: (worker, outcomes, storage failures, crashes)."""
    from guardstation.ui.workers import StationWorker

    w = StationWorker(station.checkpoint)
    outcomes, failures, crashes = [], [], []
    w.outcome.connect(outcomes.append)
    w.storage_failed.connect(failures.append)
    w.crashed.connect(crashes.append)
    return w, outcomes, failures, crashes


def test_a_really_full_database_refuses_keeps_and_resumes(worker, station, passes, clock):
    w, outcomes, failures, crashes = worker
    limits = Limits(station)
    for name in ("Budi", "Siti", "Ahmad"):
        w.scan(passes(name))
    kept = {o.visit_id for o in outcomes}
    assert len(kept) == 3 and failures == []

    limits.set(max_pages=limits.page_count())  # not one page more: SQLite says "database or disk is full"
    for i in range(300):
        clock.advance(seconds=5)
        w.scan(passes(f"Tamu {i}"))
        if failures:
            break
    assert failures and set(failures) == {DISK_FULL} and crashes == []
    shown = {o.visit_id for o in outcomes}
    assert committed_ids(station) == shown  # every verdict shown is on disk, nothing else
    before = len(outcomes)
    w.manual(ManualEntry(nik="3513011708800008", name="Pak Manual"))
    assert len(outcomes) == before and failures[-1] == DISK_FULL  # by hand too: refused, not pretended

    limits.set(max_pages=1_000_000)  # space is back
    w.scan(passes("Dewi"))
    assert len(outcomes) == before + 1
    assert outcomes[-1].visit_id in committed_ids(station) and kept <= committed_ids(station)


def test_read_only_storage_refuses_and_resumes(worker, station, passes):
    w, outcomes, failures, crashes = worker
    limits = Limits(station)
    w.scan(passes("Budi"))
    limits.set(query_only=True)
    w.scan(passes("Siti"))
    assert (len(outcomes), failures, crashes) == (1, [READ_ONLY], [])
    assert committed_ids(station) == {outcomes[0].visit_id}
    limits.set(query_only=False)
    w.scan(passes("Siti"))
    assert len(outcomes) == 2 and outcomes[1].visit_id in committed_ids(station)


def test_low_disk_space_refuses_before_writing_and_resumes(gui, qtbot, station, passes):
    free = {"bytes": 50_000_000}
    app = gui()
    station.checkpoint.storage_guard = DiskGuard(station.home, free_bytes=lambda _f: free["bytes"]).check
    shown = []
    app.window.verdict_shown.connect(shown.append)
    app.window.scan_requested.emit(passes("Budi"))
    qtbot.waitUntil(lambda: "Disk penuh" in app.window.storage_status.text(), timeout=5000)
    assert shown == [] and committed_ids(station) == set()
    assert "TIDAK tercatat" in app.window.banner.reason.text()

    free["bytes"] = 5_000_000_000
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(passes("Budi"))
    assert app.window.storage_status.text() == ""  # the warning goes once scans are kept again
    assert committed_ids(station) == {shown[0].visit_id}


def test_the_app_guards_its_disk(gui, station):
    gui()
    guard = station.checkpoint.storage_guard
    assert guard is not None and isinstance(guard.__self__, DiskGuard)
    assert guard.__self__.folder == station.home


def test_disk_guard_rechecks_only_now_and_then_but_at_once_while_refusing():
    free, calls, now = {"bytes": 10**10}, [], {"t": 0.0}

    def probe(_folder):
        calls.append(now["t"])
        return free["bytes"]

    guard = DiskGuard("/tmp", free_bytes=probe, recheck_s=5, monotonic=lambda: now["t"])
    guard.check()
    now["t"] = 1.0
    guard.check()
    assert len(calls) == 1  # plenty of space: not asked again within 5 s
    free["bytes"] = 10
    now["t"] = 6.0
    with pytest.raises(StorageUnavailable) as refused:
        guard.check()
    assert refused.value.problem == DISK_FULL
    free["bytes"] = 10**10
    now["t"] = 6.5
    guard.check()  # while refusing, every attempt looks again
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("exc", "problem"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (OSError(errno.EROFS, "Read-only file system"), READ_ONLY),
        (OSError(errno.EIO, "Input/output error"), IO_ERROR),
        (sqlite3.OperationalError("database or disk is full"), DISK_FULL),
        (sqlite3.OperationalError("attempt to write a readonly database"), READ_ONLY),
        (sqlite3.OperationalError("disk I/O error"), IO_ERROR),
        (sqlite3.OperationalError("no such table: visit"), None),
        (ValueError("bug"), None),
    ],
)
def test_storage_problems_are_named(exc, problem):
    assert storage_problem(exc) == problem
