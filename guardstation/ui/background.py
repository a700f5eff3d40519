"""One plain function run on another thread, its result brought back to the GUI as queued signals.

For the supervisor's jobs (an export on its own thread, the audit record and the retention purge on
the app's single database thread, see workers.py). The function never touches a widget; it may
emit `progress` from its thread. Keep a reference to the ThreadCall until `done` or `failed`.
"""
from __future__ import annotations

import logging
import traceback
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class ThreadCall(QObject):
    done = Signal(object)           # the function's return value
    failed = Signal(object, str)    # the exception, its traceback as text
    progress = Signal(int, int)     # (done, total), for functions that report it
    _go = Signal()

    def __init__(self, fn: Callable[[], object], thread: QThread) -> None:
        super().__init__()
        self._fn = fn
        self._home = self.thread()
        self.moveToThread(thread)
        self._go.connect(self._run)

    def start(self) -> None:
        self._go.emit()

    @Slot()
    def _run(self) -> None:
        try:
            result, error, details = self._fn(), None, ""
        except Exception as exc:  # reported to the caller, who decides what is a bug
            result, error, details = None, exc, traceback.format_exc()
        # Back to the GUI thread before anyone can drop it: a QObject must die in its own thread.
        self.moveToThread(self._home)
        if error is None:
            self.done.emit(result)
        else:
            self.failed.emit(error, details)


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
