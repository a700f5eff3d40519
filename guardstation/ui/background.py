"""The one way to run work off the GUI thread, and the one place that says how it ended.

    run_in_background(op, on_done, thread=db_thread, refused=(InvalidEntry,), name="scan")

runs `op()` on `thread` and calls `on_done(outcome)` back on the calling (GUI) thread through a
queued signal, as Anki's TaskManager.run_in_background does with its Future. The `Outcome` is one of

- DONE      `value` is what `op` returned;
- REFUSED   `op` raised one of the caller's `refused` types (bad input, an export error in words);
- STORAGE   the disk is full or read-only, the database is locked, a disk I/O error
            (health/disk_guard.storage_problem): `problem` is the message key; logged;
- BUG       anything else: logged with its traceback, `details` is the traceback for the crash path.

`outcome.route(done=..., refused=..., storage=..., bug=...)` hands it to the handler of its kind. The
guard's window says a storage problem in its top bar and shows a bug in its crash dialog (the scans, the
supervisor's desk, the purge); a dialog with a status line of its own says them there.

Threads (docs/architecture.md §2): every GUI write goes to the one database thread (DB_THREAD), where
tasks run one at a time in the order they were submitted; a long export runs on its own thread
(EXPORT_THREAD) so scans never wait behind it. With `on_progress`, `op` is called as `op(progress)` and
may call `progress(done, total)` from its thread; the counts reach `on_progress` on the GUI thread before
`on_done`. With `thread=None` the op runs here and now, classified the same way (no database thread to
hand it to: tests, a lone dialog).

No task object is ever destroyed outside its own thread: the Task stays on the GUI thread, and the
part that visits the worker thread moves back before it reports.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from guardstation.health.disk_guard import storage_problem

log = logging.getLogger(__name__)

DB_THREAD = "guardstation-db"
EXPORT_THREAD = "guardstation-export"

DONE, REFUSED, STORAGE, BUG = "done", "refused", "storage", "bug"


@dataclass(frozen=True)
class Outcome:
    kind: str  # DONE | REFUSED | STORAGE | BUG
    value: object = None  # DONE: what the op returned
    error: BaseException | None = None  # REFUSED, STORAGE, BUG: what it raised
    problem: str = ""  # STORAGE: "disk_full" | "read_only" | "locked" | "io_error"
    details: str = ""  # BUG: the traceback

    def route(
        self,
        *,
        done: Callable[[object], None] | None = None,
        refused: Callable[[BaseException], None] | None = None,
        storage: Callable[[str], None] | None = None,
        bug: Callable[[str], None] | None = None,
    ) -> None:
        """Calls the handler of this outcome's kind; a kind without one was logged and ends there."""
        handler, arg = {
            DONE: (done, self.value),
            REFUSED: (refused, self.error),
            STORAGE: (storage, self.problem),
            BUG: (bug, self.details),
        }[self.kind]
        if handler is not None:
            handler(arg)


def run_op(
    op: Callable[..., object], *args, refused: tuple[type[BaseException], ...] = (), name: str = "task"
) -> Outcome:
    """Calls `op(*args)` on this thread and classifies how it ended; storage problems and bugs are logged."""
    try:
        return Outcome(DONE, value=op(*args))
    except refused as exc:
        return Outcome(REFUSED, error=exc)
    except Exception as exc:
        problem = storage_problem(exc)
        if problem is not None:
            log.error("%s: storage failure (%s): %s", name, problem, exc)
            return Outcome(STORAGE, error=exc, problem=problem)
        details = traceback.format_exc()
        log.error("%s: unexpected error\n%s", name, details)
        return Outcome(BUG, error=exc, details=details)


class _Job(QObject):
    """The part of a task that visits the worker thread."""

    _go = Signal()
    progressed = Signal(int, int)
    ended = Signal(object)  # Outcome

    def __init__(
        self, op: Callable[..., object], refused: tuple, name: str, with_progress: bool, thread: QThread
    ) -> None:
        super().__init__()
        self._op, self._refused, self._name, self._with_progress = op, refused, name, with_progress
        self._home = self.thread()
        self.moveToThread(thread)
        self._go.connect(self._run)  # queued: runs in `thread`, after everything submitted before it

    @Slot()
    def _run(self) -> None:
        args = (self.progressed.emit,) if self._with_progress else ()
        outcome = run_op(self._op, *args, refused=self._refused, name=self._name)
        self.moveToThread(self._home)  # the GUI thread drops it: a QObject must die in its own thread
        self.ended.emit(outcome)


class Task(QObject):
    """One op on its way; lives on the thread that submitted it, where `on_done` is called."""

    def __init__(
        self, on_done: Callable[[Outcome], None] | None, on_progress: Callable[[int, int], None] | None
    ) -> None:
        super().__init__()
        self.on_done = on_done
        self.on_progress = on_progress
        self.outcome: Outcome | None = None  # set once it has ended
        self._job: _Job | None = None

    def _start(self, job: _Job) -> None:
        self._job = job
        job.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        job.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)
        _pending.add(self)
        job._go.emit()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

    @Slot(object)
    def _ended(self, outcome: Outcome) -> None:
        self._finish(outcome)
        # Released from the next event, not inside this object's own slot.
        QTimer.singleShot(0, lambda: _pending.discard(self))

    def _finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        if self.on_done is not None:
            self.on_done(outcome)


# Tasks between submission and delivery: nobody else has to hold on to them.
_pending: set[Task] = set()


def run_in_background(
    op: Callable[..., object],
    on_done: Callable[[Outcome], None] | None,
    *,
    thread: QThread | None,
    refused: tuple[type[BaseException], ...] = (),
    on_progress: Callable[[int, int], None] | None = None,
    name: str = "task",
) -> Task:
    """Runs `op` on `thread` (None: here, now); `on_done(outcome)` is called on this thread. See the module."""
    task = Task(on_done, on_progress)
    if thread is None:
        args = (on_progress,) if on_progress is not None else ()
        task._finish(run_op(op, *args, refused=refused, name=name))
        return task
    task._start(_Job(op, refused, name, on_progress is not None, thread))
    return task


def start_thread(name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    thread.start()
    return thread


def stop_thread(thread: QThread | None, wait_ms: int = 10000) -> None:
    if thread is not None and thread.isRunning():
        thread.quit()
        if not thread.wait(wait_ms):
            log.error("thread %s did not stop within %d ms", thread.objectName(), wait_ms)
