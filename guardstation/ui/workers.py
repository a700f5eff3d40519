"""Work off the GUI thread: the single database writer and the camera bridge.

No worker touches a widget; results travel back as queued Qt signals.
"""
from __future__ import annotations

import logging
import sqlite3
import traceback

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage
from sqlalchemy.exc import OperationalError

from guardstation.health.camera_outages import CameraOutageLog
from guardstation.station.checkpoint import Checkpoint, InvalidEntry, ManualEntry
from guardstation.scanner import CameraWorker, Debouncer, Decoder, FrameSource
from guardstation.health.disk_guard import StorageUnavailable, storage_problem

log = logging.getLogger(__name__)


class StationWorker(QObject):
    """Owns every database write of the GUI (docs/architecture.md §2: one writer)."""
    outcome = Signal(object)          # ScanOutcome, emitted only after its commit
    entry_rejected = Signal(object)   # InvalidEntry
    storage_failed = Signal(str)      # "disk_full" | "read_only" | "locked"
    crashed = Signal(str)             # traceback of an unexpected error

    def __init__(self, checkpoint: Checkpoint) -> None:
        super().__init__()
        self.checkpoint = checkpoint
        self.camera_outages = CameraOutageLog(checkpoint.db, checkpoint.now)

    def _run(self, call, *args, emit: bool = True) -> None:
        try:
            result = call(*args)
            if emit:
                self.outcome.emit(result)
        except InvalidEntry as exc:
            self.entry_rejected.emit(exc)
        except (OperationalError, sqlite3.OperationalError, OSError, StorageUnavailable) as exc:
            problem = storage_problem(exc)
            log.error("storage failure (%s): %s", problem, exc)
            if problem is None:
                self.crashed.emit(traceback.format_exc())
            else:
                self.storage_failed.emit(problem)
        except Exception:  # a bug: logged with its traceback and shown, never swallowed
            log.exception("unexpected error in the station worker")
            self.crashed.emit(traceback.format_exc())

    @Slot(str)
    def scan(self, text: str) -> None:
        self._run(self.checkpoint.scan, text)

    @Slot(object)
    def manual(self, entry: ManualEntry) -> None:
        self._run(self.checkpoint.manual_entry, entry)

    @Slot(str)
    def check_out(self, visit_id: str) -> None:
        self._run(self.checkpoint.check_out, visit_id)

    @Slot(str, str)
    def camera_status(self, status: str, message: str) -> None:
        """The camera's state changes go to the audit log (outage periods in the monitoring report)."""
        self._run(self.camera_outages.status, status, message, emit=False)


def to_qimage(frame: np.ndarray) -> QImage:
    """BGR ndarray -> QImage that owns its pixels (the array is reused by the camera)."""
    height, width = frame.shape[:2]
    frame = np.ascontiguousarray(frame)
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CameraBridge(QObject):
    """Turns the camera thread's callbacks into Qt signals."""
    frame = Signal(QImage, list)   # image, outlines of the codes found
    scanned = Signal(str)
    status = Signal(str, str)      # "ok" | "lost" | "unavailable", message

    def __init__(self, source: FrameSource, decoder: Decoder, debouncer: Debouncer,
                 reopen_interval_s: float = 2.0) -> None:
        super().__init__()
        self.source = source
        self._worker = CameraWorker(source, decoder, on_frame=self._on_frame, on_scan=self.scanned.emit,
                                    on_status=self.status.emit, debouncer=debouncer,
                                    reopen_interval_s=reopen_interval_s)

    def _on_frame(self, result) -> None:
        self.frame.emit(to_qimage(result.frame), [code.corners for code in result.codes])

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()
