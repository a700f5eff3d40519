"""ui/background.py: work off the GUI thread, answered on it, and how it ended said in one way for every caller."""

from __future__ import annotations

import errno
import json
import logging
import sqlite3
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from guardstation.health.disk_guard import DISK_FULL, IO_ERROR, LOCKED, READ_ONLY, StorageUnavailable
from guardstation.station.checkpoint import InvalidEntry, ManualEntry
from guardstation.store.audit import append_audit, verify_chain
from guardstation.store.models import AuditLog, VisitEvent
from guardstation.ui import background
from guardstation.ui.background import (
    BUG,
    DB_THREAD,
    DONE,
    EXPORT_THREAD,
    REFUSED,
    STORAGE,
    run_in_background,
    start_thread,
    stop_thread,
)

PEOPLE = [
    ("3513010101800001", "Hadi Prasetyo"),
    ("3513014202850002", "Lina Marlina"),
    ("3513010303900003", "Joko Susilo"),
    ("3513014404920004", "Ratna Dewi"),
    ("3513014708850001", "Rina Marlina"),
    ("3513011708800008", "Budi Santoso"),
]


@pytest.fixture
def threads(qapp):
    """The app's two kinds of worker thread: the one database writer and an export's own thread."""
    made = {name: start_thread(name) for name in (DB_THREAD, EXPORT_THREAD)}
    yield made
    for thread in made.values():
        stop_thread(thread)


def outcome_of(qtbot, op, *, thread, **kw):
    got = []
    run_in_background(op, got.append, thread=thread, **kw)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    return got[0]


def on_every_thread(qtbot, threads, op, **kw):
    """The outcome of `op` on the database thread, on the export thread and run in place."""
    return [outcome_of(qtbot, op, thread=thread, **kw) for thread in (threads[DB_THREAD], threads[EXPORT_THREAD], None)]


def visible_boxes(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


# -- the primitive --------------------------------------------------------------------------------------------------


def test_the_op_runs_on_its_thread_and_the_answer_comes_back_on_the_gui_thread(qtbot, threads):
    where = {}

    def op():
        where["op"] = QThread.currentThread().objectName()
        return 42

    def on_done(outcome):
        where["done"] = threading.current_thread()
        where["outcome"] = outcome

    for name in (DB_THREAD, EXPORT_THREAD):
        where.clear()
        run_in_background(op, on_done, thread=threads[name])
        assert "done" not in where  # never answered from inside the call
        qtbot.waitUntil(lambda: "done" in where, timeout=5000)
        assert where["op"] == name
        assert where["done"] is threading.main_thread()
        assert (where["outcome"].kind, where["outcome"].value) == (DONE, 42)


def test_progress_reaches_the_gui_thread_in_order_before_the_answer(qtbot, threads):
    seen = []

    def op(progress):
        for done in range(5):
            progress(done, 4)
        return "written"

    run_in_background(
        op,
        lambda outcome: seen.append(("done", outcome.value, threading.current_thread())),
        thread=threads[EXPORT_THREAD],
        on_progress=lambda done, total: seen.append((done, total, threading.current_thread())),
    )
    qtbot.waitUntil(lambda: len(seen) == 6, timeout=5000)
    assert [s[:2] for s in seen] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4), ("done", "written")]
    assert {s[2] for s in seen} == {threading.main_thread()}


def test_every_part_of_a_task_is_back_on_the_gui_thread_before_it_is_let_go(qtbot, threads):
    tasks, homes = [], []

    def on_done(_outcome):
        homes.append(tasks[0]._job.thread() is QThread.currentThread())

    tasks.append(run_in_background(lambda: None, on_done, thread=threads[DB_THREAD]))
    qtbot.waitUntil(lambda: bool(homes), timeout=5000)
    assert homes == [True] and tasks[0].thread() is QThread.currentThread()
    assert tasks[0].outcome.kind == DONE
    qtbot.waitUntil(lambda: tasks[0] not in background._pending, timeout=5000)  # then released, here


def test_in_place_without_a_thread(qapp):
    got = []
    task = run_in_background(lambda: "now", got.append, thread=None)
    assert [o.value for o in got] == ["now"] and task.outcome is got[0]


# -- one classification ---------------------------------------------------------------------------------------------

STORAGE_ERRORS = [
    pytest.param(
        lambda: OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
        DISK_FULL,
        id="sqlalchemy-disk-full",
    ),
    pytest.param(lambda: sqlite3.OperationalError("attempt to write a readonly database"), READ_ONLY, id="read-only"),
    pytest.param(
        lambda: OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), LOCKED, id="locked"
    ),
    pytest.param(lambda: OSError(errno.ENOSPC, "No space left on device"), DISK_FULL, id="enospc"),
    pytest.param(lambda: OSError(errno.EIO, "Input/output error"), IO_ERROR, id="eio"),
    pytest.param(lambda: StorageUnavailable(DISK_FULL, "less than 100 MB free"), DISK_FULL, id="disk-guard"),
]


@pytest.mark.parametrize(("make_error", "problem"), STORAGE_ERRORS)
def test_a_storage_problem_is_the_same_on_the_writer_thread_the_export_thread_and_in_place(
    qtbot, threads, caplog, make_error, problem
):
    def op():
        raise make_error()

    with caplog.at_level(logging.ERROR, logger="guardstation.ui.background"):
        outcomes = on_every_thread(qtbot, threads, op, name="the job")
    assert {(o.kind, o.problem) for o in outcomes} == {(STORAGE, problem)}
    records = [r for r in caplog.records if r.name == "guardstation.ui.background"]
    assert len(records) == 3 and all(f"the job: storage failure ({problem})" in r.getMessage() for r in records)
    assert "Traceback" not in caplog.text  # a known fault, not a bug


@pytest.fixture
def read_only(station):
    """The station's database refusing every write from now on (as on a write-protected disk)."""

    def apply(con, _record):
        con.execute("PRAGMA query_only=1")

    event.listen(station.db.engine, "connect", apply)
    station.db.engine.dispose()
    yield station
    event.remove(station.db.engine, "connect", apply)
    station.db.engine.dispose()


def test_a_real_read_only_database_is_the_same_problem_on_both_threads(qtbot, threads, read_only, clock):
    db = read_only.db

    def record():
        with db.transaction() as session:
            return append_audit(session, at=clock(), actor="test", action="probe", detail={}).id

    outcomes = on_every_thread(qtbot, threads, record)
    assert {(o.kind, o.problem) for o in outcomes} == {(STORAGE, READ_ONLY)}


def test_storage_words_in_any_other_error_are_a_bug(qtbot, threads):
    def op():
        raise ValueError("database is locked")  # said, not raised by the storage

    assert {o.kind for o in on_every_thread(qtbot, threads, op)} == {BUG}


def test_a_refusal_is_only_what_the_caller_names(qtbot, threads, caplog):
    def op():
        raise InvalidEntry("nik", "NIK tidak valid")

    with caplog.at_level(logging.ERROR, logger="guardstation.ui.background"):
        refused = on_every_thread(qtbot, threads, op, refused=(InvalidEntry,))
    assert {o.kind for o in refused} == {REFUSED} and all(isinstance(o.error, InvalidEntry) for o in refused)
    assert caplog.records == []  # the caller's to say, nothing to log
    assert {o.kind for o in on_every_thread(qtbot, threads, op)} == {BUG}


def test_a_bug_is_logged_with_its_traceback(qtbot, threads, caplog):
    def broken_op():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="guardstation.ui.background"):
        outcomes = on_every_thread(qtbot, threads, broken_op, name="the job")
    assert {o.kind for o in outcomes} == {BUG}
    for outcome in outcomes:
        assert "Traceback" in outcome.details and "broken_op" in outcome.details
        assert "RuntimeError: boom" in outcome.details and isinstance(outcome.error, RuntimeError)
    assert caplog.text.count("the job: unexpected error") == 3 and caplog.text.count("RuntimeError: boom") == 3


def test_route_hands_each_kind_to_its_handler(qtbot, threads):
    calls = []
    handlers = {
        kind: (lambda arg, kind=kind: calls.append((kind, arg))) for kind in ("done", "refused", "storage", "bug")
    }

    def fail(exc):
        raise exc

    outcome_of(qtbot, lambda: 7, thread=threads[DB_THREAD]).route(**handlers)
    refusal = InvalidEntry("name", "x")
    outcome_of(qtbot, lambda: fail(refusal), thread=threads[DB_THREAD], refused=(InvalidEntry,)).route(**handlers)
    outcome_of(qtbot, lambda: fail(StorageUnavailable(LOCKED)), thread=threads[DB_THREAD]).route(**handlers)
    outcome_of(qtbot, lambda: fail(KeyError("k")), thread=threads[DB_THREAD]).route(**handlers)
    assert [kind for kind, _ in calls] == ["done", "refused", "storage", "bug"]
    assert calls[0][1] == 7 and isinstance(calls[1][1], InvalidEntry) and calls[2][1] == LOCKED
    assert "KeyError" in calls[3][1]
    outcome_of(qtbot, lambda: fail(KeyError("k")), thread=None).route(done=handlers["done"])  # no handler: ends


# -- order: the one writer ------------------------------------------------------------------------------------------


def test_writes_run_one_at_a_time_in_the_order_they_were_asked(qtbot, station, threads, monkeypatch, clock):
    """The guard's entries and another caller's writes, interleaved on the one database thread."""
    from guardstation.ui.workers import StationWorker

    db_thread = threads[DB_THREAD]
    worker = StationWorker(station.checkpoint, db_thread)
    ran, answered, running = [], [], []
    real_entry = station.checkpoint.manual_entry

    def entry(manual):
        running.append(threading.current_thread())
        ran.append(manual.name)
        return real_entry(manual)

    def audit(i):
        running.append(threading.current_thread())
        ran.append(f"audit {i}")
        with station.db.transaction() as session:
            return append_audit(session, at=clock(), actor="test", action="order", detail={"i": i}).id

    monkeypatch.setattr(station.checkpoint, "manual_entry", entry)
    worker.outcome.connect(lambda outcome: answered.append(outcome.display_name))
    expected = []
    for i, (nik, name) in enumerate(PEOPLE):
        worker.manual(ManualEntry(nik, name, "Rapat", "Sekda"))
        run_in_background(lambda i=i: audit(i), lambda outcome, i=i: answered.append(f"audit {i}"), thread=db_thread)
        expected += [name, f"audit {i}"]
    qtbot.waitUntil(lambda: len(answered) == len(expected), timeout=10000)
    assert ran == expected and answered == expected
    assert len(set(running)) == 1 and running[0] is not threading.main_thread()
    with station.db.read() as session:  # committed in that order too (three inside, then refusals: PENUH)
        events = list(session.scalars(select(VisitEvent).order_by(VisitEvent.seq)))
        audits = list(session.scalars(select(AuditLog).where(AuditLog.action == "order").order_by(AuditLog.id)))
        assert [json.loads(e.body_json).get("display_name") for e in events] == [name for _, name in PEOPLE]
        assert [json.loads(a.detail_json) for a in audits] == [{"i": i} for i in range(len(PEOPLE))]
        assert verify_chain(session).ok


# -- every caller: the same words for storage, the crash path for a bug ----------------------------------------------


def test_the_guards_worker_storage_problem_and_bug(gui, qtbot, station, passes, monkeypatch):
    app = gui()
    window = app.window
    shown = []
    window.verdict_shown.connect(shown.append)

    def full(_text):
        raise StorageUnavailable(DISK_FULL, "less than 100 MB free")

    monkeypatch.setattr(station.checkpoint, "scan", full)
    window.scan_requested.emit(passes("Budi"))
    qtbot.waitUntil(lambda: "Disk penuh" in window.storage_status.text(), timeout=5000)

    def broken(_text):
        raise RuntimeError("scan exploded")

    monkeypatch.setattr(station.checkpoint, "scan", broken)
    window.scan_requested.emit(passes("Budi"))
    qtbot.waitUntil(lambda: bool(visible_boxes(window)), timeout=5000)
    assert "RuntimeError: scan exploded" in visible_boxes(window)[0].detailedText()
    assert shown == []


def test_a_supervisor_job_storage_problem_and_bug(gui, qtbot, station, monkeypatch):
    """The desk's jobs are classified as the guard's scans are: a full disk is said, a bug is shown."""
    app = gui()
    desk, window = app.desk, app.window

    def full():
        raise StorageUnavailable(DISK_FULL, "less than 100 MB free")

    monkeypatch.setattr(desk.supervision, "auto_close", full)
    desk.check_visits()
    qtbot.waitUntil(lambda: "Disk penuh" in window.storage_status.text(), timeout=5000)
    assert visible_boxes(window) == []

    def broken():
        raise RuntimeError("auto check-out exploded")

    monkeypatch.setattr(desk.supervision, "auto_close", broken)
    desk.check_visits()
    qtbot.waitUntil(lambda: bool(visible_boxes(window)), timeout=5000)
    assert "RuntimeError: auto check-out exploded" in visible_boxes(window)[0].detailedText()


def test_the_purge_bug_goes_to_the_crash_path_and_a_storage_problem_waits_for_the_next_run(
    qtbot, station, threads, monkeypatch
):
    import guardstation.ui.retention_dialog as module

    scheduler = module.RetentionScheduler(station, threads[DB_THREAD])
    failures = []
    scheduler.failed.connect(failures.append)
    try:
        monkeypatch.setattr(module, "purge", lambda *a, **kw: (_ for _ in ()).throw(StorageUnavailable(LOCKED)))
        assert scheduler.run_now()
        qtbot.waitUntil(lambda: not scheduler.running, timeout=5000)
        assert failures == [] and scheduler.last is None

        monkeypatch.setattr(module, "purge", lambda *a, **kw: (_ for _ in ()).throw(RuntimeError("purge exploded")))
        with qtbot.waitSignal(scheduler.failed, timeout=5000):
            assert scheduler.run_now()
        assert "RuntimeError: purge exploded" in failures[0]
    finally:
        scheduler.stop()
