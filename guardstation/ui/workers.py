"""The guard's database writes and the camera bridge.

StationWorker submits every write of the guard's screen to the one database thread through
ui/background.py, which says how it ended; the answers come back as queued Qt signals.
No worker touches a widget.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from guardstation.health.camera_outages import CameraOutageLog
from guardstation.scanner import CameraWorker, Debouncer, Decoder, FrameSource
from guardstation.station.checkpoint import Checkpoint, InvalidEntry, ManualEntry
from guardstation.ui.background import run_in_background


class StationWorker(QObject):
    """Owns every database write of the guard's screen (docs/architecture.md §2: one writer).

    Lives on the GUI thread; the writes run on `thread`, in the order they were asked for
    (None: on the caller's thread, at once).
    """

    outcome = Signal(object)  # ScanOutcome, emitted only after its commit
    entry_rejected = Signal(object)  # InvalidEntry
    storage_failed = Signal(str)  # "disk_full" | "read_only" | "locked" | "io_error"
    crashed = Signal(str)  # traceback of an unexpected error

    def __init__(self, checkpoint: Checkpoint, thread: QThread | None = None) -> None:
        super().__init__()
        self.checkpoint = checkpoint
        self.db_thread = thread
        self.camera_outages = CameraOutageLog(checkpoint.db, checkpoint.now)

    def _submit(self, name: str, op, *, emit: bool = True) -> None:
        done = self.outcome.emit if emit else None
        run_in_background(
            op,
            lambda outcome: outcome.route(
                done=done, refused=self.entry_rejected.emit, storage=self.storage_failed.emit, bug=self.crashed.emit
            ),
            thread=self.db_thread,
            refused=(InvalidEntry,),
            name=name,
        )

    @Slot(str)
    def scan(self, text: str) -> None:
        self._submit("scan", lambda: self.checkpoint.scan(text))

    @Slot(object)
    def manual(self, entry: ManualEntry) -> None:
        self._submit("manual entry", lambda: self.checkpoint.manual_entry(entry))

    @Slot(str)
    def check_out(self, visit_id: str) -> None:
        self._submit("check-out", lambda: self.checkpoint.check_out(visit_id))

    @Slot(str, str)
    def camera_status(self, status: str, message: str) -> None:
        """The camera's state changes go to the audit log (outage periods in the monitoring report)."""
        self._submit("camera status", lambda: self.camera_outages.status(status, message), emit=False)


def to_qimage(frame: np.ndarray) -> QImage:
    """BGR ndarray -> QImage that owns its pixels (the array is reused by the camera)."""
    height, width = frame.shape[:2]
    frame = np.ascontiguousarray(frame)
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CameraBridge(QObject):
    """Turns the camera thread's callbacks into Qt signals."""

    frame = Signal(QImage, list)  # image, outlines of the codes found
    scanned = Signal(str)
    status = Signal(str, str)  # "ok" | "lost" | "unavailable", message

    def __init__(
        self, source: FrameSource, decoder: Decoder, debouncer: Debouncer, reopen_interval_s: float = 2.0
    ) -> None:
        super().__init__()
        self.source = source
        self._worker = CameraWorker(
            source,
            decoder,
            on_frame=self._on_frame,
            on_scan=self.scanned.emit,
            on_status=self.status.emit,
            debouncer=debouncer,
            reopen_interval_s=reopen_interval_s,
        )

    def _on_frame(self, result) -> None:
        self.frame.emit(to_qimage(result.frame), [code.corners for code in result.codes])

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()
